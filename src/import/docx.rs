//! The reader of Word `.docx` files: the paragraphs and tables of the main
//! part, `word/document.xml` (with the heading styles of `word/styles.xml`).
//!
//! - A paragraph is a heading when it starts `一、` or `（一）` (as in plain
//!   text), or when its style is a heading (`heading 1` → level 1, deeper
//!   → level 2, or the style's outline level) — except at the top, before
//!   the first paragraph of body text, where a styled heading is the
//!   title. A line break inside a paragraph starts a new one; empty
//!   paragraphs are left out.
//! - A table is its rows of cells as Word merges them: a cell spanning
//!   `gridSpan` columns has that colspan; a `vMerge` run is listed once, at
//!   its `restart` cell, with the rows it covers as its rowspan (the cells
//!   that continue it are not listed) — the shape an HTML `<table>` has.
//!   A cell's paragraphs join with `\n`; a table inside a cell is read as
//!   more paragraphs of that cell.
//! - The "line" of a block or cell is the 1-based index of its (first)
//!   paragraph among all the paragraphs of the document, in order, those of
//!   table cells and empty ones included: Word has no line numbers, and
//!   this points at one place of the file that stays put.
//! - Deleted text (tracked changes), field codes, drawings and text boxes
//!   are not read.
//!
//! What is read is bounded: the document part and the styles each at most
//! [`XML_LIMIT`] bytes uncompressed, so that a zip bomb is refused (E0601)
//! rather than filling the memory.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::Failure;
use super::document::{Block, Cell, Document, Table, heading_level};
use crate::tr;

/// The most bytes of XML read from one part of a `.docx`.
pub const XML_LIMIT: u64 = 64 * 1024 * 1024;

/// Reads a `.docx` file into the neutral document.
pub fn read(bytes: &[u8]) -> Result<Document, Failure> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // Word keeps a password-protected .docx in an OLE container.
        return Err(Failure::unreadable(tr!(
            "this .docx is encrypted (protected by a password) or is an old .doc renamed: open it in Word, remove the password (or save it as .docx) and import the saved file"
        )));
    }
    let damaged = || {
        Failure::unreadable(tr!(
            "this .docx is damaged (not a complete zip archive): open it in Word and save it again, or import the report's web page"
        ))
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    let document = match part(&mut archive, "word/document.xml")? {
        Some(xml) => xml,
        None => {
            return Err(Failure::unreadable(tr!(
                "this file is a zip archive but not a Word document (it has no word/document.xml): save the report as .docx from Word, or import its web page"
            )));
        }
    };
    let styles = part(&mut archive, "word/styles.xml")?
        .map(|xml| heading_styles(&xml))
        .transpose()?
        .unwrap_or_default();
    parse(&document, &styles)
}

/// The text of one part of the archive, if it has it, at most
/// [`XML_LIMIT`] bytes.
fn part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, Failure> {
    let too_large = || {
        Failure::unreadable(tr!(
            "this .docx holds more than {limit} MiB of text in {part}, more than gdr reads: it is damaged or not a report",
            limit = XML_LIMIT / (1024 * 1024),
            part = name
        ))
    };
    let unreadable = || {
        Failure::unreadable(tr!(
            "{part} of this .docx cannot be read (it is damaged or encrypted): open the file in Word and save it again as .docx without a password",
            part = name
        ))
    };
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(unreadable()),
    };
    if file.size() > XML_LIMIT {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // The declared size may lie: read one byte beyond the limit at most.
    file.take(XML_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable())?;
    if bytes.len() as u64 > XML_LIMIT {
        return Err(too_large());
    }
    let text = String::from_utf8(bytes).map_err(|_| unreadable())?;
    Ok(Some(text.trim_start_matches('\u{feff}').to_string()))
}

/// The value of the attribute `local` (any prefix: `w:val`, `w:styleId`).
fn attribute(element: &BytesStart, local: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.local_name().as_ref() == local)
        .map(|attribute| attribute.value.into_owned())
}

/// What a paragraph style makes of its paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// A heading at the outline level (0 for `heading 1`).
    Heading(u8),
    /// The document's title.
    Title,
}

