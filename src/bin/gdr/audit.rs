//! `gdr audit`: checks every report found under the paths named (`.gdr`
//! files as `gdr check` does, published pages imported in memory), several
//! at once on the worker pool, and prints one line per report and the
//! totals, or JSON, CSV or one HTML page (`gdr::audit`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gdr::audit::{self, Entry, Format, Wants};
use gdr::diagnostics::{Lang, Text};
use gdr::tr;

use crate::output::{fail, write_atomically};

/// The arguments of `gdr audit` (its description is the doc comment of `Command::Audit`).
#[derive(clap::Args)]
pub struct Args {
    /// The reports: files, and directories searched through for `.gdr`,
    /// `.html`, `.htm`, `.docx`, `.txt` and `.md` files (and `.pdf`,
    /// `.doc` and `.wps`, which gdr cannot read and says so).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// Write the output to this file (replacing it) and print the table
    /// on standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
    Html,
}

/// The extensions of the files a directory is searched for.
const EXTENSIONS: [&str; 9] = [
    "gdr", "html", "htm", "docx", "txt", "md", "pdf", "doc", "wps",
];

/// From how many reports a terminal shows a progress bar.
const PROGRESS_FROM: usize = 20;

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let format = match args.format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Html => Format::Html,
    };
    let mut status = 0u8;
    let skip = args
        .output
        .as_deref()
        .and_then(|path| path.canonicalize().ok());
    let mut files = Vec::new();
    for path in &args.paths {
        match find(path, skip.as_deref()) {
            Ok(found) => files.extend(found),
            Err(message) => {
                fail(&message, lang);
                status = 2;
            }
        }
    }
    if files.is_empty() && status == 0 {
        let message = tr!(
            "no reports found: gdr audit looks for .gdr, .html, .htm, .docx, .txt and .md files"
        );
        return fail(&message, lang);
    }
    let wants = Wants {
        // The page shows the reports; JSON names the cells of the findings
        // and keeps no report.
        report: matches!(format, Format::Html),
        places: matches!(format, Format::Json),
        compile: crate::input::options_for(files.len()),
    };
    let bar = (files.len() >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    });
    // Every entry is kept: the table aligns its columns over all of them.
    let mut entries = Vec::new();
    crate::pool::for_each_in_order(
        &files,
        |path| {
            let result = audit_file(path, wants);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            result
        },
        |_, result| match result
            .unwrap_or_else(|| Err(tr!("the check of this file did not finish")))
        {
            Ok(entry) => entries.push(entry),
            Err(message) => {
                fail(&message, lang);
                status = 2;
            }
        },
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let text = audit::write(&entries, format, lang);
    let mut stdout = std::io::stdout().lock();
    // Write errors on standard output (a closed pipe) are ignored: there
    // is nobody to tell.
    match &args.output {
        Some(path) => {
            if let Err(message) = write_atomically(&[(path.clone(), text)]) {
                return fail(&message, lang);
            }
            let _ = stdout.write_all(audit::write(&entries, Format::Table, lang).as_bytes());
            let message = tr!("wrote {path}", path = path.display().to_string());
            eprintln!("{}", message.render(lang));
        }
        None => {
            let _ = stdout.write_all(text.as_bytes());
        }
    }
    if status == 0 && entries.iter().any(|entry| entry.errors > 0) {
        status = 1;
    }
    ExitCode::from(status)
}

/// Reads and audits one file; `Err` is a message for an I/O problem.
fn audit_file(path: &Path, wants: Wants) -> Result<Entry, Text> {
    let bytes = gdr::project::read_source(path).map_err(|error| {
        tr!(
            "cannot read `{path}`: {error}",
            path = path.display().to_string(),
            error = error.to_string()
        )
    })?;
    let loader = gdr::project::FileLoader::for_input(path);
    Ok(audit::audit(
        &path.display().to_string(),
        &bytes,
        &loader,
        wants,
    ))
}

/// The files to audit under `path`: the file itself, or the files with one
/// of [`EXTENSIONS`] below a directory (not in hidden ones, and not `skip`,
/// the output), sorted.
fn find(path: &Path, skip: Option<&Path>) -> Result<Vec<PathBuf>, Text> {
    let metadata = std::fs::metadata(path).map_err(|error| {
        tr!(
            "cannot read `{path}`: {error}",
            path = path.display().to_string(),
            error = error.to_string()
        )
    })?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    // A link back to a directory above is followed once.
    let mut seen = std::collections::HashSet::new();
    while let Some(directory) = stack.pop() {
        if !seen.insert(
            directory
                .canonicalize()
                .unwrap_or_else(|_| directory.clone()),
        ) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let entry = entry.path();
            if entry.is_dir() {
                stack.push(entry);
            } else if entry.extension().is_some_and(|extension| {
                let extension = extension.to_string_lossy().to_ascii_lowercase();
                EXTENSIONS.contains(&extension.as_str())
            }) && (skip.is_none() || entry.canonicalize().ok().as_deref() != skip)
            {
                found.push(entry);
            }
        }
    }
    found.sort();
    Ok(found)
}
