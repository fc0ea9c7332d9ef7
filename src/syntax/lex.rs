//! Tokens for the passes that must read `.gdr` without parsing it: what a
//! broken item still declares, which block a syntax error stands in, and
//! which statement holds it (`recover.rs`).
//!
//! It knows only what every such pass needs to skip correctly: `//`
//! comments, `"…"` strings and `"""` blocks (with their escapes), brackets,
//! and words (a run of letters, digits and `_`). Everything else is a
//! one-character [`Kind::Other`]. It never fails: an unterminated string
//! ends at its line (a block at the end of the text), as the scan reports
//! it.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, digits and `_`: a name, a keyword or a number's digits.
    Word,
    /// A `"…"` string or a `"""` block, quotes included.
    String,
    /// `// …` to the end of the line.
    Comment,
    /// `{`, `[` or `(`.
    Open(char),
    /// `}`, `]` or `)`.
    Close(char),
    /// White space, line breaks included.
    Space,
    /// Any other character.
    Other,
}

/// A token: its kind and its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Whether `c` may stand in a name (or a keyword).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The tokens of `text`, in order; together they cover it.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = &text[at..];
        let first = rest.chars().next()?;
        let (kind, len) = match first {
            '/' if rest.starts_with("//") => (Kind::Comment, rest.find('\n').unwrap_or(rest.len())),
            '"' if rest.starts_with("\"\"\"") => (Kind::String, block_string_len(rest)),
            '"' => (Kind::String, line_string_len(rest)),
            '{' | '[' | '(' => (Kind::Open(first), 1),
            '}' | ']' | ')' => (Kind::Close(first), 1),
            c if c.is_whitespace() => (Kind::Space, run_len(rest, char::is_whitespace)),
            c if is_word_char(c) => (Kind::Word, run_len(rest, is_word_char)),
            c => (Kind::Other, c.len_utf8()),
        };
        let token = Token {
            kind,
            start: at,
            end: at + len,
        };
        at += len;
        Some(token)
    })
}

fn run_len(text: &str, mut accept: impl FnMut(char) -> bool) -> usize {
    text.char_indices()
        .find(|&(_, c)| !accept(c))
        .map_or(text.len(), |(index, _)| index)
}

/// The length of the `"…"` string at the start of `text`: to its closing
/// quote, or to the end of its line if it has none.
fn line_string_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\\' if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The length of the `"""` block at the start of `text`: to its closing
/// `"""`, or to the end of the text.
fn block_string_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 3;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' if bytes[i..].starts_with(b"\"\"\"") => return i + 3,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .filter(|token| token.kind != Kind::Space)
            .map(|token| (token.kind, &text[token.start..token.end]))
            .collect()
    }

    #[test]
    fn strings_comments_and_brackets_are_whole_tokens() {
        assert_eq!(
            kinds("let 甲 = [1, \"a\\\"}\"] // x }\n\"\"\"b\n}\"\"\" \"open\n)"),
            [
                (Kind::Word, "let"),
                (Kind::Word, "甲"),
                (Kind::Other, "="),
                (Kind::Open('['), "["),
                (Kind::Word, "1"),
                (Kind::Other, ","),
                (Kind::String, "\"a\\\"}\""),
                (Kind::Close(']'), "]"),
                (Kind::Comment, "// x }"),
                (Kind::String, "\"\"\"b\n}\"\"\""),
                (Kind::String, "\"open"),
                (Kind::Close(')'), ")"),
            ]
        );
    }

    #[test]
    fn tokens_cover_the_text() {
        let text = "a\u{3000}b \"\"\"never closed";
        let mut end = 0;
        for token in tokens(text) {
            assert_eq!(token.start, end);
            end = token.end;
        }
        assert_eq!(end, text.len());
    }
}
