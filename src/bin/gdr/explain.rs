//! `gdr explain CODE`: the long explanation of a diagnostic code.

use std::io::Write;
use std::process::ExitCode;

use gdr::diagnostics::Lang;
use gdr::{Code, tr};

use crate::output::fail;

/// The arguments of `gdr explain` (its description is the doc comment of `Command::Explain`).
#[derive(clap::Args)]
pub struct Args {
    /// A code such as `E0401` or `W0102`.
    code: String,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let name = args.code.as_str();
    match Code::parse(name) {
        Some(code) => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{}\n", code.as_str());
            let _ = write!(stdout, "{}", code.explain(lang));
            ExitCode::SUCCESS
        }
        None => {
            let codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
            let message = tr!(
                "unknown diagnostic code `{name}`; the codes are {codes}",
                name = name,
                codes = codes.join(" ")
            );
            fail(&message, lang)
        }
    }
}
