//! The second stage: a neutral [`Document`] mapped onto a form library by
//! labels, printed as a `.gdr` report.
//!
//! - The header: the title is the first lines up to the one that ends in
//!   `报告`; the year is the first `NNNN年` in it; a date such as
//!   `2021年1月10日` on the last line is `published`, and the line above it
//!   (the signature) is the agency, else the title before the year is.
//! - Sections are the page's own headings (`一、` and `（一）` inside it);
//!   paragraphs are kept verbatim, one string a line of the page; what
//!   comes before the first heading goes into a section `说明`, since the
//!   language has no prose outside sections.
//! - A table is split where a row is the title of a form
//!   (`第二十条第（一）项`); each part is the form whose title (or the
//!   heading just above it), row labels and column labels it matches best.
//!   A row is the form's row whose label one of its cells prints; its last
//!   cells are the values, in the form's column order (a plain-text page
//!   loses merged header cells, so columns are checked for presence by
//!   label, not placed by it).
//! - A cell as printed: a number is a stated number, an empty cell `-`, a
//!   cell without a readable number `?` with a comment quoting it.
//! - Rows and columns of the form the page lacks are warnings, and a comment
//!   above the table; they are never written.

use super::document::{Block, Cell, Document, Table};
use super::forms::{self, Entry, Form};
use super::label::{normalize, same};
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

