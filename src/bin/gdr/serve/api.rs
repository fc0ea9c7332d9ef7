//! The studio's JSON API: the files of the directory, opening and saving
//! one (with a version, so that a file changed on disk is not overwritten
//! silently), checking the editor's text (diagnostics, the human text
//! `gdr check` prints, the preview), hover, downloads, new reports and
//! imports of a published report's text.
//!
//! The checking is the one `gdr lsp` does: `gdr::compile_for_editor` with
//! the project's `FileLoader`, and `gdr::ide` for hover and for each
//! diagnostic's message and place.

use std::path::PathBuf;
use std::time::Instant;

use serde::Deserialize;
use serde_json::{Value, json};

use gdr::diagnostics::{Code, Lang, Text, emit};
use gdr::ide::{self, CompletionKind, Utf16Position};
use gdr::render::{self, Format};
use gdr::span::Span;
use gdr::{Compilation, Severity, SourceFile, tr};

use super::paths::{FolderLoader, Refusal, Root};
use super::ui;
use crate::options::FontOptions;
use crate::output::{summary, write_atomically, write_new};

/// The largest file the page sends to import: its base64 (4 bytes for 3)
/// and the JSON around it fit in [`super::BODY_LIMIT`].
const UPLOAD_LIMIT: usize = (super::BODY_LIMIT - 64 * 1024) / 4 * 3;

/// Headers an answer adds to the common ones.
type Headers = Vec<(&'static str, String)>;

/// An answer before the common headers are added.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Headers,
}

impl Reply {
    pub fn plain(status: u16, message: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: message.as_bytes().to_vec(),
            headers: Vec::new(),
        }
    }

    pub fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: value.to_string().into_bytes(),
            headers: Vec::new(),
        }
    }

    fn error(status: u16, message: &Text, lang: Lang) -> Reply {
        Reply::json(status, &json!({ "error": message.render(lang) }))
    }
}

/// The last compilation, kept for hover on the same text.
struct Compiled {
    path: String,
    text: String,
    compilation: Compilation,
}

pub struct Studio {
    root: Root,
    /// The language of the command line, for requests that name none.
    lang: Lang,
    last: Option<Compiled>,
    /// Where the PDF download finds its fonts (`--font-path`,
    /// `GDR_FONT_PATH`, the system's), as `gdr build -f pdf`.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    fonts: FontOptions,
}

/// A body that names a file and carries the editor's text.
#[derive(Deserialize)]
struct Source {
    path: String,
    text: String,
}

/// A body that names a position in the editor's text: a 0-based line and
/// UTF-16 character, as CodeMirror and the LSP count.
#[derive(Deserialize)]
struct At {
    #[serde(flatten)]
    source: Source,
    line: u32,
    character: u32,
}

impl Studio {
    pub fn new(root: Root, lang: Lang, fonts: FontOptions) -> Studio {
        Studio {
            root,
            lang,
            last: None,
            fonts,
        }
    }

    /// The language a request asks for, else the command line's.
    pub fn lang_of(&self, asked: Option<&str>) -> Lang {
        match asked {
            Some(asked) => Lang::choose(Some(asked), |_| None),
            None => self.lang,
        }
    }

    pub fn strings(&self, lang: Lang) -> Reply {
        Reply::json(200, &ui::strings(lang))
    }

    pub fn files(&self) -> Reply {
        let forms: Vec<&str> = gdr::modules::BUILTINS
            .iter()
            .map(|(name, _)| *name)
            .collect();
        Reply::json(
            200,
            &json!({
                "dir": self.root.dir().display().to_string(),
                "files": self.root.list(),
                "forms": forms,
                "form": crate::new::DEFAULT_FORM,
                "year": crate::new::current_year() - 1,
                "pdf": cfg!(feature = "pdf"),
                "upload_limit": UPLOAD_LIMIT,
            }),
        )
    }

