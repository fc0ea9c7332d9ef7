//! `gdr fmt`: rewrites reports in the canonical layout (`gdr::format`), or
//! with `--check` prints the diff.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::Lang;

use crate::input::expand;
use crate::output::{fail, write_atomically};

/// The arguments of `gdr fmt` (its description is the doc comment of `Command::Fmt`).
#[derive(clap::Args)]
pub struct Args {
    /// Print a diff and exit with 1 where a file is not formatted,
    /// instead of writing it.
    #[arg(long)]
    check: bool,
    /// The `.gdr` files or directories to format.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let mut status = 0u8;
    for path in expand(&args.files) {
        let text = match gdr::project::read_text(&path) {
            Ok(text) => text,
            Err(message) => {
                fail(&message, lang);
                status = 2;
                continue;
            }
        };
        let formatted = gdr::format::format(&text);
        if formatted == text {
            continue;
        }
        if args.check {
            let name = path.display().to_string();
            let diff = similar::TextDiff::from_lines(&text, &formatted);
            let unified = diff
                .unified_diff()
                .header(&name, &format!("{name} (formatted)"))
                .to_string();
            let _ = std::io::stdout().lock().write_all(unified.as_bytes());
            status = status.max(1);
        } else if let Err(message) = write_atomically(&[(path.clone(), formatted)]) {
            fail(&message, lang);
            status = 2;
        }
    }
    ExitCode::from(status)
}
