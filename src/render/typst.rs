//! Typst: a `.typ` file that typesets to a PDF laid out like an official
//! report.
//!
//! User text goes out only inside Typst string literals (`"…"`), escaped by
//! `TypstString`, the escaper askama applies to every `{{ … }}` of a
//! `.typ` template. Inside a string literal only `\` and `"` are special
//! (and line breaks, which are written as escapes), so no input can end
//! the literal and inject code or markup.

use std::fmt::{self, Write};

use askama::Template;

use super::layout::{CellKind, GridCell};
use super::{Segment, TableBlock, ViewBlock};
use crate::model;

/// Escapes text for the inside of a Typst string literal.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TypstString;

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
    /// The title in lines of even length.
    title_lines: String,
    /// `(top: 37mm, …)`: generated, not user text.
    margins: String,
    /// [`TITLE_SIZE_PT`], [`TABLE_SIZE_PT`], [`INSET_PT`] and
    /// [`INSET_Y_PT`], for the template.
    title_size: f64,
    table_size: f64,
    inset: f64,
    inset_y: f64,
}

struct TableView<'a> {
    title: Option<&'a str>,
    unit: Option<&'a str>,
    /// `(1.2fr, 4fr, 1fr, …)`: generated, not user text.
    columns: String,
    label_columns: usize,
    /// Short tables stay on one page, with their title; a long one breaks
    /// between rows, but never inside a row group (see `CellView`).
    breakable: bool,
    header: Vec<CellView>,
    body: Vec<CellView>,
    footnotes: Vec<Vec<Segment<'static>>>,
}

#[derive(Clone)]
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
    /// False for a row group's label: the rows it spans stay on one page
    /// (unless they may not fit on one).
    breakable: bool,
    /// An estimate of the lines the cell takes.
    lines: usize,
    /// A value with its unit (`16人` in a column of 件): one unbreakable
    /// box.
    keep: bool,
}

/// The page margins of GB/T 9704 on A4 (210 × 297 mm), in millimetres.
const TOP_MM: f64 = 37.0;
const BOTTOM_MM: f64 = 35.0;
const LEFT_MM: f64 = 28.0;
const RIGHT_MM: f64 = 26.0;
/// The width of the text area, in points.
const TEXT_WIDTH_PT: f64 = (210.0 - LEFT_MM - RIGHT_MM) / 25.4 * 72.0;
/// The height of the text area, in points.
const TEXT_HEIGHT_PT: f64 = (297.0 - TOP_MM - BOTTOM_MM) / 25.4 * 72.0;
/// The height of the first line of table text in a cell, and the distance
/// to each further line, in points (measured with Typst 0.14).
const FIRST_LINE_PT: f64 = TABLE_SIZE_PT * 0.73;
const LINE_PT: f64 = TABLE_SIZE_PT * 1.18;
/// The vertical inset of a table cell, in points, on each side.
const INSET_Y_PT: f64 = 3.0;
/// The size of the title, in points (二号).
const TITLE_SIZE_PT: f64 = 22.0;
/// The size of table text, in points (五号).
const TABLE_SIZE_PT: f64 = 10.5;
/// The horizontal inset of a table cell, in points, on each side.
const INSET_PT: f64 = 3.0;

pub(crate) fn render(report: &model::Report) -> String {
    // Rendering into a String only fails if a Display impl fails; ours
    // are plain strings and numbers.
    with_document(report, |document| document.render().unwrap_or_default())
}

/// [`render`] into `out`, written as it is made. Fails only as `out` does.
pub(crate) fn render_to(report: &model::Report, out: &mut super::Spill<'_>) -> std::io::Result<()> {
    with_document(report, |document| {
        document.render_into(out).map_err(|_| out.fmt_error())
    })
}

