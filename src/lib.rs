//! `gdr`: a compiler for `.gdr` government information disclosure reports.
//!
//! The pipeline is `syntax` (parse) → `check` (names, units, arithmetic)
//! → `model` (the checked report) → renderers. [`compile`] runs it on one
//! source file; it does no I/O and never prints, so the same library serves
//! `gdr check` ([`check_with`], which skips the model), `gdr build` and an
//! editor.
//!
//! ```
//! let source = gdr::SourceFile::new("r.gdr", r#"
//! report { title "示例" agency "某局" year 2020 }
//! let 市长信箱 = 155 次
//! let 网民留言 = 329 次
//! check 市长信箱 + 网民留言 == 484 次
//! section "一、总体情况" { "共{市长信箱 + 网民留言}。" }
//! "#);
//! let compilation = gdr::compile(&source);
//! assert!(compilation.diagnostics.is_empty(), "{:?}", compilation.diagnostics);
//! let gdr::model::Block::Section { body, .. } = &compilation.report.body[0] else { panic!() };
//! assert!(matches!(&body[0], gdr::model::Block::Paragraph { text } if text == "共484次。"));
//! ```

// pest is built without its `std` feature, which probes the native stack on
// every rule entry (about a tenth of a check; docs/performance.md); the
// scan bounds nesting instead. Its derived parser then names `alloc`.
extern crate alloc;

pub mod audit;
mod check;
pub use check::{Counts, Symbol, SymbolInfo};
pub mod diagnostics;
pub mod format;
pub mod ide;
pub mod import;
pub mod model;
pub mod modules;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod source;
pub mod span;
pub mod syntax;
mod waivers;

pub use diagnostics::{Code, Diagnostic, Severity};
pub use source::{SourceFile, Sources};

/// The limits on input, so that no file can exhaust time or memory. Input
/// beyond them is E0104.
pub mod limits {
    /// The deepest nesting of `{`, `[` and `(`.
    pub use crate::syntax::scan::MAX_NESTING;
    /// The largest source file, in bytes: just under 64 MiB (a file's
    /// offsets are the low 26 bits of a span's, `span::FileId`).
    pub const MAX_FILE_BYTES: usize = (1 << 26) - 1;
    /// The most files one compilation may read: the report, the built-in
    /// libraries and the files it uses.
    pub const MAX_FILES: usize = crate::span::FileId::LIMIT;
    /// The most cells one table may have (rows × leaf columns).
    pub const MAX_TABLE_CELLS: usize = 2_000_000;
    /// The most cells all the tables of a report may have together.
    pub const MAX_TOTAL_CELLS: usize = 8_000_000;
}

/// The result of compiling one file.
#[derive(Debug)]
pub struct Compilation {
    /// The checked report. Meant for rendering only when there is no error.
    pub report: model::Report,
    /// Every diagnostic, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The files the diagnostics point into: the report first.
    pub sources: Sources,
    /// The names in the report and what they are, for editors; empty unless
    /// compiled by [`compile_for_editor`].
    pub symbols: Vec<check::Symbol>,
    /// How many tables and checks the report has, for a summary line.
    pub counts: Counts,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// How a compilation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The threads that may parse one large file, the calling thread
    /// included. 1 (the default) parses on the calling thread only; the
    /// library starts no thread of its own accord. Files under 128 KiB are
    /// parsed on the calling thread whatever this says.
    pub parse_threads: usize,
    /// Leaves the syntax tree and the checker's tables unfreed when the
    /// compilation ends (false by default). Only for a process that exits
    /// right after it, like `gdr check FILE`: freeing them is about a tenth
    /// of such a run, and the system takes the memory back at once.
    pub forget_at_exit: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            parse_threads: 1,
            forget_at_exit: false,
        }
    }
}

/// Parses and checks a source file that uses no files (the built-in
/// libraries are always available).
pub fn compile(source: &SourceFile) -> Compilation {
    compile_with(source, &modules::NoFiles)
}

