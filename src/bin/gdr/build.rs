//! `gdr build`: checks a report, then renders it in one format or all,
//! into files written atomically or to standard output; `--watch` in
//! [`crate::watch`], the PDF in [`crate::pdf`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gdr::diagnostics::Lang;
use gdr::render::{self, Format};
use gdr::tr;

use crate::input::{Purpose, compile_file};
use crate::options::{FontOptions, OutputOptions};
use crate::output::{Staged, fail, print_diagnostics};

/// The arguments of `gdr build` (its description is the doc comment of `Command::Build`).
#[derive(clap::Args)]
pub struct Args {
    /// The `.gdr` file to build.
    file: PathBuf,
    /// The format to write (`all` is the four text formats; `pdf` needs a
    /// gdr built with the cargo feature `pdf`).
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
    /// Build a draft for the authors: the HTML shades the cells that gdr
    /// derived by a formula and says so when the pointer rests on them.
    /// Off by default, for the published report.
    #[arg(long)]
    draft: bool,
    #[command(flatten)]
    fonts: FontOptions,
    #[command(flatten)]
    options: OutputOptions,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
    Json,
    Typst,
    Pdf,
    All,
}

impl FormatArg {
    /// The library's formats to render (for `pdf`, the Typst it
    /// typesets).
    fn formats(self) -> Vec<Format> {
        match self {
            FormatArg::Md => vec![Format::Markdown],
            FormatArg::Html => vec![Format::Html],
            FormatArg::Json => vec![Format::Json],
            FormatArg::Typst | FormatArg::Pdf => vec![Format::Typst],
            FormatArg::All => Format::ALL.to_vec(),
        }
    }
}

/// What `gdr build` writes: the format, the render options and, for a
/// PDF, the fonts.
pub struct Wanted {
    pub format: FormatArg,
    pub render: render::Options,
    pub fonts: FontOptions,
}

pub fn run(args: Args, lang: Lang) -> ExitCode {
    let options = OutputOptions {
        lang,
        ..args.options
    };
    let output = args.output.as_deref();
    if args.format == FormatArg::Pdf && !cfg!(feature = "pdf") {
        let message = tr!(
            "this gdr was built without PDF output; install it with `cargo install --locked --path . --features pdf` in gdr's source, or write Typst with `-f typst` and typeset that with `typst compile`"
        );
        return fail(&message, options.lang);
    }
    let wanted = Wanted {
        format: args.format,
        render: render::Options { draft: args.draft },
        fonts: args.fonts,
    };
    if args.watch {
        crate::watch::watch_and_build(&args.file, &wanted, output, &options)
    } else {
        build(&args.file, &wanted, output, &options)
    }
}

/// Builds `path` as `wanted` says.
pub fn build(
    path: &Path,
    wanted: &Wanted,
    output: Option<&Path>,
    options: &OutputOptions,
) -> ExitCode {
    let formats = wanted.format.formats();
    let to_stdout = output.is_some_and(|output| output == Path::new("-"));
    if to_stdout && formats.len() != 1 {
        let message = tr!(
            "`-o -` writes one format to standard output; choose it with `-f md|html|json|typst|pdf`"
        );
        return fail(&message, options.lang);
    }
    let checked = match compile_file(path, Purpose::Build, crate::input::options_for(1)) {
        Ok(checked) => checked,
        Err(message) => return fail(&message, options.lang),
    };
    print_diagnostics(&checked, options);
    let status = checked.status(options);
    let Some(report) = checked.report.filter(|_| status == 0) else {
        // A report with errors writes nothing.
        return ExitCode::from(1);
    };
    // Only the model is needed from here on: the input's text and the
    // diagnostics go before rendering.
    drop((checked.sources, checked.diagnostics));
    // Each output is rendered and written in turn, so that one of them at a
    // time is held (and the JSON, the largest, not even that: it is written
    // as it is made).
    let pdf = if wanted.format == FormatArg::Pdf {
        let typ = render::render_with(&report, Format::Typst, wanted.render);
        match typeset(&typ, &wanted.fonts, options) {
            Ok(pdf) => Some(pdf),
            Err(status) => return status,
        }
    } else {
        None
    };
    let write = |format: Format, out: &mut dyn Write| match &pdf {
        Some(pdf) => out.write_all(pdf),
        None => render::render_to(&report, format, wanted.render, out),
    };
    if to_stdout {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        for format in formats {
            // A closed pipe: there is nobody to tell.
            let _ = write(format, &mut stdout);
        }
        let _ = stdout.flush();
        return ExitCode::SUCCESS;
    }
    let directory = match output {
        Some(directory) => directory.to_path_buf(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    // `-o out/` on a fresh checkout: the directory is made, as cargo's
    // target/ is.
    let to_make = if directory.as_os_str().is_empty() {
        Path::new(".")
    } else {
        directory.as_path()
    };
    if let Err(error) = std::fs::create_dir_all(to_make) {
        let message = tr!(
            "cannot create the directory `{path}`: {error}",
            path = directory.display().to_string(),
            error = error.to_string()
        );
        return fail(&message, options.lang);
    }
    let stem = path.file_stem().map_or_else(
        || "report".to_string(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let mut staged = Staged::default();
    let mut files = Vec::new();
    for format in formats {
        let extension = if pdf.is_some() {
            "pdf"
        } else {
            format.extension()
        };
        let file = directory.join(format!("{stem}.{extension}"));
        if let Err(message) = staged.write_with(&file, |out| write(format, out)) {
            return fail(&message, options.lang);
        }
        files.push(file);
    }
    match staged.commit() {
        Ok(()) => {
            for file in &files {
                let message = tr!("wrote {path}", path = file.display().to_string());
                eprintln!("{}", message.render(options.lang));
            }
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message, options.lang),
    }
}

/// The PDF of the rendered Typst; `Err` is the exit status, the reason
/// printed (nothing is written then).
#[cfg(feature = "pdf")]
fn typeset(typ: &str, fonts: &FontOptions, options: &OutputOptions) -> Result<Vec<u8>, ExitCode> {
    let typeset =
        crate::pdf::typeset(typ, fonts).map_err(|message| fail(&message, options.lang))?;
    let warning = match options.lang {
        Lang::En => "warning",
        Lang::Zh => "警告",
    };
    for message in &typeset.warnings {
        eprintln!("{warning}: {}", message.render(options.lang));
    }
    if options.deny_warnings && !typeset.warnings.is_empty() {
        return Err(ExitCode::from(1));
    }
    Ok(typeset.pdf)
}

/// Without the feature `run` refuses `-f pdf` before this is reached.
#[cfg(not(feature = "pdf"))]
fn typeset(
    _typ: &str,
    _fonts: &FontOptions,
    _options: &OutputOptions,
) -> Result<Vec<u8>, ExitCode> {
    Err(ExitCode::from(2))
}
