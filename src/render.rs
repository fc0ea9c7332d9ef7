//! Rendering: [`model::Report`] to Markdown, HTML, JSON and Typst.
//!
//! Renderers read only the model; none sees syntax or the checker. They
//! cannot fail on a checked model. HTML and Typst go through askama
//! templates (`render/templates/`), which only loop and branch: the layout
//! of tables (`layout.rs`) and of the document (`flatten`) is computed here.

pub mod html;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod typst;

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

/// Renders a checked report.
pub fn render(report: &model::Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
        Format::Json => json::render(report),
        Format::Typst => typst::render(report),
    }
}

/// The document flow as a flat list, for templates that cannot recurse.
#[derive(Debug, Clone)]
pub enum FlatBlock<'a> {
    /// A section title; `level` 1 is a top-level section.
    Heading {
        level: usize,
        text: &'a str,
    },
    Paragraph {
        text: &'a str,
    },
    Table {
        table: &'a model::Table,
        grid: layout::Grid,
        /// False when the table's title repeats the heading just above it.
        show_title: bool,
    },
}

/// The title and the signature of a report, and its waived problems, for
/// templates.
pub struct Front<'a> {
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
pub const WAIVED_HEADING: &str = "附注：已知并保留的问题";

/// `第 88 行（E0401）：勾稽关系不成立（自然人列）。理由：原文如此`
pub fn waived_lines(report: &model::Report) -> Vec<String> {
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
pub struct ViewBlock<'a, T> {
    /// The heading level and text.
    pub heading: Option<(usize, &'a str)>,
    pub paragraph: Option<&'a str>,
    pub table: Option<T>,
}

/// The document flow of `report` for a template: headings at level
/// `level(depth)`, tables through `table(table, grid, show_title)`.
pub fn view_blocks<'a, T>(
    report: &'a model::Report,
    level: impl Fn(usize) -> usize,
    table: impl Fn(&'a model::Table, layout::Grid, bool) -> T,
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
                paragraph: Some(text),
                table: None,
            },
            FlatBlock::Table {
                table: model_table,
                grid,
                show_title,
            } => ViewBlock {
                heading: None,
                paragraph: None,
                table: Some(table(model_table, grid, show_title)),
            },
        })
        .collect()
}

/// Flattens the section tree of `report` in document order.
pub fn flatten(report: &model::Report) -> Vec<FlatBlock<'_>> {
    let mut out = Vec::new();
    flatten_into(report, &report.body, 1, &mut out);
    out
}

fn flatten_into<'a>(
    report: &'a model::Report,
    blocks: &'a [model::Block],
    level: usize,
    out: &mut Vec<FlatBlock<'a>>,
) {
    for block in blocks {
        match block {
            model::Block::Section { title, body } => {
                out.push(FlatBlock::Heading { level, text: title });
                flatten_into(report, body, level + 1, out);
            }
            model::Block::Paragraph { text } => out.push(FlatBlock::Paragraph { text }),
            model::Block::Table { table } => {
                if let Some(table) = report.tables.get(*table) {
                    let repeats_heading = matches!(
                        (out.last(), &table.title),
                        (Some(FlatBlock::Heading { text, .. }), Some(title)) if text == title
                    );
                    out.push(FlatBlock::Table {
                        table,
                        grid: layout::grid(table),
                        show_title: !repeats_heading,
                    });
                }
            }
        }
    }
}
