//! A linear pre-pass over the source that pest cannot do for us.
//!
//! It tracks comments, strings and brackets only, and
//! - splits the file into chunks of whole top-level items, so that each can
//!   be parsed on its own and a syntax error in one does not hide the errors
//!   in the others;
//! - finds unterminated strings and blocks (E0102), reported at the opening
//!   delimiter, which a PEG parser would only see as "expected …" at the end
//!   of the file;
//! - bounds the nesting depth, so that no later recursive phase can overflow
//!   the stack.

use super::lex::is_word_char;
use crate::span::Span;

/// The deepest nesting of `{`, `[` and `(` that a file may use.
pub const MAX_NESTING: usize = 100;

/// Whether `word` is a keyword that starts a top-level item.
fn is_item_keyword(word: &str) -> bool {
    matches!(
        word,
        "report"
            | "section"
            | "table"
            | "let"
            | "check"
            | "expect"
            | "unit"
            | "form"
            | "use"
            | "allow"
    )
}

/// What the pre-pass found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Byte ranges of the source that each hold whole top-level items.
    pub chunks: Vec<std::ops::Range<usize>>,
    pub errors: Vec<LexError>,
}

/// A problem found by the pre-pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexError {
    /// A `"…"` that meets a line break or the end of the file.
    UnterminatedString { open: Span },
    /// A `"""` block that is never closed.
    UnterminatedBlockString { open: Span },
    /// A `{`, `[` or `(` that is never closed; `outer` are the blocks around it.
    UnclosedDelimiter {
        open: Span,
        delimiter: char,
        outer: Vec<Span>,
    },
    /// A `{`, `[` or `(` that the closer of a block around it ends: a
    /// `[` left open in a row, say, up to the `}` of its `rows`. The
    /// brackets after that closer are matched as if it had been closed,
    /// so the mistake costs only its own statement (`syntax/recover.rs`).
    ClosedByOuter { open: Span, delimiter: char },
    /// A `}`, `]` or `)` with nothing of its kind open.
    UnexpectedCloser { at: Span, delimiter: char },
    /// Brackets nested deeper than [`MAX_NESTING`].
    TooDeep { at: Span },
}

impl LexError {
    pub fn span(&self) -> Span {
        match self {
            LexError::UnterminatedString { open }
            | LexError::UnterminatedBlockString { open }
            | LexError::UnclosedDelimiter { open, .. }
            | LexError::ClosedByOuter { open, .. } => *open,
            LexError::UnexpectedCloser { at, .. } | LexError::TooDeep { at } => *at,
        }
    }
}

