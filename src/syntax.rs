//! Parsing: source text to [`ast::Document`].
//!
//! The file is first scanned (`scan.rs`) for strings, comments and brackets
//! and cut into chunks of whole top-level items; each chunk is then parsed
//! straight to the AST by the fast parser (`fast.rs`) or, where that gives
//! it up, by pest (`parser.rs`, the grammar's own parser, which reports the
//! syntax error) and lowered (`lower.rs`); both apply the rules for the
//! text inside tokens in `literal.rs`, and both give the same tree. A syntax error in one
//! chunk does not hide the errors of the others, and inside a chunk it
//! costs only its statement where `recover.rs` can find it. Chunks are independent, so
//! a large file's can be parsed on several threads, as many as the caller
//! says.
//!
//! This module names no parser type: what it gets back from `parser.rs` is
//! AST and diagnostics.

pub mod ast;
mod fast;
mod grammar;
pub(crate) mod lex;
pub(crate) mod literal;
mod lower;
mod parser;
pub mod print;
mod recover;
pub(crate) mod scan;

use crate::tr;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::SourceFile;
use scan::LexError;

/// The result of parsing a file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The items that parsed.
    pub document: ast::Document,
    pub diagnostics: Vec<Diagnostic>,
    /// Global byte ranges of the chunks, and of the statements inside an
    /// item, that did not parse.
    pub broken: Vec<std::ops::Range<usize>>,
}

/// Parses a whole file. Always returns a document (items that did not
/// parse are error nodes) together with the syntax diagnostics.
pub fn parse(source: &SourceFile) -> Parsed {
    parse_on(source, 1)
}

/// [`parse`], on up to `threads` threads, the calling thread included: the
/// chunks of a file from 128 KiB up are parsed in as many runs, joined in
/// order (the result is the same).
pub fn parse_on(source: &SourceFile, threads: usize) -> Parsed {
    let text: &str = &source.text;
    let start = source.start();
    let scan = scan::scan(text);
    let mut diagnostics: Vec<Diagnostic> = scan
        .errors
        .iter()
        .map(|error| lex_error(error, start))
        .collect();
    let mut items = Vec::new();
    let mut broken_chunks = Vec::new();
    // Where the scan's errors are, sorted, so that finding the chunks that
    // hold one stays linear in the number of chunks.
    let mut error_starts: Vec<usize> = scan
        .errors
        .iter()
        .map(|error| error.span().start as usize)
        .collect();
    error_starts.sort_unstable();
    // The scan errors that cost only their statement: a `[` or `(` closed
    // by the block around it, a closer with nothing of its kind open.
    let mendable: std::collections::HashSet<usize> = scan
        .errors
        .iter()
        .filter(|error| {
            matches!(
                error,
                LexError::ClosedByOuter {
                    delimiter: '[' | '(',
                    ..
                } | LexError::UnexpectedCloser { .. }
            )
        })
        .map(|error| error.span().start as usize)
        .collect();
    // A chunk that holds a scan error is not parsed (the error says why),
    // unless each of its errors is a bracket that costs only its own
    // statement.
    let chunks: Vec<(std::ops::Range<usize>, Scanned)> = scan
        .chunks
        .into_iter()
        .map(|chunk| {
            let first = error_starts.partition_point(|&at| at < chunk.start);
            let last = error_starts.partition_point(|&at| at < chunk.end);
            let scanned = if first == last {
                Scanned::Clean
            } else if error_starts[first..last]
                .iter()
                .all(|at| mendable.contains(at))
            {
                Scanned::Mended(
                    error_starts[first..last]
                        .iter()
                        .map(|at| at - chunk.start)
                        .collect(),
                )
            } else {
                Scanned::Broken
            };
            (chunk, scanned)
        })
        .collect();
    let threads = if text.len() < PARALLEL_MIN_BYTES {
        1
    } else {
        threads.max(1)
    };
    let results = parse_chunks(text, start, &chunks, threads);
    // The document lives as long as the check: no spare capacity.
    items.reserve_exact(
        results
            .iter()
            .map(|parsed| match parsed {
                ChunkResult::Parsed(chunk_items, _) => chunk_items.len(),
                ChunkResult::Broken(..) => 1,
            })
            .sum(),
    );
    for parsed in results {
        match parsed {
            ChunkResult::Parsed(mut chunk_items, mut chunk_diagnostics) => {
                broken_chunks.extend(chunk_items.iter().filter_map(|item| match item {
                    ast::Item::Error(lost) => {
                        Some(lost.span.start as usize..lost.span.end as usize)
                    }
                    _ => None,
                }));
                items.append(&mut chunk_items);
                diagnostics.append(&mut chunk_diagnostics);
            }
            ChunkResult::Broken(range, diagnostic) => {
                diagnostics.extend(diagnostic);
                let local = range.start - start..range.end - start;
                items.push(ast::Item::Error(Box::new(broken_item(
                    &text[local],
                    range.start,
                ))));
                broken_chunks.push(range);
            }
        }
    }
    Parsed {
        document: ast::Document { items },
        diagnostics,
        broken: broken_chunks,
    }
}

