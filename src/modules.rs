//! `use`: the built-in form libraries, library files and other reports.
//!
//! The library does no I/O: files are read through a [`Loader`] that the
//! caller supplies (`gdr` reads the file system; a test or an editor can
//! serve text from memory). Every file loaded joins the [`Sources`], so its
//! diagnostics and labels name it.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Sources};
use crate::span::Span;
use crate::syntax::{self, ast};

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
pub struct Library {
    /// `gov_disclosure_2019`, or the file's name.
    pub name: String,
    pub document: ast::Document,
    /// Whether it is one of [`BUILTINS`].
    pub builtin: bool,
}

/// Loads every library `document` uses, and theirs, in order. Diagnostics
/// for the `use`s themselves (E0206–E0208) and for the libraries' own
/// syntax go into `diagnostics`.
pub fn load_libraries(
    sources: &mut Sources,
    document: &ast::Document,
    loader: &dyn Loader,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Library> {
    let mut libraries = Vec::new();
    let mut stack = vec![sources.main().name.clone()];
    load_uses(
        sources,
        document,
        loader,
        diagnostics,
        &mut stack,
        None,
        &mut libraries,
    );
    libraries
}

fn load_uses(
    sources: &mut Sources,
    document: &ast::Document,
    loader: &dyn Loader,
    diagnostics: &mut Vec<Diagnostic>,
    stack: &mut Vec<String>,
    root_use: Option<Span>,
    libraries: &mut Vec<Library>,
) {
    for item in &document.items {
        let ast::Item::Use(use_) = item else {
            continue;
        };
        // Problems in used files are reported at the report's own `use`.
        let anchor = root_use.unwrap_or(use_.target.span());
        if let Some(alias) = &use_.alias {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownModule,
                    format!("using another report as `{}` is not supported yet", alias.value),
                )
                .primary(use_.span, "not supported yet")
                .note("gdr reads forms and units from libraries; reading another report's tables is planned"),
            );
            continue;
        }
        let (name, text, builtin) = match &use_.target {
            ast::UseTarget::Builtin(name) => match builtin(&name.value) {
                Some(text) => (name.value.clone(), text.to_string(), true),
                None => {
                    let mut diagnostic = Diagnostic::new(
                        Code::UnknownModule,
                        format!("unknown library `{}`", name.value),
                    )
                    .primary(name.span, "no library of this name");
                    let names = BUILTINS.iter().map(|(builtin, _)| *builtin);
                    diagnostic = match crate::check::suggest(&name.value, names) {
                        Some(close) => diagnostic.help(format!("did you mean `{close}`?")),
                        None => diagnostic.help("the built-in libraries are `gov_disclosure_2019` and `gov_disclosure_2021`"),
                    };
                    diagnostics.push(diagnostic);
                    continue;
                }
            },
            ast::UseTarget::Path(path) => {
                let from = stack.last().cloned().unwrap_or_default();
                match loader.load(&from, &path.value) {
                    Ok((name, text)) => (name, text, false),
                    Err(error) => {
                        let mut diagnostic = load_error(anchor, &path.value, error);
                        if root_use.is_some() {
                            diagnostic = diagnostic.secondary(path.span, "used here");
                        }
                        diagnostics.push(diagnostic);
                        continue;
                    }
                }
            }
        };
        if let Some(position) = stack.iter().position(|entry| *entry == name) {
            let mut cycle: Vec<String> = stack[position..]
                .iter()
                .map(|entry| format!("`{entry}`"))
                .collect();
            cycle.push(format!("`{name}`"));
            let mut diagnostic = Diagnostic::new(
                Code::UseCycle,
                format!("cycle among `use`s: {}", cycle.join(" → ")),
            )
            .primary(anchor, "this `use` leads into the cycle");
            if root_use.is_some() {
                diagnostic = diagnostic.secondary(use_.target.span(), "the cycle closes here");
            }
            diagnostics.push(diagnostic.help("move what both files need into a third library"));
            continue;
        }
        if libraries
            .iter()
            .any(|library: &Library| library.name == name)
        {
            continue;
        }
        let index = sources.add(SourceFile::new(display_name(&name, builtin), text));
        let parsed = syntax::parse(sources.get(index));
        diagnostics.extend(parsed.diagnostics);
        stack.push(name.clone());
        load_uses(
            sources,
            &parsed.document,
            loader,
            diagnostics,
            stack,
            Some(anchor),
            libraries,
        );
        stack.pop();
        libraries.push(Library {
            name,
            document: parsed.document,
            builtin,
        });
    }
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
        LoadError::NotFound(why) => Diagnostic::new(Code::UnknownModule, format!("cannot use `{path}`"))
            .primary(span, "no such file")
            .note(why),
        LoadError::OutsideProject(root) => Diagnostic::new(
            Code::UseOutsideProject,
            format!("`{path}` is outside the project"),
        )
        .primary(span, "leaves the project")
        .note(format!("the project root is `{root}`"))
        .help("a report may use files in its own directory and the directories above it, up to the project root (the nearest directory with `gdr.toml`)"),
    }
}
