//! The reader of HTML pages as saved from a portal: the encoding found by
//! BOM, `<meta charset>` or detection (`decode`); the page parsed into a
//! light tree (`tree`); the article found among the site's chrome (the
//! container of the report's tables and of most of the prose); the page's
//! metadata (索引号/发布机构/公开日期 tables, `<meta name="PubDate">`) read
//! for the header ([`Page`]).
//!
//! Inside the article, block elements (`<p>`, `<div>`, `<h1>` …, `<li>`)
//! are paragraphs or headings, however many `<span>`/`<font>` Word nested
//! in them; a `<br>` outside a table ends a line; a `<table>` is a grid of
//! cells with their `colspan`/`rowspan`, a `<br>` in a cell a `\n`.

mod decode;
mod tree;

use super::document::{Block, Cell, Document, Table, heading_level};
use super::label::normalize;
use super::{Failure, Warning};
use crate::diagnostics::Code;
use crate::tr;
use tree::{NodeId, Tree};

/// A page as read: the article, and what the page says about it outside.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub document: Document,
    /// `发布日期`/`公开日期` of the page's metadata, as `YYYY-MM-DD`.
    pub published: Option<String>,
    /// `发布机构` of the page's metadata.
    pub agency: Option<String>,
    /// What the reader had to guess (the encoding).
    pub warnings: Vec<Warning>,
}

/// Reads an HTML page into the neutral document.
pub fn read(bytes: &[u8]) -> Result<Document, Failure> {
    read_page(bytes).map(|page| page.document)
}

/// Reads an HTML page: the article, and the page's metadata.
pub fn read_page(bytes: &[u8]) -> Result<Page, Failure> {
    let mut warnings = Vec::new();
    // The decoded page, with its lines for the places of problems and cells.
    let lines = crate::SourceFile::new("", decode::decode(bytes, &mut warnings)?);
    let text: &str = &lines.text;
    let tree = tree::parse(text);
    // A page saved before it had loaded, or cut off in a copy: it stops in
    // the middle of a report table. (An unclosed table in a page that ends
    // properly is only a careless page.)
    let ends = text
        .trim_end()
        .get(text.trim_end().len().saturating_sub(7)..)
        .is_some_and(|end| end.eq_ignore_ascii_case("</html>"));
    if let Some(table) = tree.unclosed_table
        && !ends
        && is_report_table(&tree, table)
    {
        return Err(Failure {
            code: Code::ImportUnreadable,
            line: Some(lines.line_col(tree.start(table)).line),
            column: Some(lines.line_col(tree.start(table)).column),
            message: tr!(
                "the page ends inside a table: it is cut off (the table that starts here has no end); save the whole page again"
            ),
        });
    }
    let article = article(&tree);
    let mut reader = Reader {
        tree: &tree,
        lines: &lines,
        blocks: Vec::new(),
        line: String::new(),
        line_at: 0,
    };
    reader.block(article);
    reader.flush();
    let mut blocks = reader.blocks;

    let outside = Outside::read(&tree, article);
    // The title, where the article does not begin with it (it often stands
    // in an <h1> above the content).
    if let Some((title, at)) = page_title(&tree, &outside) {
        // The title as one line or several (joined, the way the header
        // reads it), among the first lines.
        let wanted = normalize(&title);
        let begins_with_it = (0..3).any(|from| {
            let mut joined = String::new();
            blocks.iter().skip(from).take(3).any(|block| match block {
                Block::Paragraph { text, .. } | Block::Heading { text, .. } => {
                    joined.push_str(&normalize(text));
                    joined == wanted
                }
                Block::Table(_) => false,
            })
        });
        if !begins_with_it {
            blocks.insert(
                0,
                Block::Paragraph {
                    text: title,
                    line: lines.line_col(at).line,
                },
            );
        }
    }
    Ok(Page {
        document: Document { blocks },
        published: outside.published(),
        agency: outside.value(&["发布机构", "发文机关", "发布单位", "发文单位"]),
        warnings,
    })
}

/// Line numbers (and columns) of byte offsets of the decoded page.
/// Elements whose content is never the report.
const CHROME: [&str; 14] = [
    "script", "style", "noscript", "nav", "header", "footer", "form", "button", "select", "iframe",
    "object", "svg", "template", "head",
];

/// Elements that start a new block of text.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "center",
    "pre",
    "body",
    "html",
    "main",
    "aside",
    "hr",
];

