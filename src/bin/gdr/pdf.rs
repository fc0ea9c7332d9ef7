//! `gdr build -f pdf`: the Typst output typeset to PDF in the process, by
//! the typst crates (the cargo feature `pdf`).
//!
//! The world Typst sees holds one file, the `.typ` text gdr rendered; it
//! reads no other file, has no packages and no date. Fonts are the
//! system's and those of `--font-path` / `GDR_FONT_PATH`, scanned once per
//! process. typst-assets carries no CJK font, so a report is never
//! typeset without one: that would be a PDF of empty boxes.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use gdr::diagnostics::Text;
use gdr::tr;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::options::FontOptions;

/// Characters of every report's title: a font that has them all is a
/// Chinese font.
const CHINESE: &str = "政府信息公开工作年度报告";

/// A typeset report: the PDF, and what the reader should know about it.
pub struct Typeset {
    pub pdf: Vec<u8>,
    pub warnings: Vec<Text>,
}

/// Typesets `typ`, the Typst output of a report, with the fonts `fonts`
/// names. `Err` is a message: no Chinese font, or Typst failed.
pub fn typeset(typ: &str, fonts: &FontOptions) -> Result<Typeset, Text> {
    let store = font_store(fonts);
    if !has_chinese(store.book()) {
        return Err(tr!(
            "no font with Chinese characters was found, and the PDF would show empty boxes; install one (such as Noto Serif CJK SC, Debian's `fonts-noto-cjk`) or name its directory with `--font-path DIR` or `GDR_FONT_PATH`"
        ));
    }
    let world = ReportWorld {
        library: library(),
        fonts: store,
        main: Source::new(main_id(), typ.to_string()),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|errors| typst_failed(&errors))?;
    // The template offers each face with fallbacks (`SimHei`, then
    // `Noto Sans CJK SC`, …): those that are absent are expected.
    let mut warnings: Vec<Text> = compiled
        .warnings
        .iter()
        .filter(|warning| !warning.message.starts_with("unknown font family"))
        .map(|warning| tr!("Typst: {message}", message = warning.message.to_string()))
        .collect();
    let missing = missing_characters(&document);
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|&c| format!("{c} (U+{:04X})", c as u32))
            .collect();
        warnings.push(tr!(
            "no font has {characters}: the PDF shows them as empty boxes; name a font that has them with `--font-path DIR`",
            characters = list.join(", ")
        ));
    }
    // No timestamp: the same report gives the same bytes.
    let options = typst_pdf::PdfOptions::default();
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| typst_failed(&errors))?;
    Ok(Typeset { pdf, warnings })
}

/// Typst rejected what gdr rendered: a bug in gdr, with Typst's words.
fn typst_failed(errors: &[SourceDiagnostic]) -> Text {
    let messages: Vec<String> = errors
        .iter()
        .filter(|error| error.severity == Severity::Error)
        .map(|error| error.message.to_string())
        .collect();
    tr!(
        "Typst could not typeset the report (a bug in gdr; please report it): {message}",
        message = messages.join("; ")
    )
}

/// Whether some font in `book` has every character of [`CHINESE`].
fn has_chinese(book: &FontBook) -> bool {
    book.families()
        .flat_map(|(_, indices)| indices)
        .filter_map(|index| book.info(index))
        .any(|info| CHINESE.chars().all(|c| info.coverage.contains(c as u32)))
}

/// The characters of `document` that no font had (Typst's empty boxes).
fn missing_characters(document: &PagedDocument) -> BTreeSet<char> {
    fn walk(frame: &Frame, out: &mut BTreeSet<char>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => {
                    for glyph in text.glyphs.iter().filter(|glyph| glyph.id == 0) {
                        let chars = text.text.get(glyph.range()).unwrap_or_default();
                        out.extend(chars.chars().filter(|c| !c.is_whitespace()));
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    for page in document.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// The fonts, scanned on first use (a process has one set of font
/// options; `--watch` typesets many times).
fn font_store(options: &FontOptions) -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        if !options.ignore_system_fonts {
            store.extend(typst_kit::fonts::system());
        }
        for directory in options.directories() {
            store.extend(typst_kit::fonts::scan(&directory));
        }
        store
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// The id of the one file, `/report.typ`.
fn main_id() -> FileId {
    let path = VirtualPath::new("report.typ").expect("a valid virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, path))
}

/// What Typst may read: the report's `.typ` text and the fonts.
struct ReportWorld {
    library: &'static LazyHash<Library>,
    fonts: &'static FontStore,
    main: Source,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.source(id)
            .map(|source| Bytes::from_string(source.text().to_string()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    /// No date: the output does not depend on the day it is made.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
