//! `gdr check`: checks reports (directories searched through), several at
//! once on the worker pool, and prints their diagnostics; SARIF is one log
//! for every file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::emit;
use gdr::diagnostics::{Lang, Text};
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
    let mut worst = 0u8;
    let (mut errors, mut warnings) = (0, 0);
    let mut counts = gdr::Counts::default();
    // SARIF is one log for every file: only its results are kept.
    let mut sarif_results: Vec<Checked> = Vec::new();
    // One file: the process ends after it, so its syntax tree and the
    // checker's tables need not be freed. Several: each is freed, or
    // memory would grow with the folder.
    let compile_options = gdr::Options {
        forget_at_exit: files.len() == 1,
        ..crate::input::options_for(files.len())
    };
    crate::pool::for_each_in_order(
        &files,
        |path| compile_file(path, Purpose::Check, compile_options),
        |_, result| {
            let result =
                result.unwrap_or_else(|| Err(tr!("the check of this file did not finish")));
            match result {
                Ok(checked) => {
                    worst = worst.max(checked.status(&options));
                    errors += checked.errors;
                    warnings += checked.warnings;
                    counts.tables += checked.counts.tables;
                    counts.checks += checked.counts.checks;
                    if options.message_format == MessageFormat::Sarif {
                        sarif_results.push(checked);
                    } else {
                        print_diagnostics(&checked, &options);
                    }
                }
                Err(message) => {
                    fail(&message, options.lang);
                    worst = 2;
                }
            }
        },
    );
    let sarif_runs: Vec<(&gdr::Sources, &[Diagnostic])> = sarif_results
        .iter()
        .map(|checked| (&checked.sources, checked.diagnostics.as_slice()))
        .collect();
    if options.message_format == MessageFormat::Sarif {
        let sarif = emit::sarif(&sarif_runs, options.lang, env!("CARGO_PKG_VERSION"));
        let _ = std::io::stdout().lock().write_all(sarif.as_bytes());
    }
    if options.message_format == MessageFormat::Human {
        if worst == 0 {
            eprintln!(
                "{}",
                finished(files.len(), counts, warnings).render(options.lang)
            );
        } else if files.len() > 1 {
            let message = tr!(
                "checked {files} files: {summary}",
                files = files.len(),
                summary = summary(errors, warnings)
            );
            eprintln!("{}", message.render(options.lang));
        }
    }
    ExitCode::from(worst)
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
