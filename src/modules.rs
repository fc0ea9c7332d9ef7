//! `use`: the built-in form libraries, library files and other reports.
//!
//! The library does no I/O: files are read through a [`Loader`] that the
//! caller supplies (`gdr` reads the file system; a test or an editor can
//! serve text from memory). Every file loaded joins the [`Sources`], so its
//! diagnostics and labels name it.

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Text};
use crate::source::{SourceFile, Sources};
use crate::span::{FileId, Span};
use crate::syntax::{self, ast};
use crate::tr;
use std::sync::{Arc, OnceLock};

/// The form libraries shipped inside gdr: name and source.
pub const BUILTINS: [(&str, &str); 2] = [
    (
        "gov_disclosure_2019",
        include_str!("libraries/gov_disclosure_2019.gdr"),
    ),
    (
        "gov_disclosure_2021",
        include_str!("libraries/gov_disclosure_2021.gdr"),
    ),
];

/// A built-in library, parsed once per process (when first used) at its own
/// file id (the one after the report's, in the order of [`BUILTINS`]), so
/// that every compilation shares its file and its tree.
fn parsed_builtin(index: usize) -> &'static (SourceFile, Arc<ast::Document>) {
    static PARSED: [OnceLock<(SourceFile, Arc<ast::Document>)>; BUILTINS.len()] =
        [const { OnceLock::new() }; BUILTINS.len()];
    PARSED[index].get_or_init(|| {
        let (name, text) = BUILTINS[index];
        let id = FileId(1 + index as u32);
        let file = SourceFile::new(display_name(name, true), text).at(id);
        let document = syntax::parse(&file).document;
        (file, Arc::new(document))
    })
}

/// The syntax tree of the built-in library `name`, parsed once per process
/// (shared with every compilation that uses it).
pub(crate) fn builtin_document(name: &str) -> Option<&'static ast::Document> {
    let index = BUILTINS.iter().position(|(builtin, _)| *builtin == name)?;
    Some(&parsed_builtin(index).1)
}

/// The source of a built-in library.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .find(|(builtin, _)| *builtin == name)
        .map(|(_, text)| *text)
}

/// Reads the files that `use "…"` names.
pub trait Loader {
    /// Reads `path`, written in the file named `from`. Returns the file's
    /// name (as diagnostics should show it) and its text.
    fn load(&self, from: &str, path: &str) -> Result<(String, String), LoadError>;
}

/// Why a file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// E0206: no such file, or it cannot be read; the text says why.
    NotFound(String),
    /// E0208: the path leaves the project; the text names the root.
    OutsideProject(String),
}

/// A loader that has no files: only the built-in libraries can be used.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl Loader for NoFiles {
    fn load(&self, _from: &str, path: &str) -> Result<(String, String), LoadError> {
        Err(LoadError::NotFound(format!(
            "no file `{path}` is available here"
        )))
    }
}

/// A library a report uses: its forms and units are imported unqualified;
/// its top-level sections are the sections a report must have (W0104).
#[derive(Debug)]
pub(crate) struct Library {
    /// `gov_disclosure_2019`, or the file's name.
    pub name: String,
    pub document: Arc<ast::Document>,
    /// For a built-in library, the other version of its format.
    pub other_version: Option<OtherVersion>,
}

/// The other version of a built-in format (`gov_disclosure_2019` for
/// `gov_disclosure_2021`), whose row names a report may still use. Its
/// leaf rows are listed only when first asked for: only an unknown row
/// name needs them.
#[derive(Debug)]
pub(crate) struct OtherVersion {
    pub name: &'static str,
    /// Its index in [`BUILTINS`].
    index: usize,
    /// The leaf rows of each form, in order.
    leaf_rows: OnceCell<HashMap<String, Vec<String>>>,
}

impl OtherVersion {
    /// The other version of built-in library `name`: the other built-in
    /// library of the same format (the same name but for the year).
    fn of(name: &str) -> Option<OtherVersion> {
        let format = |name: &str| name.rsplit_once('_').map(|(format, _)| format.to_string());
        let index = BUILTINS
            .iter()
            .position(|(other, _)| *other != name && format(other) == format(name))?;
        Some(OtherVersion {
            name: BUILTINS[index].0,
            index,
            leaf_rows: OnceCell::new(),
        })
    }

    /// The leaf rows of form `form` in this version, in order.
    pub fn leaf_rows(&self, form: &str) -> Option<&[String]> {
        let forms = self.leaf_rows.get_or_init(|| {
            parsed_builtin(self.index)
                .1
                .items
                .iter()
                .filter_map(|item| match item {
                    ast::Item::Form(form) => Some((form.name.value.to_string(), leaf_rows(form))),
                    _ => None,
                })
                .collect()
        });
        forms.get(form).map(Vec::as_slice)
    }
}

/// The names of a form's leaf rows, in order.
pub(crate) fn leaf_rows(table: &ast::Table) -> Vec<String> {
    fn walk(entries: &[ast::RowEntry], out: &mut Vec<String>) {
        for entry in entries {
            match &entry.kind {
                ast::RowKind::Group(children) => walk(children, out),
                ast::RowKind::Leaf { .. } => out.push(entry.name.value.to_string()),
            }
        }
    }
    let mut out = Vec::new();
    if let Some((_, entries)) = table.rows.first() {
        walk(entries, &mut out);
    }
    out
}