/// The heading and title styles of `word/styles.xml`, by style id (a
/// Chinese Word names `heading 1` with the id `1`, an English one
/// `Heading1`).
fn heading_styles(xml: &str) -> Result<Vec<(String, Style)>, Failure> {
    let mut reader = Reader::from_str(xml);
    let mut styles = Vec::new();
    let mut current: Option<(String, Option<Style>)> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|_| damaged_xml("word/styles.xml"))?;
        match event {
            Event::Start(element) | Event::Empty(element) => match element.local_name().as_ref() {
                "style" => {
                    current = attribute(&element, "styleId").map(|id| (id, None));
                }
                "name" => {
                    if let Some((_, style)) = current.as_mut() {
                        let name = attribute(&element, "val")
                            .unwrap_or_default()
                            .to_ascii_lowercase();
                        if name == "title" {
                            *style = Some(Style::Title);
                        } else if let Some(level) = name
                            .strip_prefix("heading ")
                            .and_then(|level| level.trim().parse::<u8>().ok())
                            .filter(|level| *level >= 1)
                        {
                            *style = Some(Style::Heading(level - 1));
                        }
                    }
                }
                "outlineLvl" => {
                    if let Some((_, style @ None)) = current.as_mut() {
                        *style = outline(&element).map(Style::Heading);
                    }
                }
                _ => {}
            },
            Event::End(element) if element.local_name().as_ref() == "style" => {
                if let Some((id, Some(style))) = current.take() {
                    styles.push((id, style));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(styles)
}

/// An outline level `w:val` 0–8 (9 is body text).
fn outline(element: &BytesStart) -> Option<u8> {
    attribute(element, "val")
        .and_then(|level| level.parse::<u8>().ok())
        .filter(|level| *level < 9)
}

fn damaged_xml(part: &str) -> Failure {
    Failure::unreadable(tr!(
        "{part} of this .docx is not well-formed XML: open the file in Word and save it again",
        part = part
    ))
}

/// White space as Word has it: ASCII, U+00A0 and the ideographic space.
fn trim(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}')
}

/// A paragraph being read.
#[derive(Default)]
struct Paragraph {
    text: String,
    line: usize,
    style: Option<String>,
    outline: Option<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A cell being read.
struct CellBuilder {
    lines: Vec<String>,
    line: Option<usize>,
    span: u32,
    vmerge: VMerge,
    /// A legacy `hMerge` continuation: it widens the cell before it.
    hmerge_continue: bool,
}

/// A table being read: its finished rows and the vertical merges still
/// open, by the grid column they start at.
#[derive(Default)]
struct TableBuilder {
    rows: Vec<Vec<Cell>>,
    open: Vec<(u32, usize, usize)>,
    row: Option<Vec<Cell>>,
    column: u32,
    cell: Option<CellBuilder>,
}

impl TableBuilder {
    fn start_row(&mut self) {
        self.end_row();
        self.row = Some(Vec::new());
        self.column = 0;
    }

    fn end_row(&mut self) {
        if let Some(row) = self.row.take() {
            self.rows.push(row);
        }
    }

    fn end_cell(&mut self, last_line: usize) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let row_index = self.rows.len();
        let Some(row) = self.row.as_mut() else {
            return;
        };
        let column = self.column;
        self.column = self.column.saturating_add(cell.span);
        let text = cell.lines.join("\n");
        let line = cell.line.unwrap_or(last_line);
        if cell.hmerge_continue
            && let Some(before) = row.last_mut()
        {
            before.colspan += cell.span;
            append(&mut before.text, &text);
            return;
        }
        let open = self.open.iter().position(|(at, ..)| *at == column);
        if cell.vmerge == VMerge::Continue
            && let Some(start) = open.and_then(|open| {
                let (_, at_row, at_cell) = self.open[open];
                self.rows.get_mut(at_row)?.get_mut(at_cell)
            })
        {
            start.rowspan += 1;
            append(&mut start.text, &text);
            return;
        }
        if let Some(open) = open {
            self.open.remove(open);
        }
        if cell.vmerge == VMerge::Restart {
            self.open.push((column, row_index, row.len()));
        }
        row.push(Cell {
            text,
            line,
            column: 0,
            colspan: cell.span,
            rowspan: 1,
        });
    }
}

/// Text a merged cell should not have, kept rather than dropped.
fn append(text: &mut String, more: &str) {
    if !more.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(more);
    }
}

