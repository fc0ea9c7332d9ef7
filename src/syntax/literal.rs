//! The rules for the text inside tokens, which every parser of `.gdr` must
//! apply identically: string escapes, the lines of a `"""` block, the
//! pieces of a paragraph around its `{…}` interpolations, the format after
//! an interpolation's `:`, and the diagnostic for a malformed number or
//! date (E0103).
//!
//! Pure functions of text and byte offsets: no parser types. The parser
//! finds a token and hands its raw characters here; problems go into the
//! `diagnostics` passed in, and a value is always produced. The expression
//! inside `{…}` is the one thing parsed elsewhere: [`paragraphs`] asks the
//! caller's `interpolate` for it.

use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::tr;

use super::ast::{Format, Interpolation, Paragraph, Piece, Str};

/// The characters of a string token between its quotes.
#[derive(Debug, Clone, Copy)]
pub struct RawString<'a> {
    /// The characters as written, escapes unprocessed.
    pub raw: &'a str,
    /// The global byte offset of `raw`.
    pub offset: usize,
    /// Whether it is a `"""` block.
    pub block: bool,
}

/// Parses the expression part of an interpolation: the text between `{` and
/// `}`, its global offset, and the span of the whole `{…}`. Reports its own
/// problems; `None` if nothing can be made of it.
pub type Interpolate<'f> =
    dyn FnMut(&str, usize, Span, &mut Vec<Diagnostic>) -> Option<Interpolation> + 'f;

/// A title, label, note or reason: escapes processed, braces literal. The
/// paragraphs of a `"""` block are joined by one line break.
pub fn text_value(string: RawString<'_>, diagnostics: &mut Vec<Diagnostic>) -> Str {
    if !string.block {
        return unescape(string.raw, string.offset, diagnostics);
    }
    block_lines(string.raw, string.offset)
        .split(|line| line.is_none())
        .map(|lines| {
            lines
                .iter()
                .flatten()
                .map(|(text, offset)| unescape(text, *offset, diagnostics))
                .collect::<Str>()
        })
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        .into()
}

/// The paragraphs of a paragraph string written at `span`: one for a `"…"`
/// string (none if it is empty), one per blank-line-separated run of lines
/// for a `"""` block.
pub fn paragraphs(
    string: RawString<'_>,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
    interpolate: &mut Interpolate<'_>,
) -> Vec<Paragraph> {
    if !string.block {
        let mut pieces = pieces(string.raw, string.offset, diagnostics, interpolate);
        // The tree lives as long as the check: no spare capacity.
        pieces.shrink_to_fit();
        return if pieces.is_empty() {
            Vec::new()
        } else {
            vec![Paragraph { pieces, span }]
        };
    }
    let mut paragraphs = Vec::new();
    for lines in block_lines(string.raw, string.offset).split(|line| line.is_none()) {
        let mut pieces_of_paragraph = Vec::new();
        let mut start = None;
        let mut end = 0;
        for (text, offset) in lines.iter().flatten() {
            start.get_or_insert(*offset);
            end = offset + text.len();
            for piece in pieces(text, *offset, diagnostics, interpolate) {
                match (pieces_of_paragraph.last_mut(), piece) {
                    (Some(Piece::Text(last)), Piece::Text(more)) => last.push_str(&more),
                    (_, piece) => pieces_of_paragraph.push(piece),
                }
            }
        }
        if let (Some(start), false) = (start, pieces_of_paragraph.is_empty()) {
            pieces_of_paragraph.shrink_to_fit();
            paragraphs.push(Paragraph {
                pieces: pieces_of_paragraph,
                span: Span::new(start, end),
            });
        }
    }
    paragraphs
}

