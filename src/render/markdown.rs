//! Markdown: CommonMark with GFM tables. Multi-level column headers are
//! flattened (`法人或其他组织 / 商业企业`); row groups become label rows.
//! Every piece of user text is escaped, so that it renders literally.

use std::fmt::Write;

use super::layout::{CellKind, Grid, GridCell};
use super::{FlatBlock, TableBlock};
use crate::model;

pub fn render(report: &model::Report) -> String {
    let mut out = String::new();
    let header = &report.header;
    let _ = writeln!(out, "# {}\n", escape(&header.title));
    for block in super::flatten(report) {
        match block {
            FlatBlock::Heading { level, text } if level < 6 => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(level + 1), escape(text));
            }
            FlatBlock::Heading { text, .. } => {
                let _ = writeln!(out, "**{}**\n", escape(text));
            }
            FlatBlock::Paragraph { text } => {
                let _ = writeln!(out, "{}\n", escape(&super::typeset(text)));
            }
            FlatBlock::Table(block) => table_markdown(&mut out, &block),
        }
    }
    let waived = super::waived_lines(report);
    if !waived.is_empty() {
        let _ = writeln!(out, "## {}\n", super::WAIVED_HEADING);
        for line in waived {
            let _ = writeln!(out, "- {}", escape(&line));
        }
        out.push('\n');
    }
    let mut signature = vec![escape(&header.agency)];
    if let Some(published) = &header.published {
        signature.push(escape(&chinese_date(published)));
    }
    let _ = writeln!(out, "{}", signature.join("  \n"));
    out
}

/// A table as GFM from its grid: column heads flattened into one row
/// (`申请人情况 / 法人或其他组织 / 商业企业`), a row group's label as a row
/// of its own, a label column only where the grid has one. A grid without
/// a head (the items of section 二) starts with its first row, and its
/// title and head rows stay rows, as in the official form.
fn table_markdown(out: &mut String, block: &TableBlock<'_>) {
    let grid = &block.grid;
    if let Some(title) = block.title {
        let _ = writeln!(out, "**{}**\n", escape(title));
    }
    let labelled = grid.label_columns > 0;
    let values = grid.width - grid.label_columns;
    let mut body = grid.body.iter();
    let head: Vec<String> = if grid.header.is_empty() {
        body.next()
            .map(|row| row_cells(row, labelled, values))
            .unwrap_or_default()
    } else {
        let mut paths = vec![Vec::new(); grid.width];
        for cell in grid.header.iter().flatten() {
            if cell.kind == CellKind::ColumnHead {
                for path in &mut paths[cell.column..cell.column + cell.colspan] {
                    path.push(cell.text.as_str());
                }
            }
        }
        let heads = paths[grid.label_columns..]
            .iter()
            .map(|path| cell(&path.join(" / ")));
        labelled
            .then(|| "项目".to_string())
            .into_iter()
            .chain(heads)
            .collect()
    };
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let aligns = labelled
        .then_some(" --- |")
        .into_iter()
        .chain(std::iter::repeat_n(" ---: |", values));
    let _ = writeln!(out, "|{}", aligns.collect::<String>());
    for row in body {
        for group in row.iter().filter(|cell| cell.kind == CellKind::GroupLabel) {
            let _ = writeln!(out, "| **{}** |{}", cell(&group.text), " |".repeat(values));
        }
        let _ = writeln!(out, "| {} |", row_cells(row, labelled, values).join(" | "));
    }
    out.push('\n');
    let footnotes = grid.footnotes.iter().map(super::typeset);
    for note in corner_note(grid).cloned().into_iter().chain(footnotes) {
        let _ = writeln!(out, "注：{}\n", escape(&note));
    }
}

/// The note the grid shows in its corner, which Markdown puts under the
/// table.
fn corner_note(grid: &Grid) -> Option<&String> {
    grid.header
        .iter()
        .flatten()
        .find(|cell| cell.kind == CellKind::Corner && !cell.text.is_empty())
        .map(|cell| &cell.text)
}

/// The Markdown cells of a body row: the row's label (if the table has a
/// label column), then one cell per value column; a value, a head or a
/// title spanning columns is followed by empty cells; heads and titles are
/// bold.
fn row_cells(row: &[GridCell], labelled: bool, values: usize) -> Vec<String> {
    let mut cells = Vec::new();
    for grid_cell in row.iter().filter(|cell| cell.kind != CellKind::GroupLabel) {
        let text = match (&grid_cell.kind, &grid_cell.note) {
            (CellKind::ColumnHead | CellKind::Title, _) => format!("**{}**", cell(&grid_cell.text)),
            (_, Some(note)) => format!("{}（{}）", cell(&grid_cell.text), cell(note)),
            (_, None) => cell(&grid_cell.text),
        };
        cells.push(text);
        if grid_cell.kind != CellKind::RowLabel {
            cells.extend(std::iter::repeat_n(String::new(), grid_cell.colspan - 1));
        }
    }
    cells.truncate(usize::from(labelled) + values);
    cells
}

/// Escapes text for a table cell: as [`escape`], and line breaks as `<br>`.
fn cell(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

/// Escapes user text so that CommonMark and GFM show it literally: the
/// characters that open inline markup, HTML, entities, table cells, math
/// or strikethrough always, and the ones that start a block (`#`, `>`,
/// list markers, `=`) at the start of a line, where leading white space
/// (an indented code block) is dropped too.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let line = line.trim_start_matches([' ', '\t']);
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        for (position, c) in line.char_indices() {
            let starts_block = (position == 0 && matches!(c, '#' | '+' | '-' | '=' | '>'))
                || (position == digits
                    && digits > 0
                    && matches!(c, '.' | ')')
                    && line[position + 1..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace));
            if starts_block
                || matches!(
                    c,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '$'
                )
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// `2021-01-10` → `2021年1月10日`.
pub fn chinese_date(date: &str) -> String {
    let parts: Vec<u32> = date
        .split('-')
        .filter_map(|part| part.parse().ok())
        .collect();
    match parts.as_slice() {
        [year, month, day] => format!("{year}年{month}月{day}日"),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(
            escape("a|b <i>*x*</i> [l](u) # _ &amp;"),
            r"a\|b \<i\>\*x\*\</i\> \[l\](u) # \_ \&amp;"
        );
        assert_eq!(
            escape("# 标题\n- 列表\n1. 编号\n    代码\n> 引用"),
            "\\# 标题\n\\- 列表\n1\\. 编号\n代码\n\\> 引用"
        );
        assert_eq!(
            escape("95.3484万元 http://x.cn/ 1-2"),
            "95.3484万元 http://x.cn/ 1-2"
        );
        assert_eq!(cell("一\n二|"), "一<br>二\\|");
        assert_eq!(escape("（本列数据）"), "（本列数据）");
    }

    #[test]
    fn dates_in_chinese() {
        assert_eq!(chinese_date("2021-01-10"), "2021年1月10日");
    }
}
