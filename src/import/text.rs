//! The reader of plain text pasted from a browser: each table cell stands
//! on its own line after a tab, a blank line ends a table row, and a line
//! without a tab right after a cell continues that cell (a header printed
//! on two lines). Every other line is a heading or a paragraph.

use super::document::{Block, Cell, Document, Table, heading_level};

/// White space as a page has it: ASCII, U+00A0 and the ideographic space.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}'
}

fn trim(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// Reads plain text into the neutral document.
pub fn read(input: &str) -> Document {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut blocks = Vec::new();
    let mut table: Option<Table> = None;
    let mut row: Vec<Cell> = Vec::new();
    // Whether the line before was a cell line, and whether a blank line
    // came since the last cell.
    let mut after_cell = false;
    let mut row_ended = false;
    for (index, raw) in input.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.starts_with('\t') {
            let table = table.get_or_insert_with(Table::default);
            if row_ended && !row.is_empty() {
                table.rows.push(std::mem::take(&mut row));
            }
            // Each cell after its tab, with the column where its text starts.
            let mut column = 1;
            for (index, cell) in raw.split('\t').enumerate() {
                if index > 0 {
                    let lead = cell.len() - cell.trim_start_matches(is_space).len();
                    row.push(Cell::at(
                        trim(cell),
                        line,
                        column + cell[..lead].chars().count(),
                    ));
                }
                column += cell.chars().count() + 1;
            }
            after_cell = true;
            row_ended = false;
            continue;
        }
        let text = trim(raw);
        if text.is_empty() {
            after_cell = false;
            row_ended = true;
            continue;
        }
        if after_cell
            && heading_level(text).is_none()
            && let Some(cell) = row.last_mut()
        {
            cell.text.push('\n');
            cell.text.push_str(text);
            continue;
        }
        after_cell = false;
        if let Some(mut finished) = table.take() {
            if !row.is_empty() {
                finished.rows.push(std::mem::take(&mut row));
            }
            blocks.push(Block::Table(finished));
        }
        blocks.push(match heading_level(text) {
            Some(level) => Block::Heading {
                level,
                text: text.to_string(),
                line,
            },
            None => Block::Paragraph {
                text: text.to_string(),
                line,
            },
        });
    }
    if let Some(mut finished) = table {
        if !row.is_empty() {
            finished.rows.push(row);
        }
        blocks.push(Block::Table(finished));
    }
    Document { blocks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_a_table_of_tab_lines() {
        let input = "标题\n\n一、概述\n  正文。\n（一）小节\n\t信息内容\n\t本年新\n制作数量\n\n\t规章\n\t0\n\t\u{a0}\n\n\n二、下一节\n";
        let document = read(input);
        assert_eq!(document.blocks.len(), 6);
        assert_eq!(
            document.blocks[0],
            Block::Paragraph {
                text: "标题".into(),
                line: 1
            }
        );
        assert_eq!(
            document.blocks[1],
            Block::Heading {
                level: 1,
                text: "一、概述".into(),
                line: 3
            }
        );
        assert_eq!(
            document.blocks[2],
            Block::Paragraph {
                text: "正文。".into(),
                line: 4
            }
        );
        assert!(matches!(
            document.blocks[3],
            Block::Heading { level: 2, .. }
        ));
        let Block::Table(table) = &document.blocks[4] else {
            panic!("not a table: {:?}", document.blocks[4]);
        };
        assert_eq!(
            table.texts(),
            vec![vec!["信息内容", "本年新\n制作数量"], vec!["规章", "0", ""]]
        );
        assert_eq!(table.rows[1][1].line, 11);
        assert!(matches!(
            document.blocks[5],
            Block::Heading { level: 1, .. }
        ));
    }

    #[test]
    fn a_heading_right_after_a_cell_ends_the_table() {
        let document = read("\t规章\n\t0\n三、收到和处理政府信息公开申请情况\n");
        assert_eq!(document.blocks.len(), 2);
        assert!(matches!(
            document.blocks[1],
            Block::Heading { level: 1, .. }
        ));
    }
}
