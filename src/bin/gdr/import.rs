//! `gdr import`: a published report's text, as pasted from a browser, to a
//! `.gdr` report on a built-in form library (`gdr::import`). Writes the
//! file without overwriting one, or to standard output with `-o -`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::Lang;
use gdr::import::InputKind;
use gdr::tr;

use crate::output::{fail, write_new};

/// The arguments of `gdr import` (its description is the doc comment of `Command::Import`).
#[derive(clap::Args)]
pub struct Args {
    /// The report's text, as pasted from a browser (plain text, UTF-8).
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
    let extension = path
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match (gdr::import::sniff(&bytes), extension.as_str()) {
        (_, "pdf") => InputKind::Pdf,
        (_, "doc" | "docx" | "wps") => InputKind::Office,
        (InputKind::Text, "html" | "htm") => InputKind::Html,
        (kind, _) => kind,
    };
    let name = path.display().to_string();
    match kind {
        InputKind::Text => {}
        InputKind::Html => {
            let message = tr!(
                "`{path}` is an HTML page, which gdr import does not read yet: open it in a browser, select the report, copy it and paste it into a text file",
                path = name
            );
            return fail(&message, lang);
        }
        InputKind::Pdf | InputKind::Office | InputKind::Binary => {
            let message = tr!(
                "`{path}` is not plain text (a PDF, Word or other binary file): open the report's web page, save it as HTML, or copy its text into a UTF-8 text file and import that",
                path = name
            );
            return fail(&message, lang);
        }
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let message = tr!(
            "`{path}` is not valid UTF-8: save the text as UTF-8",
            path = name
        );
        return fail(&message, lang);
    };
    let imported = match gdr::import::import_text(&text, args.form.as_deref()) {
        Ok(imported) => imported,
        Err(message) => return fail(&message, lang),
    };
    let label = match lang {
        Lang::En => "warning",
        Lang::Zh => "警告",
    };
    for warning in &imported.warnings {
        match warning.line {
            Some(line) => eprintln!("{label}: {name}:{line}: {}", warning.message.render(lang)),
            None => eprintln!("{label}: {name}: {}", warning.message.render(lang)),
        }
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
