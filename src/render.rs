//! Rendering: [`model::Report`] to Markdown, HTML, JSON and Typst.
//!
//! Renderers read only the model; none sees syntax or the checker. They
//! cannot fail on a checked model. HTML and Typst go through askama
//! templates (`render/templates/`), which only loop and branch: the layout
//! of tables (`layout.rs`) and of the document (`flatten`) is computed here.

pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod layout;
pub(crate) mod markdown;
pub mod typst;

use std::borrow::Cow;
use std::ops::Range;

use crate::model;

/// An output format of `gdr build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Html,
    Json,
    Typst,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Html, Format::Json, Format::Typst];

    /// The file extension: `md`, `html`, `json`, `typ`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Typst => "typ",
        }
    }
}

/// How to render: the defaults make the public report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// A draft for the authors: the HTML shades the cells gdr derived and
    /// says so in a tooltip. Off for the published report, whose readers
    /// should not see the tool.
    pub draft: bool,
}

/// Where a finding is in a rendered report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// A value cell: `table` indexes [`model::Report::tables`], `row` the
    /// table's data rows ([`data_rows`]), `column` its leaf columns.
    Cell {
        table: usize,
        row: usize,
        column: usize,
    },
    /// A table as a whole (a failed check of the table).
    Table { table: usize },
}

/// A finding to show on a rendered report ([`html_with_marks`]), its words
/// already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// `E0402`.
    pub code: String,
    /// An error, else a warning.
    pub error: bool,
    /// Where it is, in words (`line 283`), if anywhere.
    pub location: Option<String>,
    pub message: String,
    /// The cell or table it concerns, if any.
    pub place: Option<Place>,
}

/// The data rows of a table (its rows that are not groups, in document
/// order), each as the path of row names from the top: what
/// [`Place::Cell`]'s `row` counts.
pub fn data_rows(table: &model::Table) -> Vec<Vec<&str>> {
    layout::data_rows(table)
}

/// The report as an HTML page for the people who check it (`gdr audit`):
/// the findings listed, numbered, above the report; each marked cell
/// outlined with its numbers, and the findings of a table under it. With
/// no marks, the page of [`render_with`].
pub fn html_with_marks(report: &model::Report, options: Options, marks: &[Mark]) -> String {
    html::render_marked(report, options, Some(marks))
}

/// Renders a checked report for publication.
pub fn render(report: &model::Report, format: Format) -> String {
    render_with(report, format, Options::default())
}

/// Renders a checked report with `options`.
pub fn render_with(report: &model::Report, format: Format, options: Options) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report, options),
        Format::Json => json::render(report),
        Format::Typst => typst::render(report),
    }
}

/// Renders a checked report with `options` into `out`: the bytes of
/// [`render_with`], written as they are made (but Markdown's, the
/// smallest), so that a large output is never held whole.
pub fn render_to(
    report: &model::Report,
    format: Format,
    options: Options,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut spill = Spill::new(out);
    let rendered = match format {
        Format::Json => json::render_to(report, &mut spill),
        Format::Html => html::render_to(report, options, &mut spill),
        Format::Typst => typst::render_to(report, &mut spill),
        Format::Markdown => {
            std::io::Write::write_all(&mut spill, markdown::render(report).as_bytes())
        }
    };
    spill.finish(rendered)
}

/// A writer that gathers what a renderer writes and passes it on in
/// pieces of [`Spill::AT`] bytes or more: each of the many small writes
/// costs what it costs to push to a `String`, without the whole output
/// held.
pub(crate) struct Spill<'a> {
    buffer: Vec<u8>,
    out: &'a mut dyn std::io::Write,
    /// The error of `out`, kept across a `fmt::Write` (which cannot carry it).
    error: Option<std::io::Error>,
}

impl<'a> Spill<'a> {
    const AT: usize = 1 << 16;

    fn new(out: &'a mut dyn std::io::Write) -> Spill<'a> {
        Spill {
            buffer: Vec::with_capacity(Spill::AT * 2),
            out,
            error: None,
        }
    }

    #[inline(always)]
    fn push(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= Spill::AT {
            self.spill()
        } else {
            Ok(())
        }
    }

    #[cold]
    #[inline(never)]
    fn spill(&mut self) -> std::io::Result<()> {
        let written = self.out.write_all(&self.buffer);
        self.buffer.clear();
        written
    }

    /// Passes on the rest; the error of `out` first, else that of `rendered`.
    pub(crate) fn finish(mut self, rendered: std::io::Result<()>) -> std::io::Result<()> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        rendered?;
        self.spill()
    }