/// Scans `text`. Unclosed blocks are first assumed to run to the end of the
/// file; if any remain open, the scan is repeated and a keyword at the very
/// start of a line (no indentation) is taken to start a new item.
pub fn scan(text: &str) -> Scan {
    let first = Scanner::new(text, false).run();
    let unbalanced = first
        .errors
        .iter()
        .any(|error| matches!(error, LexError::UnclosedDelimiter { .. }));
    if unbalanced {
        Scanner::new(text, true).run()
    } else {
        first
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    recover_at_line_start: bool,
    stack: Vec<(usize, u8)>,
    chunk_start: usize,
    scan: Scan,
    too_deep_reported: bool,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, recover_at_line_start: bool) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            recover_at_line_start,
            stack: Vec::new(),
            chunk_start: 0,
            scan: Scan::default(),
            too_deep_reported: false,
        }
    }

    fn run(mut self) -> Scan {
        let mut i = 0;
        let len = self.bytes.len();
        while i < len {
            // Most bytes are none of these: passed over by a table. Inside
            // a block, words matter only to the recovery (a keyword at the
            // start of a line): without it, only delimiters are looked for.
            let found = if self.stack.is_empty() || self.recover_at_line_start {
                self.bytes[i..]
                    .iter()
                    .position(|&byte| INTERESTING[usize::from(byte)])
                    .map(|offset| i + offset)
            } else {
                next_delimiter(self.bytes, i)
            };
            match found {
                Some(at) => i = at,
                None => break,
            }
            let byte = self.bytes[i];
            match byte {
                b'/' if self.bytes.get(i + 1) == Some(&b'/') => {
                    i = self.line_end(i);
                }
                b'"' if self.text[i..].starts_with("\"\"\"") => {
                    i = self.block_string(i);
                }
                b'"' => {
                    i = self.line_string(i);
                }
                b'{' | b'[' | b'(' => {
                    self.stack.push((i, byte));
                    if self.stack.len() > MAX_NESTING && !self.too_deep_reported {
                        self.too_deep_reported = true;
                        self.scan.errors.push(LexError::TooDeep {
                            at: Span::new(i, i + 1),
                        });
                    }
                    i += 1;
                }
                b'}' | b']' | b')' => {
                    self.close(i, byte);
                    i += 1;
                }
                b'a'..=b'z' if self.at_word_start(i) => {
                    let word_end = self.word_end(i);
                    let word = &self.text[i..word_end];
                    if is_item_keyword(word) {
                        if self.stack.is_empty() {
                            self.start_chunk(i);
                        } else if self.recover_at_line_start && self.at_line_start(i) {
                            self.close_all();
                            self.start_chunk(i);
                        }
                    }
                    i = word_end;
                }
                _ => i += 1,
            }
        }
        self.close_all();
        self.start_chunk(len);
        self.scan
    }

    fn start_chunk(&mut self, at: usize) {
        if self.text[self.chunk_start..at].trim().is_empty() && at < self.bytes.len() {
            // Leading comments and blank lines join the next chunk.
            return;
        }
        if at > self.chunk_start {
            self.scan.chunks.push(self.chunk_start..at);
        }
        self.chunk_start = at;
    }

    /// A closer at `at`: it closes the innermost opener of its kind, and
    /// the openers inside that one, never closed, are each reported where
    /// they open; with none of its kind open, it is unexpected.
    fn close(&mut self, at: usize, closer: u8) {
        let opener = match closer {
            b'}' => b'{',
            b']' => b'[',
            _ => b'(',
        };
        match self.stack.iter().rposition(|&(_, open)| open == opener) {
            Some(index) => {
                for &(open, delimiter) in &self.stack[index + 1..] {
                    self.scan.errors.push(LexError::ClosedByOuter {
                        open: Span::new(open, open + 1),
                        delimiter: delimiter as char,
                    });
                }
                self.stack.truncate(index);
            }
            None => self.scan.errors.push(LexError::UnexpectedCloser {
                at: Span::new(at, at + 1),
                delimiter: closer as char,
            }),
        }
    }

    fn close_all(&mut self) {
        if let Some(&(open, delimiter)) = self.stack.last() {
            let outer = self.stack[..self.stack.len() - 1]
                .iter()
                .map(|&(at, _)| Span::new(at, at + 1))
                .collect();
            self.scan.errors.push(LexError::UnclosedDelimiter {
                open: Span::new(open, open + 1),
                delimiter: delimiter as char,
                outer,
            });
        }
        self.stack.clear();
    }

    fn line_end(&self, from: usize) -> usize {
        memchr_newline(self.bytes, from)
    }

    fn line_string(&mut self, open: usize) -> usize {
        let mut i = open + 1;
        while let Some(offset) = memchr::memchr3(b'"', b'\\', b'\n', &self.bytes[i..]) {
            i += offset;
            match self.bytes[i] {
                b'"' => return i + 1,
                b'\\' if self.bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
                b'\\' => i += 1,
                _ => break,
            }
        }
        i = i.min(self.bytes.len());
        if self.bytes.get(i) != Some(&b'\n') {
            i = self.bytes.len();
        }
        self.scan.errors.push(LexError::UnterminatedString {
            open: Span::new(open, open + 1),
        });
        i
    }

    fn block_string(&mut self, open: usize) -> usize {
        let mut i = open + 3;
        while let Some(offset) = self
            .bytes
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'\\', b'"', rest))
        {
            i += offset;
            match self.bytes[i] {
                b'\\' => i += 2,
                _ if self.text[i..].starts_with("\"\"\"") => return i + 3,
                _ => i += 1,
            }
        }
        self.scan.errors.push(LexError::UnterminatedBlockString {
            open: Span::new(open, open + 3),
        });
        // The block swallowed the rest of the file, closing brackets
        // included: the blocks around it are not reported again.
        self.stack.clear();
        self.bytes.len()
    }

    fn at_word_start(&self, i: usize) -> bool {
        match i.checked_sub(1).map(|before| self.bytes[before]) {
            None => true,
            Some(byte) if byte.is_ascii() => !(byte.is_ascii_alphanumeric() || byte == b'_'),
            Some(_) => self.text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c)),
        }
    }

    fn word_end(&self, i: usize) -> usize {
        // ASCII letters and digits first, by bytes; the rest by characters.
        let ascii = self.bytes[i..]
            .iter()
            .position(|&byte| !(byte.is_ascii_alphanumeric() || byte == b'_'))
            .map_or(self.bytes.len(), |offset| i + offset);
        if self.bytes.get(ascii).is_none_or(u8::is_ascii) {
            return ascii;
        }
        self.text[ascii..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(self.bytes.len(), |(offset, _)| ascii + offset)
    }

    fn at_line_start(&self, i: usize) -> bool {
        i == 0 || self.bytes[i - 1] == b'\n'
    }
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |offset| from + offset)
}

