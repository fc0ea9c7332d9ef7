//! Reading `use`d files from the file system: the one place in the library
//! that does I/O, an adapter that callers choose to pass to
//! [`crate::compile_with`]. The compiler itself only sees the
//! [`Loader`] trait.
//!
//! Paths are relative to the file that uses them and must stay inside the
//! project: the nearest directory above the input that holds `gdr.toml`,
//! else the input's own directory (LANGUAGE.md §5).

use std::path::{Component, Path, PathBuf};

use crate::modules::{LoadError, Loader};

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
