//! The second stage: a neutral [`Document`] mapped onto a form library by
//! labels, printed as a `.gdr` report. One mapping for every reader.
//!
//! - The header: the title is the first lines up to the one that ends in
//!   `报告`; the year is the first `NNNN年` in it; a date such as
//!   `2021年1月10日` on the last line is `published` (unless the reader
//!   found the page's 发布日期, [`Hints`]), and the line above it (the
//!   signature) is the agency, else the title before the year is, else the
//!   page's 发布机构; `issuer government` for a 人民政府 or its office.
//! - Sections are the page's own headings (`一、` and `（一）` inside it);
//!   paragraphs are kept verbatim, one string a line of the page; what
//!   comes before the first heading goes into a section `说明`, since the
//!   language has no prose outside sections.
//! - A table is a grid (`grid`: a merged cell in every slot it spans),
//!   split where a row is the title of a form (`第二十条第（一）项`); each
//!   part is the form whose title (or the heading just above it), row
//!   labels and column labels it matches best, and a part without a title
//!   that goes on with the form before it (a table split across elements)
//!   is added to it.
//! - A row is the form's row whose label one of its cells prints (as
//!   printed, else numbered otherwise, else the other version's label, with
//!   a W0603). Columns are placed by the labels the header prints above
//!   them, where the header and rows have the same width; otherwise (plain
//!   text loses merged header cells) a row's last cells are read in the
//!   form's column order, with a W0603.
//! - A cell as printed: a number is a stated number (with its unit, and a
//!   remark in brackets as its note), an empty cell `-`, a cell without a
//!   readable number `?` with a comment quoting it.
//! - Rows and columns of the form the page lacks, and those of the page
//!   the form lacks, are warnings and a comment above the table; they are
//!   never written.

use super::document::{Block, Cell, Document, Table};
use super::forms::{self, Entry, Form};
use super::label::{normalize, same, without_numbering};
use super::{Failure, Imported, Warning};
use crate::diagnostics::Code;
use crate::scaffold::{empty_instance, field, paragraph, spanned as ident, text_node as text};
use crate::span::Span;
use crate::syntax::ast;
use crate::syntax::print::Printer;
use crate::tr;

/// The libraries an import can target.
pub const LIBRARIES: [&str; 2] = ["gov_disclosure_2019", "gov_disclosure_2021"];

/// The section of what stands before the first heading (the language has
/// no prose outside sections).
const PREFACE: &str = "说明";

/// Units a cell may print after its number.
const UNITS: [&str; 19] = [
    "人次", "万元", "亿元", "件", "条", "项", "次", "人", "个", "家", "户", "名", "份", "类", "天",
    "元", "%", "篇", "年",
];

/// What a reader found about the report outside its text: an HTML page's
/// metadata (发布机构, 公开日期), and its own warnings.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub published: Option<String>,
    pub agency: Option<String>,
    pub warnings: Vec<Warning>,
}

/// Maps `document` onto `library` (or the library its labels name).
pub fn to_gdr(document: &Document, library: Option<&str>) -> Result<Imported, Failure> {
    to_gdr_with(document, library, Hints::default())
}

/// [`to_gdr`], with what the reader found outside the text.
pub fn to_gdr_with(
    document: &Document,
    library: Option<&str>,
    hints: Hints,
) -> Result<Imported, Failure> {
    let mut warnings = hints.warnings;
    let (start, title, title_line) = title(&document.blocks);
    let year = title.as_deref().and_then(year_in);
    let library: &'static str = match library {
        Some(name) => LIBRARIES
            .iter()
            .copied()
            .find(|known| *known == name)
            .ok_or_else(|| unknown_library(name))?,
        None => decide_library(document, year.map(|(year, _)| year), &mut warnings),
    };
    let forms = forms::load(library).ok_or_else(|| unknown_library(library))?;
    let others = LIBRARIES
        .iter()
        .find(|other| **other != library)
        .and_then(|other| forms::load(other))
        .unwrap_or_default();

    // The signature and date at the end.
    let mut end = document.blocks.len();
    let mut published = None;
    let mut signature = None;
    if let Some(Block::Paragraph { text, .. }) = document.blocks[start..end].last()
        && let Some(date) = date_in(text)
    {
        published = Some(date);
        end -= 1;
        if let Some(Block::Paragraph { text, .. }) = document.blocks[start..end].last()
            && is_short_line(text)
        {
            signature = Some(text.clone());
            end -= 1;
        }
    }

    let mut fields = Vec::new();
    match &title {
        Some(title) => fields.push(field("title", ast::HeaderValue::Text(text(title)))),
        None => warnings.push(Warning {
            code: Code::ImportMissing,
            line: None,
            column: None,
            message: tr!("no title found: the first lines should name the report"),
        }),
    }
    let agency = signature
        .or_else(|| {
            let (title, (_, at)) = (title.as_ref()?, year?);
            Some(title[..at].to_string()).filter(|agency| !agency.is_empty())
        })
        .or(hints.agency);
    let government = agency.as_deref().is_some_and(is_government);
    match agency {
        Some(agency) => fields.push(field("agency", ast::HeaderValue::Text(text(&agency)))),
        None => warnings.push(Warning {
            code: Code::ImportMissing,
            line: title_line,
            column: None,
            message: tr!(
                "no agency found: neither a signature above the date nor a name before the year in the title"
            ),
        }),
    }
    match year {
        Some((year, _)) => fields.push(field(
            "year",
            ast::HeaderValue::Number(ident(&year.to_string())),
        )),
        None => warnings.push(Warning {
            code: Code::ImportMissing,
            line: title_line,
            column: None,
            message: tr!("no year found in the title"),
        }),
    }
    // The page's date of publication (发布日期) before the date under the
    // signature, which is when the report was signed.
    if let Some(date) = hints.published.or(published) {
        fields.push(field("published", ast::HeaderValue::Date(ident(&date))));
    }
    if government {
        fields.push(field("issuer", ast::HeaderValue::Name(ident("government"))));
    }

    let nodes = body(&document.blocks[start..end], &forms, &others, &mut warnings);
    let mut imported = Vec::new();
    forms_in(&nodes, &mut imported);
    if imported.is_empty() {
        return Err(Failure {
            code: Code::ImportNoReport,
            line: None,
            column: None,
            message: tr!(
                "no table of the annual report's form ({library}) was found: this does not look like a government information disclosure annual report",
                library = library
            ),
        });
    }
    for form in &forms {
        if !imported.contains(&form.name.as_str()) {
            warnings.push(Warning {
                code: Code::ImportMissing,
                line: None,
                column: None,
                message: tr!(
                    "the page has no table {title} (form {form}); it is not written",
                    title = form.title,
                    form = form.name
                ),
            });
        }
    }

    let mut printer = Printer::new();
    printer.comment(&format!(
        "由 gdr import 从已发布的报告导入（表式库 {library}）：数字按原文照填，\n请与原文核对后运行 gdr check。"
    ));
    printer.header(
        &ast::Header {
            keyword: Span::default(),
            fields,
            span: Span::default(),
        },
        &[],
    );
    printer.blank_line();
    printer.item(&ast::Item::Use(ast::Use {
        target: ast::UseTarget::Builtin(ident(library)),
        alias: None,
        span: Span::default(),
    }));
    print_nodes(&mut printer, &nodes);
    Ok(Imported {
        source: printer.finish(),
        library,
        warnings,
    })
}

