//! `gdr import`: a published report (its text as pasted from a browser) →
//! a `.gdr` source on a built-in form library, in `gdr fmt` form.
//!
//! Two stages, so that other inputs (HTML, .docx, Markdown tables) need
//! only a reader of their own:
//!
//! - a reader turns the input into a neutral [`document::Document`]:
//!   title lines, headings (`一、`, `（一）`), paragraphs and tables as grids
//!   of cell strings, each with its line number ([`text::read`] reads plain
//!   text pasted from a browser);
//! - [`map::to_gdr`] maps that document onto a form library by labels, not
//!   positions ([`label::normalize`]), and prints the report through
//!   [`crate::syntax::print::Printer`].
//!
//! Pure: no I/O. What the page lacks is reported as [`Warning`]s (and as a
//! comment in the output), never invented.

pub mod document;
pub mod forms;
pub mod label;
pub mod map;
pub mod text;

/// What kind of file the bytes are, as far as the importer cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Plain text (UTF-8): what `gdr import` reads.
    Text,
    /// An HTML page: not yet supported.
    Html,
    /// A PDF file.
    Pdf,
    /// A Word document (.doc or .docx) or another office file.
    Office,
    /// Anything else that is not text.
    Binary,
}

/// Tells the kind of the input from its first bytes.
pub fn sniff(bytes: &[u8]) -> InputKind {
    if bytes.starts_with(b"%PDF") {
        return InputKind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return InputKind::Office;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0)
        || std::str::from_utf8(head).is_err() && std::str::from_utf8(bytes).is_err()
    {
        return InputKind::Binary;
    }
    let start = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return InputKind::Html;
    }
    InputKind::Text
}

/// Something the import could not carry over, or had to guess.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The line of the input it concerns (1-based), if any.
    pub line: Option<usize>,
    pub message: crate::diagnostics::Text,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The `.gdr` source, in `gdr fmt` form.
    pub source: String,
    /// The form library it uses.
    pub library: &'static str,
    pub warnings: Vec<Warning>,
}

/// Imports plain text pasted from a browser; `library` forces the form
/// library (`gov_disclosure_2019` or `gov_disclosure_2021`), otherwise it is
/// decided by the labels of the tables.
pub fn import_text(
    input: &str,
    library: Option<&str>,
) -> Result<Imported, crate::diagnostics::Text> {
    let document = text::read(input);
    map::to_gdr(&document, library)
}