    /// The error of a `fmt::Write` that failed: `out`'s.
    pub(crate) fn fmt_error(&mut self) -> std::io::Error {
        self.error
            .take()
            .unwrap_or_else(|| std::io::Error::other("a value could not be displayed"))
    }
}

impl std::io::Write for Spill<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.push(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.push(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::fmt::Write for Spill<'_> {
    #[inline]
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.push(text.as_bytes()).map_err(|error| {
            self.error = Some(error);
            std::fmt::Error
        })
    }
}

/// The document flow as a flat list, for templates that cannot recurse.
#[derive(Debug, Clone)]
pub(crate) enum FlatBlock<'a> {
    /// A section title; `level` 1 is a top-level section.
    Heading {
        level: usize,
        text: &'a str,
    },
    Paragraph {
        text: &'a model::Prose,
    },
    Table(TableBlock<'a>),
}

/// A table as the document shows it: one model table, or the items of
/// section 二 in one grid, as the official form prints them.
#[derive(Debug, Clone)]
pub(crate) struct TableBlock<'a> {
    /// The caption; `None` when it would repeat the heading just above.
    pub title: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub grid: layout::Grid,
    /// The model tables shown, in the order of [`layout::CellSource::table`]
    /// (indexes into [`model::Report::tables`]).
    pub tables: Vec<usize>,
}

/// A piece of a paragraph: plain text, a web address, which may break
/// anywhere, or an interpolated value, which may not break at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment<'a> {
    pub text: Cow<'a, str>,
    pub url: bool,
    pub value: bool,
}

impl Segment<'_> {
    pub fn into_owned(self) -> Segment<'static> {
        Segment {
            text: Cow::Owned(self.text.into_owned()),
            url: self.url,
            value: self.value,
        }
    }
}

/// Each note of a table's grid in segments, for a template.
pub(crate) fn footnote_segments(footnotes: &[model::Prose]) -> Vec<Vec<Segment<'static>>> {
    footnotes
        .iter()
        .map(|note| {
            prose_segments(note)
                .into_iter()
                .map(Segment::into_owned)
                .collect()
        })
        .collect()
}

/// The minus sign of typeset numbers.
pub(crate) const MINUS: char = '\u{2212}';

/// A value as typeset: its `-` becomes a true minus sign (U+2212). A value
/// holds a number, a unit and `%` only, so every `-` in it is a sign.
pub(crate) fn typeset_value(value: &str) -> Cow<'_, str> {
    if value.contains('-') {
        Cow::Owned(value.replace('-', &MINUS.to_string()))
    } else {
        Cow::Borrowed(value)
    }
}

/// `prose` as typeset text, with a true minus sign in its values (for
/// outputs that cannot keep a value together, Markdown and a table's
/// corner).
pub(crate) fn typeset(prose: &model::Prose) -> String {
    prose
        .pieces()
        .into_iter()
        .map(|(piece, value)| {
            if value {
                typeset_value(piece)
            } else {
                Cow::Borrowed(piece)
            }
        })
        .collect()
}

/// `prose` cut into plain text, the `http://` or `https://` addresses in it
/// (found in the whole text, so that a value inside an address stays part
/// of it) and its values.
pub(crate) fn prose_segments(prose: &model::Prose) -> Vec<Segment<'_>> {
    let text = prose.text.as_str();
    let mut out = Vec::new();
    for (range, url) in split_urls(text) {
        if url {
            out.push(Segment {
                text: Cow::Borrowed(&text[range]),
                url,
                value: false,
            });
            continue;
        }
        let mut at = range.start;
        let inside = prose
            .values
            .iter()
            .map(|value| value.start.max(range.start)..value.end.min(range.end).min(text.len()))
            .filter(|value| value.start < value.end);
        for value in inside {
            // A model built elsewhere may hold ranges that are out of order
            // or split a character: they are left as plain text.
            let whole = text.is_char_boundary(value.start) && text.is_char_boundary(value.end);
            if value.start < at || !whole {
                continue;
            }
            if at < value.start {
                out.push(Segment {
                    text: Cow::Borrowed(&text[at..value.start]),
                    url: false,
                    value: false,
                });
            }
            out.push(Segment {
                text: typeset_value(&text[value.clone()]),
                url: false,
                value: true,
            });
            at = value.end;
        }
        if at < range.end || out.is_empty() {
            out.push(Segment {
                text: Cow::Borrowed(&text[at..range.end]),
                url: false,
                value: false,
            });
        }
    }
    out
}

