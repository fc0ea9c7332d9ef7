//! The `gdr` command line: reads files, calls the library, prints
//! diagnostics and chooses the exit status. All I/O of gdr happens here.
//!
//! Exit status: 0 success (warnings allowed unless `--deny-warnings`),
//! 1 the input has errors, 2 usage or I/O problems.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod lsp;

use gdr::diagnostics::emit;
use gdr::diagnostics::{Lang, Text};
use gdr::render::{self, Format};
use gdr::{Code, Diagnostic, Severity, tr};

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
        /// Build again whenever a `.gdr` file in the input's directory
        /// changes, until interrupted.
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        options: OutputOptions,
    },
    /// Format reports in the canonical layout (comments kept).
    Fmt {
        /// Print a diff and exit with 1 where a file is not formatted,
        /// instead of writing it.
        #[arg(long)]
        check: bool,
        /// The `.gdr` files or directories to format.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run the language server on standard input and output.
    Lsp,
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
    /// The language of messages, from `--lang`.
    #[arg(skip)]
    lang: Lang,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
    Github,
    Sarif,
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
    let lang = Lang::choose(cli.lang.as_deref(), |name| std::env::var(name).ok());
    match cli.command {
        Command::Check { files, mut output } => {
            output.lang = lang;
            check(&files, &output)
        }
        Command::Build {
            file,
            format,
            output,
            watch,
            mut options,
        } => {
            options.lang = lang;
            if watch {
                watch_and_build(&file, format, output.as_deref(), &options)
            } else {
                build(&file, format, output.as_deref(), &options)
            }
        }
        Command::Explain { code } => explain(&code, lang),
        Command::Fmt { check, files } => fmt(&files, check, lang),
        Command::Lsp => match lsp::run(lang) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(&gdr::diagnostics::Text::plain(message), lang),
        },
        Command::New { form, year, path } => new(&form, year, &path, lang),
    }
}

