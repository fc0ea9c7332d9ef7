//! The checked report: what renderers read.
//!
//! Everything here is resolved and computed: paragraphs hold their final
//! text, every cell its value and how it came to be. Nothing refers back to
//! the syntax tree or the checker.

use std::ops::Range;

use serde::{Serialize, Serializer};

/// A checked report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub header: Header,
    /// The document flow: sections with their paragraphs and tables.
    pub body: Vec<Block>,
    /// Every table, in source order; `Block::Table` refers to them by index.
    pub tables: Vec<Table>,
    /// Every `check` and `expect`, with its result.
    pub checks: Vec<CheckResult>,
    /// Every `let`, with its value.
    pub lets: Vec<LetValue>,
    /// The problems that `allow` waived, with the reasons.
    pub waived: Vec<Waived>,
}

/// A known problem, waived with `allow CODE "reason"`.
#[derive(Debug, Clone, Serialize)]
pub struct Waived {
    pub code: String,
    /// The diagnostic's message in English and in Chinese.
    pub message: String,
    pub message_zh: String,
    /// Where the problem is.
    pub line: usize,
    pub reason: String,
}

/// A `let` and its value.
#[derive(Debug, Clone, Serialize)]
pub struct LetValue {
    pub name: String,
    /// The exact decimal in `unit`; `None` when it could not be computed or
    /// is unknown.
    pub value: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Header {
    pub title: String,
    pub agency: String,
    pub year: i32,
    /// `YYYY-MM-DD`
    pub published: Option<String>,
    /// `department` (the default) or `government`.
    pub issuer: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Section { title: String, body: Vec<Block> },
    Paragraph { text: Prose },
    Table { table: usize },
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub notes: Vec<Prose>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Whether the table stands in the document flow (inside a section).
    pub placed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub label: String,
    pub unit: Option<String>,
    /// Whether a formula derives this column.
    pub derived: bool,
    pub children: Vec<Column>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: String,
    pub label: String,
    pub derived: bool,
    /// One cell per leaf column; empty for a group.
    pub cells: Vec<Cell>,
    pub children: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The exact decimal in `unit`, or `None` when blank or unknown.
    pub value: Option<String>,
    pub unit: Option<String>,
    /// True where a formula produced or confirmed the value.
    pub derived: bool,
    pub state: CellState,
    /// The text to show: as written for a stated cell, empty when blank.
    pub text: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Stated,
    Derived,
    Blank,
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// The check as written, e.g. `新收 + 上年结转 == 总计 + 结转下年`.
    pub source: String,
    pub table: Option<String>,
    /// `check` or `expect`.
    pub kind: String,
    /// The line of the report where it is reported: a form's check at its
    /// instance, `table 申请 = 申请处理情况`.
    pub line: usize,
    /// Where a form's check is written (in a library); `None` for the
    /// report's own checks.
    pub form: Option<Place>,
    /// One result per column for a row-wise check, else one.
    pub results: Vec<ColumnResult>,
}

/// A line of a file other than the report's.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    /// As diagnostics name it, e.g. `<gdr>/gov_disclosure_2021.gdr`.
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnResult {
    pub column: Option<String>,
    pub lhs: Option<String>,
    pub rhs: Option<String>,
    /// `None` when it could not be evaluated (an unknown cell or an error).
    pub holds: Option<bool>,
}

/// Text with values interpolated into it: a paragraph or a table's note.
/// It serialises as its plain text (in JSON, a value keeps its ASCII `-`);
/// the renderers that set type show each value, number and unit, as one
/// unbreakable word with a true minus sign (U+2212).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prose {
    pub text: String,
    /// The byte ranges of `text` that are interpolated values, in order,
    /// neither empty nor overlapping.
    pub values: Vec<Range<usize>>,
}

impl Prose {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text in pieces: `(piece, is_value)`, in order, none empty.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut pieces = Vec::new();
        let mut at = 0;
        for value in &self.values {
            let (Some(before), Some(piece)) =
                (self.text.get(at..value.start), self.text.get(value.clone()))
            else {
                continue;
            };
            if !before.is_empty() {
                pieces.push((before, false));
            }
            pieces.push((piece, true));
            at = value.end;
        }
        match self.text.get(at..) {
            Some(rest) if !rest.is_empty() => pieces.push((rest, false)),
            _ => {}
        }
        pieces
    }
}

impl From<&str> for Prose {
    /// Text without values.
    fn from(text: &str) -> Prose {
        Prose {
            text: text.to_string(),
            values: Vec::new(),
        }
    }
}

impl PartialEq<str> for Prose {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Prose {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl Serialize for Prose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}
