//! The `gdr` command line: reads files, calls the library, prints
//! diagnostics and chooses the exit status. All I/O of gdr happens here.
//!
//! Exit status: 0 success (warnings allowed unless `--deny-warnings`),
//! 1 the input has errors, 2 usage or I/O problems.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use gdr::diagnostics::emit;
use gdr::render::{self, Format};
use gdr::{Code, Diagnostic, Severity, SourceFile};

#[derive(Parser)]
#[command(
    name = "gdr",
    version,
    about = "A compiler for .gdr government information disclosure reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports and print diagnostics.
    Check {
        /// The `.gdr` files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputOptions,
    },
    /// Check a report, then render it to Markdown, HTML, JSON and Typst.
    Build {
        /// The `.gdr` file to build.
        file: PathBuf,
        /// The format to write.
        #[arg(short, long, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        /// The output directory (default: the input's directory), or `-`
        /// for standard output (one format only).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        options: OutputOptions,
    },
    /// Write a new report to fill in, from a form library.
    New {
        /// The form library: `gov_disclosure_2021` or `gov_disclosure_2019`.
        #[arg(long, default_value = "gov_disclosure_2021")]
        form: String,
        /// The year the report covers (default: last year).
        #[arg(long)]
        year: Option<i32>,
        /// The file to create; an existing file is not overwritten.
        path: PathBuf,
    },
    /// Print the long explanation of a diagnostic code, e.g. `gdr explain E0401`.
    Explain {
        /// A code such as `E0401` or `W0102`.
        code: String,
    },
}

#[derive(clap::Args)]
struct OutputOptions {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// When to colour human output (`NO_COLOR` is honoured).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Exit with status 1 when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Md,
    Html,
    Json,
    Typst,
    All,
}