/// `text` cut into plain text and the `http://` or `https://` addresses in
/// it, as byte ranges, each with whether it is an address. An address ends
/// at white space, at a character that is not ASCII, or before a closing
/// punctuation mark that ends it.
fn split_urls(text: &str) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| text[at..].find(scheme))
        .min()
    {
        let start = at + start;
        let tail = &text[start..];
        let mut len = tail
            .find(|c: char| !c.is_ascii_graphic())
            .unwrap_or(tail.len());
        len = tail[..len]
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'', '"'])
            .len();
        if start > at {
            out.push((at..start, false));
        }
        out.push((start..start + len, true));
        at = start + len;
    }
    if at < text.len() || out.is_empty() {
        out.push((at..text.len(), false));
    }
    out
}

/// The title and the signature of a report, and its waived problems, for
/// templates.
pub(crate) struct Front<'a> {
    pub title: &'a str,
    pub agency: &'a str,
    /// The publication date as a signature writes it: `2021年1月10日`.
    pub date: Option<String>,
    /// Known problems kept on purpose (`allow`), one line each.
    pub waived: Vec<String>,
}

impl<'a> Front<'a> {
    pub fn of(report: &'a model::Report) -> Front<'a> {
        Front {
            title: &report.header.title,
            agency: &report.header.agency,
            date: report
                .header
                .published
                .as_deref()
                .map(markdown::chinese_date),
            waived: waived_lines(report),
        }
    }
}

/// The heading of the list of waived problems.
pub(crate) const WAIVED_HEADING: &str = "附注：已知并保留的问题";

/// `第 88 行（E0401）：勾稽关系不成立（自然人列）。理由：原文如此`
pub(crate) fn waived_lines(report: &model::Report) -> Vec<String> {
    report
        .waived
        .iter()
        .map(|waived| {
            format!(
                "第 {} 行（{}）：{}。理由：{}",
                waived.line, waived.code, waived.message_zh, waived.reason
            )
        })
        .collect()
}

/// One item of a template's document, with the table as the template's own
/// view; exactly one field is set. (Templates branch with `if let`.)
pub(crate) struct ViewBlock<'a, T> {
    /// The heading level and text.
    pub heading: Option<(usize, &'a str)>,
    pub paragraph: Option<Vec<Segment<'a>>>,
    pub table: Option<T>,
}

/// The document flow of `report` for a template: headings at level
/// `level(depth)`, tables through `table`.
pub(crate) fn view_blocks<'a, T>(
    report: &'a model::Report,
    level: impl Fn(usize) -> usize,
    table: impl Fn(TableBlock<'a>) -> T,
) -> Vec<ViewBlock<'a, T>> {
    flatten(report)
        .into_iter()
        .map(|block| match block {
            FlatBlock::Heading { level: depth, text } => ViewBlock {
                heading: Some((level(depth), text)),
                paragraph: None,
                table: None,
            },
            FlatBlock::Paragraph { text } => ViewBlock {
                heading: None,
                paragraph: Some(prose_segments(text)),
                table: None,
            },
            FlatBlock::Table(block) => ViewBlock {
                heading: None,
                paragraph: None,
                table: Some(table(block)),
            },
        })
        .collect()
}

/// Flattens the section tree of `report` in document order. A run of
/// consecutive tables of section 二 (`第二十条第（一）项` …) becomes one
/// grid, as in the official form.
pub(crate) fn flatten(report: &model::Report) -> Vec<FlatBlock<'_>> {
    let mut out = Vec::new();
    flatten_into(report, &report.body, 1, &mut out);
    out
}

/// A run of items of section 二 as one grid.
fn items_block(items: Vec<(usize, &model::Table)>) -> FlatBlock<'_> {
    let (indices, tables): (Vec<usize>, Vec<&model::Table>) = items.into_iter().unzip();
    FlatBlock::Table(TableBlock {
        title: None,
        unit: None,
        grid: layout::items_grid(&tables),
        tables: indices,
    })
}