    /// A file's text and version.
    pub fn open(&self, path: Option<&str>, lang: Lang) -> Reply {
        let resolved = match self.resolve(path, lang) {
            Ok(resolved) => resolved,
            Err(reply) => return reply,
        };
        match read(&resolved) {
            Ok((text, version)) => Reply::json(
                200,
                &json!({ "path": self.root.name_of(&resolved), "text": text, "version": version }),
            ),
            Err(message) => Reply::error(422, &message, lang),
        }
    }

    /// Saves the editor's text, unless the file changed on disk since the
    /// version the page loaded: then 409 with the text on disk.
    pub fn save(&self, path: Option<&str>, body: &[u8], lang: Lang) -> Reply {
        #[derive(Deserialize)]
        struct Save {
            text: String,
            version: String,
        }
        let Ok(save) = serde_json::from_slice::<Save>(body) else {
            return Reply::plain(400, "expected {\"text\", \"version\"}");
        };
        let resolved = match self.resolve(path, lang) {
            Ok(resolved) => resolved,
            Err(reply) => return reply,
        };
        if save.text.len() > gdr::limits::MAX_FILE_BYTES {
            return Reply::plain(413, "the text is too large");
        }
        match read(&resolved) {
            Ok((text, version)) if version != save.version => {
                return Reply::json(
                    409,
                    &json!({
                        "error": tr!("the file changed on disk since you opened it").render(lang),
                        "text": text,
                        "version": version,
                    }),
                );
            }
            Ok(_) => {}
            Err(message) => return Reply::error(422, &message, lang),
        }
        match write_atomically(&[(resolved, save.text.clone())]) {
            Ok(()) => Reply::json(200, &json!({ "version": version_of(save.text.as_bytes()) })),
            Err(message) => Reply::error(500, &message, lang),
        }
    }

    /// Checks the editor's text: the diagnostics with their places in the
    /// report and as `gdr check` prints them, the summary, and the preview
    /// (`null` while the text has syntax errors: the page keeps the last).
    pub fn check(&mut self, body: &[u8], lang: Lang) -> Reply {
        let started = Instant::now();
        let Ok(source) = serde_json::from_slice::<Source>(body) else {
            return Reply::plain(400, "expected {\"path\", \"text\"}");
        };
        let compiled = match self.compile(source, lang) {
            Ok(compiled) => compiled,
            Err(reply) => return reply,
        };
        let mut value = report(compiled, lang);
        let checked = started.elapsed();
        let preview = !value["syntax_errors"].as_bool().unwrap_or(true);
        if preview {
            let options = render::Options { draft: true };
            value["preview"] = Value::String(render::render_with(
                &compiled.compilation.report,
                Format::Html,
                options,
            ));
        }
        let mut reply = Reply::json(200, &value);
        // How long the server took, for the benchmark and the browser's
        // developer tools.
        reply.headers.push((
            "Server-Timing",
            format!(
                "check;dur={:.3}, total;dur={:.3}",
                checked.as_secs_f64() * 1000.0,
                started.elapsed().as_secs_f64() * 1000.0
            ),
        ));
        reply
    }

    /// What the name at a position is, as `gdr lsp` says on hover.
    pub fn hover(&mut self, body: &[u8], lang: Lang) -> Reply {
        let (compiled, offset) = match self.compile_at(body, lang) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        let compilation = &compiled.compilation;
        match ide::hover(compilation, offset, lang) {
            Some(hover) => Reply::json(
                200,
                &json!({ "text": hover.markdown, "range": range(compilation, hover.range) }),
            ),
            None => Reply::json(200, &Value::Null),
        }
    }

    /// What may be typed at a position, by context, as `gdr lsp` offers
    /// it: rows after `表.`, columns in `[`, names and formats in `{…}`.
    pub fn complete(&mut self, body: &[u8], lang: Lang) -> Reply {
        let (compiled, offset) = match self.compile_at(body, lang) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        let items: Vec<Value> = ide::completions(&compiled.compilation, offset)
            .into_iter()
            .map(|item| {
                let kind = match item.kind {
                    CompletionKind::Let => "variable",
                    CompletionKind::Table => "class",
                    CompletionKind::Row => "property",
                    CompletionKind::Column => "enum",
                    CompletionKind::Keyword => "keyword",
                    CompletionKind::Format => "constant",
                };
                json!({ "label": item.label, "type": kind, "detail": item.detail })
            })
            .collect();
        Reply::json(200, &Value::Array(items))
    }