fn unknown_library(name: &str) -> Failure {
    Failure {
        code: Code::UnknownModule,
        line: None,
        column: None,
        message: tr!(
            "unknown form library `{name}`; the libraries are {names}",
            name = name,
            names = LIBRARIES.join(", ")
        ),
    }
}

/// What the output holds, before printing.
enum Node {
    Paragraph(String),
    Section {
        title: String,
        nodes: Vec<Node>,
    },
    Table {
        comments: Vec<String>,
        instance: Box<ast::Instance>,
        cell_comments: Vec<Option<String>>,
    },
    /// Where a table of the page stands, before it is mapped.
    Part(usize),
}

/// The forms of the instances among `nodes`.
fn forms_in<'a>(nodes: &'a [Node], out: &mut Vec<&'a str>) {
    for node in nodes {
        match node {
            Node::Paragraph(_) | Node::Part(_) => {}
            Node::Section { nodes, .. } => forms_in(nodes, out),
            Node::Table { instance, .. } => out.push(&instance.form.value),
        }
    }
}

fn print_nodes(printer: &mut Printer, nodes: &[Node]) {
    for node in nodes {
        match node {
            Node::Paragraph(text) => printer.item(&paragraph(text)),
            Node::Part(_) => {}
            Node::Section { title, nodes } => printer.section(title, |printer| {
                print_nodes(printer, nodes);
            }),
            Node::Table {
                comments,
                instance,
                cell_comments,
            } => {
                printer.blank_line();
                for comment in comments {
                    printer.comment(comment);
                }
                printer.instance(instance, &|index| {
                    cell_comments.get(index).cloned().flatten()
                });
                printer.blank_line();
            }
        }
    }
}

/// The sections, paragraphs and tables of the body.
fn body(
    blocks: &[Block],
    forms: &[Form],
    others: &[Form],
    warnings: &mut Vec<Warning>,
) -> Vec<Node> {
    let mut top: Vec<Node> = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    // Where new nodes go: the top level, or the last section (and its last
    // subsection).
    let mut depth = 0;
    let mut names: Vec<String> = Vec::new();
    let mut before: Option<String> = None;
    for block in blocks {
        let node = match block {
            Block::Heading { level, text, .. } => {
                before = Some(text.clone());
                let section = Node::Section {
                    title: text.clone(),
                    nodes: Vec::new(),
                };
                if *level == 1 || depth == 0 {
                    top.push(section);
                    depth = 1;
                } else {
                    container(&mut top, 1).push(section);
                    depth = 2;
                }
                continue;
            }
            Block::Paragraph { text, .. } => {
                before = Some(text.clone());
                if depth == 0 {
                    // A report has no prose outside sections.
                    top.push(Node::Section {
                        title: PREFACE.to_string(),
                        nodes: Vec::new(),
                    });
                    depth = 1;
                }
                vec![Node::Paragraph(text.clone())]
            }
            Block::Table(table) => tables(table, before.take(), forms, &mut parts, warnings)
                .into_iter()
                .map(Node::Part)
                .collect(),
        };
        container(&mut top, depth).extend(node);
    }
    // The tables, once every part of each is read.
    let mut instances: Vec<Option<Node>> = parts
        .iter()
        .map(|part| {
            let form = &forms[part.form];
            let other = others.iter().find(|other| other.name == form.name);
            Some(instance(form, other, &part.rows, &mut names, warnings))
        })
        .collect();
    place(&mut top, &mut instances);
    top
}

/// Puts each table where its first part stood.
fn place(nodes: &mut [Node], instances: &mut [Option<Node>]) {
    for node in nodes {
        match node {
            Node::Part(index) => {
                if let Some(instance) = instances.get_mut(*index).and_then(Option::take) {
                    *node = instance;
                }
            }
            Node::Section { nodes, .. } => place(nodes, instances),
            _ => {}
        }
    }
}

/// The list that nodes at `depth` go into.
fn container(top: &mut Vec<Node>, depth: usize) -> &mut Vec<Node> {
    if depth == 0 || !matches!(top.last(), Some(Node::Section { .. })) {
        return top;
    }
    match top.last_mut() {
        Some(Node::Section { nodes, .. }) => container(nodes, depth - 1),
        _ => unreachable!("the last node is a section"),
    }
}