/// Splits one line of paragraph text (at global `offset`) into literal text
/// and interpolations.
fn pieces(
    raw: &str,
    offset: usize,
    diagnostics: &mut Vec<Diagnostic>,
    interpolate: &mut Interpolate<'_>,
) -> Vec<Piece> {
    let bytes = raw.as_bytes();
    // Room for text around each interpolation: one allocation of the
    // right size in the common case, no regrowth and no shrinking after.
    let capacity = if bytes.is_empty() {
        0
    } else {
        2 * memchr::memchr_iter(b'{', bytes).count() + 1
    };
    let mut pieces = Vec::with_capacity(capacity);
    let mut literal_start = 0;
    let mut at = 0;
    let flush = |diagnostics: &mut Vec<Diagnostic>, pieces: &mut Vec<Piece>, from, to| {
        if to > from {
            let text = unescape(&raw[from..to], offset + from, diagnostics);
            // Text on both sides of a broken interpolation is one piece.
            match pieces.last_mut() {
                Some(Piece::Text(last)) => last.push_str(&text),
                _ => pieces.push(Piece::Text(text)),
            }
        }
    };
    // `\`, `{` and `}` are single bytes that no character of more bytes
    // contains: they are searched for by bytes.
    while let Some(found) = memchr::memchr3(b'\\', b'{', b'}', &bytes[at..]) {
        let i = at + found;
        match bytes[i] {
            b'\\' => {
                // The escaped character is passed over: its first byte, and
                // any byte after that is not one of the three.
                at = (i + 2).min(bytes.len());
            }
            b'{' => {
                flush(diagnostics, &mut pieces, literal_start, i);
                match raw[i + 1..].find(['}', '\n']) {
                    Some(close) if raw.as_bytes()[i + 1 + close] == b'}' => {
                        let inner_start = i + 1;
                        let inner_end = i + 1 + close;
                        let span = Span::new(offset + i, offset + inner_end + 1);
                        if let Some(interpolation) = interpolate(
                            &raw[inner_start..inner_end],
                            offset + inner_start,
                            span,
                            diagnostics,
                        ) {
                            pieces.push(Piece::Interpolation(Box::new(interpolation)));
                        }
                        at = inner_end + 1;
                        literal_start = at;
                    }
                    _ => {
                        diagnostics.push(
                            Diagnostic::new(Code::Unterminated, tr!("unterminated interpolation"))
                                .primary(
                                    Span::new(offset + i, offset + i + 1),
                                    tr!("this `{` is never closed"),
                                )
                                .help(tr!("close it with `}`, or write `\\{` for a literal brace")),
                        );
                        literal_start = raw.len();
                        break;
                    }
                }
            }
            _ => {
                flush(diagnostics, &mut pieces, literal_start, i);
                diagnostics.push(
                    Diagnostic::new(Code::SyntaxError, tr!("unmatched `}` in text"))
                        .primary(
                            Span::new(offset + i, offset + i + 1),
                            tr!("no `{` before it"),
                        )
                        .help(tr!("write `\\}` for a literal brace")),
                );
                literal_start = i + 1;
                at = i + 1;
            }
        }
    }
    flush(diagnostics, &mut pieces, literal_start, raw.len());
    pieces
}

/// Processes `\" \\ \n \{ \}` in `raw` (at global `offset`); any other
/// escape is E0101 and is dropped.
pub fn unescape(raw: &str, offset: usize, diagnostics: &mut Vec<Diagnostic>) -> Str {
    if !raw.contains('\\') {
        return raw.into();
    }
    let mut out = Str::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, '{')) => out.push('{'),
            Some((_, '}')) => out.push('}'),
            other => {
                let len = 1 + other.map_or(0, |(_, c)| c.len_utf8());
                let escape = &raw[i..i + len];
                diagnostics.push(
                    Diagnostic::new(
                        Code::SyntaxError,
                        tr!("unknown escape `{escape}`", escape = escape),
                    )
                    .primary(
                        Span::new(offset + i, offset + i + len),
                        tr!("not a valid escape"),
                    )
                    .help(tr!(
                        "the escapes are `\\\"`, `\\\\`, `\\n`, `\\{` and `\\}`"
                    )),
                );
            }
        }
    }
    out
}

/// The lines of a `"""` block after the rules of the language reference:
/// the first line break and a last blank line dropped, the common
/// indentation removed, trailing white space trimmed. `None` stands for a
/// blank line, which separates paragraphs. Each line comes with its byte
/// offset.
pub fn block_lines(raw: &str, offset: usize) -> Vec<Option<(&str, usize)>> {
    let mut lines: Vec<(&str, usize)> = Vec::new();
    let mut start = 0;
    for (i, _) in raw.match_indices('\n') {
        lines.push((&raw[start..i], offset + start));
        start = i + 1;
    }
    lines.push((&raw[start..], offset + start));
    if lines.len() > 1 && lines[0].0.trim().is_empty() {
        lines.remove(0);
    }
    if lines.len() > 1 && lines.last().is_some_and(|(line, _)| line.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|(line, _)| !line.trim().is_empty())
        .map(|(line, _)| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|(line, line_offset)| {
            let line = line.trim_end_matches(['\r', ' ', '\t']);
            if line.trim().is_empty() {
                None
            } else {
                Some((&line[indent..], line_offset + indent))
            }
        })
        .collect()
}