/// Parses and checks a source file, reading the files it `use`s through
/// `loader`.
pub fn compile_with(source: &SourceFile, loader: &dyn modules::Loader) -> Compilation {
    compile_with_options(source, loader, Options::default())
}

/// [`compile_with`], run as `options` say.
pub fn compile_with_options(
    source: &SourceFile,
    loader: &dyn modules::Loader,
    options: Options,
) -> Compilation {
    compile_in_chain(source, loader, check::Wants::BUILD, options)
}

/// Parses and checks a source file for its diagnostics only, as `gdr check`
/// does: the same diagnostics as [`compile_with`], without building the
/// report model (whose tables of formatted cells cost time and memory in
/// proportion to the input). Returns the diagnostics, sorted by position,
/// and the files they point into.
pub fn check_with(source: &SourceFile, loader: &dyn modules::Loader) -> (Vec<Diagnostic>, Sources) {
    let (diagnostics, sources, _) = check_with_options(source, loader, Options::default());
    (diagnostics, sources)
}

/// [`check_with`], run as `options` say, and how many tables and checks
/// the report has (for `gdr check`'s summary line).
pub fn check_with_options(
    source: &SourceFile,
    loader: &dyn modules::Loader,
    options: Options,
) -> (Vec<Diagnostic>, Sources, Counts) {
    let compilation = compile_in_chain(source, loader, check::Wants::CHECK, options);
    if options.forget_at_exit {
        std::mem::forget(compilation.report);
    }
    (
        compilation.diagnostics,
        compilation.sources,
        compilation.counts,
    )
}

/// [`compile_with`], and also index the names of the report with what to
/// show on hover ([`Compilation::symbols`]), for editors. The index is
/// left out of the other entry points: it costs about a tenth of a check.
pub fn compile_for_editor(source: &SourceFile, loader: &dyn modules::Loader) -> Compilation {
    compile_in_chain(source, loader, check::Wants::EDITOR, Options::default())
}

/// Whether an editor should take `document` for a library opened on its
/// own rather than a report that lacks its header: it has no header, it
/// declares a form or a unit, and it has no table, instance, paragraph or
/// check, and no section with anything in it (a library's empty sections
/// are those a report using it must have). Such a file is checked as it
/// is, without E0501; `gdr check` of it alone still reports E0501.
fn is_library(document: &syntax::ast::Document) -> bool {
    use syntax::ast::Item;
    let mut declares = false;
    for item in &document.items {
        match item {
            Item::Form(_) | Item::Unit(_) => declares = true,
            Item::Section(section) if section.items.is_empty() => {}
            Item::Use(_) | Item::Let(_) | Item::Allow(_) | Item::Error(_) => {}
            Item::Header(_)
            | Item::Section(_)
            | Item::Paragraph(_)
            | Item::Check(_)
            | Item::Table(_)
            | Item::Instance(_) => return false,
        }
    }
    declares
}

