//! What the commands print and write: diagnostics in each message format,
//! the summary line, I/O errors (exit status 2) and files written
//! atomically.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gdr::diagnostics::emit;
use gdr::diagnostics::{Lang, Text};
use gdr::tr;

use crate::input::Checked;
use crate::options::{Color, MessageFormat, OutputOptions};

/// Prints `error: MESSAGE` and returns exit status 2.
pub fn fail(message: &gdr::diagnostics::Text, lang: Lang) -> ExitCode {
    let error = match lang {
        Lang::En => "error",
        Lang::Zh => "错误",
    };
    eprintln!("{error}: {}", message.render(lang));
    ExitCode::from(2)
}

pub fn print_diagnostics(checked: &Checked, options: &OutputOptions) {
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

pub fn summary(errors: usize, warnings: usize) -> Text {
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

/// Writes every file to a temporary file beside it, then renames them all
/// into place: a reader never sees a partial file, and if a write fails no
/// output is replaced.
pub fn write_atomically(files: &[(PathBuf, impl AsRef<[u8]>)]) -> Result<(), Text> {
    let mut staged = Staged::default();
    for (path, text) in files {
        staged.write(path, text.as_ref())?;
    }
    staged.commit()
}

/// Files written one at a time, each to a temporary file beside it, then
/// renamed into place together by [`Staged::commit`]: as
/// [`write_atomically`], with only one file's bytes in memory at a time.
/// Dropped before the commit, it removes its temporary files.
#[derive(Default)]
pub struct Staged {
    /// Each temporary file and the file it becomes.
    temporaries: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Writes `text` to a temporary file beside `path`.
    pub fn write(&mut self, path: &Path, text: &[u8]) -> Result<(), Text> {
        self.write_with(path, |file| file.write_all(text))
    }

    /// Writes what `write` writes to a temporary file beside `path`.
    pub fn write_with(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Text> {
        let temporary = temporary_beside(path);
        let written = std::fs::File::create(&temporary).and_then(|file| {
            let mut file = std::io::BufWriter::new(file);
            write(&mut file)?;
            file.into_inner()
                .map_err(|error| error.into_error())?
                .sync_all()
        });
        self.temporaries
            .push((temporary.clone(), path.to_path_buf()));
        written.map_err(|error| cannot_write(&temporary, &error))
    }

    /// Renames every file written into place.
    pub fn commit(mut self) -> Result<(), Text> {
        for (temporary, path) in &self.temporaries {
            if let Err(error) = std::fs::rename(temporary, path) {
                return Err(cannot_write(path, &error));
            }
        }
        self.temporaries.clear();
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temporary, _) in &self.temporaries {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

/// A temporary file in the directory of `path`, named after it and the
/// process.
fn temporary_beside(path: &Path) -> PathBuf {
    let directory = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    directory.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `text` to a new file at `path`: to a temporary file beside it,
/// then linked to `path`, which fails if `path` exists. No partial file is
/// ever seen and no file is overwritten (`gdr new`, `gdr import`).
pub fn write_new(path: &Path, text: &str) -> Result<(), Text> {
    let temporary = temporary_beside(path);
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(text.as_ref())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    result.map_err(|error| {
        tr!(
            "cannot create `{path}`: {error}",
            path = path.display().to_string(),
            error = error.to_string()
        )
    })
}

fn cannot_write(path: &Path, error: &std::io::Error) -> Text {
    tr!(
        "cannot write `{path}`: {error}",
        path = path.display().to_string(),
        error = error.to_string()
    )
}
