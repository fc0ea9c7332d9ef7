//! Reading files from the file system: the one place in the library that
//! does I/O. [`read_source_file`] reads a report as the command line
//! compiles it and [`read_text`] one to rewrite; [`FileLoader`] reads the
//! files a report `use`s, an adapter that callers choose to pass to
//! [`crate::compile_with`]. The compiler itself only sees the [`Loader`]
//! trait.
//!
//! Paths are relative to the file that uses them and must stay inside the
//! project: the nearest directory above the input that holds `gdr.toml`,
//! else the input's own directory (LANGUAGE.md §5).

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Text;
use crate::modules::{LoadError, Loader};
use crate::span::Span;
use crate::{Code, Diagnostic, SourceFile, tr};

/// Reads files below a project root.
#[derive(Debug, Clone)]
pub struct FileLoader {
    root: PathBuf,
}

impl FileLoader {
    /// The loader for a report at `input`.
    pub fn for_input(input: &Path) -> FileLoader {
        let directory = absolute(input.parent().unwrap_or(Path::new("")));
        let root = directory
            .ancestors()
            .find(|dir| dir.join("gdr.toml").is_file())
            .unwrap_or(&directory)
            .to_path_buf();
        FileLoader { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Reads a source file, but never more than one byte beyond
/// [`crate::limits::MAX_FILE_BYTES`]: a larger file is then E0104 when
/// compiled, and `/dev/zero` cannot exhaust memory.
pub fn read_source(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(crate::limits::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_source`], as text.
pub fn read_source_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_source(path)?)
        .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))
}

/// Reads a report to compile from `path`: at most one byte beyond the size
/// limit ([`read_source`]), decoded by [`decode_source`]. `Err` is the
/// message for a file that cannot be read.
pub fn read_source_file(path: &Path) -> Result<(SourceFile, Option<Diagnostic>), Text> {
    let bytes = read_source(path).map_err(|error| cannot_read(path, &error))?;
    Ok(decode_source(path.display().to_string(), &bytes))
}

/// Decodes the bytes of a report (no I/O: they may come from anywhere).
/// Invalid UTF-8 becomes U+FFFD and the diagnostic beside the file (E0101,
/// at the first invalid byte), which means the file is not to be compiled.
/// Bytes beyond [`crate::limits::MAX_FILE_BYTES`] have no such diagnostic,
/// since a file read up to the limit may be cut inside a character:
/// compiling them reports the size (E0104).
pub fn decode_source(name: impl Into<String>, bytes: &[u8]) -> (SourceFile, Option<Diagnostic>) {
    let (source, invalid_at) = SourceFile::from_bytes(name, bytes);
    let too_large = bytes.len() > crate::limits::MAX_FILE_BYTES;
    let diagnostic = invalid_at.filter(|_| !too_large).map(|offset| {
        Diagnostic::new(Code::SyntaxError, tr!("the file is not valid UTF-8"))
            .primary(
                Span::new(offset, offset + '\u{fffd}'.len_utf8()),
                tr!("invalid bytes here"),
            )
            .help(tr!("save the file as UTF-8"))
    });
    (source, diagnostic)
}

/// Reads the whole text of a report, for tools that rewrite it (`gdr fmt`):
/// `Err` is the message for a file that cannot be read, is not UTF-8 or is
/// larger than [`crate::limits::MAX_FILE_BYTES`].
pub fn read_text(path: &Path) -> Result<String, Text> {
    let text = read_source_text(path).map_err(|error| cannot_read(path, &error))?;
    if text.len() > crate::limits::MAX_FILE_BYTES {
        return Err(tr!(
            "`{path}` is larger than {limit} bytes, the most gdr reads",
            path = path.display().to_string(),
            limit = crate::limits::MAX_FILE_BYTES
        ));
    }
    Ok(text)
}

fn cannot_read(path: &Path, error: &std::io::Error) -> Text {
    tr!(
        "cannot read `{path}`: {error}",
        path = path.display().to_string(),
        error = error.to_string()
    )
}

impl Loader for FileLoader {
    fn load(&self, from: &str, path: &str) -> Result<(String, String), LoadError> {
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let target = absolute(&base.join(path));
        if !target.starts_with(&self.root) {
            return Err(LoadError::OutsideProject(display(&self.root)));
        }
        match read_source_text(&target) {
            Ok(text) => Ok((display(&target), text)),
            Err(error) => Err(LoadError::NotFound(format!(
                "`{}`: {error}",
                display(&target)
            ))),
        }
    }
}

/// `path` made absolute and without `.` and `..`, by its text alone.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as diagnostics show it: relative to the working directory when
/// it is below it.
fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_a_diagnostic_at_the_first_bad_byte() {
        let (file, diagnostic) = decode_source("x.gdr", b"\xef\xbb\xbfab\xffcd");
        assert_eq!(&*file.text, "ab\u{fffd}cd");
        let diagnostic = diagnostic.expect("a diagnostic");
        assert_eq!(diagnostic.code, Code::SyntaxError);
        assert_eq!(diagnostic.span(), Some(Span::new(2, 5)));
        assert!(decode_source("x.gdr", "新收".as_bytes()).1.is_none());
    }

    #[test]
    fn paths_are_normalised_by_their_text() {
        assert_eq!(
            absolute(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn a_path_above_the_root_is_outside_the_project() {
        let loader = FileLoader {
            root: PathBuf::from("/p/reports"),
        };
        assert!(matches!(
            loader.load("/p/reports/2021/r.gdr", "../../secret.gdr"),
            Err(LoadError::OutsideProject(_))
        ));
        assert!(matches!(
            loader.load("/p/reports/2021/r.gdr", "../missing.gdr"),
            Err(LoadError::NotFound(_))
        ));
    }
}