/// The first of `/`, `"`, `{`, `[`, `(`, `}`, `]`, `)` in `bytes` from
/// `from`: sixteen bytes at a time where SSE2 is at hand (always on x86-64).
fn next_delimiter(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64; every load reads the 16 bytes
        // from `i`, which `i + 16 <= bytes.len()` keeps in the slice.
        unsafe {
            let splat = |byte: u8| _mm_set1_epi8(byte as i8);
            let (case, round, paren) = (splat(0x20), splat(0xFE), splat(b'('));
            let (brace, close_brace) = (splat(b'{'), splat(b'}'));
            let (slash, quote) = (splat(b'/'), splat(b'"'));
            while i + 16 <= bytes.len() {
                let chunk = _mm_loadu_si128(bytes.as_ptr().add(i).cast::<__m128i>());
                // `[` and `{`, `]` and `}` differ by 0x20; `(` and `)` by 1.
                let folded = _mm_or_si128(chunk, case);
                let hits = _mm_or_si128(
                    _mm_or_si128(
                        _mm_cmpeq_epi8(folded, brace),
                        _mm_cmpeq_epi8(folded, close_brace),
                    ),
                    _mm_or_si128(
                        _mm_cmpeq_epi8(_mm_and_si128(chunk, round), paren),
                        _mm_or_si128(_mm_cmpeq_epi8(chunk, slash), _mm_cmpeq_epi8(chunk, quote)),
                    ),
                );
                let mask = _mm_movemask_epi8(hits);
                if mask != 0 {
                    return Some(i + mask.trailing_zeros() as usize);
                }
                i += 16;
            }
        }
    }
    bytes[i..]
        .iter()
        .position(|&byte| DELIMITERS[usize::from(byte)])
        .map(|offset| i + offset)
}

/// The bytes [`next_delimiter`] looks for.
const DELIMITERS: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let delimiters = *b"/\"{[(}])";
    while i < delimiters.len() {
        table[delimiters[i] as usize] = true;
        i += 1;
    }
    table
};

