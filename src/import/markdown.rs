//! The reader of Markdown, as PDF-to-text tools write it: headings,
//! paragraphs and pipe tables.
//!
//! - A `#` heading is a heading: of the level its numeral says (`一、` 1,
//!   `（一）` 2, as in plain text), else of its `#`s (`#` 1, deeper 2) —
//!   except before the first body text, where it is the title. A line
//!   that starts `一、` or `（一）` and reads as a heading (short, without
//!   `。`, `，` or `；`) is one without the `#`s too.
//! - Lines that follow each other form one paragraph, as such tools break
//!   a paragraph at each printed line: they are joined as they are, with a
//!   space only between Latin words (a number or a Chinese word broken at
//!   the end of a line is whole again). A blank line, a heading, a table,
//!   a list item or a hard line break (two spaces or a `\` at the end)
//!   ends a paragraph. Emphasis around a whole line or
//!   cell (`**…**`) is dropped; images, rules and comments are left out.
//! - A table is a run of lines starting with `|`; the delimiter row
//!   (`|---|:---:|`) is left out; `\|` is a `|` in a cell and `<br>` a line
//!   break. Markdown cannot merge cells: every cell spans one column and
//!   one row, and a merged header prints as repeated or empty cells.
//! - A block's line is the line of the input it starts on.

use super::document::{Block, Cell, Document, Table, heading_level};

/// White space as a page has it: ASCII, U+00A0 and the ideographic space.
fn trim(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}')
}

/// Reads Markdown into the neutral document.
pub fn read(input: &str) -> Document {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut reader = Markdown::default();
    let mut in_comment = false;
    for (index, raw) in input.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_end_matches('\r');
        let text = trim(raw);
        if in_comment {
            in_comment = !text.contains("-->");
            continue;
        }
        if text.starts_with("<!--") {
            in_comment = !text.contains("-->");
            continue;
        }
        if text.starts_with('|') {
            reader.end_paragraph();
            // The columns count from the start of the line as written.
            let indent = raw[..raw.len() - raw.trim_start().len()].chars().count();
            reader.table_row(text, line, indent);
            continue;
        }
        reader.end_table();
        if text.is_empty() || is_rule(text) || is_image(text) {
            reader.end_paragraph();
            continue;
        }
        if let Some(heading) = atx_heading(text) {
            reader.end_paragraph();
            reader.heading(heading, line);
            continue;
        }
        let item = is_list_item(text);
        let hard_break = raw.ends_with("  ") || text.ends_with('\\');
        let text = trim(text.strip_suffix('\\').unwrap_or(text));
        let text = unwrap_emphasis(trim(text.strip_prefix('>').unwrap_or(text)));
        if heading_level(text).is_some() && reads_as_heading(text) {
            reader.end_paragraph();
            reader.push(text, line, heading_level(text));
            continue;
        }
        if item {
            reader.end_paragraph();
        }
        if !text.is_empty() {
            reader.paragraph_line(text, line);
        }
        if hard_break {
            reader.end_paragraph();
        }
    }
    reader.end_paragraph();
    reader.end_table();
    Document {
        blocks: reader.blocks,
    }
}

#[derive(Default)]
struct Markdown {
    blocks: Vec<Block>,
    /// The paragraph being joined, and its first line.
    paragraph: Option<(String, usize)>,
    table: Option<Table>,
    /// Whether the body text has started (after the title).
    body: bool,
}

