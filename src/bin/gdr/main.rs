//! The `gdr` command line: reads files (through `gdr::project`), calls the
//! library, prints diagnostics and chooses the exit status. All printing of
//! gdr happens in this binary, one module per command.
//!
//! Exit status: 0 success (warnings allowed unless `--deny-warnings`),
//! 1 the input has errors, 2 usage or I/O problems.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gdr::diagnostics::Lang;

mod audit;
mod build;
mod check;
mod explain;
mod fmt;
mod import;
mod input;
mod lsp;
mod new;
mod options;
mod output;
#[cfg(feature = "pdf")]
mod pdf;
mod pool;
mod serve;
mod watch;

#[derive(Parser)]
#[command(
    name = "gdr",
    version,
    about = "A compiler for .gdr government information disclosure reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of messages: `zh` or `en` (default: `GDR_LANG`, then
    /// the locale).
    #[arg(long, global = true)]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports and print diagnostics.
    Check(check::Args),
    /// Check a report, then render it to Markdown, HTML, JSON and Typst, or PDF.
    Build(build::Args),
    /// Format reports in the canonical layout (comments kept).
    Fmt(fmt::Args),
    /// Run the language server on standard input and output.
    Lsp,
    /// Write a new report to fill in, from a form library.
    New(new::Args),
    /// Import a published report (its HTML page, .docx or text) as a .gdr file.
    Import(import::Args),
    /// Check many published reports (.gdr files, saved pages, their text) and list their problems.
    Audit(audit::Args),
    /// Open the report studio in the browser: edit, check, preview and save the reports of a folder.
    Serve(serve::Args),
    /// Print the long explanation of a diagnostic code, e.g. `gdr explain E0401`.
    Explain(explain::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let lang = Lang::choose(cli.lang.as_deref(), |name| std::env::var(name).ok());
    match cli.command {
        Command::Check(args) => check::run(args, lang),
        Command::Build(args) => build::run(args, lang),
        Command::Explain(args) => explain::run(&args, lang),
        Command::Fmt(args) => fmt::run(&args, lang),
        Command::Lsp => match lsp::run(lang) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => output::fail(&gdr::diagnostics::Text::plain(message), lang),
        },
        Command::New(args) => new::run(&args, lang),
        Command::Import(args) => import::run(&args, lang),
        Command::Audit(args) => audit::run(&args, lang),
        Command::Serve(args) => serve::run(&args, lang),
    }
}