    /// Where the name at a position is defined: in the report, or in
    /// another file of the folder that it uses (`null` for a built-in
    /// library, which has no file to open); on `use "…"`, that file.
    pub fn definition(&mut self, body: &[u8], lang: Lang) -> Reply {
        let root = self.root.clone();
        let (compiled, offset) = match self.compile_at(body, lang) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        let compilation = &compiled.compilation;
        let Some(definition) = ide::definition(compilation, offset) else {
            // `use "…"`: the file, if it is a report of the folder.
            let used = ide::used_path(compilation, offset).and_then(|used| {
                let from = compiled
                    .path
                    .rsplit_once('/')
                    .map_or("", |(folder, _)| folder);
                let joined = if from.is_empty() {
                    used
                } else {
                    format!("{from}/{used}")
                };
                root.existing(&joined).ok()
            });
            let start = json!({ "line": 0, "character": 0 });
            return Reply::json(
                200,
                &used.map_or(Value::Null, |path| {
                    json!({ "path": root.name_of(&path), "range": { "from": start, "to": start } })
                }),
            );
        };
        if definition.file == 0 {
            return Reply::json(
                200,
                &json!({ "path": compiled.path, "range": range(compilation, definition.span) }),
            );
        }
        // In another report of the folder (a built-in library has no file).
        let file = compilation.sources.get(definition.file);
        let Ok(path) = root.existing(&file.name) else {
            return Reply::json(200, &Value::Null);
        };
        let at = |offset: u32| {
            let position = ide::position::utf16_position(file, offset as usize);
            json!({ "line": position.line, "character": position.character })
        };
        Reply::json(
            200,
            &json!({
                "path": root.name_of(&path),
                "range": { "from": at(definition.span.start), "to": at(definition.span.end) },
            }),
        )
    }