/// Maps `document` onto `library` (or the library its labels name).
pub fn to_gdr(document: &Document, library: Option<&str>) -> Result<Imported, Failure> {
    let mut warnings = Vec::new();
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
            message: tr!("no title found: the first lines should name the report"),
        }),
    }
    let agency = signature.or_else(|| {
        let (title, (_, at)) = (title.as_ref()?, year?);
        Some(title[..at].to_string()).filter(|agency| !agency.is_empty())
    });
    match agency {
        Some(agency) => fields.push(field("agency", ast::HeaderValue::Text(text(&agency)))),
        None => warnings.push(Warning {
            code: Code::ImportMissing,
            line: title_line,
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
            message: tr!("no year found in the title"),
        }),
    }
    if let Some(date) = published {
        fields.push(field("published", ast::HeaderValue::Date(ident(&date))));
    }

    let nodes = body(&document.blocks[start..end], &forms, &mut warnings);
    let mut imported = Vec::new();
    forms_in(&nodes, &mut imported);
    if imported.is_empty() {
        return Err(Failure {
            code: Code::ImportNoReport,
            line: None,
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
        "由 gdr import 从网页文本导入（表式库 {library}）：数字按页面原样填写，\n请与原文核对后运行 gdr check。"
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
}

/// The forms of the instances among `nodes`.
fn forms_in<'a>(nodes: &'a [Node], out: &mut Vec<&'a str>) {
    for node in nodes {
        match node {
            Node::Paragraph(_) => {}
            Node::Section { nodes, .. } => forms_in(nodes, out),
            Node::Table { instance, .. } => out.push(&instance.form.value),
        }
    }
}

fn print_nodes(printer: &mut Printer, nodes: &[Node]) {
    for node in nodes {
        match node {
            Node::Paragraph(text) => printer.item(&paragraph(text)),
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
fn body(blocks: &[Block], forms: &[Form], warnings: &mut Vec<Warning>) -> Vec<Node> {
    let mut top: Vec<Node> = Vec::new();
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
            Block::Table(table) => tables(table, before.take(), forms, &mut names, warnings),
        };
        container(&mut top, depth).extend(node);
    }
    top
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

/// One table of the page: as many instances as forms it holds.
fn tables(
    table: &Table,
    before: Option<String>,
    forms: &[Form],
    names: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Vec<Node> {
    // Split where a row is a form's title.
    let mut parts: Vec<(Option<String>, Vec<&[Cell]>)> = vec![(before, Vec::new())];
    for row in &table.rows {
        let filled: Vec<&Cell> = row.iter().filter(|cell| !cell.text.is_empty()).collect();
        if let [only] = filled.as_slice()
            && forms.iter().any(|form| same(&form.title, &only.text))
        {
            parts.push((Some(only.text.clone()), Vec::new()));
            continue;
        }
        if let Some((_, rows)) = parts.last_mut() {
            rows.push(row);
        }
    }
    let mut nodes = Vec::new();
    for (title, rows) in parts {
        if rows.is_empty() {
            continue;
        }
        let line = rows[0].first().map(|cell| cell.line);
        let best = forms
            .iter()
            .map(|form| (score(form, title.as_deref(), &rows), form))
            .max_by_key(|(score, _)| *score);
        match best {
            Some((score, form)) if score >= 2 => {
                nodes.push(instance(form, &rows, names, warnings));
            }
            _ => warnings.push(Warning {
                code: Code::ImportExtra,
                line,
                message: match title {
                    Some(title) => tr!(
                        "the table under {title} matches no form of the library; it is left out",
                        title = title
                    ),
                    None => tr!("a table matches no form of the library; it is left out"),
                },
            }),
        }
    }
    nodes
}

fn score(form: &Form, title: Option<&str>, rows: &[&[Cell]]) -> usize {
    let mut score = 0;
    if title.is_some_and(|title| same(title, &form.title)) {
        score += 100;
    }
    for row in rows {
        if row.iter().any(|cell| {
            !cell.text.is_empty() && form.rows.iter().any(|entry| same(&entry.label, &cell.text))
        }) {
            score += 1;
        }
    }
    for column in &form.columns {
        if rows
            .iter()
            .any(|row| row.iter().any(|cell| same(&cell.text, &column.label)))
        {
            score += 1;
        }
    }
    score
}

/// The leaf row a row of the page is, by the labels it prints: the index of
/// the cell that names it and the row's index in the form.
fn row_of(form: &Form, row: &[Cell], group: Option<&str>) -> Option<(usize, usize)> {
    for (at, cell) in row.iter().enumerate().rev() {
        if cell.text.is_empty() {
            continue;
        }
        let candidates: Vec<usize> = form
            .rows
            .iter()
            .enumerate()
            .filter(|(_, entry)| !entry.label.is_empty() && same(&entry.label, &cell.text))
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
            return Some((at, *index));
        }
    }
    None
}

fn is_value_like(text: &str) -> bool {
    text.is_empty() || matches!(cell_value(text), Value::Number { .. })
}

fn instance(
    form: &Form,
    rows: &[&[Cell]],
    names: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Node {
    let columns = form.columns.len();
    let mut found: Vec<Option<Vec<Cell>>> = vec![None; form.rows.len()];
    let mut header_cells: Vec<&Cell> = Vec::new();
    let mut group: Option<String> = None;
    let mut data_started = false;
    let mut index = 0;
    while index < rows.len() {
        let row = rows[index];
        index += 1;
        if row.iter().all(|cell| cell.text.is_empty()) {
            continue;
        }
        let line = row[0].line;
        let matched = row_of(form, row, group.as_deref());
        // A group's label sets the context of the rows that follow.
        for cell in row {
            if form
                .rows
                .iter()
                .any(|entry| entry.groups.iter().any(|own| same(own, &cell.text)))
                && !cell.text.is_empty()
            {
                group = Some(cell.text.clone());
            }
        }
        let (target, mut values) = match matched {
            Some((at, target)) => (target, row[at + 1..].to_vec()),
            None => {
                let unlabelled = form.rows.iter().position(|entry| entry.label.is_empty());
                let numeric = row.iter().all(|cell| is_value_like(&cell.text))
                    && row.iter().any(|cell| !cell.text.is_empty());
                match unlabelled {
                    Some(target) if numeric && row.len() == columns => (target, row.to_vec()),
                    _ if !data_started => {
                        header_cells.extend(row.iter());
                        continue;
                    }
                    _ => {
                        warnings.push(Warning {
                            code: Code::ImportExtra,
                            line: Some(line),
                            message: tr!(
                                "a row of the table {title} (“{row}”) is no row of the form; it is left out",
                                title = form.title,
                                row = row.iter().map(|cell| cell.text.as_str()).collect::<Vec<_>>().join(" ")
                            ),
                        });
                        continue;
                    }
                }
            }
        };
        data_started = true;
        // A label alone on its row: its cells are the next row, when that
        // row names no row of its own.
        if values.iter().all(|cell| cell.text.is_empty())
            && values.len() < columns
            && let Some(next) = rows.get(index)
            && next.len() == columns
            && row_of(form, next, None).is_none()
        {
            values = next.to_vec();
            index += 1;
        }
        if values.len() != columns {
            warnings.push(Warning {
                code: Code::ImportGuess,
                line: Some(line),
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
        if found[target].is_some() {
            warnings.push(Warning {
                code: Code::ImportGuess,
                line: Some(line),
                message: tr!(
                    "row “{row}” of {title} is printed twice; the first is kept",
                    row = form.rows[target].label,
                    title = form.title
                ),
            });
            continue;
        }
        found[target] = Some(values);
    }

    let mut comments = Vec::new();
    let first_line = rows
        .iter()
        .flat_map(|row| row.iter())
        .map(|cell| cell.line)
        .next();
    let missing_columns: Vec<&Entry> = form
        .columns
        .iter()
        .filter(|column| {
            !header_cells
                .iter()
                .any(|cell| same(&cell.text, &column.label))
        })
        .collect();
    if !missing_columns.is_empty() && !header_cells.is_empty()
        || header_cells.is_empty() && columns > 1
    {
        let labels = if header_cells.is_empty() {
            form.columns
                .iter()
                .map(|column| column.label.as_str())
                .collect::<Vec<_>>()
        } else {
            missing_columns
                .iter()
                .map(|column| column.label.as_str())
                .collect()
        };
        warnings.push(Warning {
            code: Code::ImportGuess,
            line: first_line,
            message: tr!(
                "the table {title} does not print the column(s) {columns}; its values are read in the form's column order",
                title = form.title,
                columns = labels.join("、")
            ),
        });
        comments.push(format!(
            "页面表头缺少以下列，数值按表式的列序读入：{}",
            labels.join("、")
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
        warnings.push(Warning {
            code: Code::ImportMissing,
            line: first_line,
            message: tr!(
                "the table {title} lacks the row(s) {rows}; they are not written",
                title = form.title,
                rows = labels.join("、")
            ),
        });
        comments.push(format!("页面缺少以下各行，未填写：{}", labels.join("、")));
    }

    let mut instance_rows = Vec::new();
    let mut cell_comments = Vec::new();
    for (entry, values) in form.rows.iter().zip(found) {
        let Some(values) = values else { continue };
        let mut quoted = Vec::new();
        let mut cells: Vec<ast::Cell> = values
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                let value = match cell_value(&cell.text) {
                    Value::Blank => ast::CellValue::Blank,
                    Value::Number {
                        text,
                        negative,
                        unit,
                    } => ast::CellValue::Number(ast::Literal {
                        text,
                        negative,
                        unit: unit.map(|unit| Box::new(ident(&unit))),
                        number_span: Span::default(),
                        span: Span::default(),
                    }),
                    Value::Unknown => {
                        let name = form
                            .columns
                            .get(column)
                            .map_or("", |column| column.label.as_str());
                        quoted.push(format!("{name}“{}”", cell.text.replace('\n', " ")));
                        ast::CellValue::Unknown
                    }
                };
                ast::Cell {
                    value,
                    note: None,
                    span: Span::default(),
                }
            })
            .collect();
        while cells.len() < columns {
            quoted.push("页面缺少此格".to_string());
            cells.push(ast::Cell {
                value: ast::CellValue::Unknown,
                note: None,
                span: Span::default(),
            });
        }
        cell_comments
            .push((!quoted.is_empty()).then(|| format!("页面原文：{}", quoted.join("，"))));
        instance_rows.push(ast::InstanceRow {
            path: entry.path.iter().map(|name| ident(name)).collect(),
            cells: ast::Cells {
                cells,
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
    Value::Number {
        negative: negative && text.chars().any(|c| c != '0' && c != '.'),
        text,
        unit,
    }
}

/// The library the labels of the tables name; failing that, the year's.
fn decide_library(
    document: &Document,
    year: Option<i32>,
    warnings: &mut Vec<Warning>,
) -> &'static str {
    let cells = document.blocks.iter().flat_map(|block| match block {
        Block::Table(table) => table.rows.iter().flatten().collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let (mut newer, mut older) = (false, false);
    for cell in cells {
        let text = normalize(&cell.text);
        if [
            "本年制发件数",
            "行政规范性文件",
            "本年废止件数",
            "现行有效件数",
        ]
        .contains(&text.as_str())
        {
            newer = true;
        }
        if [
            "本年新制作数量",
            "规范性文件",
            "本年新公开数量",
            "对外公开总数量",
        ]
        .contains(&text.as_str())
        {
            older = true;
        }
    }
    match (newer, older) {
        (true, false) => LIBRARIES[1],
        (false, true) => LIBRARIES[0],
        _ => {
            let library = if year.is_some_and(|year| year >= 2021) {
                LIBRARIES[1]
            } else {
                LIBRARIES[0]
            };
            warnings.push(Warning {
                code: Code::ImportGuess,
                line: None,
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
        };
        assert_eq!(cell_value("24"), number("24", None));
        assert_eq!(cell_value("２４"), number("24", None));
        assert_eq!(cell_value("1,234"), number("1234", None));
        assert_eq!(cell_value("77180.86万元"), number("77180.86", Some("万元")));
        assert_eq!(cell_value("约20"), Value::Unknown);
        assert_eq!(cell_value("/"), Value::Unknown);
        assert_eq!(cell_value("20左右"), Value::Unknown);
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
        let (at, index) = row_of(form, &row, None).unwrap();
        assert_eq!(at, 2);
        assert_eq!(form.rows[index].path, ["办理", "其他处理", "其他"]);
        let row = cells(&[
            "",
            "（二）部分公开(区分处理的,只计这一情形,不计其他情形)",
            "1",
        ]);
        let (_, index) = row_of(form, &row, None).unwrap();
        assert_eq!(form.rows[index].path, ["办理", "部分公开"]);
    }
}