impl Markdown {
    fn paragraph_line(&mut self, text: &str, line: usize) {
        match self.paragraph.as_mut() {
            Some((paragraph, _)) => {
                let latin_before = paragraph
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphabetic() || ",.;:!?)".contains(c));
                if latin_before && text.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    paragraph.push(' ');
                }
                paragraph.push_str(text);
            }
            None => self.paragraph = Some((text.to_string(), line)),
        }
    }

    fn end_paragraph(&mut self) {
        if let Some((text, line)) = self.paragraph.take() {
            self.push(&text, line, None);
        }
    }

    /// A block of text: a heading of `level`, or a paragraph.
    fn push(&mut self, text: &str, line: usize, level: Option<u8>) {
        self.body = true;
        self.blocks.push(match level {
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

    fn heading(&mut self, (hashes, text): (usize, &str), line: usize) {
        if text.is_empty() {
            return;
        }
        let level = heading_level(text).or(self.body.then_some(if hashes == 1 { 1 } else { 2 }));
        if level.is_some() {
            self.push(text, line, level);
        } else {
            // The title: the body has not started.
            self.blocks.push(Block::Paragraph {
                text: text.to_string(),
                line,
            });
        }
    }

    fn table_row(&mut self, text: &str, line: usize, indent: usize) {
        let cells = cells(text);
        if cells.iter().all(|(cell, _)| is_delimiter(cell)) {
            return;
        }
        let table = self.table.get_or_insert_with(Table::default);
        table.rows.push(
            cells
                .iter()
                .map(|(cell, column)| Cell::at(cell_text(cell), line, indent + column))
                .collect(),
        );
    }

    fn end_table(&mut self) {
        if let Some(table) = self.table.take() {
            self.blocks.push(Block::Table(table));
            self.body = true;
        }
    }
}

/// `## 一、总体情况` as (2, `一、总体情况`), closing `#`s dropped.
fn atx_heading(text: &str) -> Option<(usize, &str)> {
    let hashes = text.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &text[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = trim(rest).trim_end_matches('#');
    Some((hashes, unwrap_emphasis(trim(rest))))
}

/// A numbered line that reads as a heading rather than a sentence.
fn reads_as_heading(text: &str) -> bool {
    text.chars().count() <= 40 && !text.contains(['。', '，', '；'])
}

/// `---`, `***` or `___` (three or more, spaces allowed).
fn is_rule(text: &str) -> bool {
    let marks: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|mark| marks.chars().all(|c| c.to_string() == *mark))
}

/// A line that is only an image, `![alt](src)`.
fn is_image(text: &str) -> bool {
    text.starts_with("![") && text.ends_with(')')
}

/// `- item`, `* item`, `+ item` or `1. item` (ASCII digits, `.` or `)`).
fn is_list_item(text: &str) -> bool {
    if text.starts_with(['-', '*', '+']) && text[1..].starts_with(' ') {
        return true;
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && (text[digits..].starts_with(". ") || text[digits..].starts_with(") "))
}

/// `**text**` or `__text__` around the whole text, dropped.
fn unwrap_emphasis(text: &str) -> &str {
    for mark in ["**", "__"] {
        if let Some(inner) = text
            .strip_prefix(mark)
            .and_then(|rest| rest.strip_suffix(mark))
            && !inner.is_empty()
        {
            return trim(inner);
        }
    }
    text
}

/// The cells of a table row: split at each `|` not escaped by `\`,
/// without the outer pipes.
fn cells(row: &str) -> Vec<(String, usize)> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    // The column (1-based, in characters) where the cell's text starts.
    let mut start = 1;
    let mut chars = row.chars().enumerate();
    while let Some((at, c)) = chars.next() {
        if cell.is_empty() && c != '|' && !c.is_whitespace() {
            start = at + 1;
        }
        match c {
            '\\' => match chars.next() {
                Some((_, '|')) => cell.push('|'),
                Some((_, other)) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => {
                cells.push((std::mem::take(&mut cell), start));
                start = at + 2;
            }
            c => cell.push(c),
        }
    }
    if !trim(&cell).is_empty() {
        cells.push((cell, start));
    }
    // The text before the leading pipe is empty.
    if cells
        .first()
        .is_some_and(|(first, _)| trim(first).is_empty())
    {
        cells.remove(0);
    }
    cells
}

/// `---`, `:--`, `--:` or `:-:`.
fn is_delimiter(cell: &str) -> bool {
    let cell = trim(cell);
    let inner = cell.strip_prefix(':').unwrap_or(cell);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    !inner.is_empty() && inner.chars().all(|c| c == '-')
}

/// A cell's text: `<br>` as a line break, `&nbsp;` as a space, each line
/// trimmed, emphasis around it dropped.
fn cell_text(cell: &str) -> String {
    let mut text = cell.replace("&nbsp;", " ");
    for br in ["<br/>", "<br />", "<BR>", "<br>"] {
        text = text.replace(br, "\n");
    }
    text.split('\n')
        .map(|line| unwrap_emphasis(trim(line)))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_joined_paragraphs_and_a_pipe_table() {
        let input = "# 某局2020年度政府信息公开\n# 工作年度报告\n\n根据《条例》，\n现公布本报告。\nSee the\nweb site.\n\n## 一、总体情况\n正文。\n二、主动公开政府信息情况\n| 信息内容 | 本年新<br>制作数量 | a \\| b |\n|---|:---:|---|\n| 规章 | 0 | |\n\n# 说明\n";
        let document = read(input);
        let blocks = &document.blocks;
        assert_eq!(
            blocks[0],
            Block::Paragraph {
                text: "某局2020年度政府信息公开".into(),
                line: 1
            }
        );
        assert!(matches!(&blocks[1], Block::Paragraph { line: 2, .. }));
        assert_eq!(
            blocks[2],
            Block::Paragraph {
                text: "根据《条例》，现公布本报告。See the web site.".into(),
                line: 4
            }
        );
        assert_eq!(
            blocks[3],
            Block::Heading {
                level: 1,
                text: "一、总体情况".into(),
                line: 9
            }
        );
        assert!(matches!(&blocks[4], Block::Paragraph { text, .. } if text == "正文。"));
        assert!(matches!(
            &blocks[5],
            Block::Heading {
                level: 1,
                line: 11,
                ..
            }
        ));
        let Block::Table(table) = &blocks[6] else {
            panic!("not a table: {:?}", blocks[6]);
        };
        assert_eq!(
            table.texts(),
            vec![
                vec!["信息内容", "本年新\n制作数量", "a | b"],
                vec!["规章", "0", ""]
            ]
        );
        assert_eq!(table.rows[1][0].line, 14);
        assert!(
            table
                .rows
                .iter()
                .flatten()
                .all(|cell| cell.colspan == 1 && cell.rowspan == 1)
        );
        // After the body has started, a `#` heading without a numeral is a
        // heading by its `#`s.
        assert_eq!(
            blocks[7],
            Block::Heading {
                level: 1,
                text: "说明".into(),
                line: 16
            }
        );
        assert_eq!(blocks.len(), 8);
    }

    #[test]
    fn a_wrapped_line_that_starts_with_a_numeral_stays_in_its_paragraph() {
        let document = read(
            "我们做了以下工作：一、\n二、三项工作均已完成，效果良好，群众满意。\n\n- 一是\n- 二是\n",
        );
        let texts: Vec<&str> = document
            .blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph { text, .. } => text.as_str(),
                other => panic!("not a paragraph: {other:?}"),
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                "我们做了以下工作：一、二、三项工作均已完成，效果良好，群众满意。",
                "- 一是",
                "- 二是"
            ]
        );
    }

    #[test]
    fn any_text_reads_without_panicking() {
        let pieces = [
            "|",
            "\\",
            "#",
            "## ",
            "一、",
            "（一）",
            "<br>",
            "<!--",
            "-->",
            "**",
            "- ",
            "1. ",
            "---",
            "![",
            ")",
            ":",
            " ",
            "  ",
            "\n",
            "\r\n",
            "字",
            "a",
            "7",
            "\u{3000}",
            "\u{feff}",
        ];
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..3000 {
            let input: String = (0..rng.usize(0..60))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let document = read(&input);
            for block in &document.blocks {
                if let Block::Paragraph { text, .. } | Block::Heading { text, .. } = block {
                    assert!(!text.is_empty(), "{input:?}");
                }
            }
        }
    }

    #[test]
    fn hard_breaks_rules_images_and_comments() {
        let document =
            read("甲  \n乙\\\n丙\n\n---\n![图](a.png)\n<!-- 注释\n仍是注释 -->\n丁\n>\n**戊**\n");
        let texts: Vec<&str> = document
            .blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph { text, .. } => text.as_str(),
                other => panic!("not a paragraph: {other:?}"),
            })
            .collect();
        assert_eq!(texts, vec!["甲", "乙", "丙", "丁戊"]);
    }
}