/// A slot of a table's grid: the cell that covers it (a merged cell covers
/// several) and which cell that is.
#[derive(Debug, Clone)]
struct Slot {
    cell: Cell,
    origin: usize,
}

/// The widest a merged cell is taken to be.
const MAX_SPAN: usize = 64;

/// A table as its grid: each merged cell in every slot it covers.
fn grid(table: &Table) -> Vec<Vec<Slot>> {
    let height = table.rows.len();
    let mut grid: Vec<Vec<Option<Slot>>> = vec![Vec::new(); height];
    let mut origin = 0;
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            let width = (cell.colspan.max(1) as usize).min(MAX_SPAN);
            let rows = (cell.rowspan.max(1) as usize).min(height - r);
            for line in &mut grid[r..r + rows] {
                if line.len() < c + width {
                    line.resize(c + width, None);
                }
                for slot in &mut line[c..c + width] {
                    *slot = Some(Slot {
                        cell: cell.clone(),
                        origin,
                    });
                }
            }
            origin += 1;
            c += width;
        }
    }
    grid.into_iter()
        .map(|row| {
            let line = row
                .iter()
                .flatten()
                .map(|slot| slot.cell.line)
                .next()
                .unwrap_or(0);
            row.into_iter()
                .map(|slot| {
                    slot.unwrap_or_else(|| {
                        origin += 1;
                        Slot {
                            cell: Cell::new("", line),
                            origin,
                        }
                    })
                })
                .collect()
        })
        .collect()
}

/// The cells of a grid row, a merged cell once.
fn distinct(row: &[Slot]) -> Vec<&Cell> {
    let mut out: Vec<&Cell> = Vec::new();
    let mut last = None;
    for slot in row {
        if last != Some(slot.origin) {
            out.push(&slot.cell);
        }
        last = Some(slot.origin);
    }
    out
}

/// A form's table as the page printed it, collected across the page's
/// `<table>`s (a table split in two goes on where it stopped).
struct Part {
    form: usize,
    rows: Vec<Vec<Slot>>,
}

/// One table of the page: the forms it holds. A part that goes on with
/// the form of the part before it (no title, rows of that form) is added
/// to it.
fn tables(
    table: &Table,
    before: Option<String>,
    forms: &[Form],
    parts: &mut Vec<Part>,
    warnings: &mut Vec<Warning>,
) -> Vec<usize> {
    // Split where a row is a form's title.
    let mut split: Vec<(Option<String>, Vec<Vec<Slot>>)> = vec![(None, Vec::new())];
    for row in grid(table) {
        let cells = distinct(&row);
        let filled: Vec<&&Cell> = cells.iter().filter(|cell| !cell.text.is_empty()).collect();
        if let [only] = filled.as_slice()
            && forms.iter().any(|form| same(&form.title, &only.text))
        {
            split.push((Some(only.text.clone()), Vec::new()));
            continue;
        }
        if let Some((_, rows)) = split.last_mut() {
            rows.push(row);
        }
    }
    let mut new = Vec::new();
    for (index, (title, rows)) in split.into_iter().enumerate() {
        if rows
            .iter()
            .all(|row| row.iter().all(|slot| slot.cell.text.is_empty()))
        {
            continue;
        }
        let line = rows[0].first().map(|slot| slot.cell.line);
        let column = rows[0].first().and_then(|slot| slot.cell.column());
        let context = if index == 0 {
            title.as_deref().or(before.as_deref())
        } else {
            title.as_deref()
        };
        let best = forms
            .iter()
            .enumerate()
            .map(|(at, form)| (score(form, context, &rows), at))
            .max_by_key(|(score, at)| (*score, std::cmp::Reverse(*at)));
        match best {
            Some((score, form)) if score >= 2 => {
                // The rest of the table before, split from it (with or
                // without its header again).
                let goes_on = index == 0
                    && title.is_none()
                    && score < 100
                    && parts.last().is_some_and(|part| part.form == form);
                match parts.last_mut() {
                    Some(part) if goes_on => part.rows.extend(rows),
                    _ => {
                        parts.push(Part { form, rows });
                        new.push(parts.len() - 1);
                    }
                }
            }
            _ => warnings.push(Warning {
                code: Code::ImportExtra,
                line,
                column,
                message: match context {
                    Some(title) => tr!(
                        "the table under {title} matches no form of the library; it is left out",
                        title = title
                    ),
                    None => tr!("a table matches no form of the library; it is left out"),
                },
            }),
        }
    }
    new
}

/// The texts of a row's cells, each label folded.
fn printed(row: &[Slot]) -> Vec<String> {
    distinct(row)
        .iter()
        .map(|cell| normalize(&cell.text))
        .collect()
}

/// Whether a row prints the form's column labels (a header).
fn is_header(form: &Form, row: &[Slot]) -> bool {
    row.iter().any(|slot| {
        !slot.cell.text.is_empty()
            && form
                .columns
                .iter()
                .any(|column| same(&column.label, &slot.cell.text))
    }) && row
        .iter()
        .all(|slot| !matches!(cell_value(&slot.cell.text), Value::Number { .. }))
}

fn score(form: &Form, title: Option<&str>, rows: &[Vec<Slot>]) -> usize {
    let mut score = 0;
    if title.is_some_and(|title| same(title, &form.title)) {
        score += 100;
    }
    for row in rows {
        if row.iter().any(|slot| {
            !slot.cell.text.is_empty()
                && form
                    .rows
                    .iter()
                    .any(|entry| same(&entry.label, &slot.cell.text))
        }) {
            score += 1;
        }
    }
    for column in &form.columns {
        if rows
            .iter()
            .any(|row| row.iter().any(|slot| same(&slot.cell.text, &column.label)))
        {
            score += 1;
        }
    }
    score
}