fn is_chrome(tree: &Tree, id: NodeId) -> bool {
    let name = tree.name(id);
    CHROME.contains(&name)
        || tree.attr(id, "style").is_some_and(|style| {
            normalize(style)
                .to_ascii_lowercase()
                .contains("display:none")
        })
}

/// The article: the smallest element that holds the report's tables and
/// the element with the most prose of its own.
fn article(tree: &Tree) -> NodeId {
    let mut marks: Vec<NodeId> = tree
        .elements()
        .filter(|id| tree.name(*id) == "table" && is_report_table(tree, *id))
        .collect();
    // The element whose own paragraphs hold the most text (not one inside
    // a report's table, nor in the site's chrome).
    let mut best: Option<(usize, NodeId)> = None;
    for id in tree.elements() {
        if is_chrome(tree, id)
            || marks.contains(&id)
            || tree
                .ancestors(id)
                .any(|ancestor| is_chrome(tree, ancestor) || marks.contains(&ancestor))
        {
            continue;
        }
        let own: usize = tree
            .children(id)
            .iter()
            .map(|child| {
                if tree.is_text(*child) {
                    tree.text(*child).trim().chars().count()
                } else if [
                    "p", "div", "span", "font", "h1", "h2", "h3", "h4", "li", "strong", "b",
                ]
                .contains(&tree.name(*child))
                    && !tree.contains_block(*child)
                {
                    tree.text_len(*child)
                } else {
                    0
                }
            })
            .sum();
        if best.is_none_or(|(most, _)| own > most) {
            best = Some((own, id));
        }
    }
    if let Some((_, id)) = best {
        marks.push(id);
    }
    match marks.split_first() {
        None => tree.root(),
        Some((first, rest)) => rest
            .iter()
            .fold(*first, |common, id| tree.common_ancestor(common, *id)),
    }
}

/// Labels that only the official tables print.
const TABLE_MARKS: [&str; 6] = [
    "信息内容",
    "申请人情况",
    "行政复议",
    "第二十条第(一)项",
    "本年新收政府信息公开申请数量",
    "结果维持",
];

/// The portal's table of 索引号, 发布机构, 公开日期 …: the page's
/// metadata, not the report's.
fn is_metadata_table(tree: &Tree, id: NodeId) -> bool {
    tree.name(id) == "table" && {
        let text = normalize(&tree.text_of(id));
        text.contains("索引号")
            && ["发布机构", "公开日期", "发布日期", "成文日期"]
                .iter()
                .any(|key| text.contains(key))
    }
}

fn is_report_table(tree: &Tree, id: NodeId) -> bool {
    let text = normalize(&tree.text_of(id));
    TABLE_MARKS.iter().any(|mark| text.contains(mark))
}

/// Turns the article's elements into blocks.
struct Reader<'a> {
    tree: &'a Tree,
    lines: &'a crate::SourceFile,
    blocks: Vec<Block>,
    /// The text of the line being read, and where it starts.
    line: String,
    line_at: usize,
}

