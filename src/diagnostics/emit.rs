//! Turning diagnostics into text. The only module that uses
//! codespan-reporting.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::source::{SourceFile, Sources};
use crate::span::Span;

/// rustc-style text, with ANSI colours when `color` is set.
pub fn human(sources: &Sources, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut files = SimpleFiles::new();
    for file in sources.files() {
        files.add(file.name.as_str(), file.text.as_str());
    }
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let cs_diagnostic = to_codespan(sources, diagnostic);
        let rendered = if color {
            let mut buffer = termcolor::Buffer::ansi();
            term::emit_to_write_style(&mut buffer, &config, &files, &cs_diagnostic)
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &files, &cs_diagnostic)
        };
        // Spans are produced from this same file, so emitting cannot fail;
        // fall back to the short form rather than lose the diagnostic.
        match rendered {
            Ok(text) => out.push_str(&text),
            Err(_) => out.push_str(&short(sources, std::slice::from_ref(diagnostic))),
        }
    }
    out
}

/// One line per diagnostic: `FILE:LINE:COL: error[E0401]: message`.
pub fn short(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (file, position) = locate(sources, diagnostic.span());
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            file.name,
            position.line,
            position.column,
            diagnostic.severity.as_str(),
            diagnostic.code.as_str(),
            diagnostic.message
        ));
    }
    out
}

/// One JSON object per diagnostic per line (LANGUAGE.md §7).
pub fn json(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (file, position) = locate(sources, diagnostic.span());
        let record = JsonDiagnostic {
            severity: diagnostic.severity.as_str(),
            code: diagnostic.code.as_str(),
            message: &diagnostic.message,
            file: &file.name,
            line: position.line,
            column: position.column,
            end_line: position.end_line,
            end_column: position.end_column,
            labels: diagnostic
                .labels
                .iter()
                .map(|label| {
                    let (file, position) = locate(sources, Some(label.span));
                    JsonLabel {
                        file: &file.name,
                        line: position.line,
                        column: position.column,
                        end_line: position.end_line,
                        end_column: position.end_column,
                        primary: label.primary,
                        message: &label.message,
                    }
                })
                .collect(),
            notes: &diagnostic.notes,
            help: &diagnostic.help,
        };
        // Serialising plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&record).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=E0401::…`.
pub fn github(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (file, position) = locate(sources, diagnostic.span());
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut text = diagnostic.message.clone();
        for extra in diagnostic.notes.iter().chain(&diagnostic.help) {
            text.push('\n');
            text.push_str(extra);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            github_property(&file.name),
            position.line,
            position.column,
            position.end_line,
            position.end_column,
            diagnostic.code.as_str(),
            github_data(&text)
        ));
    }
    out
}

fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: &'a [String],
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    primary: bool,
    message: &'a str,
}

/// A span's 1-based start and end, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The file a span is in, and where in it the span starts and ends.
fn locate(sources: &Sources, span: Option<Span>) -> (&SourceFile, Position) {
    let span = span.unwrap_or_default();
    let file = sources.file_of(span.start as usize);
    (file, position_of(file, span))
}

/// Where `span` starts and ends in `file`.
pub fn position_of(file: &SourceFile, span: Span) -> Position {
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    Position {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn to_codespan(sources: &Sources, diagnostic: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let labels = diagnostic
        .labels
        .iter()
        .map(|label| {
            let index = sources.index_of(label.span.start as usize);
            let file = sources.get(index);
            let local =
                |offset: u32| (offset as usize).clamp(file.start(), file.end()) - file.start();
            let range = local(label.span.start)..local(label.span.end);
            let style = if label.primary {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, index, range).with_message(&label.message)
        })
        .collect();
    let notes = diagnostic
        .notes
        .iter()
        .map(|note| format!("note: {note}"))
        .chain(diagnostic.help.iter().map(|help| format!("help: {help}")))
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}
