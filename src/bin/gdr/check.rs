//! `gdr check`: checks reports (directories searched through), several at
//! once on the worker pool, and prints their diagnostics; SARIF is one log
//! for every file.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::emit;
use gdr::diagnostics::{Code, Lang, Text};
use gdr::{Diagnostic, tr};

use crate::input::{Checked, Purpose, compile_file, expand};
use crate::options::{MessageFormat, OutputOptions};
use crate::output::{fail, print_diagnostics, summary};

/// The arguments of `gdr check` (its description is the doc comment of `Command::Check`).
#[derive(clap::Args)]
pub struct Args {
    /// The `.gdr` files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputOptions,
}

pub fn run(args: Args, lang: Lang) -> ExitCode {
    let options = OutputOptions {
        lang,
        ..args.output
    };
    let files = expand(&args.files);
    let mut tally = Tally::default();
    // One file: the process ends after it, so its syntax tree and the
    // checker's tables need not be freed. Several: each is freed, or
    // memory would grow with the folder.
    let compile_options = gdr::Options {
        forget_at_exit: files.len() == 1,
        ..crate::input::options_for(files.len())
    };
    // A file without a header that another file of the run uses is a
    // library, checked through the reports that use it: its results wait
    // until every file is checked, and are shown then only if none used it.
    let mut used: HashSet<PathBuf> = HashSet::new();
    let mut waiting: Vec<(&PathBuf, Checked)> = Vec::new();
    crate::pool::for_each_in_order(
        &files,
        |path| compile_file(path, Purpose::Check, compile_options),
        |index, result| {
            let result =
                result.unwrap_or_else(|| Err(tr!("the check of this file did not finish")));
            match result {
                Ok(checked) => {
                    used.extend(libraries_of(&checked.sources));
                    if files.len() > 1 && lacks_header(&checked) {
                        waiting.push((&files[index], checked));
                    } else {
                        tally.add(checked, &options);
                    }
                }
                Err(message) => {
                    fail(&message, options.lang);
                    tally.worst = 2;
                }
            }
        },
    );
    let mut libraries = Vec::new();
    for (path, checked) in waiting {
        if std::fs::canonicalize(path).is_ok_and(|path| used.contains(&path)) {
            libraries.push(path.display().to_string());
        } else {
            tally.add(checked, &options);
        }
    }
    let Tally {
        worst,
        errors,
        warnings,
        counts,
        sarif,
    } = tally;
    let sarif_runs: Vec<(&gdr::Sources, &[Diagnostic])> = sarif
        .iter()
        .map(|checked| (&checked.sources, checked.diagnostics.as_slice()))
        .collect();
    if options.message_format == MessageFormat::Sarif {
        let sarif = emit::sarif(&sarif_runs, options.lang, env!("CARGO_PKG_VERSION"));
        let _ = std::io::stdout().lock().write_all(sarif.as_bytes());
    }
    if options.message_format == MessageFormat::Human {
        let checked = files.len() - libraries.len();
        if !libraries.is_empty() {
            let message = tr!(
                "checked as libraries, through the reports that use them (they have no `report` header): {files}",
                files = libraries.join(", ")
            );
            eprintln!("{}", message.render(options.lang));
        }
        if worst == 0 {
            eprintln!(
                "{}",
                finished(checked, counts, warnings).render(options.lang)
            );
        } else if files.len() > 1 {
            let message = tr!(
                "checked {files} files: {summary}",
                files = checked,
                summary = summary(errors, warnings)
            );
            eprintln!("{}", message.render(options.lang));
        }
    }
    ExitCode::from(worst)
}

/// What the files checked so far add up to.
#[derive(Default)]
struct Tally {
    worst: u8,
    errors: usize,
    warnings: usize,
    counts: gdr::Counts,
    /// SARIF is one log for every file: only its results are kept.
    sarif: Vec<Checked>,
}

impl Tally {
    /// Counts a file's results and prints them (SARIF: keeps them).
    fn add(&mut self, checked: Checked, options: &OutputOptions) {
        self.worst = self.worst.max(checked.status(options));
        self.errors += checked.errors;
        self.warnings += checked.warnings;
        self.counts.tables += checked.counts.tables;
        self.counts.checks += checked.counts.checks;
        if options.message_format == MessageFormat::Sarif {
            self.sarif.push(checked);
        } else {
            print_diagnostics(&checked, options);
        }
    }
}

/// Whether a file's check says that it has no `report` header (E0501 on
/// its first line; a repeated header is reported where it repeats).
fn lacks_header(checked: &Checked) -> bool {
    checked.diagnostics.iter().any(|diagnostic| {
        diagnostic.code == Code::Header && diagnostic.span().is_some_and(|span| span.start == 0)
    })
}

/// The files on disk that a compilation used besides the report (built-in
/// libraries have none), as canonical paths.
fn libraries_of(sources: &gdr::Sources) -> impl Iterator<Item = PathBuf> + '_ {
    sources
        .files()
        .iter()
        .skip(1)
        .filter(|file| !file.name.starts_with("<gdr>/"))
        .filter_map(|file| std::fs::canonicalize(&file.name).ok())
}

/// The one line after a check that passed, like cargo's `Finished`:
/// "finished: 1 file, 3 tables, 12 checks, no warnings".
fn finished(files: usize, counts: gdr::Counts, warnings: usize) -> Text {
    let files = match files {
        1 => tr!("1 file"),
        count => tr!("{count} files", count = count),
    };
    let tables = match counts.tables {
        1 => tr!("1 table"),
        count => tr!("{count} tables", count = count),
    };
    let checks = match counts.checks {
        1 => tr!("1 check"),
        count => tr!("{count} checks", count = count),
    };
    let warnings = match warnings {
        0 => tr!("no warnings"),
        count => summary(0, count),
    };
    tr!(
        "finished: {files}, {tables}, {checks}, {warnings}",
        files = files,
        tables = tables,
        checks = checks,
        warnings = warnings
    )
}
