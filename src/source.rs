//! The owners of source text, and the mapping from byte offsets to files,
//! lines and columns.
//!
//! Every file of a compilation (the report, and the libraries and reports
//! it `use`s) lives in one [`Sources`] at its own range of offsets, as in
//! rustc's source map: a [`crate::span::Span`] is a global offset range and
//! so names its file by itself.

use std::sync::Arc;

/// A source file's name and text. A leading byte order mark is dropped, so
/// offsets, lines and columns count from the first character after it. The
/// text and its line index are shared, so a clone (each compilation keeps
/// its files in its own [`Sources`]) does not copy them.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    line_starts: Arc<[usize]>,
    /// The global offset of the file's first byte.
    start: usize,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text: Arc::from(text),
            line_starts,
            start: 0,
        }
    }

    /// The global offset of the file's first byte.
    pub fn start(&self) -> usize {
        self.start
    }

    /// The global offset just past the file's last byte.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The text under a global span of this file.
    pub fn slice(&self, span: crate::span::Span) -> &str {
        let local = span.range();
        self.text
            .get(local.start.saturating_sub(self.start)..local.end.saturating_sub(self.start))
            .unwrap_or_default()
    }

    /// Decodes `bytes` as UTF-8. Invalid sequences are replaced by U+FFFD and
    /// the byte offset (in the returned text) of the first one is returned
    /// beside the file, so that the caller can report it.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> (SourceFile, Option<usize>) {
        match std::str::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(name, text), None),
            Err(error) => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let valid = &bytes[..error.valid_up_to()];
                let mut offset = valid.len();
                let file = SourceFile::new(name, text);
                if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
                    offset -= 3;
                }
                (file, Some(offset))
            }
        }
    }

    /// The local byte offset (from the file's first byte) at which each
    /// line starts; the first is 0, and a final `\n` starts an empty line.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The 1-based line and character column of a global byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.saturating_sub(self.start);
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        LineCol {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// All the files of one compilation, each at its own range of offsets.
#[derive(Debug, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Sources whose first file is `main`, at offset 0.
    pub fn new(mut main: SourceFile) -> Sources {
        main.start = 0;
        Sources { files: vec![main] }
    }

    /// Adds a file after the others (one offset apart, so that an empty
    /// span at the end of a file still names it) and returns its index.
    pub fn add(&mut self, mut file: SourceFile) -> usize {
        file.start = self.files.last().map_or(0, |last| last.end() + 1);
        self.files.push(file);
        self.files.len() - 1
    }

    pub fn main(&self) -> &SourceFile {
        &self.files[0]
    }

    pub fn get(&self, index: usize) -> &SourceFile {
        &self.files[index]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The index of the file that holds a global offset.
    pub fn index_of(&self, offset: usize) -> usize {
        self.files
            .partition_point(|file| file.start <= offset)
            .saturating_sub(1)
    }

    /// The file that holds a global offset.
    pub fn file_of(&self, offset: usize) -> &SourceFile {
        &self.files[self.index_of(offset)]
    }

    /// The text under a span.
    pub fn slice(&self, span: crate::span::Span) -> &str {
        self.file_of(span.start as usize).slice(span)
    }

    /// The 1-based line where a span starts, in its own file.
    pub fn line(&self, span: crate::span::Span) -> usize {
        self.file_of(span.start as usize)
            .line_col(span.start as usize)
            .line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_skip_the_bom() {
        let file = SourceFile::new("x", "\u{feff}ab\r\n新收 x");
        let x = file.text.find('x').unwrap();
        assert_eq!(file.line_col(x), LineCol { line: 2, column: 4 });
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn files_have_their_own_offsets() {
        let mut sources = Sources::new(SourceFile::new("a", "ab\ncd"));
        let b = sources.add(SourceFile::new("b", "xyz"));
        let start = sources.get(b).start();
        assert_eq!(start, 6);
        let span = crate::span::Span::new(start + 1, start + 2);
        assert_eq!(sources.file_of(span.start as usize).name, "b");
        assert_eq!(sources.slice(span), "y");
        assert_eq!(sources.line(crate::span::Span::at(4)), 2);
        assert_eq!(
            sources.get(b).line_col(start + 2),
            LineCol { line: 1, column: 3 }
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let (file, bad) = SourceFile::from_bytes("x", b"ab\xffcd");
        assert_eq!(bad, Some(2));
        assert_eq!(&*file.text, "ab\u{fffd}cd");
    }
}
