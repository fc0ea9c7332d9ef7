//! The `gdr` command line: reads files, calls the library, prints
//! diagnostics and chooses the exit status. All I/O of gdr happens here.
//!
//! Exit status: 0 success (warnings allowed unless `--deny-warnings`),
//! 1 the input has errors, 2 usage or I/O problems.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use gdr::diagnostics::emit;
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
        Command::Explain { code } => explain(&code),
    }
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

fn check(files: &[PathBuf], options: &OutputOptions) -> ExitCode {
    let mut worst = 0u8;
    let color = match options.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    for path in files {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("error: cannot read `{}`: {error}", path.display());
                worst = worst.max(2);
                continue;
            }
        };
        let name = path.display().to_string();
        let (source, invalid_at) = SourceFile::from_bytes(name, &bytes);
        let diagnostics = match invalid_at {
            Some(offset) => vec![
                Diagnostic::new(Code::SyntaxError, "the file is not valid UTF-8")
                    .primary(
                        gdr::span::Span::new(offset, offset + '\u{fffd}'.len_utf8()),
                        "invalid bytes here",
                    )
                    .help("save the file as UTF-8"),
            ],
            None => gdr::compile(&source).diagnostics,
        };
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        print_diagnostics(
            &source,
            &diagnostics,
            options.message_format,
            color,
            errors,
            warnings,
        );
        if errors > 0 || (options.deny_warnings && warnings > 0) {
            worst = worst.max(1);
        }
    }
    ExitCode::from(worst)
}

fn print_diagnostics(
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    format: MessageFormat,
    color: bool,
    errors: usize,
    warnings: usize,
) {
    // Write errors (a closed pipe) are ignored: there is nobody to tell.
    match format {
        MessageFormat::Human => {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(emit::human(source, diagnostics, color).as_bytes());
            if errors + warnings > 0 {
                let _ = writeln!(stderr, "{}: {}", source.name, summary(errors, warnings));
            }
        }
        MessageFormat::Short => {
            let _ = std::io::stderr()
                .lock()
                .write_all(emit::short(source, diagnostics).as_bytes());
        }
        MessageFormat::Json => {
            let _ = std::io::stdout()
                .lock()
                .write_all(emit::json(source, diagnostics).as_bytes());
        }
        MessageFormat::Github => {
            let _ = std::io::stdout()
                .lock()
                .write_all(emit::github(source, diagnostics).as_bytes());
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
