//! `gdr import`: a published report → a `.gdr` source on a built-in form
//! library, in `gdr fmt` form.
//!
//! Two stages, so that every kind of input needs only a reader of its own:
//!
//! - a reader turns the input into a neutral [`document::Document`]:
//!   title lines, headings (`一、`, `（一）`), paragraphs and tables as grids
//!   of cells (with their merges) and the line each was read from:
//!   [`text::read`] reads plain text pasted from a browser, [`html::read`]
//!   a page saved from a portal, [`docx::read`] a Word file and
//!   [`markdown::read`] Markdown pipe tables (what PDF-to-text tools give);
//! - [`map::to_gdr`] maps that document onto a form library by labels, not
//!   positions ([`label::normalize`]), and prints the report through
//!   [`crate::syntax::print::Printer`]; then [`prose::bound`] ties the
//!   figures the paragraphs restate to their cells with `expect`s.
//!
//! [`import`] tells the kind of input and runs both. Pure: no I/O. What the
//! page lacks, or has beyond the form, is reported as [`Warning`]s with
//! codes of their own (`W06xx`; and a comment in the output), never
//! invented or dropped silently; an input that cannot be imported is a
//! [`Failure`] (`E06xx`), and nothing is written.

pub mod document;
pub mod docx;
pub mod forms;
pub mod html;
pub mod label;
pub mod map;
pub mod markdown;
pub mod prose;
pub mod text;

use crate::diagnostics::{Code, Text};
use crate::tr;

/// What kind of file the bytes are, as far as the importer cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Plain text, as pasted from a browser.
    Text,
    /// Markdown with pipe tables.
    Markdown,
    /// An HTML page.
    Html,
    /// A Word `.docx` file.
    Docx,
    /// A PDF file.
    Pdf,
    /// A Word `.doc`, WPS or another office file gdr cannot read.
    Office,
    /// Anything else that is not text.
    Binary,
}

/// Tells the kind of the input from its first bytes.
pub fn sniff(bytes: &[u8]) -> InputKind {
    if bytes.starts_with(b"%PDF") {
        return InputKind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip archive: a .docx names its main part near the start.
        let head = &bytes[..bytes.len().min(64 * 1024)];
        return if head.windows(17).any(|w| w == b"word/document.xml")
            || head.windows(19).any(|w| w == b"[Content_Types].xml")
        {
            InputKind::Docx
        } else {
            InputKind::Office
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return InputKind::Office;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) && !utf16_bom(bytes) {
        return InputKind::Binary;
    }
    let start = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<?xml") && start.contains("<html")
        || start.starts_with("<head")
        || start.starts_with("<meta")
    {
        return InputKind::Html;
    }
    InputKind::Text
}

fn utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Something the import could not carry over, or had to guess.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// `W0601` (the page lacks a part of the form), `W0602` (the page has
    /// a part the form lacks) or `W0603` (read with a guess).
    pub code: Code,
    /// The line of the input it concerns (1-based), if any.
    pub line: Option<usize>,
    /// The column of that line (1-based, in characters), where the input
    /// has columns to give.
    pub column: Option<usize>,
    pub message: Text,
}

/// Why an input cannot be imported: nothing is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// `E0601` (an input gdr cannot read), `E0602` (no report in it) or
    /// `E0206` (an unknown form library was asked for).
    pub code: Code,
    /// The line of the input it concerns (1-based), if any.
    pub line: Option<usize>,
    /// The column of that line (1-based, in characters), if known.
    pub column: Option<usize>,
    pub message: Text,
}

impl Failure {
    /// An input gdr cannot read (E0601).
    pub fn unreadable(message: Text) -> Failure {
        Failure {
            code: Code::ImportUnreadable,
            line: None,
            column: None,
            message,
        }
    }
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

/// Imports a published report: `name` is the input's file name (its
/// extension helps tell the kind: `.md`, `.pdf`, `.doc` …); `library`
/// forces the form library (`gov_disclosure_2019` or
/// `gov_disclosure_2021`), otherwise the tables' labels decide it.
pub fn import(bytes: &[u8], name: &str, library: Option<&str>) -> Result<Imported, Failure> {
    if kind_of(bytes, name) == InputKind::Html {
        // A page says more than its text: its metadata.
        let page = html::read_page(bytes)?;
        let hints = map::Hints {
            published: page.published,
            agency: page.agency,
            warnings: page.warnings,
        };
        return map::to_gdr_with(&page.document, library, hints).map(prose::bound);
    }
    let document = read(bytes, name)?;
    map::to_gdr(&document, library).map(prose::bound)
}

/// The kind of an input by its content, and by its name where the content
/// cannot tell (`.md` is Markdown, `.pdf` and `.doc` are refused).
pub fn kind_of(bytes: &[u8], name: &str) -> InputKind {
    let extension = std::path::Path::new(name)
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match (sniff(bytes), extension.as_str()) {
        (InputKind::Text | InputKind::Binary, "pdf") => InputKind::Pdf,
        (InputKind::Text | InputKind::Binary, "doc" | "wps") => InputKind::Office,
        (InputKind::Office, "docx") => InputKind::Docx,
        (InputKind::Text, "html" | "htm" | "shtml" | "xhtml") => InputKind::Html,
        (InputKind::Text, "md" | "markdown") => InputKind::Markdown,
        (kind, _) => kind,
    }
}

/// The first stage: the input, read into the neutral document.
pub fn read(bytes: &[u8], name: &str) -> Result<document::Document, Failure> {
    match kind_of(bytes, name) {
        InputKind::Text => Ok(text::read(&utf8(bytes, name)?)),
        InputKind::Markdown => Ok(markdown::read(&utf8(bytes, name)?)),
        InputKind::Html => html::read(bytes),
        InputKind::Docx => docx::read(bytes),
        InputKind::Pdf => Err(Failure::unreadable(tr!(
            "`{path}` is a PDF, which gdr cannot read: open the report's web page and save it as HTML, or copy the report's text into a text file, and import that",
            path = name
        ))),
        InputKind::Office => Err(Failure::unreadable(tr!(
            "`{path}` is a Word .doc, WPS or other office file that gdr cannot read: save it as .docx (Word 2007 or later), or save the report's web page as HTML, and import that",
            path = name
        ))),
        InputKind::Binary => Err(Failure::unreadable(tr!(
            "`{path}` is not a report gdr can read: import an HTML page, a .docx file, or the report's text (plain text or Markdown)",
            path = name
        ))),
    }
}

/// Text input as a string: UTF-8 (with or without a BOM), else refused.
fn utf8(bytes: &[u8], name: &str) -> Result<String, Failure> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        Failure::unreadable(tr!(
            "`{path}` is not valid UTF-8: save the text as UTF-8",
            path = name
        ))
    })
}

/// Imports plain text pasted from a browser (see [`import`]).
pub fn import_text(input: &str, library: Option<&str>) -> Result<Imported, Failure> {
    map::to_gdr(&text::read(input), library).map(prose::bound)
}