    /// The editor's text rendered to one format, as `gdr build` writes it
    /// (and, like it, nothing for a report with errors).
    pub fn download(&mut self, body: &[u8], lang: Lang) -> Reply {
        #[derive(Deserialize)]
        struct Download {
            #[serde(flatten)]
            source: Source,
            format: String,
        }
        let Ok(download) = serde_json::from_slice::<Download>(body) else {
            return Reply::plain(400, "expected {\"path\", \"text\", \"format\"}");
        };
        let pdf = download.format == "pdf";
        let format = if pdf {
            Some(Format::Typst)
        } else {
            Format::ALL
                .into_iter()
                .find(|format| format.extension() == download.format)
        };
        let Some(format) = format else {
            return Reply::plain(400, "unknown format");
        };
        if pdf && !cfg!(feature = "pdf") {
            return Reply::error(422, &no_pdf(), lang);
        }
        let stem = download
            .source
            .path
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".gdr"))
            .unwrap_or("report")
            .to_string();
        let compiled = match self.compile(download.source, lang) {
            Ok(compiled) => compiled,
            Err(reply) => return reply,
        };
        let errors = compiled.compilation.count(Severity::Error);
        if errors > 0 {
            let message = tr!(
                "the report has {errors}: fix them, then download it",
                errors = summary(errors, 0)
            );
            return Reply::error(422, &message, lang);
        }
        let text = render::render(&compiled.compilation.report, format);
        let (extension, content_type, body, mut headers) = if pdf {
            match self.typeset(&text, lang) {
                Ok((bytes, headers)) => ("pdf", "application/pdf", bytes, headers),
                Err(reply) => return reply,
            }
        } else {
            let content_type = match format {
                Format::Html => "text/html; charset=utf-8",
                Format::Json => "application/json; charset=utf-8",
                Format::Markdown => "text/markdown; charset=utf-8",
                Format::Typst => "text/plain; charset=utf-8",
            };
            (
                format.extension(),
                content_type,
                text.into_bytes(),
                Vec::new(),
            )
        };
        let name = format!("{stem}.{extension}");
        headers.push((
            "Content-Disposition",
            format!(
                "attachment; filename=\"report.{extension}\"; filename*=UTF-8''{}",
                percent_encode(&name)
            ),
        ));
        Reply {
            status: 200,
            content_type,
            body,
            headers,
        }
    }

    /// The PDF of a report's Typst, typeset as `gdr build -f pdf` does;
    /// its warnings (characters no font has) in the header `Gdr-Warnings`,
    /// one per line, percent-encoded. `Err`: no Chinese font, or Typst
    /// failed, in words for the page.
    #[cfg(feature = "pdf")]
    fn typeset(&self, typ: &str, lang: Lang) -> Result<(Vec<u8>, Headers), Reply> {
        let typeset = crate::pdf::typeset(typ, &self.fonts)
            .map_err(|message| Reply::error(422, &message, lang))?;
        let mut headers = Vec::new();
        if !typeset.warnings.is_empty() {
            let warnings: Vec<String> = typeset
                .warnings
                .iter()
                .map(|warning| warning.render(lang))
                .collect();
            headers.push(("Gdr-Warnings", percent_encode(&warnings.join("\n"))));
        }
        Ok((typeset.pdf, headers))
    }

    /// Without the feature `download` refuses a PDF before this is reached.
    #[cfg(not(feature = "pdf"))]
    fn typeset(&self, _typ: &str, lang: Lang) -> Result<(Vec<u8>, Headers), Reply> {
        Err(Reply::error(422, &no_pdf(), lang))
    }

    /// A new report from a form library (`gdr new`), never over a file.
    pub fn create(&mut self, body: &[u8], lang: Lang) -> Reply {
        #[derive(Deserialize)]
        struct New {
            path: String,
            form: String,
            year: i32,
        }
        let Ok(new) = serde_json::from_slice::<New>(body) else {
            return Reply::plain(400, "expected {\"path\", \"form\", \"year\"}");
        };
        let target = match self.root.new_file(&new.path) {
            Ok(target) => target,
            Err(refusal) => return refused(refusal, &new.path, lang),
        };
        let text = match crate::new::scaffold(&new.form, new.year) {
            Ok(text) => text,
            Err(message) => return Reply::error(422, &message, lang),
        };
        match write_new(&target, &text) {
            Ok(()) => Reply::json(200, &json!({ "path": self.root.name_of(&target) })),
            Err(message) => Reply::error(500, &message, lang),
        }
    }

    /// A published report dropped on the page (an HTML page, a Word
    /// .docx, its text; base64 in `data`, or UTF-8 `text`) as a new `.gdr`
    /// file (`gdr import`), never over a file; with the importer's
    /// warnings, or its refusal (E0601, E0602), each with its code.
    pub fn import(&mut self, body: &[u8], lang: Lang) -> Reply {
        #[derive(Deserialize)]
        struct Import {
            path: String,
            /// The dropped file's name: its extension helps tell the kind.
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            data: Option<String>,
            #[serde(default)]
            text: Option<String>,
        }
        let Ok(import) = serde_json::from_slice::<Import>(body) else {
            return Reply::plain(400, "expected {\"path\", \"name\", \"data\"}");
        };
        let bytes = match (&import.data, import.text) {
            (Some(data), None) => match base64_decode(data) {
                Some(bytes) => bytes,
                None => return Reply::plain(400, "`data` is not base64"),
            },
            (None, Some(text)) => text.into_bytes(),
            _ => return Reply::plain(400, "expected one of `data` (base64) and `text`"),
        };
        let target = match self.root.new_file(&import.path) {
            Ok(target) => target,
            Err(refusal) => return refused(refusal, &import.path, lang),
        };
        let name = import.name.unwrap_or_else(|| import.path.clone());
        let problem = |code: Code, line: Option<usize>, column: Option<usize>, message: &Text| {
            json!({
                "code": code.as_str(),
                "line": line,
                "column": column,
                "message": message.render(lang),
                "human": crate::import::problem_line(&name, code, (line, column), message, lang),
            })
        };
        let imported = match gdr::import::import(&bytes, &name, None) {
            Ok(imported) => imported,
            Err(failure) => {
                let mut reply =
                    problem(failure.code, failure.line, failure.column, &failure.message);
                reply["error"] = reply["human"].clone();
                return Reply::json(422, &reply);
            }
        };
        let warnings: Vec<Value> = imported
            .warnings
            .iter()
            .map(|warning| problem(warning.code, warning.line, warning.column, &warning.message))
            .collect();
        match write_new(&target, &imported.source) {
            Ok(()) => Reply::json(
                200,
                &json!({
                    "path": self.root.name_of(&target),
                    "library": imported.library,
                    "warnings": warnings,
                }),
            ),
            Err(message) => Reply::error(500, &message, lang),
        }
    }

    /// Compiles the text of a position ([`At`]) and finds its byte offset.
    fn compile_at(&mut self, body: &[u8], lang: Lang) -> Result<(&Compiled, usize), Reply> {
        let Ok(at) = serde_json::from_slice::<At>(body) else {
            return Err(Reply::plain(
                400,
                "expected {\"path\", \"text\", \"line\", \"character\"}",
            ));
        };
        let compiled = self.compile(at.source, lang)?;
        let offset = ide::position::utf16_offset(
            compiled.compilation.sources.main(),
            Utf16Position {
                line: at.line,
                character: at.character,
            },
        );
        Ok((compiled, offset))
    }

    fn resolve(&self, path: Option<&str>, lang: Lang) -> Result<PathBuf, Reply> {
        let path = path.unwrap_or("");
        self.root
            .existing(path)
            .map_err(|refusal| refused(refusal, path, lang))
    }

    /// Compiles the editor's text of a file of the directory, or takes the
    /// last compilation when it is of the same text.
    fn compile(&mut self, source: Source, lang: Lang) -> Result<&Compiled, Reply> {
        let resolved = self.resolve(Some(&source.path), lang)?;
        let fresh = self
            .last
            .as_ref()
            .is_some_and(|last| last.path == source.path && last.text == source.text);
        if !fresh {
            let loader = FolderLoader::new(&self.root, &resolved);
            let file = SourceFile::new(source.path.clone(), source.text.as_str());
            let compilation = gdr::compile_for_editor(&file, &loader);
            self.last = Some(Compiled {
                path: source.path,
                text: source.text,
                compilation,
            });
        }
        self.last
            .as_ref()
            .ok_or_else(|| Reply::plain(500, "no compilation"))
    }
}

