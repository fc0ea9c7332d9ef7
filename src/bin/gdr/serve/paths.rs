//! Which files the studio may touch: only `.gdr` files inside its
//! directory. A path from the page is relative, with `/` between its
//! components; it is refused when it is empty, absolute, names `.` or `..`
//! or a hidden file, holds a backslash, a NUL or a control character, or
//! (once the file system has resolved every symbolic link) lands outside
//! the directory.

use std::path::{Component, Path, PathBuf};

use gdr::modules::LoadError;

/// Why a path from the page was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a relative path of plain components ending in `.gdr`.
    Invalid,
    /// It resolves outside the directory (through `..` or a symbolic link).
    Outside,
    /// No such file.
    Missing,
    /// A new file's name is taken.
    Exists,
}

/// The most files the studio lists, and how deep it looks.
const MAX_LISTED: usize = 5_000;
const MAX_DEPTH: usize = 16;

/// The studio's directory, resolved once at start.
#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
}

impl Root {
    pub fn new(dir: &Path) -> std::io::Result<Root> {
        let dir = dir.canonicalize()?;
        if !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "not a directory",
            ));
        }
        Ok(Root { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// An existing `.gdr` file inside the directory, resolved.
    pub fn existing(&self, raw: &str) -> Result<PathBuf, Refusal> {
        let relative = relative(raw)?;
        let resolved = self
            .dir
            .join(relative)
            .canonicalize()
            .map_err(|_| Refusal::Missing)?;
        if !resolved.starts_with(&self.dir) {
            return Err(Refusal::Outside);
        }
        if !resolved.is_file() || resolved.extension().is_none_or(|ext| ext != "gdr") {
            return Err(Refusal::Invalid);
        }
        Ok(resolved)
    }

    /// Where a new `.gdr` file would go inside the directory: its folder
    /// exists and is inside, and the name is free.
    pub fn new_file(&self, raw: &str) -> Result<PathBuf, Refusal> {
        let relative = relative(raw)?;
        let joined = self.dir.join(&relative);
        let (Some(parent), Some(name)) = (joined.parent(), joined.file_name()) else {
            return Err(Refusal::Invalid);
        };
        let parent = parent.canonicalize().map_err(|_| Refusal::Missing)?;
        if !parent.starts_with(&self.dir) {
            return Err(Refusal::Outside);
        }
        let target = parent.join(name);
        if target.symlink_metadata().is_ok() {
            return Err(Refusal::Exists);
        }
        Ok(target)
    }

    /// The path of a resolved file as the page names it.
    pub fn name_of(&self, resolved: &Path) -> String {
        let relative = resolved.strip_prefix(&self.dir).unwrap_or(resolved);
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts.join("/")
    }

    /// The `.gdr` files inside the directory, sorted, as the page names
    /// them; hidden files and folders are left out, and so are links that
    /// lead outside.
    pub fn list(&self) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![(self.dir.clone(), 0)];
        while let Some((dir, depth)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with('.') || name == "node_modules" || name == "target" {
                    continue;
                }
                let Ok(resolved) = entry.path().canonicalize() else {
                    continue;
                };
                if !resolved.starts_with(&self.dir) {
                    continue;
                }
                if resolved.is_dir() {
                    if depth < MAX_DEPTH && resolved == entry.path() {
                        stack.push((resolved, depth + 1));
                    }
                } else if name.ends_with(".gdr") && found.len() < MAX_LISTED {
                    found.push(self.name_of(&entry.path()));
                }
            }
        }
        found.sort();
        found
    }
}

/// The files a report of the folder uses (`use "…"`): found as `gdr check`
/// finds them (`gdr::project::FileLoader`, the project rule), but only
/// inside the folder once every link is resolved, and named, like the
/// report, relative to the folder.
pub struct FolderLoader<'r> {
    root: &'r Root,
    files: gdr::project::FileLoader,
}

impl<'r> FolderLoader<'r> {
    /// The loader for the report at `report` (resolved, inside the folder).
    pub fn new(root: &'r Root, report: &Path) -> FolderLoader<'r> {
        FolderLoader {
            root,
            files: gdr::project::FileLoader::for_input(report),
        }
    }
}

impl gdr::modules::Loader for FolderLoader<'_> {
    fn load(&self, from: &str, path: &str) -> Result<(String, String), LoadError> {
        let outside = || LoadError::OutsideProject(self.root.dir().display().to_string());
        let from = self.root.dir().join(from);
        let (name, text) = self.files.load(&from.to_string_lossy(), path)?;
        let loaded = std::env::current_dir().unwrap_or_default().join(name);
        let resolved = loaded.canonicalize().map_err(|_| outside())?;
        if !resolved.starts_with(&self.root.dir) {
            return Err(outside());
        }
        Ok((self.root.name_of(&resolved), text))
    }
}

/// A path from the page as a relative path of plain components, ending in
/// `.gdr`.
fn relative(raw: &str) -> Result<PathBuf, Refusal> {
    if raw.is_empty()
        || raw.len() > 1024
        || raw.starts_with('/')
        || raw.chars().any(|c| c == '\\' || c == ':' || c.is_control())
        || !raw.ends_with(".gdr")
    {
        return Err(Refusal::Invalid);
    }
    let mut path = PathBuf::new();
    for part in raw.split('/') {
        if part.is_empty() || part.starts_with('.') {
            return Err(Refusal::Invalid);
        }
        path.push(part);
    }
    // Nothing but plain names (no prefix or root on any platform).
    if !path
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
    {
        return Err(Refusal::Invalid);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_gdr_paths_pass() {
        for good in ["a.gdr", "sub/a.gdr", "报告/二〇二〇.gdr", "with space.gdr"] {
            assert!(relative(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd.gdr",
            "../a.gdr",
            "sub/../../a.gdr",
            "./a.gdr",
            "sub//a.gdr",
            "a.txt",
            "a.gdr/",
            "..\\a.gdr",
            "C:/a.gdr",
            "a\0.gdr",
            ".hidden.gdr",
            "sub/.a.gdr.123.tmp",
        ] {
            assert_eq!(relative(bad), Err(Refusal::Invalid), "{bad:?}");
        }
    }
}