/// The document of `report`, given to `render`.
fn with_document<R>(report: &model::Report, render: impl FnOnce(&Document<'_>) -> R) -> R {
    let blocks = super::view_blocks(report, |depth| depth, table_view);
    let front = super::Front::of(report);
    let document = Document {
        title_lines: balanced_lines(front.title, TEXT_WIDTH_PT / TITLE_SIZE_PT, false),
        front,
        margins: format!(
            "(top: {TOP_MM}mm, bottom: {BOTTOM_MM}mm, left: {LEFT_MM}mm, right: {RIGHT_MM}mm)"
        ),
        blocks,
        title_size: TITLE_SIZE_PT,
        table_size: TABLE_SIZE_PT,
        inset: INSET_PT,
        inset_y: INSET_Y_PT,
    };
    render(&document)
}

fn table_view(block: TableBlock<'_>) -> TableView<'_> {
    let grid = block.grid;
    let widths = grid.column_widths();
    let fractions: Vec<String> = widths.iter().map(|width| format!("{width}fr")).collect();
    let total: f64 = widths.iter().sum();
    let view = |cells: Vec<GridCell>| -> Vec<CellView> {
        cells
            .into_iter()
            .map(|cell| {
                let room = widths[cell.column..cell.column + cell.colspan]
                    .iter()
                    .sum::<f64>()
                    / total
                    * TEXT_WIDTH_PT;
                cell_view(cell, room)
            })
            .collect()
    };
    let header: Vec<Vec<CellView>> = grid.header.into_iter().map(view).collect();
    let mut body: Vec<Vec<CellView>> = grid.body.into_iter().map(view).collect();
    let header_height: f64 = header.iter().map(|row| row_height(row)).sum();
    keep_groups(&mut body, TEXT_HEIGHT_PT - header_height);
    TableView {
        title: block.title,
        unit: block.unit,
        columns: format!("({})", fractions.join(", ")),
        breakable: body.len() > 20,
        label_columns: grid.label_columns,
        header: header.into_iter().flatten().collect(),
        body: body.into_iter().flatten().collect(),
        footnotes: super::footnote_segments(&grid.footnotes),
    }
}

/// Keeps each row group on one page: its label is unbreakable. A group
/// that may not fit on a page of `room` points (by estimate) is cut, between
/// its subgroups, into parts of at most three quarters of that, each under
/// its own copy of the label; a part that still does not fit breaks rather than run off the
/// page. (An estimate a little short runs into the bottom margin.)
fn keep_groups(body: &mut [Vec<CellView>], room: f64) {
    let heights: Vec<f64> = body.iter().map(|row| row_height(row)).collect();
    for index in 0..body.len() {
        for position in 0..body[index].len() {
            let cell = &body[index][position];
            if cell.breakable {
                continue;
            }
            let rows = index..(index + cell.rowspan).min(heights.len());
            // The rows where a part may start: no other label spans the
            // boundary above them.
            let crossed = |at: usize| {
                rows.clone().any(|row| {
                    let skip = if row == index { position + 1 } else { 0 };
                    body[row]
                        .iter()
                        .skip(skip)
                        .any(|other| !other.breakable && row < at && row + other.rowspan > at)
                })
            };
            let total: f64 = heights[rows.clone()].iter().sum();
            // Parts of three quarters of a page leave room above the first
            // for what precedes it.
            let part_room = if total > room { 0.75 * room } else { room };
            let mut parts: Vec<(usize, f64)> = vec![(index, 0.0)];
            for row in rows.clone() {
                let last = parts.last().copied().unwrap_or((index, 0.0));
                if row > last.0 && last.1 + heights[row] > part_room && !crossed(row) {
                    parts.push((row, 0.0));
                }
                if let Some(part) = parts.last_mut() {
                    part.1 += heights[row];
                }
            }
            let ends: Vec<usize> = parts
                .iter()
                .skip(1)
                .map(|part| part.0)
                .chain([rows.end])
                .collect();
            for (&(start, height), end) in parts.iter().zip(ends).rev() {
                let mut part = body[index][position].clone();
                part.rowspan = end - start;
                part.breakable = height > room;
                if start == index {
                    body[index][position] = part;
                } else {
                    body[start].insert(0, part);
                }
            }
        }
    }
}

/// An estimate of the height of a row, in points: its tallest cell that
/// spans only this row.
fn row_height(row: &[CellView]) -> f64 {
    let lines = row
        .iter()
        .filter(|cell| cell.rowspan == 1)
        .map(|cell| cell.lines)
        .max()
        .unwrap_or(1);
    FIRST_LINE_PT + (lines - 1) as f64 * LINE_PT + 2.0 * INSET_Y_PT
}

/// The view of `cell`, `room` points wide.
fn cell_view(cell: GridCell, room: f64) -> CellView {
    let (align, small, bold) = match cell.kind {
        CellKind::Corner => ("left", true, false),
        CellKind::ColumnHead => ("center", false, true),
        CellKind::Title => ("left", false, true),
        CellKind::GroupLabel => ("center", false, false),
        CellKind::RowLabel => ("left", false, false),
        CellKind::Stated | CellKind::Derived | CellKind::Empty => ("right", false, false),
    };
    let fits = (room - 2.0 * INSET_PT) / TABLE_SIZE_PT;
    let is_value = cell.is_value();
    let text = if is_value || cell.kind == CellKind::Corner {
        cell.text
    } else {
        balanced_lines(&cell.text, fits, cell.kind == CellKind::GroupLabel)
    };
    let note = cell
        .note
        .as_deref()
        .map_or(0.0, |note| text_width(note) + 2.0);
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(index, line)| {
            let width = text_width(line) + if index == 0 { note } else { 0.0 };
            (width / fits.max(1.0)).ceil().max(1.0) as usize
        })
        .sum();
    let keep = is_value
        && text
            .chars()
            .any(|c| !(c.is_ascii_digit() || c == '.' || c == super::MINUS));
    CellView {
        keep,
        text,
        note: cell.note,
        colspan: cell.colspan,
        rowspan: cell.rowspan,
        align,
        small,
        bold,
        breakable: cell.kind != CellKind::GroupLabel,
        lines,
    }
}

/// The width of `c` in `em`, roughly: a Chinese character is 1, an ASCII
/// one about half, a stop less.
fn char_width(c: char) -> f64 {
    match c {
        '.' | ',' | ':' | ';' => 0.3,
        c if c.is_ascii() => 0.55,
        _ => 1.0,
    }
}

/// The width of `text` in `em`, roughly.
fn text_width(text: &str) -> f64 {
    text.chars().map(char_width).sum()
}

/// Text of a table cell broken into lines of even width when it does not
/// fit on one line `fits` characters wide, so that no line holds one stray
/// character (「商业企」「业」 becomes 「商业」「企业」). Widths count a
/// Chinese character as 1, an ASCII one as about half and a stop as
/// less ([`char_width`]). No line starts
/// with a closing mark or ends with an opening one, and digits stay
/// together. With `ordinal`, a leading 「三、」 or 「（三）」 stands on its
/// own line (a group label in its narrow column). Text that cannot be
/// broken evenly, or holds spaces or line breaks, is left to Typst.
pub(crate) fn balanced_lines(text: &str, fits: f64, ordinal: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let width = |c: &char| char_width(*c);
    let total: f64 = chars.iter().map(width).sum();
    if total <= fits || chars.iter().any(|c| c.is_whitespace()) {
        return text.to_string();
    }
    let prefix = match chars.as_slice() {
        ['（', ..] if ordinal => chars.iter().position(|&c| c == '）').map(|end| end + 1),
        [_, '、', ..] if ordinal => Some(2),
        _ => None,
    };
    if let Some(end) = prefix.filter(|&end| end < chars.len()) {
        let head: f64 = chars[..end].iter().map(width).sum();
        if head <= fits {
            let rest = String::from_iter(&chars[end..]);
            let head = String::from_iter(&chars[..end]);
            return format!("{head}\n{}", balanced_lines(&rest, fits, false));
        }
    }
    let breakable = |at: usize| {
        let (before, after) = (chars[at - 1], chars[at]);
        let opens = "（(“‘《〈【[".contains(before);
        let closes = "）)”’》〉】]，。、；：！？,.;:!?%".contains(after);
        let digits = before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric();
        !(opens || closes || digits)
    };
    let lines = (total / fits).ceil();
    // Break where the width so far comes closest to an even share.
    let mut breaks = Vec::new();
    for line in 1..lines as usize {
        let goal = total * line as f64 / lines;
        let mut so_far = 0.0;
        let mut best: Option<(usize, f64)> = None;
        for at in 1..chars.len() {
            so_far += width(&chars[at - 1]);
            let miss = (so_far - goal).abs();
            if breakable(at) && best.is_none_or(|(_, least)| miss <= least) {
                best = Some((at, miss));
            }
        }
        match best {
            Some((at, _)) if breaks.last().is_none_or(|&last| at > last) => breaks.push(at),
            _ => return text.to_string(),
        }
    }
    breaks.push(chars.len());
    let mut out = String::new();
    let mut start = 0;
    for end in breaks {
        let line = &chars[start..end];
        if line.iter().map(width).sum::<f64>() > fits + 0.01 {
            return text.to_string();
        }
        if start > 0 {
            out.push('\n');
        }
        out.extend(line);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{balanced_lines, escape};

    #[test]
    fn cell_text_breaks_into_even_lines() {
        let lines = |text, fits| balanced_lines(text, fits, false);
        assert_eq!(lines("商业企业", 3.2), "商业\n企业");
        assert_eq!(lines("商业企业", 4.0), "商业企业");
        assert_eq!(lines("社会公益组织", 4.5), "社会公\n益组织");
        assert_eq!(lines("自然人", 2.5), "自然\n人", "no better way");
        assert_eq!(lines("本年度办理结果", 3.0), "本年\n度办理\n结果");
        assert_eq!(
            lines("本年收费金额（单位：万元）", 8.0),
            "本年收费金额\n（单位：万元）"
        );
        assert_eq!(lines("3.危及“三安全一稳定”", 8.5), "3.危及“三安\n全一稳定”");
        assert_eq!(lines("12.属于", 2.0), "12.\n属于");
        assert_eq!(lines("123456", 2.0), "123456", "digits stay together");
        assert_eq!(lines("a b c d e f", 2.0), "a b c d e f");
        let group = |text, fits| balanced_lines(text, fits, true);
        assert_eq!(group("三、本年度办理结果", 3.2), "三、\n本年\n度办理\n结果");
        assert_eq!(group("（三）不予公开", 3.2), "（三）\n不予\n公开");
        assert_eq!(group("（三）不予公开", 4.0), "（三）\n不予公开");
    }

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
