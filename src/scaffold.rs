//! `gdr new`: a complete report to fill in, from a form library.
//!
//! The scaffold has the header, the six sections the library requires with
//! placeholder prose, and an instance of every form in the section its
//! title names (forms without a section numeral go to 二), each data row
//! listed with zeros and each derived cell `auto`. It checks clean and
//! builds as it is.

use crate::modules;
use crate::span::{Span, Spanned};
use crate::syntax::ast;
use crate::syntax::print::Printer;

/// Why no scaffold could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaffoldError {
    UnknownLibrary(String),
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::UnknownLibrary(name) => {
                let names: Vec<&str> = modules::BUILTINS.iter().map(|(name, _)| *name).collect();
                write!(
                    f,
                    "unknown form library `{name}`; the libraries are `{}`",
                    names.join("`, `")
                )
            }
        }
    }
}

/// The text of a new report for `year` on the built-in `library`.
pub fn new_report(library: &str, year: i32) -> Result<String, ScaffoldError> {
    let document = modules::builtin_document(library)
        .ok_or_else(|| ScaffoldError::UnknownLibrary(library.to_string()))?;
    let sections = modules::section_titles(document);
    let forms: Vec<&ast::Table> = document
        .items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Form(form) => Some(&**form),
            _ => None,
        })
        .collect();

    let mut printer = Printer::new();
    printer.comment(&format!(
        "A report on the official format `{library}`: fill in the agency, the\n\
         prose and the numbers; `auto` cells are computed by gdr. Then run\n\
         `gdr check` on this file, and `gdr build` to publish it."
    ));
    // The publication date is left for the author to fill in: a date
    // written here would pass the deadline check whether or not it is true.
    printer.header(
        &ast::Header {
            keyword: Span::default(),
            fields: vec![
                field(
                    "title",
                    ast::HeaderValue::Text(text_node(&format!(
                        "（机关名称）{year}年度政府信息公开工作年度报告"
                    ))),
                ),
                field("agency", ast::HeaderValue::Text(text_node("（机关名称）"))),
                field("year", ast::HeaderValue::Number(spanned(&year.to_string()))),
            ],
            span: Span::default(),
        },
        &[
            "发布日期：部门于次年1月31日前、人民政府于3月31日前发布；填写实际日期，删去下一行行首的 //".to_string(),
            format!("published {}-01-31", year + 1),
            "由人民政府或其办公厅（室）发布的，删去下一行行首的 //；部门不写".to_string(),
            "issuer government".to_string(),
        ],
    );
    printer.blank_line();
    printer.item(&ast::Item::Use(ast::Use {
        target: ast::UseTarget::Builtin(spanned(library)),
        alias: None,
        span: Span::default(),
    }));
    for (index, title) in sections.iter().enumerate() {
        printer.section(title, |printer| {
            printer.item(&paragraph(&format!("（{}）", placeholder(title))));
            let section_numeral = numeral(title);
            for form in &forms {
                let form_title = form.title.as_ref().map_or("", |title| title.value.as_str());
                let here = match sections
                    .iter()
                    .position(|section| numeral_of(form_title) == Some(numeral(section)))
                {
                    Some(position) => position == index,
                    None => section_numeral == "二、",
                };
                if here {
                    printer.blank_line();
                    instance(printer, form);
                }
            }
        });
    }
    Ok(printer.finish())
}

/// A name or written token without a place in a source (for trees built
/// by hand, as the importer's are too).
pub(crate) fn spanned(value: &str) -> ast::Ident {
    Spanned::new(value.into(), Span::default())
}

pub(crate) fn text_node(value: &str) -> ast::Text {
    ast::Text {
        value: value.into(),
        span: Span::default(),
    }
}

pub(crate) fn field(key: &str, value: ast::HeaderValue) -> ast::HeaderField {
    ast::HeaderField {
        key: spanned(key),
        value,
    }
}

/// `table NAME = FORM { }`, its rows to be added.
pub(crate) fn empty_instance(name: &str, form: &str) -> ast::Instance {
    ast::Instance {
        name: spanned(name),
        form: spanned(form),
        rows: Vec::new(),
        rests: Vec::new(),
        notes: Vec::new(),
        checks: Vec::new(),
        waivers: Vec::new(),
        head: Span::default(),
        span: Span::default(),
    }
}

pub(crate) fn paragraph(value: &str) -> ast::Item {
    ast::Item::Paragraph(ast::Paragraph {
        pieces: vec![ast::Piece::Text(value.into())],
        span: Span::default(),
    })
}

