//! `gdr build`: checks a report, then renders it in one format or all,
//! into files written atomically or to standard output; `--watch` in
//! [`crate::watch`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gdr::diagnostics::Lang;
use gdr::render::{self, Format};
use gdr::tr;

use crate::input::{Purpose, compile_file};
use crate::options::OutputOptions;
use crate::output::{fail, print_diagnostics, write_atomically};

/// The arguments of `gdr build` (its description is the doc comment of `Command::Build`).
#[derive(clap::Args)]
pub struct Args {
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
    /// Build a draft for the authors: the HTML shades the cells that gdr
    /// derived by a formula and says so when the pointer rests on them.
    /// Off by default, for the published report.
    #[arg(long)]
    draft: bool,
    #[command(flatten)]
    options: OutputOptions,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
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

pub fn run(args: Args, lang: Lang) -> ExitCode {
    let options = OutputOptions {
        lang,
        ..args.options
    };
    let output = args.output.as_deref();
    let render = render::Options { draft: args.draft };
    if args.watch {
        crate::watch::watch_and_build(&args.file, (args.format, render), output, &options)
    } else {
        build(&args.file, (args.format, render), output, &options)
    }
}

/// Builds `path` in `format` with the render options.
pub fn build(
    path: &Path,
    (format, render): (FormatArg, render::Options),
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
    let rendered: Vec<(Format, String)> = formats
        .into_iter()
        .map(|format| (format, render::render_with(&report, format, render)))
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