impl Reader<'_> {
    fn block(&mut self, id: NodeId) {
        let tree = self.tree;
        for &child in tree.children(id) {
            if tree.is_text(child) {
                if self.line.trim().is_empty() {
                    self.line_at = tree.start(child);
                }
                self.line.push_str(tree.text(child));
                continue;
            }
            if is_chrome(tree, child) {
                continue;
            }
            match tree.name(child) {
                "table" if is_metadata_table(tree, child) => self.flush(),
                "table" => {
                    self.flush();
                    // A caption (often the form's title) stands above.
                    for &caption in tree.children(child) {
                        if tree.name(caption) == "caption" {
                            self.line = tree.text_of(caption);
                            self.line_at = tree.start(caption);
                            self.flush();
                        }
                    }
                    let table = self.table(child);
                    if !table.rows.is_empty() {
                        self.blocks.push(Block::Table(table));
                    }
                }
                "br" => self.flush(),
                name if BLOCKS.contains(&name) || name == "tr" || name == "td" || name == "th" => {
                    self.flush();
                    self.block(child);
                    self.flush();
                }
                _ => self.block(child),
            }
        }
    }

    /// Ends the line being read: a heading or a paragraph, if not blank.
    fn flush(&mut self) {
        let text = collapse(&std::mem::take(&mut self.line));
        if text.is_empty() {
            return;
        }
        let line = self.lines.line_col(self.line_at).line;
        self.blocks.push(match heading_level(&text) {
            Some(level) if text.chars().count() <= 60 => Block::Heading { level, text, line },
            _ => Block::Paragraph { text, line },
        });
    }

    /// A `<table>`: its rows (also those in `<thead>`/`<tbody>`), the
    /// cells of each with their spans. A table nested in a cell gives its
    /// text to the cell.
    fn table(&self, id: NodeId) -> Table {
        let tree = self.tree;
        let mut rows = Vec::new();
        let mut stack = vec![id];
        let mut found = Vec::new();
        // The <tr>s of this table, in order, not those of nested tables.
        while let Some(node) = stack.pop() {
            for &child in tree.children(node).iter().rev() {
                if tree.is_text(child) {
                    continue;
                }
                match tree.name(child) {
                    "tr" => found.push(child),
                    "table" => {}
                    _ => stack.push(child),
                }
            }
        }
        found.sort_unstable();
        for tr in found {
            let mut row = Vec::new();
            for &cell in tree.children(tr) {
                if tree.is_text(cell) || !matches!(tree.name(cell), "td" | "th") {
                    continue;
                }
                let span = |name: &str| -> u32 {
                    tree.attr(cell, name)
                        .and_then(|value| value.trim().parse::<u32>().ok())
                        .map_or(1, |span| span.clamp(1, 1000))
                };
                let mut text = String::new();
                cell_text(tree, cell, &mut text);
                let text = text
                    .split('\n')
                    .map(collapse)
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                let at = self.lines.line_col(tree.start(cell));
                row.push(Cell {
                    text,
                    line: at.line,
                    column: at.column,
                    colspan: span("colspan"),
                    rowspan: span("rowspan"),
                });
            }
            if !row.is_empty() {
                rows.push(row);
            }
        }
        Table { rows }
    }
}

/// The text of a cell: its blocks and `<br>`s on lines of their own.
fn cell_text(tree: &Tree, id: NodeId, out: &mut String) {
    for &child in tree.children(id) {
        if tree.is_text(child) {
            out.push_str(tree.text(child));
        } else if is_chrome(tree, child) {
        } else if tree.name(child) == "br" {
            out.push('\n');
        } else if BLOCKS.contains(&tree.name(child)) || tree.name(child) == "tr" {
            out.push('\n');
            cell_text(tree, child, out);
            out.push('\n');
        } else {
            cell_text(tree, child, out);
            if matches!(tree.name(child), "td" | "th") {
                out.push(' ');
            }
        }
    }
}

/// White space as a browser shows it: runs of it one space, none at the
/// ends, and none for a line break of the source between two Chinese
/// characters (the page shows none: the source was only wrapped there).
/// U+00A0 is a space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut line_break = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
            line_break |= c == '\n' || c == '\r';
            continue;
        }
        if space && !out.is_empty() {
            let wide = |c: char| c as u32 >= 0x2e80;
            if !(line_break && out.chars().next_back().is_some_and(wide) && wide(c)) {
                out.push(' ');
            }
        }
        space = false;
        line_break = false;
        out.push(c);
    }
    out.replace('\u{3000}', " ").trim().to_string()
}

/// The page's text outside the article, as runs (one a text node), for
/// its metadata.
struct Outside {
    runs: Vec<String>,
    /// `<meta name=… content=…>` pairs, names lower-cased.
    metas: Vec<(String, String)>,
}

impl Outside {
    fn read(tree: &Tree, article: NodeId) -> Outside {
        let mut runs = Vec::new();
        let mut metas = Vec::new();
        let metadata: Vec<NodeId> = tree
            .elements()
            .filter(|id| is_metadata_table(tree, *id))
            .collect();
        for id in tree.all() {
            if tree.is_text(id) {
                // The article's text is the report's, but for a metadata
                // table some portals put inside it.
                let inside = tree.ancestors(id).any(|ancestor| ancestor == article)
                    && !tree
                        .ancestors(id)
                        .any(|ancestor| metadata.contains(&ancestor));
                let in_code = tree
                    .ancestors(id)
                    .any(|ancestor| matches!(tree.name(ancestor), "script" | "style"));
                let text = collapse(tree.text(id));
                if !inside && !in_code && !text.is_empty() {
                    runs.push(text);
                }
            } else if tree.name(id) == "meta"
                && let (Some(name), Some(content)) = (
                    tree.attr(id, "name").or_else(|| tree.attr(id, "property")),
                    tree.attr(id, "content"),
                )
            {
                metas.push((name.to_ascii_lowercase(), content.trim().to_string()));
            }
        }
        Outside { runs, metas }
    }

