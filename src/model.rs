//! The checked report: what renderers read.
//!
//! Everything here is resolved and computed: paragraphs hold their final
//! text, every cell its value and how it came to be. Nothing refers back to
//! the syntax tree or the checker.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::ser::SerializeStruct;
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

/// A table's cell. It keeps its number inline (as written, or computed)
/// and shares its unit's name with the other cells of the table, so that a
/// cell allocates nothing of its own but a note: a large table's model is a
/// few words per cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    value: Option<Number>,
    unit: Option<Arc<str>>,
    note: Option<Box<str>>,
    /// True where a formula produced or confirmed the value.
    pub derived: bool,
    pub state: CellState,
    /// Whether the text shows the unit after the number (a value in another
    /// unit than its column's).
    unit_in_text: bool,
}

impl Cell {
    /// A cell: its `value` in `unit`, the unit shown in its text when
    /// `unit_in_text` (and both are there).
    pub fn new(
        value: Option<Number>,
        unit: Option<Arc<str>>,
        derived: bool,
        state: CellState,
        unit_in_text: bool,
        note: Option<Box<str>>,
    ) -> Cell {
        Cell {
            unit_in_text: unit_in_text && value.is_some() && unit.is_some(),
            value,
            unit,
            note,
            derived,
            state,
        }
    }

    /// The exact decimal in [`unit`](Cell::unit), as written for a stated
    /// cell; `None` when blank or unknown.
    pub fn value(&self) -> Option<&str> {
        self.value.as_ref().map(Number::as_str)
    }

    /// The value's unit, else the column's; `None` for a plain number.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// The cell's note, shown beside its number.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The text to show: the number, followed by its unit when that is not
    /// the column's; empty when blank or unknown.
    pub fn text(&self) -> Cow<'_, str> {
        match (&self.value, &self.unit) {
            (Some(value), Some(unit)) if self.unit_in_text => {
                Cow::Owned(format!("{}{unit}", value.as_str()))
            }
            (Some(value), _) => Cow::Borrowed(value.as_str()),
            (None, _) => Cow::Borrowed(""),
        }
    }
}

/// The JSON schema's cell: `value`, `unit`, `derived`, `state`, `text`,
/// `note`, in this order.
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Text<'a>(&'a Cell);
        impl Serialize for Text<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match (&self.0.value, &self.0.unit) {
                    (Some(value), Some(unit)) if self.0.unit_in_text => {
                        serializer.collect_str(&format_args!("{}{unit}", value.as_str()))
                    }
                    (Some(value), _) => serializer.serialize_str(value.as_str()),
                    (None, _) => serializer.serialize_str(""),
                }
            }
        }
        let mut cell = serializer.serialize_struct("Cell", 6)?;
        cell.serialize_field("value", &self.value())?;
        cell.serialize_field("unit", &self.unit())?;
        cell.serialize_field("derived", &self.derived)?;
        cell.serialize_field("state", &self.state)?;
        cell.serialize_field("text", &Text(self))?;
        cell.serialize_field("note", &self.note())?;
        cell.end()
    }
}

/// An exact decimal as text (`17.50`, `-3`, `0.125`), held inline up to
/// [`Number::INLINE`] bytes, which every computed number and every number
/// as written short of odd leading zeros fits: no allocation of its own.
#[derive(Clone, PartialEq, Eq)]
pub struct Number(NumberText);

#[derive(Clone, PartialEq, Eq)]
enum NumberText {
    Inline {
        len: u8,
        bytes: [u8; Number::INLINE],
    },
    Heap(Box<str>),
}

impl Number {
    /// The longest text kept inline.
    pub const INLINE: usize = 22;

    pub fn new(text: &str) -> Number {
        if text.len() <= Number::INLINE {
            let mut bytes = [0; Number::INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Number(NumberText::Inline {
                len: text.len() as u8,
                bytes,
            })
        } else {
            Number(NumberText::Heap(text.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Copied whole from a `str` in `new`: always UTF-8.
            NumberText::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            NumberText::Heap(text) => text,
        }
    }
}

impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::{Cell, Number};

    /// A large table's model is mostly cells: they stay a few words each,
    /// their numbers inline.
    #[test]
    fn a_cell_stays_small_and_keeps_its_number_inline() {
        assert!(std::mem::size_of::<Option<Number>>() <= 24);
        assert!(std::mem::size_of::<Cell>() <= 64);
        for text in [
            "0",
            "-17.50",
            "0.0000000000000000000001",
            "123456789012345678901234567890",
        ] {
            assert_eq!(Number::new(text).as_str(), text);
        }
    }

    #[test]
    fn a_cell_shows_its_unit_only_when_asked() {
        let cell = |unit_in_text| {
            Cell::new(
                Some(Number::new("1.5")),
                Some("万元".into()),
                false,
                super::CellState::Stated,
                unit_in_text,
                None,
            )
        };
        assert_eq!(cell(false).text(), "1.5");
        assert_eq!(cell(true).text(), "1.5万元");
        let json = serde_json::to_string(&cell(true)).unwrap();
        assert_eq!(
            json,
            r#"{"value":"1.5","unit":"万元","derived":false,"state":"stated","text":"1.5万元","note":null}"#
        );
    }
}