fn new(form: &str, year: Option<i32>, path: &Path, lang: Lang) -> ExitCode {
    let year = year.unwrap_or_else(|| current_year() - 1);
    let text = match gdr::scaffold::new_report(form, year) {
        Ok(text) => text,
        Err(gdr::scaffold::ScaffoldError::UnknownLibrary(name)) => {
            let names: Vec<&str> = gdr::modules::BUILTINS
                .iter()
                .map(|(name, _)| *name)
                .collect();
            let message = tr!(
                "unknown form library `{name}`; the libraries are {names}",
                name = name,
                names = names.join(", ")
            );
            return fail(&message, lang);
        }
    };
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    match created {
        Ok(()) => {
            let message = tr!(
                "wrote {path}: fill it in, then run `gdr check {path}`",
                path = path.display().to_string()
            );
            eprintln!("{}", message.render(lang));
            ExitCode::SUCCESS
        }
        Err(error) => {
            let message = tr!(
                "cannot create `{path}`: {error}",
                path = path.display().to_string(),
                error = error.to_string()
            );
            fail(&message, lang)
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

fn explain(name: &str, lang: Lang) -> ExitCode {
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

fn fmt(paths: &[PathBuf], check: bool, lang: Lang) -> ExitCode {
    let mut status = 0u8;
    for path in expand(paths) {
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
        if check {
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

/// Prints `error: MESSAGE` and returns exit status 2.
fn fail(message: &gdr::diagnostics::Text, lang: Lang) -> ExitCode {
    let error = match lang {
        Lang::En => "error",
        Lang::Zh => "错误",
    };
    eprintln!("{error}: {}", message.render(lang));
    ExitCode::from(2)
}

/// A file read and compiled.
struct Checked {
    /// The report model, when asked for and the file could be decoded.
    report: Option<gdr::model::Report>,
    sources: gdr::Sources,
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    warnings: usize,
}

impl Checked {
    /// 0, or 1 when the file has errors (or warnings under `--deny-warnings`).
    fn status(&self, options: &OutputOptions) -> u8 {
        u8::from(self.errors > 0 || (options.deny_warnings && self.warnings > 0))
    }
}

/// What [`compile_file`] is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// The diagnostics only (`gdr check`).
    Check,
    /// The diagnostics and the report model (`gdr build`).
    Build,
}

/// Reads and compiles `path`; `Err` is a message for an I/O problem.
fn compile_file(path: &Path, purpose: Purpose) -> Result<Checked, Text> {
    let (source, not_utf8) = gdr::project::read_source_file(path)?;
    let (report, diagnostics, sources) = match not_utf8 {
        Some(diagnostic) => (None, vec![diagnostic], gdr::Sources::new(source)),
        None => {
            let loader = gdr::project::FileLoader::for_input(path);
            match purpose {
                Purpose::Check => {
                    let (diagnostics, sources) = gdr::check_with(&source, &loader);
                    (None, diagnostics, sources)
                }
                Purpose::Build => {
                    let compilation = gdr::compile_with(&source, &loader);
                    let report = Some(compilation.report);
                    (report, compilation.diagnostics, compilation.sources)
                }
            }
        }
    };
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    Ok(Checked {
        report,
        sources,
        diagnostics,
        errors,
        warnings,
    })
}

/// The `.gdr` files named: files as given, directories searched through.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let entry = entry.path();
                    if entry.is_dir() {
                        stack.push(entry);
                    } else if entry.extension().is_some_and(|ext| ext == "gdr") {
                        found.push(entry);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}

/// Checks every file (diagnostics only), in parallel; results in the order
/// of `files`.
fn compile_all(files: &[PathBuf]) -> Vec<Result<Checked, Text>> {
    if let [file] = files {
        // One file: no thread to start (a measurable part of checking a
        // real report, docs/performance.md).
        return vec![compile_file(file, Purpose::Check)];
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<Checked, Text>>>> =
        files.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = files.get(index) else {
                        break;
                    };
                    let result = compile_file(path, Purpose::Check);
                    if let Ok(mut slot) = results[index].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(tr!("the check of this file did not finish")))
        })
        .collect()
}

fn check(paths: &[PathBuf], options: &OutputOptions) -> ExitCode {
    let files = expand(paths);
    let results = compile_all(&files);
    let mut worst = 0u8;
    let (mut errors, mut warnings) = (0, 0);
    let mut sarif_runs: Vec<(&gdr::Sources, &[Diagnostic])> = Vec::new();
    for result in &results {
        match result {
            Ok(checked) => {
                worst = worst.max(checked.status(options));
                errors += checked.errors;
                warnings += checked.warnings;
                if options.message_format == MessageFormat::Sarif {
                    sarif_runs.push((&checked.sources, &checked.diagnostics));
                } else {
                    print_diagnostics(checked, options);
                }
            }
            Err(message) => {
                fail(message, options.lang);
                worst = 2;
            }
        }
    }
    if options.message_format == MessageFormat::Sarif {
        let sarif = emit::sarif(&sarif_runs, options.lang, env!("CARGO_PKG_VERSION"));
        let _ = std::io::stdout().lock().write_all(sarif.as_bytes());
    }
    if files.len() > 1 && options.message_format == MessageFormat::Human {
        let message = tr!(
            "checked {files} files: {summary}",
            files = files.len(),
            summary = summary(errors, warnings)
        );
        eprintln!("{}", message.render(options.lang));
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
        let message = tr!(
            "`-o -` writes one format to standard output; choose it with `-f md|html|json|typst`"
        );
        return fail(&message, options.lang);
    }
    let checked = match compile_file(path, Purpose::Build) {
        Ok(checked) => checked,
        Err(message) => return fail(&message, options.lang),
    };
    print_diagnostics(&checked, options);
    let status = checked.status(options);
    let Some(report) = checked.report.filter(|_| status == 0) else {
        // A report with errors writes nothing.
        return ExitCode::from(1);
    };
    let rendered: Vec<(Format, String)> = formats
        .into_iter()
        .map(|format| (format, render::render(&report, format)))
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
                let message = tr!("wrote {path}", path = file.display().to_string());
                eprintln!("{}", message.render(options.lang));
            }
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message, options.lang),
    }
}

/// `gdr build --watch`: builds, then builds again after every change to a
/// `.gdr` file in the input's directory (its libraries and last year's
/// report usually live there), until interrupted.
fn watch_and_build(
    path: &Path,
    format: FormatArg,
    output: Option<&Path>,
    options: &OutputOptions,
) -> ExitCode {
    use notify::Watcher;
    if output.is_some_and(|output| output == Path::new("-")) {
        return fail(
            &tr!("`--watch` writes files; give an output directory, not `-o -`"),
            options.lang,
        );
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
        Err(error) => {
            return fail(
                &tr!("cannot watch files: {error}", error = error.to_string()),
                options.lang,
            );
        }
    };
    let directory = match path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        Some(directory) => directory.to_path_buf(),
        None => PathBuf::from("."),
    };
    if let Err(error) = watcher.watch(&directory, notify::RecursiveMode::NonRecursive) {
        let message = tr!(
            "cannot watch `{path}`: {error}",
            path = directory.display().to_string(),
            error = error.to_string()
        );
        return fail(&message, options.lang);
    }
    build(path, format, output, options);
    let message = tr!(
        "watching `{path}` for changes; press Ctrl-C to stop",
        path = directory.display().to_string()
    );
    eprintln!("{}", message.render(options.lang));
    let relevant = |event: &notify::Event| {
        matches!(
            event.kind,
            notify::EventKind::Create(_)
                | notify::EventKind::Modify(_)
                | notify::EventKind::Remove(_)
        ) && event
            .paths
            .iter()
            .any(|changed| changed.extension().is_some_and(|ext| ext == "gdr"))
    };
    let settle = std::time::Duration::from_millis(150);
    while let Ok(event) = receiver.recv() {
        if !event.is_ok_and(|event| relevant(&event)) {
            continue;
        }
        // Editors write in several steps: wait until the changes to `.gdr`
        // files settle (other events, such as reads, do not count).
        let mut deadline = std::time::Instant::now() + settle;
        loop {
            let remaining = deadline.saturating_duration_since(std::time::Instant::now());
            match receiver.recv_timeout(remaining) {
                Ok(Ok(event)) if relevant(&event) => deadline = std::time::Instant::now() + settle,
                Ok(_) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return ExitCode::SUCCESS,
            }
        }
        build(path, format, output, options);
    }
    ExitCode::SUCCESS
}