impl Library {
    /// The titles of the sections a report using this library must have.
    pub fn required_sections(&self) -> Vec<&str> {
        section_titles(&self.document)
    }
}

/// The titles of a document's top-level sections.
pub(crate) fn section_titles(document: &ast::Document) -> Vec<&str> {
    document
        .items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Section(section) => Some(section.title.value.as_str()),
            // A section that did not parse is there, not missing.
            ast::Item::Error(broken) => broken.title.as_ref().map(|title| title.value.as_str()),
            _ => None,
        })
        .collect()
}

/// Another report, used `as` an alias, with what it exports (`E`: the
/// checker's exports, which this module only passes on).
#[derive(Debug)]
pub(crate) struct UsedReport<E> {
    pub alias: ast::Ident,
    pub exports: E,
}

/// What a report uses.
#[derive(Debug)]
pub(crate) struct Used<E> {
    pub libraries: Vec<Library>,
    pub reports: Vec<UsedReport<E>>,
}

impl<E> Default for Used<E> {
    fn default() -> Self {
        Used {
            libraries: Vec::new(),
            reports: Vec::new(),
        }
    }
}

/// Compiles a used report: its file name and text, and the chain of files
/// that led to it (for E0207). Returns the compilation and what the report
/// exports.
pub(crate) type CompileReport<'l, E> =
    dyn FnMut(&str, String, &mut Vec<String>) -> (crate::Compilation, E) + 'l;

/// Loads every library `document` uses, and theirs, in order, and compiles
/// the reports it uses `as` an alias. Diagnostics for the `use`s themselves
/// (E0206–E0208), for the libraries' own syntax, and one note per used
/// report that has problems of its own go into `diagnostics`. `stack` is
/// the chain of reports that led here, this one last.
pub(crate) fn load<E>(
    sources: &mut Sources,
    document: &ast::Document,
    loader: &dyn Loader,
    diagnostics: &mut Vec<Diagnostic>,
    stack: &mut Vec<String>,
    compile_report: &mut CompileReport<'_, E>,
) -> Used<E> {
    let mut used = Used::default();
    let mut context = Context {
        loader,
        diagnostics,
        stack,
        compile_report,
    };
    load_uses(sources, document, &mut context, None, &mut used);
    used
}

struct Context<'c, 'l, E> {
    loader: &'c dyn Loader,
    diagnostics: &'c mut Vec<Diagnostic>,
    stack: &'c mut Vec<String>,
    compile_report: &'c mut CompileReport<'l, E>,
}

/// Loads the `use`s of `document`; `root_use` is the report's own `use`
/// that led to this library, where problems inside it are reported.
fn load_uses<E>(
    sources: &mut Sources,
    document: &ast::Document,
    context: &mut Context<'_, '_, E>,
    root_use: Option<Span>,
    used: &mut Used<E>,
) {
    for item in &document.items {
        let ast::Item::Use(use_) = item else {
            continue;
        };
        let anchor = root_use.unwrap_or(use_.target.span());
        if let Some(alias) = &use_.alias {
            if root_use.is_some() {
                context.diagnostics.push(
                    Diagnostic::new(Code::UnknownModule, tr!("a library cannot use a report"))
                        .primary(anchor, tr!("the library used here"))
                        .secondary(alias.span, tr!("uses a report as an alias"))
                        .help(tr!("only a report uses other reports `as` aliases")),
                );
            } else {
                use_report(context, use_, alias, used);
            }
            continue;
        }
        let (name, text, builtin) = match &use_.target {
            ast::UseTarget::Builtin(name) => {
                match BUILTINS
                    .iter()
                    .position(|(builtin, _)| *builtin == name.value)
                {
                    Some(index) => (name.value.to_string(), String::new(), Some(index)),
                    None => {
                        context.diagnostics.push(unknown_library(name));
                        continue;
                    }
                }
            }
            ast::UseTarget::Path(path) => {
                let from = context.stack.last().cloned().unwrap_or_default();
                match context.loader.load(&from, &path.value) {
                    Ok((name, text)) => (name, text, None),
                    Err(error) => {
                        let mut diagnostic = load_error(anchor, &path.value, error);
                        if root_use.is_some() {
                            diagnostic = diagnostic.secondary(path.span, tr!("used here"));
                        }
                        context.diagnostics.push(diagnostic);
                        continue;
                    }
                }
            }
        };
        let closes = root_use.map(|_| use_.target.span());
        if let Some(diagnostic) = cycle(context.stack, &name, anchor, closes) {
            context.diagnostics.push(diagnostic);
            continue;
        }
        if used.libraries.iter().any(|library| library.name == name) {
            continue;
        }
        let document = match builtin {
            Some(index) => {
                let (file, document) = parsed_builtin(index);
                sources.add_placed(file);
                Arc::clone(document)
            }
            None => {
                let Some(index) = sources.add(SourceFile::new(display_name(&name, false), text))
                else {
                    context.diagnostics.push(too_many_files(anchor));
                    continue;
                };
                let parsed = syntax::parse(sources.get(index));
                context.diagnostics.extend(parsed.diagnostics);
                Arc::new(parsed.document)
            }
        };
        context.stack.push(name.clone());
        load_uses(sources, &document, context, Some(anchor), used);
        context.stack.pop();
        let other_version = builtin.and_then(|_| OtherVersion::of(&name));
        used.libraries.push(Library {
            name,
            document,
            other_version,
        });
    }
}

