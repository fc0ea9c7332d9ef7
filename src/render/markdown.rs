//! Markdown: CommonMark with GFM tables. Multi-level column headers are
//! flattened (`法人或其他组织 / 商业企业`); row groups become label rows.
//! Every piece of user text is escaped, so that it renders literally.

use std::fmt::Write;

use super::FlatBlock;
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
                let _ = writeln!(out, "{}\n", escape(text));
            }
            FlatBlock::Table {
                table, show_title, ..
            } => table_markdown(&mut out, table, show_title),
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

fn table_markdown(out: &mut String, table: &model::Table, show_title: bool) {
    if let Some(title) = table.title.as_ref().filter(|_| show_title) {
        let _ = writeln!(out, "**{}**\n", escape(title));
    }
    let mut heads = Vec::new();
    for column in &table.columns {
        leaf_heads(column, &mut Vec::new(), &mut heads);
    }
    let _ = writeln!(
        out,
        "| 项目 | {} |",
        heads
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(out, "| --- |{}", " ---: |".repeat(heads.len()));
    for row in &table.rows {
        rows_markdown(out, row, heads.len());
    }
    out.push('\n');
    for note in &table.notes {
        let _ = writeln!(out, "注：{}\n", escape(note));
    }
}

fn leaf_heads(column: &model::Column, path: &mut Vec<String>, out: &mut Vec<String>) {
    path.push(column.label.clone());
    if column.children.is_empty() {
        out.push(path.join(" / "));
    } else {
        for child in &column.children {
            leaf_heads(child, path, out);
        }
    }
    path.pop();
}

fn rows_markdown(out: &mut String, row: &model::Row, width: usize) {
    if row.cells.is_empty() && !row.children.is_empty() {
        let _ = writeln!(out, "| **{}** |{}", cell(&row.label), " |".repeat(width));
        for child in &row.children {
            rows_markdown(out, child, width);
        }
        return;
    }
    let values: Vec<String> = (0..width)
        .map(|index| match row.cells.get(index) {
            Some(value) => match &value.note {
                Some(note) => format!("{}（{}）", cell(&value.text), cell(note)),
                None => cell(&value.text),
            },
            None => String::new(),
        })
        .collect();
    let _ = writeln!(out, "| {} | {} |", cell(&row.label), values.join(" | "));
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
