//! The owners of source text, and the mapping from byte offsets to files,
//! lines and columns.
//!
//! Every file of a compilation (the report, and the libraries and reports
//! it `use`s) lives in one [`Sources`] under its [`FileId`], at the range of
//! offsets that id gives it: a [`crate::span::Span`] names its file by
//! itself.

use std::sync::Arc;

use crate::span::FileId;

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
        SourceFile::from_text(name.into(), &text.into())
    }

    /// [`SourceFile::new`] from borrowed text, copied once.
    fn from_text(name: String, text: &str) -> SourceFile {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        SourceFile {
            name,
            line_starts: line_starts(text.as_bytes()).into(),
            text: Arc::from(text),
            start: 0,
        }
    }

    /// The global offset of the file's first byte.
    pub fn start(&self) -> usize {
        self.start
    }

    /// The file's id in its compilation ([`FileId::MAIN`] until it is
    /// placed in one).
    pub fn id(&self) -> FileId {
        crate::span::Span::at(self.start).file()
    }

    /// The file placed at `id`: its offsets start at [`FileId::base`].
    pub(crate) fn at(mut self, id: FileId) -> SourceFile {
        self.start = id.base();
        self
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
        // The SIMD check first: a report is mostly Chinese, where the
        // standard library's ASCII fast path does not help. It says only
        // whether the bytes are valid; where they are not, the standard
        // library finds the first invalid byte.
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return (SourceFile::from_text(name.into(), text), None);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => (SourceFile::from_text(name.into(), text), None),
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

/// The offset at which each line of `bytes` starts: 0, and one past each
/// `\n`. Eight bytes at a time: a report's lines are short, so a search
/// call per line (`memchr`) costs more than reading every word.
pub(crate) fn line_starts(bytes: &[u8]) -> Vec<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    let mut starts = vec![0];
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // The bytes equal to `\n` become 0, and exactly those get their
        // high bit set in `found` (no carry crosses a byte).
        let x = word ^ (ONES * u64::from(b'\n'));
        let mut found = !(((x & LOW7) + LOW7) | x | LOW7);
        while found != 0 {
            starts.push(base + found.trailing_zeros() as usize / 8 + 1);
            found &= found - 1;
        }
        base += 8;
    }
    let rest = words.remainder().iter().enumerate();
    starts.extend(
        rest.filter(|&(_, &byte)| byte == b'\n')
            .map(|(i, _)| base + i + 1),
    );
    starts
}

/// All the files of one compilation, each under its [`FileId`].
#[derive(Debug, Clone)]
pub struct Sources {
    /// In the order they were added; the report first.
    files: Vec<SourceFile>,
    /// The index in `files` of each id, `u8::MAX` where none.
    by_id: [u8; FileId::LIMIT],
}

/// The first id of a file that a report uses (the ids before it are the
/// report's and the built-in libraries').
const FIRST_USED_ID: u32 = 1 + crate::modules::BUILTINS.len() as u32;

impl Sources {
    /// Sources whose first file is `main`, at [`FileId::MAIN`].
    pub fn new(main: SourceFile) -> Sources {
        let mut by_id = [u8::MAX; FileId::LIMIT];
        by_id[0] = 0;
        Sources {
            files: vec![main.at(FileId::MAIN)],
            by_id,
        }
    }

    /// Adds a file at the next free id and returns its index, or `None`
    /// when the compilation has [`crate::limits::MAX_FILES`] already.
    pub fn add(&mut self, file: SourceFile) -> Option<usize> {
        let id = (FIRST_USED_ID..FileId::LIMIT as u32)
            .map(FileId)
            .find(|id| self.by_id[id.index()] == u8::MAX)?;
        Some(self.place(file.at(id)))
    }

    /// Adds a file already placed at its own id (a built-in library), or
    /// finds it there; returns its index.
    pub(crate) fn add_placed(&mut self, file: &SourceFile) -> usize {
        match self.by_id[file.id().index()] {
            u8::MAX => self.place(file.clone()),
            index => usize::from(index),
        }
    }

    fn place(&mut self, file: SourceFile) -> usize {
        let index = self.files.len();
        self.by_id[file.id().index()] = index as u8;
        self.files.push(file);
        index
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

    /// The index of the file that holds a global offset (the report's,
    /// for an offset in no file).
    pub fn index_of(&self, offset: usize) -> usize {
        let id = crate::span::Span::at(offset).file();
        match self.by_id.get(id.index()) {
            Some(&index) if index != u8::MAX => usize::from(index),
            _ => 0,
        }
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
        let b = sources.add(SourceFile::new("b", "xyz")).expect("room");
        let start = sources.get(b).start();
        assert_eq!(start, 3 << crate::span::FILE_BITS);
        assert_eq!(sources.get(b).id(), FileId(3));
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
    fn lines_start_after_every_newline_in_any_word() {
        // Newlines at every position of an eight-byte word, beside bytes
        // one bit away from `\n` (0x0b, 0x8a, 0x09) and multibyte text.
        let text = "\n\n新\x0b\n\t\n收\n\n\n ab\ncd\u{8a}\n\nxyz\n\u{10a0a}\n";
        for start in 0..text.len() {
            let Some(text) = text.get(start..) else {
                continue;
            };
            let expected: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            assert_eq!(line_starts(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn a_bom_is_dropped_from_bytes_too() {
        let (file, bad) = SourceFile::from_bytes("x", "\u{feff}a\nb".as_bytes());
        assert_eq!(bad, None);
        assert_eq!(&*file.text, "a\nb");
        assert_eq!(file.line_starts(), &[0, 2]);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let (file, bad) = SourceFile::from_bytes("x", b"ab\xffcd");
        assert_eq!(bad, Some(2));
        assert_eq!(&*file.text, "ab\u{fffd}cd");
    }
}