/// The check's answer, without the preview.
fn report(compiled: &Compiled, lang: Lang) -> Value {
    let compilation = &compiled.compilation;
    let sources = &compilation.sources;
    let diagnostics: Vec<Value> = compilation
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let place = ide::diagnostic::report_span(compilation, diagnostic)
                .map(|span| range(compilation, span));
            json!({
                "severity": diagnostic.severity.as_str(),
                "code": diagnostic.code.as_str(),
                "message": ide::diagnostic::message(diagnostic, lang),
                "range": place,
                "human": emit::human(sources, std::slice::from_ref(diagnostic), false, lang),
            })
        })
        .collect();
    let (errors, warnings) = (
        compilation.count(Severity::Error),
        compilation.count(Severity::Warning),
    );
    let syntax_errors = compilation.diagnostics.iter().any(|diagnostic| {
        diagnostic.severity == Severity::Error && diagnostic.code.as_str().starts_with("E01")
    });
    let summary = (errors + warnings > 0).then(|| {
        format!(
            "{}: {}",
            compiled.path,
            summary(errors, warnings).render(lang)
        )
    });
    json!({
        "errors": errors,
        "warnings": warnings,
        "summary": summary,
        "diagnostics": diagnostics,
        "syntax_errors": syntax_errors,
        "preview": Value::Null,
    })
}