/// The bytes [`Scanner::run`] looks at: comments, strings, brackets and
/// the lower-case letters that start keywords.
const INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = b'a';
    while byte <= b'z' {
        table[byte as usize] = true;
        byte += 1;
    }
    let mut i = 0;
    while i < 256 {
        table[i] |= DELIMITERS[i];
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str) -> Vec<&str> {
        scan(text)
            .chunks
            .into_iter()
            .map(|range| text[range].trim())
            .collect()
    }

    #[test]
    fn splits_at_top_level_keywords_only() {
        let text = "report { title \"let\" }\nsection \"a\" { let x = 1 }\n// c\nlet y = 2";
        assert_eq!(
            chunks(text),
            [
                "report { title \"let\" }",
                "section \"a\" { let x = 1 }\n// c",
                "let y = 2"
            ]
        );
    }

    #[test]
    fn unclosed_block_recovers_at_the_next_unindented_item() {
        let text = "section \"a\" {\n  \"p\"\nsection \"b\" { }\n";
        let scan = scan(text);
        assert_eq!(scan.chunks.len(), 2);
        assert_eq!(
            scan.errors,
            [LexError::UnclosedDelimiter {
                open: Span::new(12, 13),
                delimiter: '{',
                outer: vec![]
            }]
        );
    }

    #[test]
    fn a_bracket_left_open_is_closed_by_the_block_around_it() {
        let text = "table t {\n  rows {\n    a [1, 2\n    b [3]\n  }\n}\nlet x = 1\n";
        let found = scan(text);
        assert_eq!(
            found.errors,
            [LexError::ClosedByOuter {
                open: Span::new(25, 26),
                delimiter: '['
            }]
        );
        assert_eq!(found.chunks.len(), 2, "the next item is an item of its own");
        let stray = scan("section \"a\" {\n  let x = (1]\n}\n");
        assert_eq!(
            stray.errors,
            [
                LexError::UnexpectedCloser {
                    at: Span::new(26, 27),
                    delimiter: ']'
                },
                LexError::ClosedByOuter {
                    open: Span::new(24, 25),
                    delimiter: '('
                }
            ],
            "a `]` with no `[` open is stray; the `(` is closed by the `}}`"
        );
    }

    #[test]
    fn newline_in_string_is_reported_at_the_quote() {
        let scan = scan("let x = \"abc\nlet y = 1");
        assert_eq!(
            scan.errors,
            [LexError::UnterminatedString {
                open: Span::new(8, 9)
            }]
        );
    }

    #[test]
    fn escapes_and_strings_that_do_not_end() {
        // An escaped quote does not end a string; a backslash before the
        // line's end or the file's does not escape it.
        let text = "let x = \"a\\\"b{\" let y = \"c\\\nlet z = \"d\\";
        let scan = scan(text);
        assert_eq!(
            scan.errors,
            [
                LexError::UnterminatedString {
                    open: Span::new(24, 25)
                },
                LexError::UnterminatedString {
                    open: Span::new(36, 37)
                },
            ]
        );
        assert_eq!(chunks(text).len(), 3, "{:?}", chunks(text));
        // A block string with an escaped quote, and one left open.
        let scan = super::scan("let a = \"\"\"x\\\"\"\"\" let b = \"\"\"y");
        assert_eq!(
            scan.errors,
            [LexError::UnterminatedBlockString {
                open: Span::new(26, 29)
            }]
        );
    }

    #[test]
    fn delimiters_are_found_as_by_the_table() {
        let text: Vec<u8> = (0..=255u8)
            .chain(b"abc{x[y(z}\"/)]".iter().copied())
            .collect();
        for from in 0..text.len() {
            let expected = text[from..]
                .iter()
                .position(|&byte| b"/\"{[(}])".contains(&byte))
                .map(|offset| from + offset);
            assert_eq!(next_delimiter(&text, from), expected, "from {from}");
        }
    }

    #[test]
    fn deep_nesting_is_one_error() {
        let text = "(".repeat(50_000);
        let scan = scan(&text);
        assert!(scan.errors.contains(&LexError::TooDeep {
            at: Span::new(MAX_NESTING, MAX_NESTING + 1)
        }));
    }
}
