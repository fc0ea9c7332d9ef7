//! `gdr new`: writes a report to fill in, from a form library
//! (`gdr::scaffold`), without overwriting a file.

use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::Lang;
use gdr::tr;

use crate::output::{fail, write_new};

/// The form library of a new report unless another is asked for.
pub const DEFAULT_FORM: &str = "gov_disclosure_2021";

/// The arguments of `gdr new` (its description is the doc comment of `Command::New`).
#[derive(clap::Args)]
pub struct Args {
    /// The form library: `gov_disclosure_2021` or `gov_disclosure_2019`.
    #[arg(long, default_value = DEFAULT_FORM)]
    form: String,
    /// The year the report covers (default: last year).
    #[arg(long)]
    year: Option<i32>,
    /// The file to create; an existing file is not overwritten.
    path: PathBuf,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let path = args.path.as_path();
    let year = args.year.unwrap_or_else(|| current_year() - 1);
    let text = match scaffold(&args.form, year) {
        Ok(text) => text,
        Err(message) => return fail(&message, lang),
    };
    match write_new(path, &text) {
        Ok(()) => {
            let message = tr!(
                "wrote {path}: fill it in, then run `gdr check {path}`",
                path = path.display().to_string()
            );
            eprintln!("{}", message.render(lang));
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message, lang),
    }
}

/// A new report on the form library `form` for `year`, or why not (`gdr
/// new`, and the studio's form).
pub fn scaffold(form: &str, year: i32) -> Result<String, gdr::diagnostics::Text> {
    gdr::scaffold::new_report(form, year).map_err(|error| match error {
        gdr::scaffold::ScaffoldError::UnknownLibrary(name) => {
            let names: Vec<&str> = gdr::modules::BUILTINS
                .iter()
                .map(|(name, _)| *name)
                .collect();
            tr!(
                "unknown form library `{name}`; the libraries are {names}",
                name = name,
                names = names.join(", ")
            )
        }
    })
}

/// The current year (UTC), from the system clock.
pub fn current_year() -> i32 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    // Days to a civil date (Howard Hinnant's algorithm), year only.
    let days = (seconds / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400 + i64::from(month_index >= 10);
    i32::try_from(year).unwrap_or(2025)
}