/// A row of the page matched to a row of the form.
struct Matched {
    /// The index of the cell that names it.
    at: usize,
    /// The row's index in the form.
    row: usize,
    /// The label, where the page prints the other version's.
    renamed: Option<String>,
}

/// Whether a printed label is a row's label: as printed, or (`loose`)
/// numbered differently or not at all, if it is not one of the form's
/// column or group labels (a header's 其他 is not the row 3.其他).
fn names_row(form: &Form, label: &str, text: &str, loose: bool) -> bool {
    if !loose {
        return same(label, text);
    }
    let (label, text) = (normalize(label), normalize(text));
    let (bare_label, bare_text) = (without_numbering(&label), without_numbering(&text));
    let is_text = |label: &String| normalize(label) == text;
    bare_text.chars().count() >= 2
        && bare_label == bare_text
        && !form.columns.iter().any(|column| is_text(&column.label))
        && !form
            .columns
            .iter()
            .chain(&form.rows)
            .any(|entry| entry.groups.iter().any(is_text))
}

/// The leaf row a row of the page is, by the labels it prints (the last
/// one that names a row), as printed or else numbered differently; a label
/// of the other version of the form (`规范性文件` of 2019 for 2021's
/// `行政规范性文件`) as a last resort.
fn row_of(
    form: &Form,
    other: Option<&Form>,
    row: &[&Cell],
    group: Option<&str>,
) -> Option<Matched> {
    for loose in [false, true] {
        if let Some(matched) = row_by_label(form, row, group, loose) {
            return Some(matched);
        }
    }
    renamed_row(form, other?, row)
}

fn row_by_label(form: &Form, row: &[&Cell], group: Option<&str>, loose: bool) -> Option<Matched> {
    for (at, cell) in row.iter().enumerate().rev() {
        if cell.text.is_empty() {
            continue;
        }
        let candidates: Vec<usize> = form
            .rows
            .iter()
            .enumerate()
            .filter(|(_, entry)| {
                if entry.label.is_empty() {
                    // A row without a label, printed by its name (件数).
                    entry.path.last().is_some_and(|name| same(name, &cell.text))
                } else {
                    names_row(form, &entry.label, &cell.text, loose)
                }
            })
            .map(|(index, _)| index)
            .collect();
        let in_group = |index: &&usize| {
            let groups = &form.rows[**index].groups;
            row[..at]
                .iter()
                .any(|cell| groups.iter().any(|group| same(group, &cell.text)))
                || group.is_some_and(|group| groups.iter().any(|own| same(own, group)))
        };
        if let Some(index) = candidates.iter().find(in_group).or(candidates.first()) {
            return Some(Matched {
                at,
                row: *index,
                renamed: None,
            });
        }
    }
    None
}

/// A row of the page by a label of the other version of the form.
fn renamed_row(form: &Form, other: &Form, row: &[&Cell]) -> Option<Matched> {
    row.iter().enumerate().rev().find_map(|(at, cell)| {
        let position = other
            .rows
            .iter()
            .position(|entry| !cell.text.is_empty() && same(&entry.label, &cell.text))?;
        let old = normalize(&other.rows[position].label);
        let index = form
            .rows
            .iter()
            .position(|entry| {
                let new = normalize(&entry.label);
                !new.is_empty() && (new.contains(&old) || old.contains(&new))
            })
            .or_else(|| (other.rows.len() == form.rows.len()).then_some(position))?;
        Some(Matched {
            at,
            row: index,
            renamed: Some(cell.text.clone()),
        })
    })
}

/// The form's column a column of the page is, by the labels its header
/// prints from the top down (a merged header is the label of each column
/// under it): the column whose label it prints and most of whose groups'
/// labels it prints too.
fn column_of(form: &Form, path: &[String]) -> Option<usize> {
    let printed = |label: &str| path.iter().any(|text| same(text, label));
    form.columns
        .iter()
        .enumerate()
        .filter(|(_, column)| printed(&column.label))
        .max_by_key(|(at, column)| {
            let groups = column.groups.iter().filter(|group| printed(group)).count();
            (
                groups,
                column.groups.len() == groups,
                std::cmp::Reverse(*at),
            )
        })
        .map(|(at, _)| at)
}

fn is_value_like(text: &str) -> bool {
    text.is_empty() || matches!(cell_value(text), Value::Number { .. })
}

/// How the values of a table are placed in the form's columns.
enum Placing {
    /// By the header's labels: the page's column of each form column.
    ByLabel(Vec<Option<usize>>),
    /// In the form's column order, after the row's label.
    InOrder,
}

