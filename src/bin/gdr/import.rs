//! `gdr import`: a published report (an HTML page, a .docx, its text) to a
//! `.gdr` report on a built-in form library (`gdr::import`). Writes the
//! file without overwriting one, or to standard output with `-o -`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::Lang;
use gdr::diagnostics::{Code, Severity, Text};
use gdr::tr;

use crate::output::{fail, write_new};

/// The arguments of `gdr import` (its description is the doc comment of `Command::Import`).
#[derive(clap::Args)]
pub struct Args {
    /// The published report: an HTML page saved from a portal, a Word
    /// .docx file, or its text (plain text as pasted from a browser, or
    /// Markdown).
    file: PathBuf,
    /// Where to write the report: a new file (never overwritten) or `-`
    /// for standard output (default: FILE with the extension `.gdr`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The form library: `gov_disclosure_2019` or `gov_disclosure_2021`
    /// (default: decided by the labels of the tables).
    #[arg(long)]
    form: Option<String>,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let path = args.file.as_path();
    let bytes = match gdr::project::read_source(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = tr!(
                "cannot read `{path}`: {error}",
                path = path.display().to_string(),
                error = error.to_string()
            );
            return fail(&message, lang);
        }
    };
    if bytes.len() > gdr::limits::MAX_FILE_BYTES {
        let message = tr!(
            "`{path}` is larger than {limit} bytes, the most gdr reads",
            path = path.display().to_string(),
            limit = gdr::limits::MAX_FILE_BYTES
        );
        return fail(&message, lang);
    }
    let name = path.display().to_string();
    let imported = match gdr::import::import(&bytes, &name, args.form.as_deref()) {
        Ok(imported) => imported,
        Err(failure) => {
            report(
                &name,
                failure.code,
                (failure.line, failure.column),
                &failure.message,
                lang,
            );
            return ExitCode::from(2);
        }
    };
    for warning in &imported.warnings {
        report(
            &name,
            warning.code,
            (warning.line, warning.column),
            &warning.message,
            lang,
        );
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| path.with_extension("gdr"));
    if output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        return match stdout.write_all(imported.source.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        };
    }
    match write_new(&output, &imported.source) {
        Ok(()) => {
            let message = tr!(
                "wrote {path} on {library}: compare it with the page, then run `gdr check {path}`",
                path = output.display().to_string(),
                library = imported.library
            );
            eprintln!("{}", message.render(lang));
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message, lang),
    }
}

/// One problem of the import, the way `gdr check --format short` prints
/// one: `error[E0601]: page.pdf: message`, with the line (and column)
/// where known.
fn report(name: &str, code: Code, at: (Option<usize>, Option<usize>), message: &Text, lang: Lang) {
    eprintln!("{}", problem_line(name, code, at, message, lang));
}

/// The line [`report`] prints (the studio shows it too).
pub fn problem_line(
    name: &str,
    code: Code,
    at: (Option<usize>, Option<usize>),
    message: &Text,
    lang: Lang,
) -> String {
    let severity = match (code.severity(), lang) {
        (Severity::Error, Lang::En) => "error",
        (Severity::Error, Lang::Zh) => "错误",
        (_, Lang::En) => "warning",
        (_, Lang::Zh) => "警告",
    };
    let code = code.as_str();
    let message = message.render(lang);
    match at {
        (Some(line), Some(column)) => {
            format!("{severity}[{code}]: {name}:{line}:{column}: {message}")
        }
        (Some(line), None) => format!("{severity}[{code}]: {name}:{line}: {message}"),
        _ => format!("{severity}[{code}]: {name}: {message}"),
    }
}