/// A span of the report as the page counts: 0-based lines and UTF-16
/// characters (CodeMirror's, and the LSP's).
fn range(compilation: &Compilation, span: Span) -> Value {
    let main = compilation.sources.main();
    let at = |offset: u32| {
        let position = ide::position::utf16_position(main, offset as usize);
        json!({ "line": position.line, "character": position.character })
    };
    json!({ "from": at(span.start), "to": at(span.end) })
}

/// Why this gdr offers no PDF, in words for the page.
pub fn no_pdf() -> Text {
    tr!(
        "PDF needs a gdr built with PDF support (the cargo feature `pdf`); until then, download the HTML and print it to PDF from the browser, or download the Typst file and typeset it with `typst compile`"
    )
}

fn refused(refusal: Refusal, path: &str, lang: Lang) -> Reply {
    let (status, message) = match refusal {
        Refusal::Invalid => (
            400,
            tr!(
                "`{path}` is not the path of a .gdr file in this folder",
                path = path
            ),
        ),
        Refusal::Outside => (
            403,
            tr!("`{path}` is outside the studio's folder", path = path),
        ),
        Refusal::Missing => (404, tr!("`{path}` does not exist", path = path)),
        Refusal::Exists => (409, tr!("`{path}` exists already", path = path)),
    };
    Reply::error(status, &message, lang)
}

/// A file's text (without a byte order mark, which the editor would count
/// as a character) and the version of its bytes.
fn read(path: &std::path::Path) -> Result<(String, String), Text> {
    let bytes = gdr::project::read_source(path).map_err(|error| {
        tr!(
            "cannot read `{path}`: {error}",
            path = path.display().to_string(),
            error = error.to_string()
        )
    })?;
    let version = version_of(&bytes);
    let (file, not_utf8) = gdr::project::decode_source(path.display().to_string(), &bytes);
    if let Some(diagnostic) = not_utf8 {
        return Err(diagnostic.message);
    }
    Ok((file.text.to_string(), version))
}

/// The version of a file's bytes: their FNV-1a hash, in hex.
fn version_of(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}-{}", bytes.len())
}

/// `filename*` of a download: every byte but unreserved ones encoded.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Standard base64 (RFC 4648, with its padding), as the page's `btoa`
/// writes it; `None` for anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn value(byte: u8) -> Option<u32> {
        match byte {
            b'A'..=b'Z' => Some(u32::from(byte - b'A')),
            b'a'..=b'z' => Some(u32::from(byte - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(byte - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let chunks = bytes.chunks(4);
    let last = chunks.len().saturating_sub(1);
    for (index, chunk) in chunks.enumerate() {
        let padding = chunk.iter().rev().take_while(|&&byte| byte == b'=').count();
        if padding > 2 || (padding > 0 && index != last) {
            return None;
        }
        let mut group = 0u32;
        for &byte in &chunk[..4 - padding] {
            group = group << 6 | value(byte)?;
        }
        group <<= 6 * padding as u32;
        let decoded = group.to_be_bytes();
        out.extend_from_slice(&decoded[1..4 - padding]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn base64_is_read_strictly() {
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert_eq!(base64_decode("TQ==").as_deref(), Some(&b"M"[..]));
        assert_eq!(base64_decode("TWE=").as_deref(), Some(&b"Ma"[..]));
        assert_eq!(base64_decode("TWFu").as_deref(), Some(&b"Man"[..]));
        assert_eq!(
            base64_decode("5oql5ZGK+/8=").as_deref(),
            Some(&[0xE6, 0x8A, 0xA5, 0xE5, 0x91, 0x8A, 0xFB, 0xFF][..])
        );
        for bad in ["T", "TQ=", "TQ==TWFu", "T===", "TW!u", "TWFu\n", "5oql-_8="] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }
}
