//! The neutral document every reader produces: what the page says, in
//! order, with the line each piece was read from.

/// A report as read from its page, before any form is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: `一、概述` is level 1, `（一）…` level 2.
    Heading {
        level: u8,
        text: String,
        line: usize,
    },
    /// A line of prose, as written but for the white space around it.
    Paragraph {
        text: String,
        line: usize,
    },
    Table(Table),
}

/// A table as a grid of cell strings: its rows as printed, without the
/// merged cells a plain-text page cannot show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
}

#[cfg(test)]
impl Table {
    /// The cells' texts, row by row: what a reader's test compares.
    pub fn texts(&self) -> Vec<Vec<&str>> {
        self.rows
            .iter()
            .map(|row| row.iter().map(|cell| cell.text.as_str()).collect())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text of the cell, its lines joined by `\n`, trimmed.
    pub text: String,
    /// The line of the input it starts on (1-based).
    pub line: usize,
    /// The column (1-based, in characters) of the line where it starts; 0
    /// where the input has no columns to give (Word paragraphs).
    pub column: usize,
    /// How many columns and rows the cell spans (`colspan`/`rowspan` in
    /// HTML, `gridSpan`/`vMerge` in Word); 1 and 1 where the input cannot
    /// say (plain text). A reader lists a merged cell once, where it starts.
    pub colspan: u32,
    pub rowspan: u32,
}

impl Cell {
    /// A cell that spans one column and one row, at a line whose column
    /// is not known.
    pub fn new(text: impl Into<String>, line: usize) -> Cell {
        Cell::at(text, line, 0)
    }

    /// A cell that spans one column and one row, at a line and column.
    pub fn at(text: impl Into<String>, line: usize, column: usize) -> Cell {
        Cell {
            text: text.into(),
            line,
            column,
            colspan: 1,
            rowspan: 1,
        }
    }

    /// Its column, where the input has one.
    pub fn column(&self) -> Option<usize> {
        (self.column > 0).then_some(self.column)
    }
}

/// The heading level of a line: 1 for `一、…`, 2 for `（一）…` or `(一)…`.
pub fn heading_level(line: &str) -> Option<u8> {
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral_run = |text: &str| -> usize {
        text.chars()
            .take_while(|c| NUMERALS.contains(*c))
            .map(char::len_utf8)
            .sum()
    };
    let run = numeral_run(line);
    if run > 0 && line[run..].starts_with('、') {
        return Some(1);
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = line.strip_prefix(open) {
            let run = numeral_run(rest);
            if run > 0 && rest[run..].starts_with(close) {
                return Some(2);
            }
        }
    }
    None
}
