//! A diagnostic as an editor shows it: its one message (notes and help on
//! the lines below) and its place in the report, for every front end
//! (`gdr lsp`, `gdr serve`).

use crate::diagnostics::Lang;
use crate::span::Span;
use crate::{Compilation, Diagnostic};

/// The message of `diagnostic` in `lang`, then each note and help on a line
/// of its own.
pub fn message(diagnostic: &Diagnostic, lang: Lang) -> String {
    let mut message = diagnostic.message.render(lang);
    for extra in diagnostic.notes.iter().chain(&diagnostic.help) {
        message.push('\n');
        message.push_str(&extra.render(lang));
    }
    message
}

/// Whether `span` is in the report itself (rather than in a file it uses).
pub fn in_report(compilation: &Compilation, span: Span) -> bool {
    (span.start as usize) <= compilation.sources.main().end()
}

/// The span of `diagnostic` in the report, if its primary label is there.
pub fn report_span(compilation: &Compilation, diagnostic: &Diagnostic) -> Option<Span> {
    diagnostic
        .span()
        .filter(|span| in_report(compilation, *span))
}