fn instance(
    form: &Form,
    other: Option<&Form>,
    rows: &[Vec<Slot>],
    names: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Node {
    let columns = form.columns.len();
    let unlabelled = form.rows.iter().position(|entry| entry.label.is_empty());
    let is_data = |row: &[Slot]| {
        let cells = distinct(row);
        row_of(form, other, &cells, None).is_some()
            || unlabelled.is_some()
                && cells.iter().all(|cell| is_value_like(&cell.text))
                && cells.iter().any(|cell| !cell.text.is_empty())
    };
    let first_data = rows
        .iter()
        .position(|row| is_data(row))
        .unwrap_or(rows.len());
    let first_line = rows
        .iter()
        .flat_map(|row| row.iter())
        .map(|slot| slot.cell.line)
        .next();
    let first_column = rows
        .iter()
        .flat_map(|row| row.iter())
        .next()
        .and_then(|slot| slot.cell.column());

    // The header: the labels over each column of the page.
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut paths: Vec<Vec<(usize, String)>> = vec![Vec::new(); width];
    for row in &rows[..first_data] {
        for (c, slot) in row.iter().enumerate() {
            if !slot.cell.text.is_empty()
                && !paths[c].iter().any(|(origin, _)| *origin == slot.origin)
            {
                paths[c].push((slot.origin, slot.cell.text.clone()));
            }
        }
    }
    let labels: Vec<Vec<String>> = paths
        .iter()
        .map(|path| path.iter().map(|(_, text)| text.clone()).collect())
        .collect();
    let page_columns: Vec<Option<usize>> =
        labels.iter().map(|path| column_of(form, path)).collect();
    let found_columns: Vec<Option<usize>> = (0..columns)
        .map(|k| page_columns.iter().position(|column| *column == Some(k)))
        .collect();
    let values_in_first = rows.get(first_data).map_or(0, |row| {
        let cells = distinct(row);
        match row_of(form, other, &cells, None) {
            Some(matched) => cells.len() - matched.at - 1,
            None => cells.len(),
        }
    });
    let any_found = found_columns.iter().any(Option::is_some);
    let all_found = found_columns.iter().all(Option::is_some);
    // A header and rows of the same width: the grid of a page that keeps
    // merged cells (plain text loses them, and its rows are ragged).
    let header_width = rows[..first_data].iter().map(Vec::len).max().unwrap_or(0);
    let aligned = header_width > 0
        && rows
            .get(first_data)
            .is_some_and(|row| row.len() == header_width);
    let placing = if aligned && (all_found || any_found && values_in_first != columns) {
        Placing::ByLabel(found_columns.clone())
    } else {
        Placing::InOrder
    };

    let mut comments = Vec::new();
    match &placing {
        Placing::InOrder => {
            // Columns whose label the header does not print anywhere.
            let header: Vec<&String> = labels.iter().flatten().collect();
            let missing: Vec<&str> = form
                .columns
                .iter()
                .filter(|column| {
                    header.is_empty() || !header.iter().any(|text| same(text, &column.label))
                })
                .map(|column| column.label.as_str())
                .collect();
            if missing.is_empty() || columns == 1 && header.is_empty() {
                // Nothing to say.
            } else {
                say(
                    &mut comments,
                    warnings,
                    Code::ImportGuess,
                    (first_line, first_column),
                    tr!(
                        "the table {title} does not print the column(s) {columns}; its values are read in the form's column order",
                        title = form.title,
                        columns = missing.join("、")
                    ),
                    format!(
                        "页面表头缺少以下列，数值按表式的列序读入：{}",
                        missing.join("、")
                    ),
                );
            }
        }
        Placing::ByLabel(found) => {
            let missing: Vec<&str> = form
                .columns
                .iter()
                .zip(found)
                .filter(|(_, found)| found.is_none())
                .map(|(column, _)| column.label.as_str())
                .collect();
            if !missing.is_empty() {
                say(
                    &mut comments,
                    warnings,
                    Code::ImportMissing,
                    (first_line, first_column),
                    tr!(
                        "the table {title} lacks the column(s) {columns}; their cells are written `?`",
                        title = form.title,
                        columns = missing.join("、")
                    ),
                    format!("页面缺少以下各列，填 ?：{}", missing.join("、")),
                );
            }
            // Columns of the page the form lacks, right of the first
            // column the form has.
            let first = page_columns
                .iter()
                .position(Option::is_some)
                .unwrap_or(width);
            let mut extra: Vec<String> = Vec::new();
            for (c, path) in labels.iter().enumerate().skip(first) {
                if page_columns[c].is_none() && !path.is_empty() {
                    let label = path.join("/");
                    if !extra.contains(&label) {
                        extra.push(label);
                    }
                }
            }
            if !extra.is_empty() {
                say(
                    &mut comments,
                    warnings,
                    Code::ImportExtra,
                    (first_line, first_column),
                    tr!(
                        "the table {title} has the column(s) {columns}, which the form has not; they are left out",
                        title = form.title,
                        columns = extra.join("、")
                    ),
                    format!("页面多出以下各列，未导入：{}", extra.join("、")),
                );
            }
        }
    }

    let mut found: Vec<Option<Vec<Option<Cell>>>> = vec![None; form.rows.len()];
    let mut renamed: Vec<(String, usize)> = Vec::new();
    let mut group: Option<String> = None;
    // The header's rows as printed, to know them when they are repeated.
    let header_texts: Vec<Vec<String>> =
        rows[..first_data].iter().map(|row| printed(row)).collect();
    let mut index = first_data;
    while index < rows.len() {
        let row = &rows[index];
        index += 1;
        if row.iter().all(|slot| slot.cell.text.is_empty())
            || is_header(form, row)
            || header_texts.contains(&printed(row))
        {
            continue;
        }
        let (line, column) = (row[0].cell.line, row[0].cell.column());
        // The cells that name the row: all of them, or those outside the
        // form's columns.
        let outside: Vec<Slot> = match &placing {
            Placing::InOrder => row.clone(),
            Placing::ByLabel(_) => row
                .iter()
                .enumerate()
                .filter(|(c, _)| page_columns.get(*c).is_none_or(Option::is_none))
                .map(|(_, slot)| slot.clone())
                .collect(),
        };
        let label_cells = distinct(&outside);
        let matched = row_of(form, other, &label_cells, group.as_deref());
        // A group's label sets the context of the rows that follow.
        for cell in &label_cells {
            if !cell.text.is_empty()
                && form
                    .rows
                    .iter()
                    .any(|entry| entry.groups.iter().any(|own| same(own, &cell.text)))
            {
                group = Some(cell.text.clone());
            }
        }
        let numeric = label_cells.iter().all(|cell| is_value_like(&cell.text));
        let target = match (&matched, unlabelled) {
            (Some(matched), _) => matched.row,
            (None, Some(target)) if numeric => target,
            _ => {
                let printed: Vec<&str> = distinct(row)
                    .iter()
                    .map(|cell| cell.text.as_str())
                    .collect();
                say(
                    &mut comments,
                    warnings,
                    Code::ImportExtra,
                    (Some(line), column),
                    tr!(
                        "a row of the table {title} (“{row}”) is no row of the form; it is left out",
                        title = form.title,
                        row = printed.join(" ")
                    ),
                    format!("页面多出一行，未导入：{}", printed.join(" ")),
                );
                continue;
            }
        };
        let mut values: Vec<Option<Cell>> = match &placing {
            Placing::ByLabel(found) => found
                .iter()
                .map(|column| {
                    column
                        .and_then(|c| row.get(c))
                        .map(|slot| slot.cell.clone())
                })
                .collect(),
            Placing::InOrder => {
                let cells = distinct(row);
                let from = matched.as_ref().map_or(0, |matched| matched.at + 1);
                let mut values: Vec<Cell> = cells[from.min(cells.len())..]
                    .iter()
                    .map(|cell| (*cell).clone())
                    .collect();
                // A label alone on its row: its cells are the next row,
                // when that row names no row of its own.
                if values.iter().all(|cell| cell.text.is_empty())
                    && values.len() < columns
                    && let Some(next) = rows.get(index)
                    && distinct(next).len() == columns
                    && row_of(form, other, &distinct(next), None).is_none()
                {
                    values = distinct(next).into_iter().cloned().collect();
                    index += 1;
                }
                if values.len() != columns {
                    warnings.push(Warning {
                        code: Code::ImportGuess,
                        line: Some(line),
                        column,
                        message: tr!(
                            "row “{row}” of {title} has {cells} cells where the form has {columns} columns",
                            row = form.rows[target].label,
                            title = form.title,
                            cells = values.len(),
                            columns = columns
                        ),
                    });
                    if values.len() > columns {
                        values.drain(..values.len() - columns);
                    }
                }
                values.into_iter().map(Some).collect()
            }
        };
        values.resize(columns, None);
        if found[target].is_some() {
            warnings.push(Warning {
                code: Code::ImportGuess,
                line: Some(line),
                column,
                message: tr!(
                    "row “{row}” of {title} is printed twice; the first is kept",
                    row = form.rows[target].label,
                    title = form.title
                ),
            });
            continue;
        }
        if let Some(Matched {
            renamed: Some(label),
            ..
        }) = matched
        {
            renamed.push((label, target));
            warnings.push(Warning {
                code: Code::ImportGuess,
                line: Some(line),
                column,
                message: tr!(
                    "the page prints the row label “{printed}” of the other version of {title}; it is read as this form's row “{row}”",
                    printed = renamed.last().map_or("", |(label, _)| label.as_str()),
                    title = form.title,
                    row = form.rows[target].label
                ),
            });
        }
        found[target] = Some(values);
    }

    for (label, target) in &renamed {
        comments.push(format!(
            "页面印的是另一版表式的行标签“{label}”，按本表式的“{}”导入",
            form.rows[*target].label
        ));
    }
    let missing_rows: Vec<&Entry> = form
        .rows
        .iter()
        .zip(&found)
        .filter(|(_, found)| found.is_none())
        .map(|(entry, _)| entry)
        .collect();
    if !missing_rows.is_empty() {
        let labels: Vec<String> = missing_rows
            .iter()
            .map(|entry| {
                if entry.label.is_empty() {
                    entry.path.join(".")
                } else {
                    entry.label.clone()
                }
            })
            .collect();
        say(
            &mut comments,
            warnings,
            Code::ImportMissing,
            (first_line, first_column),
            tr!(
                "the table {title} lacks the row(s) {rows}; they are not written",
                title = form.title,
                rows = labels.join("、")
            ),
            format!("页面缺少以下各行，未填写：{}", labels.join("、")),
        );
    }

    let mut instance_rows = Vec::new();
    let mut cell_comments = Vec::new();
    for (entry, values) in form.rows.iter().zip(found) {
        let Some(values) = values else { continue };
        let mut quoted = Vec::new();
        let cells: Vec<ast::Cell> = values
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                let name = form
                    .columns
                    .get(column)
                    .map_or("", |column| column.label.as_str());
                let Some(cell) = cell else {
                    quoted.push(format!("{name}页面缺少此格"));
                    return unknown_cell();
                };
                match cell_value(&cell.text) {
                    Value::Blank => ast::Cell::new(ast::CellValue::Blank(Span::default())),
                    Value::Number {
                        text: number,
                        unit,
                        note,
                        ..
                    } => ast::Cell::with_note(
                        ast::CellValue::Number(ast::Literal::new(
                            number,
                            unit.map(|unit| ident(&unit)),
                            Span::default(),
                        )),
                        note.map(|note| text(&note)),
                    ),
                    Value::Unknown => {
                        quoted.push(format!("{name}“{}”", cell.text.replace('\n', " ")));
                        unknown_cell()
                    }
                }
            })
            .collect();
        cell_comments
            .push((!quoted.is_empty()).then(|| format!("页面原文：{}", quoted.join("，"))));
        instance_rows.push(ast::InstanceRow {
            path: entry.path.iter().map(|name| ident(name)).collect(),
            cells: ast::Cells {
                cells: cells.into(),
                span: Span::default(),
            },
            span: Span::default(),
        });
    }
    let name = unique(instance_name(&form.name), names);
    Node::Table {
        comments,
        instance: Box::new(ast::Instance {
            rows: instance_rows,
            ..empty_instance(&name, &form.name)
        }),
        cell_comments,
    }
}

