//! The files a command reads: the `.gdr` files below the directories named,
//! and one file read (`gdr::project`) and compiled.

use std::path::{Path, PathBuf};

use gdr::diagnostics::Text;
use gdr::{Diagnostic, Severity};

use crate::options::OutputOptions;

/// A file read and compiled.
pub struct Checked {
    /// The report model, when asked for and the file could be decoded.
    pub report: Option<gdr::model::Report>,
    pub sources: gdr::Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    /// The report's tables and checks.
    pub counts: gdr::Counts,
}

impl Checked {
    /// 0, or 1 when the file has errors (or warnings under `--deny-warnings`).
    pub fn status(&self, options: &OutputOptions) -> u8 {
        u8::from(self.errors > 0 || (options.deny_warnings && self.warnings > 0))
    }
}

/// What [`compile_file`] is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The diagnostics only (`gdr check`).
    Check,
    /// The diagnostics and the report model (`gdr build`).
    Build,
}

/// How to compile one of `files` files: a file alone may parse on every
/// core; several are already compiled one per core (the worker pool).
pub fn options_for(files: usize) -> gdr::Options {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    gdr::Options {
        parse_threads: if files == 1 { cores } else { 1 },
        ..gdr::Options::default()
    }
}

/// Reads and compiles `path`; `Err` is a message for an I/O problem.
pub fn compile_file(path: &Path, purpose: Purpose, options: gdr::Options) -> Result<Checked, Text> {
    let (source, not_utf8) = gdr::project::read_source_file(path)?;
    let (report, diagnostics, sources, counts) = match not_utf8 {
        Some(diagnostic) => (
            None,
            vec![diagnostic],
            gdr::Sources::new(source),
            gdr::Counts::default(),
        ),
        None => {
            let loader = gdr::project::FileLoader::for_input(path);
            match purpose {
                Purpose::Check => {
                    let (diagnostics, sources, counts) =
                        gdr::check_with_options(&source, &loader, options);
                    (None, diagnostics, sources, counts)
                }
                Purpose::Build => {
                    let compilation = gdr::compile_with_options(&source, &loader, options);
                    let report = Some(compilation.report);
                    (
                        report,
                        compilation.diagnostics,
                        compilation.sources,
                        compilation.counts,
                    )
                }
            }
        }
    };
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    Ok(Checked {
        report,
        sources,
        diagnostics,
        errors,
        warnings,
        counts,
    })
}

/// The `.gdr` files named: files as given, directories searched through.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let entry = entry.path();
                    if entry.is_dir() {
                        stack.push(entry);
                    } else if entry.extension().is_some_and(|ext| ext == "gdr") {
                        found.push(entry);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}
