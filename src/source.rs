//! The one owner of source text, and the mapping from byte offsets to
//! lines and columns.

/// A source file's name and text. A leading byte order mark is dropped, so
/// offsets, lines and columns count from the first character after it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
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
            text,
            line_starts,
        }
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

    /// The 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        LineCol {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// The byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
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
    fn invalid_utf8_is_located() {
        let (file, bad) = SourceFile::from_bytes("x", b"ab\xffcd");
        assert_eq!(bad, Some(2));
        assert_eq!(file.text, "ab\u{fffd}cd");
    }
}