/// A warning, and the comment above the table that says the same.
fn say(
    comments: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
    code: Code,
    (line, column): (Option<usize>, Option<usize>),
    message: crate::diagnostics::Text,
    comment: String,
) {
    warnings.push(Warning {
        code,
        line,
        column,
        message,
    });
    comments.push(comment);
}

fn unknown_cell() -> ast::Cell {
    ast::Cell::new(ast::CellValue::Unknown(Span::default()))
}

/// The instance's name: `第一项` for `第二十条第一项`, `申请` for
/// `申请处理情况`, `复议诉讼` for `复议诉讼情况`.
fn instance_name(form: &str) -> String {
    if let Some(rest) = form.strip_prefix("第二十条") {
        return rest.to_string();
    }
    form.strip_suffix("处理情况")
        .or_else(|| form.strip_suffix("情况"))
        .filter(|name| !name.is_empty())
        .unwrap_or(form)
        .to_string()
}

fn unique(name: String, names: &mut Vec<String>) -> String {
    let mut candidate = name.clone();
    let mut number = 2;
    while names.contains(&candidate) {
        candidate = format!("{name}{number}");
        number += 1;
    }
    names.push(candidate.clone());
    candidate
}

/// A cell as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Blank,
    Number {
        text: String,
        negative: bool,
        unit: Option<String>,
        /// A remark printed after the number, in brackets: `22（其中修订16件）`.
        note: Option<String>,
    },
    Unknown,
}