impl FormatArg {
    fn formats(self) -> Vec<Format> {
        match self {
            FormatArg::Md => vec![Format::Markdown],
            FormatArg::Html => vec![Format::Html],
            FormatArg::Json => vec![Format::Json],
            FormatArg::Typst => vec![Format::Typst],
            FormatArg::All => Format::ALL.to_vec(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check { files, output } => check(&files, &output),
        Command::Build {
            file,
            format,
            output,
            options,
        } => build(&file, format, output.as_deref(), &options),
        Command::Explain { code } => explain(&code),
        Command::New { form, year, path } => new(&form, year, &path),
    }
}

fn new(form: &str, year: Option<i32>, path: &Path) -> ExitCode {
    let year = year.unwrap_or_else(|| current_year() - 1);
    let text = match gdr::scaffold::new_report(form, year) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    match created {
        Ok(()) => {
            eprintln!(
                "wrote {}: fill it in, then run `gdr check {}`",
                path.display(),
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot create `{}`: {error}", path.display());
            ExitCode::from(2)
        }
    }
}

/// The current year (UTC), from the system clock.
fn current_year() -> i32 {
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

fn explain(name: &str) -> ExitCode {
    match Code::parse(name) {
        Some(code) => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{}: {}\n", code.as_str(), code.summary());
            let _ = write!(stdout, "{}", code.explanation());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: unknown diagnostic code `{name}`");
            let codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
            eprintln!("the codes are: {}", codes.join(" "));
            ExitCode::from(2)
        }
    }
}

/// A file read and compiled, its diagnostics printed.
struct Checked {
    compilation: Option<gdr::Compilation>,
    /// 0, or 1 when the file has errors (or warnings under `--deny-warnings`).
    status: u8,
}

/// Reads and compiles `path` and prints its diagnostics; `Err` is a
/// message for an I/O problem.
fn compile_file(path: &Path, options: &OutputOptions) -> Result<Checked, String> {
    let bytes = std::fs::read(path)
        .map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
    let (source, invalid_at) = SourceFile::from_bytes(path.display().to_string(), &bytes);
    let (compilation, diagnostics, sources) = match invalid_at {
        Some(offset) => (
            None,
            vec![
                Diagnostic::new(Code::SyntaxError, "the file is not valid UTF-8")
                    .primary(
                        gdr::span::Span::new(offset, offset + '\u{fffd}'.len_utf8()),
                        "invalid bytes here",
                    )
                    .help("save the file as UTF-8"),
            ],
            gdr::Sources::new(source),
        ),
        None => {
            let compilation =
                gdr::compile_with(&source, &gdr::project::FileLoader::for_input(path));
            let diagnostics = compilation.diagnostics.clone();
            let sources = compilation.sources.clone();
            (Some(compilation), diagnostics, sources)
        }
    };
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    print_diagnostics(&sources, &diagnostics, options, errors, warnings);
    let status = u8::from(errors > 0 || (options.deny_warnings && warnings > 0));
    Ok(Checked {
        compilation,
        status,
    })
}

fn check(files: &[PathBuf], options: &OutputOptions) -> ExitCode {
    let mut worst = 0u8;
    for path in files {
        match compile_file(path, options) {
            Ok(checked) => worst = worst.max(checked.status),
            Err(message) => {
                eprintln!("error: {message}");
                worst = 2;
            }
        }
    }
    ExitCode::from(worst)
}

fn build(
    path: &Path,
    format: FormatArg,
    output: Option<&Path>,
    options: &OutputOptions,
) -> ExitCode {
    let formats = format.formats();
    let to_stdout = output.is_some_and(|output| output == Path::new("-"));
    if to_stdout && formats.len() != 1 {
        eprintln!(
            "error: `-o -` writes one format to standard output; choose it with `-f md|html|json|typst`"
        );
        return ExitCode::from(2);
    }
    let checked = match compile_file(path, options) {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let Some(compilation) = checked.compilation.filter(|_| checked.status == 0) else {
        // A report with errors writes nothing.
        return ExitCode::from(1);
    };
    let rendered: Vec<(Format, String)> = formats
        .into_iter()
        .map(|format| (format, render::render(&compilation.report, format)))
        .collect();
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        for (_, text) in &rendered {
            let _ = stdout.write_all(text.as_bytes());
        }
        return ExitCode::SUCCESS;
    }
    let directory = match output {
        Some(directory) => directory.to_path_buf(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let stem = path.file_stem().map_or_else(
        || "report".to_string(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let files: Vec<(PathBuf, String)> = rendered
        .into_iter()
        .map(|(format, text)| {
            (
                directory.join(format!("{stem}.{}", format.extension())),
                text,
            )
        })
        .collect();
    match write_atomically(&files) {
        Ok(()) => {
            for (file, _) in &files {
                eprintln!("wrote {}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes every file to a temporary file beside it, then renames them all
/// into place: a reader never sees a partial file, and if a write fails no
/// output is replaced.
fn write_atomically(files: &[(PathBuf, String)]) -> Result<(), String> {
    let mut temporaries: Vec<(PathBuf, &Path)> = Vec::new();
    let mut result = Ok(());
    for (path, text) in files {
        let directory = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = directory.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::File::create(&temporary).and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        });
        temporaries.push((temporary.clone(), path));
        if let Err(error) = written {
            result = Err(format!("cannot write `{}`: {error}", temporary.display()));
            break;
        }
    }
    if result.is_ok() {
        for (temporary, path) in &temporaries {
            if let Err(error) = std::fs::rename(temporary, path) {
                result = Err(format!("cannot write `{}`: {error}", path.display()));
                break;
            }
        }
    }
    if result.is_err() {
        for (temporary, _) in &temporaries {
            let _ = std::fs::remove_file(temporary);
        }
    }
    result
}

fn print_diagnostics(
    sources: &gdr::Sources,
    diagnostics: &[Diagnostic],
    options: &OutputOptions,
    errors: usize,
    warnings: usize,
) {
    let color = match options.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    // Write errors (a closed pipe) are ignored: there is nobody to tell.
    match options.message_format {
        MessageFormat::Human => {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(emit::human(sources, diagnostics, color).as_bytes());
            if errors + warnings > 0 {
                let _ = writeln!(
                    stderr,
                    "{}: {}",
                    sources.main().name,
                    summary(errors, warnings)
                );
            }
        }
        MessageFormat::Short => {
            let _ = std::io::stderr()
                .lock()
                .write_all(emit::short(sources, diagnostics).as_bytes());
        }
        MessageFormat::Json => {
            let _ = std::io::stdout()
                .lock()
                .write_all(emit::json(sources, diagnostics).as_bytes());
        }
        MessageFormat::Github => {
            let _ = std::io::stdout()
                .lock()
                .write_all(emit::github(sources, diagnostics).as_bytes());
        }
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural =
        |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}
