//! Parsing: source text to [`ast::Document`].
//!
//! The file is first scanned (`scan.rs`) for strings, comments and brackets
//! and cut into chunks of whole top-level items; each chunk is then parsed
//! by pest (`parser.rs`) and lowered to the AST (`lower.rs`). A syntax error
//! in one chunk does not hide the errors of the others.

pub mod ast;
mod lower;
mod parser;
pub mod scan;

use crate::tr;
use pest::Parser;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::SourceFile;
use parser::{GdrParser, Rule};
use scan::LexError;

/// The result of parsing a file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The items that parsed.
    pub document: ast::Document,
    pub diagnostics: Vec<Diagnostic>,
    /// Global byte ranges of the chunks that did not parse.
    pub broken: Vec<std::ops::Range<usize>>,
}

/// Parses a whole file. Always returns a document (possibly missing the
/// items that did not parse) together with the syntax diagnostics.
pub(crate) use scan::is_word_char;

pub fn parse(source: &SourceFile) -> Parsed {
    let text = source.text.as_str();
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
    for chunk in scan.chunks {
        let first_at_or_after = error_starts.partition_point(|&at| at < chunk.start);
        let broken = error_starts
            .get(first_at_or_after)
            .is_some_and(|&at| at < chunk.end);
        if broken {
            broken_chunks.push(start + chunk.start..start + chunk.end);
            continue;
        }
        let chunk_text = &text[chunk.clone()];
        // Deeply nested input is rejected by the scan, so the recursion in
        // pest and in lowering stays shallow; grow the stack anyway for
        // callers on small thread stacks.
        let parsed = stacker::maybe_grow(256 * 1024, 8 * 1024 * 1024, || {
            GdrParser::parse(Rule::file, chunk_text)
        });
        match parsed {
            Ok(pairs) => {
                let mut lowerer = lower::Lowerer {
                    base: start + chunk.start,
                    diagnostics: Vec::new(),
                };
                items.extend(lowerer.lower_file(pairs));
                diagnostics.append(&mut lowerer.diagnostics);
            }
            Err(error) => {
                diagnostics.push(parser::syntax_error(
                    &error,
                    chunk_text,
                    start + chunk.start,
                ));
                broken_chunks.push(start + chunk.start..start + chunk.end);
            }
        }
    }
    Parsed {
        document: ast::Document { items },
        diagnostics,
        broken: broken_chunks,
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
            let closer = match delimiter {
                '{' => '}',
                '[' => ']',
                _ => ')',
            };
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