/// What the placeholder paragraph of a section asks for.
fn placeholder(title: &str) -> &'static str {
    match numeral(title) {
        "一、" => {
            "在此概述本年度政府信息公开工作：主动公开、依申请公开、政府信息管理、平台建设、监督保障等"
        }
        "二、" => "在此说明主动公开政府信息的情况；下表数字按实际填写",
        "三、" => "在此说明收到和处理政府信息公开申请的情况；下表数字按实际填写",
        "四、" => "在此说明政府信息公开行政复议、行政诉讼的情况；下表数字按实际填写",
        "五、" => "在此说明上年度问题的改进情况和本年度存在的主要问题及改进措施",
        "六、" => "在此说明收取信息处理费等其他需要报告的事项",
        _ => "在此填写本节内容",
    }
}

fn numeral(title: &str) -> &str {
    numeral_of(title).unwrap_or(title)
}

fn numeral_of(title: &str) -> Option<&str> {
    title
        .find('、')
        .map(|index| &title[..index + '、'.len_utf8()])
}

/// `table 申请 = 申请处理情况 { … }` with every data row at zero, after a
/// comment that names the columns and with each row's label beside it.
fn instance(printer: &mut Printer, form: &ast::Table) {
    let columns: Vec<(String, bool)> = form
        .columns
        .first()
        .map(|(_, entries)| leaf_columns(entries))
        .unwrap_or_default();
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    printer.comment(&names.join(", "));
    let mut rows = Vec::new();
    if let Some((_, entries)) = form.rows.first() {
        data_rows(entries, &mut Vec::new(), &mut rows);
    }
    let all_names: Vec<&str> = rows
        .iter()
        .map(|row| row.path.last().map_or("", |s| s.as_str()))
        .collect();
    let cells = ast::Cells {
        cells: columns
            .iter()
            .map(|(_, derived)| {
                ast::Cell::new(if *derived {
                    ast::CellValue::Auto(Span::default())
                } else {
                    ast::CellValue::Number(ast::Literal::new("0", None, Span::default()))
                })
            })
            .collect(),
        span: Span::default(),
    };
    let mut instance = empty_instance(&instance_name(&form.name.value), &form.name.value);
    for row in &rows {
        let last = row.path.last().map_or("", String::as_str);
        let unique = all_names.iter().filter(|name| **name == last).count() == 1;
        let path = if unique {
            &row.path[row.path.len() - 1..]
        } else {
            &row.path[..]
        };
        instance.rows.push(ast::InstanceRow {
            path: path.iter().map(|name| spanned(name)).collect(),
            cells: cells.clone(),
            span: Span::default(),
        });
    }
    printer.instance(&instance, &|index| {
        Some(rows[index].label.clone()).filter(|label| !label.is_empty())
    });
}

/// `申请处理情况` → `申请`, `第二十条第一项` → `第一项`.
fn instance_name(form: &str) -> String {
    match form {
        "申请处理情况" => "申请".to_string(),
        "复议诉讼情况" => "复议诉讼".to_string(),
        _ => form.strip_prefix("第二十条").unwrap_or(form).to_string(),
    }
}

/// The leaf columns of a form: their paths as a reference writes them
/// (`行政复议.总计`), and whether a formula derives them.
fn leaf_columns(entries: &[ast::ColumnEntry]) -> Vec<(String, bool)> {
    fn walk(entries: &[ast::ColumnEntry], prefix: &str, out: &mut Vec<(String, bool)>) {
        for entry in entries {
            // Written as a reference names the column: `行政复议.总计`.
            let name = entry.name.value.as_str();
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            match &entry.kind {
                ast::ColumnKind::Group(children) if children.is_empty() => out.push((path, false)),
                ast::ColumnKind::Group(children) => walk(children, &path, out),
                ast::ColumnKind::Leaf { formula, .. } => out.push((path, formula.is_some())),
            }
        }
    }
    let mut out = Vec::new();
    walk(entries, "", &mut out);
    out
}

struct DataRow {
    path: Vec<String>,
    label: String,
}

fn data_rows(entries: &[ast::RowEntry], path: &mut Vec<String>, out: &mut Vec<DataRow>) {
    for entry in entries {
        path.push(entry.name.value.to_string());
        match &entry.kind {
            ast::RowKind::Group(children) => data_rows(children, path, out),
            ast::RowKind::Leaf { formula: None, .. } => out.push(DataRow {
                path: path.clone(),
                label: entry
                    .label
                    .as_ref()
                    .map(|label| label.value.to_string())
                    .unwrap_or_default(),
            }),
            ast::RowKind::Leaf { .. } => {}
        }
        path.pop();
    }
}
