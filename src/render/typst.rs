//! Typst: a `.typ` file that typesets to a PDF laid out like an official
//! report.
//!
//! User text goes out only inside Typst string literals (`"…"`), escaped by
//! [`TypstString`], the escaper askama applies to every `{{ … }}` of a
//! `.typ` template. Inside a string literal only `\` and `"` are special
//! (and line breaks, which are written as escapes), so no input can end
//! the literal and inject code or markup.

use std::fmt::{self, Write};

use askama::Template;

use super::ViewBlock;
use super::layout::{CellKind, Grid, GridCell};
use crate::model;

/// Escapes text for the inside of a Typst string literal.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypstString;

impl askama::filters::Escaper for TypstString {
    fn write_escaped_str<W: Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        for c in text.chars() {
            match c {
                '\\' => dest.write_str("\\\\")?,
                '"' => dest.write_str("\\\"")?,
                '\n' => dest.write_str("\\n")?,
                '\r' => dest.write_str("\\r")?,
                '\t' => dest.write_str("\\t")?,
                c if c.is_control() => write!(dest, "\\u{{{:x}}}", c as u32)?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// The escaped inside of a Typst string literal for `text`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = askama::filters::Escaper::write_escaped_str(&TypstString, &mut out, text);
    out
}

#[derive(Template)]
#[template(path = "report.typ")]
struct Document<'a> {
    front: super::Front<'a>,
    blocks: Vec<ViewBlock<'a, TableView<'a>>>,
}

struct TableView<'a> {
    title: Option<&'a str>,
    unit: Option<&'a str>,
    /// `(1.2fr, 4fr, 1fr, …)`: generated, not user text.
    columns: String,
    label_columns: usize,
    /// Short tables stay on one page, with their title.
    breakable: bool,
    header: Vec<CellView>,
    body: Vec<CellView>,
    footnotes: Vec<String>,
}

struct CellView {
    text: String,
    note: Option<String>,
    colspan: usize,
    rowspan: usize,
    /// `left`, `center` or `right`: generated, not user text.
    align: &'static str,
    /// A smaller size for the corner's long rule note.
    small: bool,
    bold: bool,
}

pub fn render(report: &model::Report) -> String {
    let blocks = super::view_blocks(report, |depth| depth, table_view);
    let document = Document {
        front: super::Front::of(report),
        blocks,
    };
    // Rendering into a String only fails if a Display impl fails; ours
    // are plain strings and numbers.
    document.render().unwrap_or_default()
}

fn table_view<'a>(table: &'a model::Table, grid: Grid, show_title: bool) -> TableView<'a> {
    let widths: Vec<String> = grid
        .column_widths()
        .iter()
        .map(|width| format!("{width}fr"))
        .collect();
    TableView {
        title: table.title.as_deref().filter(|_| show_title),
        unit: table.unit.as_deref(),
        columns: format!("({})", widths.join(", ")),
        breakable: grid.body.len() > 12,
        label_columns: grid.label_columns,
        header: grid.header.into_iter().flatten().map(cell_view).collect(),
        body: grid.body.into_iter().flatten().map(cell_view).collect(),
        footnotes: grid.footnotes,
    }
}

fn cell_view(cell: GridCell) -> CellView {
    let (align, small, bold) = match cell.kind {
        CellKind::Corner => ("left", true, false),
        CellKind::ColumnHead => ("center", false, true),
        CellKind::GroupLabel => ("center", false, false),
        CellKind::RowLabel => ("left", false, false),
        CellKind::Stated | CellKind::Derived | CellKind::Empty => ("right", false, false),
    };
    CellView {
        text: cell.text,
        note: cell.note,
        colspan: cell.colspan,
        rowspan: cell.rowspan,
        align,
        small,
        bold,
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn hostile_text_stays_inside_the_string() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("x\ny\r\t\u{7}"), "x\\ny\\r\\t\\u{7}");
        // Markup and code characters need no escape inside a string literal.
        let markup = "#let x = 1; ] [ $ * _ @ < > // /* = - + ~ `";
        assert_eq!(escape(markup), markup);
        assert_eq!(escape("\\\"); #panic(\""), "\\\\\\\"); #panic(\\\"");
    }
}
