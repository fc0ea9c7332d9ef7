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
            let _ = write!(stdout, "{}", for_terminal(code.explain(lang)));
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

/// The explanation as a terminal shows it: a Markdown link into the
/// repository (`[docs/language.md, “Cells”](../../../docs/language.md#cells)`)
/// becomes its text, which names the file and the section.
fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](../").and_then(|close| {
            let target = &after[close + 2..];
            target.find(')').map(|end| (close, close + 2 + end + 1))
        });
        match link {
            Some((close, end)) if !after[..close].contains(['[', ']', '\n']) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_into_the_repository_become_their_text() {
        assert_eq!(
            super::for_terminal(
                "See [docs/language.md, “Cells”](../../../docs/language.md#cells). `a[1]` [x](https://e.org)"
            ),
            "See docs/language.md, “Cells”. `a[1]` [x](https://e.org)"
        );
    }
}