/// Writes every file to a temporary file beside it, then renames them all
/// into place: a reader never sees a partial file, and if a write fails no
/// output is replaced.
fn write_atomically(files: &[(PathBuf, String)]) -> Result<(), Text> {
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
            result = Err(cannot_write(&temporary, &error));
            break;
        }
    }
    if result.is_ok() {
        for (temporary, path) in &temporaries {
            if let Err(error) = std::fs::rename(temporary, path) {
                result = Err(cannot_write(path, &error));
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

fn cannot_write(path: &Path, error: &std::io::Error) -> Text {
    tr!(
        "cannot write `{path}`: {error}",
        path = path.display().to_string(),
        error = error.to_string()
    )
}

fn print_diagnostics(checked: &Checked, options: &OutputOptions) {
    let (sources, diagnostics) = (&checked.sources, checked.diagnostics.as_slice());
    let (errors, warnings) = (checked.errors, checked.warnings);
    let color = match options.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let lang = options.lang;
    // Write errors (a closed pipe) are ignored: there is nobody to tell.
    match options.message_format {
        MessageFormat::Human => {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(emit::human(sources, diagnostics, color, lang).as_bytes());
            if errors + warnings > 0 {
                let _ = writeln!(
                    stderr,
                    "{}: {}",
                    sources.main().name,
                    summary(errors, warnings).render(lang)
                );
            }
        }
        MessageFormat::Short => {
            let _ = std::io::stderr()
                .lock()
                .write_all(emit::short(sources, diagnostics, lang).as_bytes());
        }
        MessageFormat::Json => {
            let _ = std::io::stdout()
                .lock()
                .write_all(emit::json(sources, diagnostics, lang).as_bytes());
        }
        MessageFormat::Github => {
            let _ = std::io::stdout()
                .lock()
                .write_all(emit::github(sources, diagnostics, lang).as_bytes());
        }
        // Printed once for all files, by `check`.
        MessageFormat::Sarif => {}
    }
}

fn summary(errors: usize, warnings: usize) -> Text {
    let errors_text = match errors {
        1 => tr!("1 error"),
        count => tr!("{count} errors", count = count),
    };
    let warnings_text = match warnings {
        1 => tr!("1 warning"),
        count => tr!("{count} warnings", count = count),
    };
    match (errors, warnings) {
        (0, _) => warnings_text,
        (_, 0) => errors_text,
        _ => tr!(
            "{errors}, {warnings}",
            errors = errors_text,
            warnings = warnings_text
        ),
    }
}