/// The format after an interpolation's `:` (`num`, `%N`, `numN` or `N`, as
/// the grammar accepts it), written at `span`. More than 28 decimals is
/// E0305 and reads as 28.
pub fn format_spec(spec: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Format {
    let (digits, percent, format): (&str, bool, fn(u32) -> Format) =
        if let Some(digits) = spec.strip_prefix('%') {
            (digits, true, Format::Percent)
        } else if let Some(digits) = spec.strip_prefix("num") {
            if digits.is_empty() {
                return Format::Number;
            }
            (digits, false, Format::NumberDecimals)
        } else {
            (spec, false, Format::WithUnitDecimals)
        };
    match digits.parse::<u32>() {
        Ok(decimals) if decimals <= MAX_DECIMALS => format(decimals),
        _ => {
            let message = if percent {
                tr!("too many decimals in a percentage format")
            } else {
                tr!("too many decimals in a number format")
            };
            diagnostics.push(
                Diagnostic::new(Code::OutOfRange, message)
                    .primary(span, tr!("at most 28 decimals")),
            );
            format(MAX_DECIMALS)
        }
    }
}

/// The most decimals a format may ask for: a decimal's largest scale.
const MAX_DECIMALS: u32 = 28;

/// E0103 for a token at `span` that starts with a digit but is neither a
/// number nor a date: a date if it holds a `-`, else a number.
pub fn malformed(span: Span, text: &str) -> Diagnostic {
    if text.contains('-') {
        Diagnostic::new(
            Code::MalformedLiteral,
            tr!("malformed date `{text}`", text = text),
        )
        .primary(span, tr!("not a valid date"))
        .help(tr!("write dates as `YYYY-MM-DD`, e.g. `2021-01-10`"))
    } else {
        Diagnostic::new(
            Code::MalformedLiteral,
            tr!("malformed number `{text}`", text = text),
        )
        .primary(span, tr!("not a valid number"))
        .help(tr!(
            "write numbers as digits with an optional fraction, e.g. `1_000` or `95.3484`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lines_dedent_and_split_paragraphs() {
        let raw = "\n    一是\n    二是\n\n      三是\n  ";
        let lines: Vec<_> = block_lines(raw, 0)
            .into_iter()
            .map(|line| line.map(|(text, _)| text))
            .collect();
        assert_eq!(lines, [Some("一是"), Some("二是"), None, Some("  三是")]);
    }

    #[test]
    fn unescape_reports_an_unknown_escape_at_its_place() {
        let mut diagnostics = Vec::new();
        assert_eq!(unescape(r#"a\"b\{\q"#, 10, &mut diagnostics), "a\"b{");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span(), Some(Span::new(16, 18)));
    }

    #[test]
    fn pieces_split_around_interpolations() {
        let mut diagnostics = Vec::new();
        let mut seen = Vec::new();
        let string = RawString {
            raw: r"共{a}件，\{b\}{c:num}",
            offset: 100,
            block: false,
        };
        let paragraphs = paragraphs(
            string,
            Span::new(99, 130),
            &mut diagnostics,
            &mut |inner, offset, span, _| {
                seen.push((inner.to_string(), offset, span));
                None
            },
        );
        assert!(diagnostics.is_empty());
        assert_eq!(
            seen,
            [
                ("a".to_string(), 104, Span::new(103, 106)),
                ("c:num".to_string(), 118, Span::new(117, 124)),
            ]
        );
        let texts: Vec<_> = paragraphs[0]
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.as_str(),
                Piece::Interpolation(_) => "*",
            })
            .collect();
        // No interpolation was made of `{a}` or `{c:num}`: the text around
        // them is one piece.
        assert_eq!(texts, ["共件，{b}"]);
    }
}