/// Compiles `source`, building what `wants` asks for.
fn compile_in_chain(
    source: &SourceFile,
    loader: &dyn modules::Loader,
    wants: check::Wants,
    options: Options,
) -> Compilation {
    /// [`compile_in_chain`], and what the report exports to a report that
    /// uses it (empty unless `wants` asks for it).
    /// `stack` is the chain of reports that led to `source`, which it ends
    /// with.
    fn compile(
        source: &SourceFile,
        loader: &dyn modules::Loader,
        stack: &mut Vec<String>,
        wants: check::Wants,
        options: Options,
    ) -> (Compilation, check::Exports) {
        let mut sources = Sources::new(source.clone());
        if source.text.len() > limits::MAX_FILE_BYTES {
            let diagnostic = Diagnostic::new(
                Code::TooLarge,
                crate::tr!(
                    "the file is larger than {limit} bytes, the most gdr reads",
                    limit = limits::MAX_FILE_BYTES
                ),
            )
            .primary(span::Span::at(0), crate::tr!("this file is too large"))
            .help(crate::tr!(
                "split the report, or move tables into other reports used `as` aliases"
            ));
            let compilation = Compilation {
                report: model::Report::default(),
                diagnostics: vec![diagnostic],
                sources,
                symbols: Vec::new(),
                counts: check::Counts::default(),
            };
            return (compilation, check::Exports::default());
        }
        let mut parsed = syntax::parse_on(sources.main(), options.parse_threads);
        let mut compile_report = |name: &str, text: String, stack: &mut Vec<String>| {
            // A used report's tables and lets come from its exports.
            compile(
                &SourceFile::new(name, text),
                loader,
                stack,
                check::Wants::USED,
                options,
            )
        };
        let used = modules::load(
            &mut sources,
            &parsed.document,
            loader,
            &mut parsed.diagnostics,
            stack,
            &mut compile_report,
        );
        let (report, mut diagnostics, symbols, exports, counts) = check::check(
            &sources,
            &parsed.document,
            &used,
            wants,
            options.forget_at_exit,
        );
        let mut all = parsed.diagnostics;
        all.append(&mut diagnostics);
        if wants == check::Wants::EDITOR && is_library(&parsed.document) {
            // An editor showing a library on its own: no header is missing.
            all.retain(|diagnostic| diagnostic.code != Code::Header);
        }
        diagnostics::sort_and_dedup(&mut all);
        let mut report = report;
        report.waived = waivers::apply(&sources, &parsed.document, &mut all);
        if options.forget_at_exit {
            std::mem::forget(parsed.document);
            std::mem::forget(used);
        }
        let compilation = Compilation {
            report,
            diagnostics: all,
            sources,
            symbols,
            counts,
        };
        (compilation, exports)
    }
    compile(
        source,
        loader,
        &mut vec![source.name.clone()],
        wants,
        options,
    )
    .0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An editor shows a library opened on its own without E0501, and
    /// still its own errors; `gdr check` of it, and an editor showing a
    /// report that lacks its header, report E0501.
    #[test]
    fn an_editor_takes_a_headerless_file_of_forms_for_a_library() {
        let codes = |compilation: &Compilation| -> Vec<&str> {
            compilation
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic.code.as_str())
                .collect()
        };
        let library = SourceFile::new(
            "forms.gdr",
            r#"
unit 篇
section "一、总体情况" {}
form 甲 {
  columns { 数 }
  rows { 行 }
}
form 甲 {
  columns { 数 }
  rows { 行 }
}
"#,
        );
        let editor = compile_for_editor(&library, &modules::NoFiles);
        let header = Code::Header.as_str();
        assert!(!codes(&editor).contains(&header), "{:?}", codes(&editor));
        assert_eq!(
            codes(&editor),
            [Code::DuplicateName.as_str()],
            "its own error stays"
        );
        assert!(codes(&compile(&library)).contains(&header));
        let report = SourceFile::new("r.gdr", "section \"一、总体情况\" {\n  \"正文。\"\n}\n");
        assert!(codes(&compile_for_editor(&report, &modules::NoFiles)).contains(&header));
    }

    /// Leaving the tree and the checker's tables unfreed changes nothing
    /// that a check reports.
    #[test]
    fn forgetting_at_exit_reports_the_same() {
        let source = SourceFile::new(
            "r.gdr",
            r#"
report { title "示例" agency "某局" year 2020 }
let 甲 = 155 次
let 乙 = 329 次
check 甲 + 乙 == 485 次
table 申请 {
  unit 件
  columns { 自然人 法人 合计 = 自然人 + 法人 }
  rows {
    新收 [1, 2, 4]
    结转 [3, 4, 7]
    总计 [4, 6, 11] = 新收 + 结转
  }
}
"#,
        );
        let run = |forget_at_exit| {
            let options = Options {
                forget_at_exit,
                ..Options::default()
            };
            check_with_options(&source, &modules::NoFiles, options)
        };
        let (kept, _, kept_counts) = run(false);
        let (forgotten, _, forgotten_counts) = run(true);
        assert!(kept.iter().any(Diagnostic::is_error), "{kept:?}");
        assert_eq!(kept, forgotten);
        assert_eq!(kept_counts, forgotten_counts);
    }
}