fn cell_value(printed: &str) -> Value {
    let folded = normalize(printed);
    if folded.is_empty() {
        return Value::Blank;
    }
    let (negative, rest) = match folded.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, folded.as_str()),
    };
    // Digits, thousands separators between digits, one decimal point.
    let mut number = String::new();
    let mut chars = rest.char_indices().peekable();
    let mut end = rest.len();
    while let Some((at, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|(_, c)| c.is_ascii_digit());
        if c.is_ascii_digit()
            || c == '.' && next_is_digit && !number.contains('.') && !number.is_empty()
        {
            number.push(c);
        } else if c == ',' && next_is_digit && !number.is_empty() && !number.contains('.') {
        } else {
            end = at;
            break;
        }
    }
    if number.is_empty() {
        return Value::Unknown;
    }
    let suffix = &rest[end..];
    // A remark in brackets after the number (and its unit), as printed.
    let (suffix, note) = match suffix.find('(') {
        Some(open) if suffix.ends_with(')') && open + 1 < suffix.len() - 1 => {
            let printed = printed.trim();
            let from = printed.find(['（', '(']).unwrap_or(0);
            let inner = printed[from..]
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')'])
                .trim();
            (&suffix[..open], Some(inner.replace('\n', "")))
        }
        _ => (suffix, None),
    };
    let unit = match suffix {
        "" => None,
        unit if UNITS.contains(&unit) => Some(unit.to_string()),
        _ => return Value::Unknown,
    };
    // Leading zeros are not part of a number as gdr writes it.
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (number.as_str(), None),
    };
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let text = match fraction {
        Some(fraction) => format!("{whole}.{fraction}"),
        None => whole.to_string(),
    };
    // The sign is part of the number's text, as written.
    let negative = negative && text.chars().any(|c| c != '0' && c != '.');
    Value::Number {
        text: if negative { format!("-{text}") } else { text },
        negative,
        unit,
        note,
    }
}

/// Whether an agency is a 人民政府 or its office (`issuer government`).
fn is_government(agency: &str) -> bool {
    let agency = normalize(agency);
    ["人民政府", "人民政府办公室", "人民政府办公厅"]
        .iter()
        .any(|end| agency.ends_with(end))
}

/// The labels of a library's forms (rows, columns and their groups).
fn labels_of(library: &str) -> std::collections::HashSet<String> {
    let mut labels = std::collections::HashSet::new();
    for form in forms::load(library).unwrap_or_default() {
        for entry in form.rows.iter().chain(&form.columns) {
            labels.insert(normalize(&entry.label));
            labels.extend(entry.groups.iter().map(|group| normalize(group)));
        }
    }
    labels.remove("");
    labels
}

/// The library whose own labels (those the other lacks) the tables print
/// more of; failing that, the year's.
fn decide_library(
    document: &Document,
    year: Option<i32>,
    warnings: &mut Vec<Warning>,
) -> &'static str {
    let printed: std::collections::HashSet<String> = document
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(table.rows.iter().flatten()),
            _ => None,
        })
        .flatten()
        .map(|cell| normalize(&cell.text))
        .collect();
    let (older, newer) = (labels_of(LIBRARIES[0]), labels_of(LIBRARIES[1]));
    let own = |mine: &std::collections::HashSet<String>,
               theirs: &std::collections::HashSet<String>| {
        printed
            .iter()
            .filter(|label| mine.contains(*label) && !theirs.contains(*label))
            .count()
    };
    let (newer, older) = (own(&newer, &older), own(&older, &newer));
    match newer.cmp(&older) {
        std::cmp::Ordering::Greater => LIBRARIES[1],
        std::cmp::Ordering::Less => LIBRARIES[0],
        std::cmp::Ordering::Equal => {
            let library = if year.is_some_and(|year| year >= 2021) {
                LIBRARIES[1]
            } else {
                LIBRARIES[0]
            };
            warnings.push(Warning {
                code: Code::ImportGuess,
                line: None,
                column: None,
                message: tr!(
                    "the tables' labels do not tell the 2019 format from the 2021 one; {library} is used (choose with --form)",
                    library = library
                ),
            });
            library
        }
    }
}