fn flatten_into<'a>(
    report: &'a model::Report,
    blocks: &'a [model::Block],
    level: usize,
    out: &mut Vec<FlatBlock<'a>>,
) {
    let mut items: Vec<(usize, &'a model::Table)> = Vec::new();
    for block in blocks {
        let table = match block {
            model::Block::Table { table } => report.tables.get(*table).map(|t| (*table, t)),
            _ => None,
        };
        if let Some(item) = table.filter(|(_, table)| layout::is_article_item(table)) {
            items.push(item);
            continue;
        }
        if !items.is_empty() {
            out.push(items_block(std::mem::take(&mut items)));
        }
        match block {
            model::Block::Section { title, body } => {
                out.push(FlatBlock::Heading { level, text: title });
                flatten_into(report, body, level + 1, out);
            }
            model::Block::Paragraph { text } => out.push(FlatBlock::Paragraph { text }),
            model::Block::Table { .. } => {
                if let Some((index, table)) = table {
                    let repeats_heading = matches!(
                        (out.last(), &table.title),
                        (Some(FlatBlock::Heading { text, .. }), Some(title)) if text == title
                    );
                    out.push(FlatBlock::Table(TableBlock {
                        title: table.title.as_deref().filter(|_| !repeats_heading),
                        unit: table.unit.as_deref(),
                        grid: layout::grid(table),
                        tables: vec![index],
                    }));
                }
            }
        }
    }
    if !items.is_empty() {
        out.push(items_block(items));
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    /// An example that checks without errors.
    fn example() -> crate::SourceFile {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/pingyuan-2020-derived.gdr"
        );
        let text = std::fs::read_to_string(path).expect("the example");
        crate::SourceFile::new("pingyuan-2020-derived.gdr", text)
    }

    /// What `gdr build` writes (`render_to`, in pieces) is byte for byte
    /// what `render_with` returns, for every format of a report whose JSON
    /// passes on more than one piece.
    #[test]
    fn writing_a_report_gives_the_bytes_of_rendering_it() {
        let source = example();
        let compilation = crate::compile(&source);
        assert!(!compilation.has_errors());
        for format in super::Format::ALL {
            for draft in [false, true] {
                let options = super::Options { draft };
                let rendered = super::render_with(&compilation.report, format, options);
                let mut written = Vec::new();
                super::render_to(&compilation.report, format, options, &mut written).unwrap();
                assert_eq!(String::from_utf8(written).unwrap(), rendered, "{format:?}");
            }
        }
        let json = super::render(&compilation.report, super::Format::Json);
        assert!(json.len() > super::Spill::AT, "{}", json.len());
    }

    /// A writer that fails: `render_to` says so, whatever the format.
    #[test]
    fn a_failed_write_is_an_error() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let source = example();
        let report = crate::compile(&source).report;
        for format in super::Format::ALL {
            let error = super::render_to(&report, format, super::Options::default(), &mut Full);
            assert_eq!(error.unwrap_err().to_string(), "full", "{format:?}");
        }
    }

    use super::{Segment, prose_segments, typeset};
    use crate::model::Prose;

    #[test]
    fn web_addresses_are_cut_out_of_paragraphs() {
        let text = |text, url| Segment {
            text: Cow::Borrowed(text),
            url,
            value: false,
        };
        assert_eq!(
            prose_segments(&Prose::from(
                "网站（示范区  http://www.x.gov.cn/a?b=1）查阅。"
            )),
            [
                text("网站（示范区  ", false),
                text("http://www.x.gov.cn/a?b=1", true),
                text("）查阅。", false)
            ]
        );
        assert_eq!(
            prose_segments(&Prose::from("见 https://x.cn/. 又见http://y.cn")),
            [
                text("见 ", false),
                text("https://x.cn/", true),
                text(". 又见", false),
                text("http://y.cn", true)
            ]
        );
        assert_eq!(prose_segments(&Prose::from("")), [text("", false)]);
        assert_eq!(
            prose_segments(&Prose::from("http:// 无")),
            [text("http://", true), text(" 无", false)]
        );
    }

    #[test]
    fn values_get_a_true_minus_and_stay_whole() {
        let prose = Prose {
            text: "差-5件，见http://x.cn/a-b，-1.5%".into(),
            values: vec![3..8, 32..37],
        };
        let shown: Vec<(String, bool, bool)> = prose_segments(&prose)
            .into_iter()
            .map(|segment| (segment.text.into_owned(), segment.url, segment.value))
            .collect();
        assert_eq!(
            shown,
            [
                ("差".to_string(), false, false),
                ("\u{2212}5件".to_string(), false, true),
                ("，见".to_string(), false, false),
                ("http://x.cn/a-b".to_string(), true, false),
                ("，".to_string(), false, false),
                ("\u{2212}1.5%".to_string(), false, true),
            ]
        );
        assert_eq!(
            typeset(&prose),
            "差\u{2212}5件，见http://x.cn/a-b，\u{2212}1.5%"
        );
        assert_eq!(typeset(&Prose::from("2020-2021")), "2020-2021");
        let mut inside = Prose::from("见http://x.cn/5");
        inside.values.push(15..16);
        assert_eq!(
            prose_segments(&inside).len(),
            2,
            "the value stays in the address"
        );
        let mut broken = Prose::from("差-5件");
        broken.values.extend([2..5, 1..3, 4..99]);
        assert_eq!(typeset(&broken), "差-5件", "bad ranges are plain text");
        let shown: String = prose_segments(&broken)
            .iter()
            .map(|segment| segment.text.as_ref())
            .collect();
        assert_eq!(shown, "差-5件", "and never panic");
    }
}