    /// The value after the first of `keys` (in that order of preference):
    /// the rest of its run after `：`, else the next run.
    fn value(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.runs.iter().enumerate().find_map(|(index, run)| {
                let folded = normalize(run);
                let rest = folded.strip_prefix(&normalize(key))?;
                let rest = rest.trim_start_matches([':', '：']);
                if !rest.is_empty() {
                    // The rest as printed, not folded.
                    let printed = run.split_once(['：', ':']).map_or(rest, |(_, rest)| rest);
                    return Some(collapse(printed)).filter(|value| !value.is_empty());
                }
                self.runs.get(index + 1).cloned()
            })
        })
    }

    fn published(&self) -> Option<String> {
        self.value(&["发布日期", "公开日期", "发布时间", "成文日期"])
            .and_then(|value| date_of(&value))
            .or_else(|| {
                self.metas
                    .iter()
                    .filter(|(name, _)| {
                        [
                            "pubdate",
                            "publishdate",
                            "article:published_time",
                            "firstpublishedtime",
                        ]
                        .contains(&name.as_str())
                    })
                    .find_map(|(_, content)| date_of(content))
            })
    }
}

/// A date at the start of `text`: `2024-01-17`, `2024/1/17`,
/// `2024年1月17日`, `2024.01.17`, as `YYYY-MM-DD`.
pub(crate) fn date_of(text: &str) -> Option<String> {
    // Full-width digits as ASCII; white space kept (it ends the date).
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | '－' | '／' | '．' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect();
    let mut numbers = Vec::new();
    let mut current = String::new();
    for c in folded.chars() {
        if c.is_ascii_digit() {
            current.push(c);
            continue;
        }
        if current.is_empty() {
            break;
        }
        numbers.push(std::mem::take(&mut current));
        if numbers.len() == 3 || !matches!(c, '-' | '/' | '.' | '年' | '月') {
            break;
        }
    }
    if !current.is_empty() && numbers.len() < 3 {
        numbers.push(current);
    }
    let [year, month, day] = numbers.as_slice() else {
        return None;
    };
    let (year, month, day): (u32, u32, u32) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    ((1990..=2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year}-{month:02}-{day:02}"))
}

/// The report's title where the page prints it outside the article: the
/// metadata's 名称/标题, an `<h1>`–`<h3>` that ends in 报告, or the
/// `<title>` up to the site's name. With the byte where it stands.
fn page_title(tree: &Tree, outside: &Outside) -> Option<(String, usize)> {
    let ends_in_report = |text: &str| text.ends_with("报告");
    for id in tree.elements() {
        if matches!(tree.name(id), "h1" | "h2" | "h3" | "ucaptitle") {
            let text = collapse(&tree.text_of(id));
            if ends_in_report(&text) {
                return Some((text, tree.start(id)));
            }
        }
    }
    if let Some(title) = outside.value(&["名称", "标题", "文件名称"])
        && ends_in_report(&title)
    {
        let at = tree
            .all()
            .find(|id| tree.is_text(*id) && collapse(tree.text(*id)) == title)
            .map_or(0, |id| tree.start(id));
        return Some((title, at));
    }
    let id = tree.elements().find(|id| tree.name(*id) == "title")?;
    let text = collapse(&tree.text_of(id));
    let title = text
        .split(['-', '_', '|', '—'])
        .next()
        .map(str::trim)
        .filter(|title| ends_in_report(title))?;
    Some((title.to_string(), tree.start(id)))
}

/// A page gdr cannot read as HTML at all.
pub(crate) fn unreadable_encoding() -> Failure {
    Failure {
        code: Code::ImportUnreadable,
        line: None,
        column: None,
        message: tr!(
            "the page's text is in no encoding gdr can tell (neither its BOM, its <meta charset>, UTF-8 nor the encoding its bytes look like reads it without error): save the page again from the browser"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<Block> {
        read(html.as_bytes()).expect("reads").blocks
    }

    #[test]
    fn word_spans_are_one_paragraph_and_headings_are_found() {
        let html = "<html><body><div id=nav>首页 | 信息公开</div>\n<div class=content>\n<p><span><font>一、</font></span><span>总体情况</span></p>\n<p>&nbsp;&nbsp;<span>2023</span><font>年，\n我局</font> 共 <b>26</b>&nbsp;件。</p><p>（一）主动公开</p></div><script>var a = '<p>x</p>';</script></body></html>";
        let blocks = blocks(html);
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 1,
                    text: "一、总体情况".into(),
                    line: 3
                },
                Block::Paragraph {
                    text: "2023年，我局 共 26 件。".into(),
                    line: 4
                },
                Block::Heading {
                    level: 2,
                    text: "（一）主动公开".into(),
                    line: 5
                },
            ]
        );
    }

    #[test]
    fn tables_keep_spans_and_join_lines_in_cells() {
        let html = "<p>正文</p><table><tr><td rowspan=2 colspan='3'>本年新<br>制作数量</td><th>信息内容 &amp; b</th>\n<tr><td><p>1</p><p>2</p></td></table>";
        let blocks = blocks(html);
        let Some(Block::Table(table)) = blocks.last() else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0][0].text, "本年新\n制作数量");
        assert_eq!((table.rows[0][0].colspan, table.rows[0][0].rowspan), (3, 2));
        assert_eq!(table.rows[0][1].text, "信息内容 & b");
        assert_eq!(table.rows[1][0].text, "1\n2");
        assert_eq!(table.rows[1][0].line, 2);
    }

    #[test]
    fn the_title_is_added_unless_the_article_begins_with_it() {
        let page = |article: &str| {
            format!(
                "<h1>某局2023年政府信息公开工作年度报告</h1><div>{article}<p>一、总体情况</p><p>正文很长很长很长很长很长很长很长很长很长很长。</p></div>"
            )
        };
        let texts = |html: String| -> Vec<String> {
            blocks(&html)
                .into_iter()
                .map(|block| match block {
                    Block::Paragraph { text, .. } | Block::Heading { text, .. } => text,
                    Block::Table(_) => String::new(),
                })
                .collect()
        };
        assert_eq!(texts(page(""))[0], "某局2023年政府信息公开工作年度报告");
        assert_eq!(
            texts(page("<p>某局2023年政府信息公开</p><p>工作年度报告</p>"))[..2],
            ["某局2023年政府信息公开", "工作年度报告"]
        );
    }

    #[test]
    fn a_metadata_table_in_the_article_is_read_for_the_header_only() {
        let page = read_page(
            "<div><table><tr><td>索引号：</td><td>123/2024-1</td><td>发布机构：</td><td>某局</td></tr><tr><td>发布日期：</td><td>2024年1月5日</td></tr></table><p>一、总体情况</p><p>正文很长很长很长很长很长很长很长很长很长很长。</p></div>"
                .as_bytes(),
        )
        .expect("reads");
        assert_eq!(page.published.as_deref(), Some("2024-01-05"));
        assert_eq!(page.agency.as_deref(), Some("某局"));
        assert_eq!(page.document.blocks.len(), 2, "{:?}", page.document.blocks);
    }

    #[test]
    fn an_unclosed_table_is_a_cut_off_page_only_where_the_page_stops() {
        let table =
            "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td>";
        let cut = read(format!("<html><body><p>正文</p>{table}").as_bytes());
        assert_eq!(
            cut.map_err(|failure| failure.code),
            Err(Code::ImportUnreadable)
        );
        let careless = read(format!("<html><body><p>正文</p>{table}</body></html>\n").as_bytes());
        assert!(careless.is_ok());
        let chrome = read("<html><body><p>正文</p><table><tr><td>版权所有".as_bytes());
        assert!(chrome.is_ok());
    }

    #[test]
    fn a_caption_stands_above_its_table() {
        let blocks = blocks(
            "<table><caption>第二十条第（一）项</caption><tr><th>信息内容</th><th>本年制发件数</th></tr></table>",
        );
        assert!(
            matches!(&blocks[..], [Block::Paragraph { text, .. }, Block::Table(table)]
                if text == "第二十条第（一）项" && table.rows[0].len() == 2),
            "{blocks:?}"
        );
    }

    #[test]
    fn dates_as_pages_print_them() {
        assert_eq!(date_of("2024-01-17").as_deref(), Some("2024-01-17"));
        assert_eq!(date_of("2024/1/7 10:22").as_deref(), Some("2024-01-07"));
        assert_eq!(date_of("2024年1月17日").as_deref(), Some("2024-01-17"));
        assert_eq!(date_of("014314799/2024-00002"), None);
        assert_eq!(date_of("无"), None);
    }
}