/// The title: the first short lines, up to the one that ends in 报告.
/// Returns the index of the first block after it, the title and its line.
fn title(blocks: &[Block]) -> (usize, Option<String>, Option<usize>) {
    let mut joined = String::new();
    let mut first_line = None;
    for (index, block) in blocks.iter().enumerate().take(4) {
        let Block::Paragraph { text, line } = block else {
            break;
        };
        if !is_short_line(text) {
            break;
        }
        first_line.get_or_insert(*line);
        joined.push_str(text);
        if joined.ends_with("报告") {
            return (index + 1, Some(joined), first_line);
        }
    }
    (0, None, None)
}

/// A line that is not a sentence: short, without a comma or a full stop.
fn is_short_line(text: &str) -> bool {
    text.chars().count() <= 60 && !text.contains(['。', '，', ',', '；'])
}

/// The year `NNNN年` in the title, and the byte where it starts.
fn year_in(title: &str) -> Option<(i32, usize)> {
    let bytes = title.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|at| {
        let digits = title.get(at..at + 4)?;
        let rest = title.get(at + 4..)?;
        let before_is_digit = at > 0 && bytes[at - 1].is_ascii_digit();
        (digits.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with('年') && !before_is_digit)
            .then(|| digits.parse().ok().map(|year| (year, at)))
            .flatten()
    })
}

/// `2021年1月10日` (the whole line) as `2021-01-10`.
fn date_in(line: &str) -> Option<String> {
    let folded = normalize(line);
    let (year, rest) = folded.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    let (year, month, day) = (
        number(year, 4..=4)?,
        number(month, 1..=2)?,
        number(day, 1..=2)?,
    );
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_printed() {
        assert_eq!(cell_value(""), Value::Blank);
        assert_eq!(cell_value("\u{a0}"), Value::Blank);
        let number = |text: &str, unit: Option<&str>| Value::Number {
            text: text.into(),
            negative: false,
            unit: unit.map(Into::into),
            note: None,
        };
        assert_eq!(cell_value("24"), number("24", None));
        assert_eq!(cell_value("２４"), number("24", None));
        assert_eq!(cell_value("1,234"), number("1234", None));
        assert_eq!(cell_value("77180.86万元"), number("77180.86", Some("万元")));
        assert_eq!(cell_value("约20"), Value::Unknown);
        assert_eq!(cell_value("/"), Value::Unknown);
        assert_eq!(cell_value("20左右"), Value::Unknown);
        assert_eq!(cell_value("251000元"), number("251000", Some("元")));
        assert_eq!(
            cell_value("22（其中修订16件）"),
            Value::Number {
                text: "22".into(),
                negative: false,
                unit: None,
                note: Some("其中修订16件".into()),
            }
        );
        assert_eq!(
            cell_value("3件 (含转办 1 件)"),
            Value::Number {
                text: "3".into(),
                negative: false,
                unit: Some("件".into()),
                note: Some("含转办 1 件".into()),
            }
        );
        assert_eq!(cell_value("—"), Value::Unknown);
        assert_eq!(
            cell_value("-12"),
            Value::Number {
                text: "-12".into(),
                negative: true,
                unit: None,
                note: None,
            }
        );
        assert_eq!(cell_value("-0"), number("0", None));
        assert_eq!(cell_value("无"), Value::Unknown);
    }

    #[test]
    fn dates_years_and_names() {
        assert_eq!(date_in("2021年1月10日").as_deref(), Some("2021-01-10"));
        assert_eq!(
            date_in("２０２１年１月１０日").as_deref(),
            Some("2021-01-10")
        );
        assert_eq!(date_in("2021年1月10日发布"), None);
        assert_eq!(
            year_in("平原示范区2020年度政府信息公开工作年度报告"),
            Some((2020, 15))
        );
        assert_eq!(instance_name("第二十条第一项"), "第一项");
        assert_eq!(instance_name("申请处理情况"), "申请");
        assert_eq!(instance_name("复议诉讼情况"), "复议诉讼");
    }

    #[test]
    fn any_text_imports_without_panicking() {
        for input in [
            "",
            "\t",
            "\t\n\n\t\t\n",
            "年度报告",
            "2021年1月10日",
            "一、\n\t第二十条第（一）项\n\t规章\n\t1\t2\t3\t4\t5\n\t规章\n",
            "（一）小节\n\t件数\n\t\u{a0}\n三、收到和处理政府信息公开申请情况\n\t0\t1\n",
            "标题年度报告\n\t四、结转下年度继续办理\n\n\t\n\t-\n\t１,０００\n",
        ] {
            for library in [None, Some("gov_disclosure_2021")] {
                // Either a report in fmt form, or "no report here" (E0602).
                match crate::import::import_text(input, library) {
                    Ok(imported) => {
                        assert_eq!(crate::format::format(&imported.source), imported.source)
                    }
                    Err(failure) => assert_eq!(failure.code, Code::ImportNoReport, "{input:?}"),
                }
            }
        }
    }

    #[test]
    fn rows_match_by_label_within_their_group() {
        let forms = forms::load("gov_disclosure_2021").unwrap();
        let form = forms
            .iter()
            .find(|form| form.name == "申请处理情况")
            .unwrap();
        let cells = |texts: &[&str]| -> Vec<Cell> {
            texts.iter().map(|text| Cell::new(*text, 1)).collect()
        };
        let row = cells(&["", "（六）其他处理", "3. 其他", "0"]);
        let row: Vec<&Cell> = row.iter().collect();
        let matched = row_of(form, None, &row, None).unwrap();
        assert_eq!(matched.at, 2);
        assert_eq!(form.rows[matched.row].path, ["办理", "其他处理", "其他"]);
        let row = cells(&[
            "",
            "（二）部分公开(区分处理的,只计这一情形,不计其他情形)",
            "1",
        ]);
        let row: Vec<&Cell> = row.iter().collect();
        let matched = row_of(form, None, &row, None).unwrap();
        assert_eq!(form.rows[matched.row].path, ["办理", "部分公开"]);
    }
}