/// What the scan found in a chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scanned {
    /// Nothing wrong.
    Clean,
    /// Brackets that cost only their statements, at these chunk-local
    /// offsets (reported by the scan).
    Mended(Vec<usize>),
    /// An error that costs the whole item (reported by the scan).
    Broken,
}

/// How many syntax errors one item may recover from; after that, it is
/// broken as a whole.
const MAX_RECOVERIES: usize = 20;

/// What parsing one chunk gives.
#[derive(Debug)]
enum ChunkResult {
    /// Its items, and the diagnostics of parsing and lowering them; a
    /// statement that did not parse follows its item as an error node.
    Parsed(Vec<ast::Item>, Vec<Diagnostic>),
    /// Its global range, and its syntax error (none if the scan already
    /// reported one).
    Broken(std::ops::Range<usize>, Option<Diagnostic>),
}

/// Below this size a file is parsed on the calling thread: starting a
/// thread costs more than it saves.
const PARALLEL_MIN_BYTES: usize = 128 * 1024;

/// Parses the chunks of `text` (at global offset `start`), in order: on
/// the calling thread if `threads` is 1, else in `threads` contiguous runs
/// of about equal size, the first on the calling thread and each other on
/// a thread of its own.
fn parse_chunks(
    text: &str,
    start: usize,
    chunks: &[(std::ops::Range<usize>, Scanned)],
    threads: usize,
) -> Vec<ChunkResult> {
    let parse_run = |run: &[(std::ops::Range<usize>, Scanned)]| -> Vec<ChunkResult> {
        run.iter()
            .map(|(chunk, scanned)| parse_chunk(text, start, chunk, scanned))
            .collect()
    };
    if threads < 2 || chunks.len() < 2 {
        return parse_run(chunks);
    }
    // Cut the chunks into runs of about text.len() / threads bytes.
    let share = text.len().div_ceil(threads);
    let mut runs: Vec<&[(std::ops::Range<usize>, Scanned)]> = Vec::new();
    let mut rest = chunks;
    while !rest.is_empty() {
        let run_end = rest[0].0.start + share;
        let length = rest
            .iter()
            .position(|(chunk, _)| chunk.start >= run_end)
            .unwrap_or(rest.len())
            .max(1);
        let (run, after) = rest.split_at(length);
        runs.push(run);
        rest = after;
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs[1..]
            .iter()
            .map(|&run| scope.spawn(move || parse_run(run)))
            .collect();
        let mut results = parse_run(runs[0]);
        for handle in handles {
            match handle.join() {
                Ok(mut run) => results.append(&mut run),
                // A panic in a parser thread is a bug; let it surface as one.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        results
    })
}

/// Parses and lowers one chunk of whole top-level items. A statement
/// that holds a syntax error is blanked out and the chunk parsed again
/// (`recover.rs`), up to [`MAX_RECOVERIES`] times; where that does not
/// work, the chunk is broken as a whole.
fn parse_chunk(
    text: &str,
    start: usize,
    chunk: &std::ops::Range<usize>,
    scanned: &Scanned,
) -> ChunkResult {
    let range = start + chunk.start..start + chunk.end;
    let base = range.start;
    let chunk_text = &text[chunk.clone()];
    let mut current = std::borrow::Cow::Borrowed(chunk_text);
    let mut lost = Vec::new();
    match scanned {
        Scanned::Clean => {}
        Scanned::Broken => return ChunkResult::Broken(range, None),
        Scanned::Mended(errors) => {
            for &at in errors {
                // Two brackets of one statement: it is blanked already.
                if current.as_bytes().get(at) == Some(&b' ') {
                    continue;
                }
                let Some(statement) = recover::statements_at(&current, at).into_iter().next()
                else {
                    return ChunkResult::Broken(range, None);
                };
                lost.push(lost_statement(&current, &statement, base));
                current = recover::blank(&current, statement.range).into();
            }
        }
    }
    let local = |diagnostic: &Diagnostic| {
        diagnostic
            .span()
            .map_or(0, |span| span.start as usize)
            .saturating_sub(base)
    };
    let mut syntax_errors: Vec<Diagnostic> = Vec::new();
    let mut result = parse_text(&current, base);
    loop {
        let diagnostic = match result {
            Ok((mut items, mut diagnostics)) => {
                items.extend(
                    lost.into_iter()
                        .map(|lost| ast::Item::Error(Box::new(lost))),
                );
                syntax_errors.append(&mut diagnostics);
                return ChunkResult::Parsed(items, syntax_errors);
            }
            Err(diagnostic) => diagnostic,
        };
        let at = local(&diagnostic);
        // The statement whose blanking lets the parse go furthest.
        let mut best: Option<(recover::Statement, String, ParsedText, usize)> = None;
        if syntax_errors.len() < MAX_RECOVERIES {
            for statement in recover::statements_at(&current, at) {
                let blanked = recover::blank(&current, statement.range.clone());
                let parsed = parse_text(&blanked, base);
                let reach = parsed.as_ref().map_or_else(local, |_| usize::MAX);
                if reach > at && best.as_ref().is_none_or(|best| reach > best.3) {
                    best = Some((statement, blanked, parsed, reach));
                }
            }
        }
        let Some((statement, blanked, parsed, _)) = best else {
            // Nothing to recover: the whole item is broken, with its first
            // syntax error (none if the scan reported one).
            let first = match scanned {
                Scanned::Clean => syntax_errors.into_iter().next().or(Some(diagnostic)),
                _ => None,
            };
            return ChunkResult::Broken(range, first);
        };
        syntax_errors.push(diagnostic);
        lost.push(lost_statement(&current, &statement, base));
        current = blanked.into();
        result = parsed;
    }
}

/// What a parser gives for a text of whole items.
type ParsedText = Result<(Vec<ast::Item>, Vec<Diagnostic>), Diagnostic>;

/// Parses `text`, at global byte `base`: by the fast parser, or where it
/// gives the text up, by pest.
fn parse_text(text: &str, base: usize) -> ParsedText {
    match fast::parse_items(text, base, parser::parse_interpolation) {
        Some(parsed) => Ok(parsed),
        None => parser::parse_items(text, base),
    }
}

/// The error node of a statement blanked out of `text` (at global byte
/// `base`): what it declares; for a row, the rows it names, and for the
/// cells of a row, the row's name before them.
fn lost_statement(text: &str, statement: &recover::Statement, base: usize) -> ast::Broken {
    let range = statement.range.clone();
    let written = &text[range.clone()];
    let mut lost = broken_item(written, base + range.start);
    // Not a top-level section: its title is not one of the report's.
    lost.title = None;
    let ident = |at: std::ops::Range<usize>, from: usize| {
        crate::span::Spanned::new(
            text[from + at.start..from + at.end].into(),
            crate::span::Span::new(base + from + at.start, base + from + at.end),
        )
    };
    if statement.kind == recover::Lost::Cells {
        let head = text[..range.start].trim_end();
        if let Some(name) = recover::row_names(head).last() {
            lost.declares.push(ident(name, 0));
        }
    }
    if statement.kind != recover::Lost::Statement {
        lost.declares
            .extend(recover::row_names(written).map(|at| ident(at, range.start)));
    }
    lost
}

/// One chunk of a file as each parser reads it, for the tests that hold
/// the fast parser to pest (`tests/parse.rs`, the fuzz test).
#[doc(hidden)]
#[derive(Debug)]
pub struct BothParsers {
    /// The chunk's global byte range.
    pub range: std::ops::Range<usize>,
    /// The fast parser's items and diagnostics; `None` where it gives the
    /// chunk up to pest.
    pub fast: Option<(Vec<ast::Item>, Vec<Diagnostic>)>,
    /// pest's items and the diagnostics of lowering them, or its syntax
    /// error.
    pub pest: Result<(Vec<ast::Item>, Vec<Diagnostic>), Diagnostic>,
}

/// Every chunk of `source` that the scan lets through to the parsers,
/// parsed by both.
#[doc(hidden)]
pub fn both_parsers(source: &SourceFile) -> Vec<BothParsers> {
    let text: &str = &source.text;
    let start = source.start();
    let scan = scan::scan(text);
    scan.chunks
        .into_iter()
        .filter(|chunk| {
            !scan
                .errors
                .iter()
                .any(|error| chunk.contains(&(error.span().start as usize)))
        })
        .map(|chunk| {
            let chunk_text = &text[chunk.clone()];
            let base = start + chunk.start;
            BothParsers {
                range: base..start + chunk.end,
                fast: fast::parse_items(chunk_text, base, parser::parse_interpolation),
                pest: parser::parse_items(chunk_text, base),
            }
        })
        .collect()
}

/// What a chunk that did not parse still declares; `text` starts at global
/// byte `base`.
fn broken_item(text: &str, base: usize) -> ast::Broken {
    let tokens: Vec<lex::Token> = lex::tokens(text)
        .filter(|token| !matches!(token.kind, lex::Kind::Space | lex::Kind::Comment))
        .collect();
    let ident = |token: &lex::Token| {
        crate::span::Spanned::new(
            text[token.start..token.end].into(),
            crate::span::Span::new(base + token.start, base + token.end),
        )
    };
    let is_name = |token: &lex::Token| {
        token.kind == lex::Kind::Word
            && text[token.start..].starts_with(|c: char| !c.is_ascii_digit())
    };
    let keyword = tokens.first().filter(|token| is_name(token)).map(ident);
    let title = match (&keyword, tokens.get(1)) {
        (Some(keyword), Some(token))
            if keyword.value == "section" && token.kind == lex::Kind::String =>
        {
            let quoted = &text[token.start..token.end];
            let block = quoted.starts_with("\"\"\"");
            let quotes = if block { 3 } else { 1 };
            let raw = quoted
                .get(quotes..quoted.len().saturating_sub(quotes))
                .unwrap_or_default();
            let string = literal::RawString {
                raw,
                offset: base + token.start + quotes,
                block,
            };
            Some(ast::Text {
                value: literal::text_value(string, &mut Vec::new()),
                span: crate::span::Span::new(base + token.start, base + token.end),
            })
        }
        _ => None,
    };
    let declares = tokens
        .windows(2)
        .filter(|pair| {
            is_name(&pair[0])
                && is_name(&pair[1])
                && ["let", "table", "form", "unit", "as"]
                    .contains(&&text[pair[0].start..pair[0].end])
        })
        .map(|pair| ident(&pair[1]))
        .collect();
    let words = tokens
        .iter()
        .filter(|token| is_name(token))
        .map(ident)
        .collect();
    ast::Broken {
        keyword,
        title,
        declares,
        words,
        span: crate::span::Span::new(base, base + text.len()),
    }
}

/// The closer of an opening `delimiter`.
fn closer_of(delimiter: char) -> char {
    match delimiter {
        '{' => '}',
        '[' => ']',
        _ => ')',
    }
}

fn lex_error(error: &LexError, start: usize) -> Diagnostic {
    let mut diagnostic = lex_error_local(error);
    for label in &mut diagnostic.labels {
        label.span = label.span.shifted(start);
    }
    diagnostic
}

fn lex_error_local(error: &LexError) -> Diagnostic {
    match error {
        LexError::UnterminatedString { open } => Diagnostic::new(
            Code::Unterminated,
            tr!("unterminated string"),
        )
        .primary(*open, tr!("this string is not closed on its line"))
        .help(tr!(
            "close it with `\"` on the same line, or use a `\"\"\"` block for text that spans lines"
        )),
        LexError::UnterminatedBlockString { open } => {
            Diagnostic::new(Code::Unterminated, tr!("unterminated `\"\"\"` block"))
                .primary(*open, tr!("this block is never closed"))
                .help(tr!("close it with `\"\"\"`"))
        }
        LexError::UnclosedDelimiter {
            open,
            delimiter,
            outer,
        } => {
            let closer = closer_of(*delimiter);
            let mut diagnostic = Diagnostic::new(
                Code::Unterminated,
                tr!("unclosed `{delimiter}`", delimiter = delimiter),
            )
            .primary(
                *open,
                tr!(
                    "this `{delimiter}` has no matching `{closer}`",
                    delimiter = delimiter,
                    closer = closer
                ),
            );
            for span in outer.iter().rev() {
                diagnostic = diagnostic.secondary(*span, tr!("inside this block"));
            }
            diagnostic
        }
        LexError::ClosedByOuter { open, delimiter } => {
            let closer = closer_of(*delimiter);
            Diagnostic::new(
                Code::Unterminated,
                tr!("unclosed `{delimiter}`", delimiter = delimiter),
            )
            .primary(
                *open,
                tr!(
                    "this `{delimiter}` has no matching `{closer}`",
                    delimiter = delimiter,
                    closer = closer
                ),
            )
        }
        LexError::UnexpectedCloser { at, delimiter } => Diagnostic::new(
            Code::SyntaxError,
            tr!("unexpected `{delimiter}`", delimiter = delimiter),
        )
        .primary(*at, tr!("nothing is open here")),
        LexError::TooDeep { at } => Diagnostic::new(
            Code::TooLarge,
            tr!(
                "nesting deeper than {value} levels",
                value = scan::MAX_NESTING
            ),
        )
        .primary(*at, tr!("too deep"))
        .note(tr!(
            "gdr limits the nesting of `{`, `[` and `(` so that no input can exhaust its stack"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Parsed {
        parse(&SourceFile::new("t.gdr", text))
    }

    fn codes(parsed: &Parsed) -> Vec<&'static str> {
        parsed.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    /// Each broken statement is its own error, after its item; up to
    /// `MAX_RECOVERIES`, then the item is broken as a whole, with its
    /// first error.
    #[test]
    fn an_item_recovers_from_each_broken_statement_up_to_a_bound() {
        let section = |broken: usize| {
            let mut text = String::from("section \"s\" {\n");
            for index in 0..broken {
                text.push_str(&format!("  let a{index} = 1 ~\n  let b{index} = 2\n"));
            }
            text.push_str("}\n");
            text
        };
        let parsed = parse_text(&section(3));
        assert_eq!(codes(&parsed), ["E0101"; 3]);
        let ast::Item::Section(kept) = &parsed.document.items[0] else {
            panic!("the section is kept: {:?}", parsed.document.items[0]);
        };
        assert_eq!(kept.items.len(), 3, "the three good lets");
        assert_eq!(
            parsed.document.items.len(),
            4,
            "and an error node per broken let"
        );
        assert_eq!(parsed.broken.len(), 3);

        let parsed = parse_text(&section(MAX_RECOVERIES + 1));
        assert_eq!(codes(&parsed), ["E0101"]);
        assert!(matches!(
            parsed.document.items.as_slice(),
            [ast::Item::Error(_)]
        ));
    }

    /// Parsing on several threads gives what parsing on one gives: the same
    /// items and diagnostics, in the same order.
    #[test]
    fn threads_do_not_change_the_result() {
        let mut text = String::from("report { title \"t\" agency \"a\" year 2020 }\n");
        for index in 0..300 {
            match index % 5 {
                0 => text.push_str(&format!("let a{index} = {index} 件\n")),
                1 => text.push_str(&format!(
                    "table t{index} {{ columns {{ a b }} rows {{ r [1, 2] }} }}\n"
                )),
                2 => text.push_str(&format!("let b{index} = = 1\n")),
                3 => text.push_str(&format!(
                    "section \"s{index}\" {{ \"x {{a0}}\" check 1 == 1 }}\n"
                )),
                _ => text.push_str(&format!("check a0 == 0 件 @ {index}\n")),
            }
        }
        let scan = scan::scan(&text);
        assert!(scan.chunks.len() > 100, "{} chunks", scan.chunks.len());
        let chunks: Vec<_> = scan
            .chunks
            .into_iter()
            .map(|chunk| (chunk, Scanned::Clean))
            .collect();
        let one = format!("{:?}", parse_chunks(&text, 7, &chunks, 1));
        for threads in [2, 3, 8] {
            assert_eq!(
                format!("{:?}", parse_chunks(&text, 7, &chunks, threads)),
                one
            );
        }
        assert!(one.contains("SyntaxError"), "the input has broken items");
    }
}
