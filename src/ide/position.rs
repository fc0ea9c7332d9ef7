//! Positions in a source file as editors and people count them.
//!
//! The compiler speaks in global byte offsets ([`crate::span::Span`]). An
//! LSP client counts a line's UTF-16 code units from 0 ([`Utf16Position`]);
//! a person, and `gdr check`, count lines and characters from 1
//! ([`LineCol`]). Both are computed over the [`SourceFile`]'s text, whose
//! byte order mark is already dropped, with its line index.

use crate::source::{LineCol, SourceFile};

/// A position as the Language Server Protocol counts it: the 0-based line,
/// and the UTF-16 code units from the line's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Utf16Position {
    pub line: u32,
    pub character: u32,
}

/// The UTF-16 position of a global byte offset of `file`. An offset outside
/// the file is clamped to it, one inside a character moves back to its
/// start.
pub fn utf16_position(file: &SourceFile, offset: usize) -> Utf16Position {
    let local = offset.saturating_sub(file.start()).min(file.text.len());
    let local = file.text.floor_char_boundary(local);
    let starts = file.line_starts();
    let line = starts.partition_point(|&start| start <= local) - 1;
    let character: usize = file.text[starts[line]..local]
        .chars()
        .map(char::len_utf16)
        .sum();
    Utf16Position {
        line: saturate(line),
        character: saturate(character),
    }
}

/// The global byte offset of a UTF-16 position in `file`. A line past the
/// last is the end of the file; a character past the end of its line is
/// the end of the line (before its `\n` or `\r\n`); a position between the
/// two halves of a surrogate pair is after the character.
pub fn utf16_offset(file: &SourceFile, position: Utf16Position) -> usize {
    offset_in_line(
        file,
        position.line as usize,
        position.character as usize,
        char::len_utf16,
    )
}

/// The 1-based line and character column of a global byte offset, as
/// diagnostics show it ([`SourceFile::line_col`]).
pub fn line_col(file: &SourceFile, offset: usize) -> LineCol {
    file.line_col(offset)
}

/// The global byte offset of a 1-based line and character column, with
/// the clamping of [`utf16_offset`] (line or column 0 count as 1).
pub fn line_col_offset(file: &SourceFile, position: LineCol) -> usize {
    offset_in_line(
        file,
        position.line.saturating_sub(1),
        position.column.saturating_sub(1),
        |_| 1,
    )
}

/// The global offset `units` into 0-based `line`, where each character is
/// `width` units wide.
fn offset_in_line(
    file: &SourceFile,
    line: usize,
    units: usize,
    width: impl Fn(char) -> usize,
) -> usize {
    let starts = file.line_starts();
    let Some(&start) = starts.get(line) else {
        return file.end();
    };
    let end = starts.get(line + 1).map_or(file.text.len(), |&next| next);
    let content = file.text[start..end].trim_end_matches(['\n', '\r']);
    let mut counted = 0;
    for (index, c) in content.char_indices() {
        if counted >= units {
            return file.start() + start + index;
        }
        counted += width(c);
    }
    file.start() + start + content.len()
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(line: u32, character: u32) -> Utf16Position {
        Utf16Position { line, character }
    }

    /// Every character boundary maps to a position and back.
    fn round_trips(file: &SourceFile) {
        for (offset, _) in file.text.char_indices().chain([(file.text.len(), ' ')]) {
            // Between `\r` and `\n` is no position of its own.
            if file.text[..offset].ends_with('\r') {
                continue;
            }
            let position = utf16_position(file, offset);
            assert_eq!(utf16_offset(file, position), offset, "{position:?}");
            let line_col = line_col(file, offset);
            assert_eq!(line_col_offset(file, line_col), offset, "{line_col:?}");
        }
    }

    #[test]
    fn cjk_counts_one_unit_and_three_bytes() {
        let file = SourceFile::new("x", "let 新收 = 1\n  新收");
        let second = file.text.rfind("新收").unwrap();
        assert_eq!(utf16_position(&file, second), utf16(1, 2));
        assert_eq!(utf16_position(&file, second + 3), utf16(1, 3));
        assert_eq!(utf16_offset(&file, utf16(1, 3)), second + 3);
        assert_eq!(line_col(&file, second + 3), LineCol { line: 2, column: 4 });
        round_trips(&file);
    }

    #[test]
    fn astral_characters_are_two_units_and_one_character() {
        let file = SourceFile::new("x", "a😀b\n𝄞");
        assert_eq!(utf16_position(&file, 1 + 4), utf16(0, 3));
        assert_eq!(utf16_offset(&file, utf16(0, 3)), 5);
        assert_eq!(line_col(&file, 5), LineCol { line: 1, column: 3 });
        assert_eq!(line_col_offset(&file, LineCol { line: 1, column: 3 }), 5);
        // Inside the surrogate pair: after the character.
        assert_eq!(utf16_offset(&file, utf16(0, 2)), 5);
        // Inside the character's bytes: its start.
        assert_eq!(utf16_position(&file, 2), utf16(0, 1));
        assert_eq!(utf16_position(&file, file.text.len()), utf16(1, 2));
        round_trips(&file);
    }

    #[test]
    fn crlf_ends_a_line_before_the_carriage_return() {
        let file = SourceFile::new("x", "ab\r\ncd\r\n");
        assert_eq!(utf16_position(&file, 5), utf16(1, 1));
        assert_eq!(utf16_offset(&file, utf16(1, 1)), 5);
        assert_eq!(utf16_offset(&file, utf16(0, 99)), 2);
        assert_eq!(utf16_offset(&file, utf16(2, 0)), 8);
        assert_eq!(utf16_offset(&file, utf16(9, 0)), 8);
        assert_eq!(line_col_offset(&file, LineCol { line: 2, column: 2 }), 5);
        round_trips(&file);
    }

    #[test]
    fn the_bom_is_not_counted() {
        let file = SourceFile::new("x", "\u{feff}上墙\r\n公示");
        assert_eq!(utf16_position(&file, 0), utf16(0, 0));
        assert_eq!(utf16_position(&file, 3), utf16(0, 1));
        assert_eq!(utf16_offset(&file, utf16(1, 1)), file.text.len() - 3);
        assert_eq!(line_col(&file, 3), LineCol { line: 1, column: 2 });
        round_trips(&file);
    }

    #[test]
    fn offsets_are_global() {
        let mut sources = crate::Sources::new(SourceFile::new("a", "ab\n"));
        let b = sources.add(SourceFile::new("b", "x\n新y")).expect("room");
        let file = sources.get(b);
        let y = file.start() + file.text.find('y').unwrap();
        assert_eq!(utf16_position(file, y), utf16(1, 1));
        assert_eq!(utf16_offset(file, utf16(1, 1)), y);
        assert_eq!(line_col_offset(file, LineCol { line: 2, column: 2 }), y);
        assert_eq!(utf16_offset(file, utf16(5, 0)), file.end());
    }
}