/// The state of the reading of `word/document.xml`.
struct Parser<'s> {
    styles: &'s [(String, Style)],
    blocks: Vec<Block>,
    /// Paragraphs seen so far (the "line" of the next is one more).
    paragraphs: usize,
    /// Paragraphs being read (a text box may nest one in another).
    open: Vec<Paragraph>,
    /// Inside a `w:t`.
    in_text: bool,
    /// How deep in tables: the outermost one is read as a table, the
    /// ones inside its cells as paragraphs of the cell.
    depth: usize,
    table: TableBuilder,
    /// Whether the body text has started (after the title).
    body: bool,
}

impl Parser<'_> {
    fn start(&mut self, element: &BytesStart) {
        match element.local_name().as_ref() {
            "p" => {
                self.paragraphs += 1;
                self.open.push(Paragraph {
                    line: self.paragraphs,
                    ..Paragraph::default()
                });
            }
            "t" => self.in_text = true,
            "tab" | "ptab" => self.push_text("\t"),
            "br" | "cr" => self.push_text("\n"),
            "noBreakHyphen" => self.push_text("-"),
            "pStyle" => {
                if let Some(paragraph) = self.open.last_mut() {
                    paragraph.style = attribute(element, "val");
                }
            }
            "outlineLvl" => {
                if let Some(paragraph) = self.open.last_mut() {
                    paragraph.outline = outline(element);
                }
            }
            "tbl" => {
                self.depth += 1;
                if self.depth == 1 {
                    self.table = TableBuilder::default();
                }
            }
            "tr" if self.depth == 1 => self.table.start_row(),
            "tc" if self.depth == 1 => {
                self.table.cell = Some(CellBuilder {
                    lines: Vec::new(),
                    line: None,
                    span: 1,
                    vmerge: VMerge::None,
                    hmerge_continue: false,
                });
            }
            "gridBefore" if self.depth == 1 => {
                self.table.column = self.table.column.saturating_add(span(element));
            }
            "gridSpan" if self.depth == 1 => {
                if let Some(cell) = self.table.cell.as_mut() {
                    cell.span = span(element);
                }
            }
            "vMerge" if self.depth == 1 => {
                if let Some(cell) = self.table.cell.as_mut() {
                    cell.vmerge = match attribute(element, "val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            "hMerge" if self.depth == 1 => {
                if let Some(cell) = self.table.cell.as_mut() {
                    cell.hmerge_continue = attribute(element, "val").as_deref() != Some("restart");
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, local: &str) {
        match local {
            "p" => {
                if let Some(paragraph) = self.open.pop() {
                    self.paragraph(paragraph);
                }
            }
            "t" => self.in_text = false,
            "tc" if self.depth == 1 => self.table.end_cell(self.paragraphs),
            "tr" if self.depth == 1 => self.table.end_row(),
            "tbl" => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    let table = std::mem::take(&mut self.table);
                    self.blocks.push(Block::Table(Table { rows: table.rows }));
                    self.body = true;
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(paragraph) = self.open.last_mut() {
            paragraph.text.push_str(text);
        }
    }

    /// A finished paragraph: a line of its cell, or blocks of the body.
    fn paragraph(&mut self, paragraph: Paragraph) {
        if self.depth > 0 {
            if let Some(cell) = self.table.cell.as_mut() {
                for line in paragraph.text.split('\n').map(trim) {
                    if !line.is_empty() {
                        cell.line.get_or_insert(paragraph.line);
                        cell.lines.push(line.to_string());
                    }
                }
            }
            return;
        }
        let style = paragraph
            .style
            .as_deref()
            .and_then(|id| self.styles.iter().find(|(own, _)| own == id))
            .map(|(_, style)| *style);
        let outline = paragraph.outline.or(match style {
            Some(Style::Heading(level)) => Some(level),
            _ => None,
        });
        for text in paragraph.text.split('\n').map(trim) {
            if text.is_empty() {
                continue;
            }
            let line = paragraph.line;
            let level = heading_level(text).or(match outline {
                Some(level) if self.body => Some(if level == 0 { 1 } else { 2 }),
                _ => None,
            });
            if level.is_some() || (outline.is_none() && style != Some(Style::Title)) {
                self.body = true;
            }
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
    }
}

/// A `w:val` count of grid columns: at least 1, at most 63 (the most
/// columns Word gives a table).
fn span(element: &BytesStart) -> u32 {
    attribute(element, "val")
        .and_then(|value| value.parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, 63)
}

/// Elements whose content is not the report's text: drawings and text
/// boxes, embedded objects, the fallback copy of alternate content, text
/// moved away or deleted under tracked changes.
const SKIPPED: [&str; 7] = [
    "drawing",
    "pict",
    "object",
    "Fallback",
    "del",
    "moveFrom",
    "instrText",
];

/// Reads the body of `word/document.xml`.
fn parse(xml: &str, styles: &[(String, Style)]) -> Result<Document, Failure> {
    let mut reader = Reader::from_str(xml);
    let mut parser = Parser {
        styles,
        blocks: Vec::new(),
        paragraphs: 0,
        open: Vec::new(),
        in_text: false,
        depth: 0,
        table: TableBuilder::default(),
        body: false,
    };
    let damaged = || damaged_xml("word/document.xml");
    loop {
        match reader.read_event().map_err(|_| damaged())? {
            Event::Start(element) => {
                if SKIPPED.contains(&element.local_name().as_ref()) {
                    reader.read_to_end(element.name()).map_err(|_| damaged())?;
                    continue;
                }
                parser.start(&element);
            }
            Event::Empty(element) => {
                let local = element.local_name();
                if SKIPPED.contains(&local.as_ref()) {
                    continue;
                }
                parser.start(&element);
                parser.end(local.as_ref());
            }
            Event::End(element) => parser.end(element.local_name().as_ref()),
            Event::Text(text) if parser.in_text => {
                parser.push_text(&text.xml_content(XmlVersion::Implicit1_0));
            }
            Event::CData(text) if parser.in_text => {
                parser.push_text(&text.xml_content(XmlVersion::Implicit1_0));
            }
            Event::GeneralRef(reference) if parser.in_text => {
                let text = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&reference)
                        .unwrap_or_default()
                        .to_string(),
                };
                parser.push_text(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Document {
        blocks: parser.blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn document(body: &str) -> Document {
        let styles = heading_styles(&format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="9"><w:name w:val="custom"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#
        ))
        .expect("styles");
        parse(
            &format!("<w:document {W}><w:body>{body}</w:body></w:document>"),
            &styles,
        )
        .expect("parses")
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn styled(style: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    #[test]
    fn headings_by_numeral_or_by_style_after_the_title() {
        let body = [
            styled("1", "某局2020年度报告"),
            styled("a3", "副标题"),
            p("正文 &amp; 说明&#x3002;"),
            styled("1", "前言"),
            styled("9", "小节"),
            p("（一）概况"),
            "<w:p/>".to_string(),
            r#"<w:p><w:r><w:t xml:space="preserve">  甲 </w:t><w:br/><w:t>乙</w:t><w:tab/><w:t>丙</w:t></w:r></w:p>"#.to_string(),
            r#"<w:p><w:r><w:t>留</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:p><w:r><w:t>图</w:t></w:r></w:p></w:drawing></mc:Choice><mc:Fallback><w:pict><w:t>图</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#.to_string(),
        ]
        .concat();
        let blocks = document(&body).blocks;
        let got: Vec<(Option<u8>, &str, usize)> = blocks
            .iter()
            .map(|block| match block {
                Block::Heading { level, text, line } => (Some(*level), text.as_str(), *line),
                Block::Paragraph { text, line } => (None, text.as_str(), *line),
                Block::Table(_) => panic!("no table"),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (None, "某局2020年度报告", 1),
                (None, "副标题", 2),
                (None, "正文 & 说明。", 3),
                (Some(1), "前言", 4),
                (Some(2), "小节", 5),
                (Some(2), "（一）概况", 6),
                (None, "甲", 8),
                (None, "乙\t丙", 8),
                (None, "留", 9),
            ]
        );
    }

    fn tc(properties: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{properties}</w:tcPr>{}</w:tc>", p(text))
    }

    #[test]
    fn merges_are_listed_once_with_their_spans() {
        let restart = r#"<w:vMerge w:val="restart"/>"#;
        let body = [
            "<w:tbl><w:tr>",
            &tc(restart, "甲"),
            &tc(r#"<w:gridSpan w:val="2"/>"#, "乙"),
            "</w:tr><w:tr>",
            &tc("<w:vMerge/>", ""),
            &tc("", "1"),
            &tc(restart, "丙"),
            "</w:tr><w:tr>",
            &tc("<w:vMerge/>", ""),
            &tc("", "2"),
            &tc("<w:vMerge/>", ""),
            "</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>",
            &tc("", "3"),
            &tc("<w:vMerge/>", ""),
            "</w:tr><w:tr>",
            &tc("", "丁"),
            &tc(r#"<w:hMerge w:val="restart"/>"#, "戊"),
            &tc("<w:hMerge/>", ""),
            "</w:tr><w:tr><w:tc><w:tcPr/>",
            &p("本年新"),
            &p("制作数量"),
            "<w:tbl><w:tr><w:tc>",
            &p("内表"),
            "</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>",
            &p("表后"),
        ]
        .concat();
        let blocks = document(&body).blocks;
        let Block::Table(table) = &blocks[0] else {
            panic!("not a table: {blocks:?}");
        };
        let rows: Vec<Vec<(&str, u32, u32)>> = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| (cell.text.as_str(), cell.colspan, cell.rowspan))
                    .collect()
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                vec![("甲", 1, 3), ("乙", 2, 1)],
                vec![("1", 1, 1), ("丙", 1, 3)],
                vec![("2", 1, 1)],
                vec![("3", 1, 1)],
                vec![("丁", 1, 1), ("戊", 2, 1)],
                vec![("本年新\n制作数量\n内表", 1, 1)],
            ]
        );
        assert_eq!(table.rows[5][0].line, 14);
        assert_eq!(
            blocks[1],
            Block::Paragraph {
                text: "表后".into(),
                line: 17
            }
        );
    }

    #[test]
    fn any_shuffle_of_the_elements_reads_without_panicking() {
        let cells = [
            tc(r#"<w:vMerge w:val="restart"/>"#, "甲"),
            tc(r#"<w:gridSpan w:val="4000000000"/>"#, "乙"),
            tc("<w:vMerge/>", ""),
            tc("<w:hMerge/>", "丙"),
        ];
        let pieces: Vec<String> = [
            "<w:tbl>",
            "</w:tbl>",
            "<w:tr>",
            "</w:tr>",
            "<w:tc>",
            "</w:tc>",
            "<w:p>",
            "</w:p>",
            "<w:trPr><w:gridBefore w:val=\"3\"/></w:trPr>",
            "<w:br/>",
            "<w:t>字</w:t>",
        ]
        .iter()
        .map(|piece| piece.to_string())
        .chain(cells)
        .collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..3000 {
            let body: String = (0..rng.usize(1..40))
                .map(|_| pieces[rng.usize(..pieces.len())].as_str())
                .collect();
            let _ = parse(&format!("<w:document {W}><w:body>{body}"), &[]);
        }
    }

    #[test]
    fn broken_xml_is_refused() {
        let failure = parse(
            &format!("<w:document {W}><w:body><w:p></w:r></w:body>"),
            &[],
        )
        .expect_err("refused");
        assert_eq!(failure.code, crate::diagnostics::Code::ImportUnreadable);
    }
}