/// E0104: the compilation has as many files as it may.
fn too_many_files(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TooLarge,
        tr!(
            "a report may read at most {limit} files, with the ones they use",
            limit = crate::limits::MAX_FILES
        ),
    )
    .primary(at, tr!("one file too many"))
    .help(tr!("use fewer files: gather small libraries into one"))
}

fn unknown_library(name: &ast::Ident) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::UnknownModule,
        tr!("unknown library `{name}`", name = name.value),
    )
    .primary(name.span, tr!("no library of this name"));
    let names = BUILTINS.iter().map(|(builtin, _)| *builtin);
    match crate::diagnostics::suggest::suggest(&name.value, names) {
        Some(close) => diagnostic.help(tr!("did you mean `{close}`?", close = close)),
        None => diagnostic.help(tr!(
            "the built-in libraries are `gov_disclosure_2019` and `gov_disclosure_2021`"
        )),
    }
}

/// Compiles the report used as `alias`.
fn use_report<E>(
    context: &mut Context<'_, '_, E>,
    use_: &ast::Use,
    alias: &ast::Ident,
    used: &mut Used<E>,
) {
    let ast::UseTarget::Path(path) = &use_.target else {
        context.diagnostics.push(
            Diagnostic::new(
                Code::UnknownModule,
                tr!("a built-in library is not a report"),
            )
            .primary(
                alias.span,
                tr!("only another report can be used `as` an alias"),
            )
            .help(tr!(
                "write `use gov_disclosure_2021` without `as` to use a library"
            )),
        );
        return;
    };
    let from = context.stack.last().cloned().unwrap_or_default();
    let (name, text) = match context.loader.load(&from, &path.value) {
        Ok(loaded) => loaded,
        Err(error) => {
            context
                .diagnostics
                .push(load_error(path.span, &path.value, error));
            return;
        }
    };
    if let Some(diagnostic) = cycle(context.stack, &name, path.span, None) {
        context.diagnostics.push(diagnostic);
        return;
    }
    context.stack.push(name.clone());
    let (compilation, exports) = (context.compile_report)(&name, text, context.stack);
    context.stack.pop();
    let errors = compilation.count(crate::Severity::Error);
    let warnings = compilation.count(crate::Severity::Warning);
    if errors + warnings > 0 {
        context.diagnostics.push(
            Diagnostic::new(
                Code::UnknownModule,
                tr!("`{name}`, used as `{alias}`, has {errors} error(s) and {warnings} warning(s) of its own", name = name, alias = alias.value, errors = errors, warnings = warnings),
            )
            .with_severity(crate::Severity::Note)
            .primary(path.span, tr!("its values may be wrong"))
            .help(tr!("run `gdr check {name}`", name = name)),
        );
    }
    used.reports.push(UsedReport {
        alias: alias.clone(),
        exports,
    });
}

/// E0207 when `name` is already in the chain of uses.
fn cycle(stack: &[String], name: &str, span: Span, closes: Option<Span>) -> Option<Diagnostic> {
    let position = stack.iter().position(|entry| entry == name)?;
    let mut chain: Vec<String> = stack[position..]
        .iter()
        .map(|entry| format!("`{entry}`"))
        .collect();
    chain.push(format!("`{name}`"));
    let mut diagnostic = Diagnostic::new(
        Code::UseCycle,
        tr!("cycle among `use`s: {chain}", chain = chain.join(" → ")),
    )
    .primary(span, tr!("this `use` leads into the cycle"));
    if let Some(closes) = closes {
        diagnostic = diagnostic.secondary(closes, tr!("the cycle closes here"));
    }
    Some(diagnostic.help(tr!("move what both files need into a third library")))
}

/// How a library's file is named in diagnostics.
fn display_name(name: &str, builtin: bool) -> String {
    if builtin {
        format!("<gdr>/{name}.gdr")
    } else {
        name.to_string()
    }
}

fn load_error(span: Span, path: &str, error: LoadError) -> Diagnostic {
    match error {
        LoadError::NotFound(why) => Diagnostic::new(Code::UnknownModule, tr!("cannot use `{path}`", path = path))
            .primary(span, tr!("no such file"))
            .note(Text::plain(why)),
        LoadError::OutsideProject(root) => Diagnostic::new(
            Code::UseOutsideProject,
            tr!("`{path}` is outside the project", path = path),
        )
        .primary(span, tr!("leaves the project"))
        .note(tr!("the project root is `{root}`", root = root))
        .help(tr!("a report may use files in its own directory and the directories above it, up to the project root (the nearest directory with `gdr.toml`)")),
    }
}
