//! Completion: what may be written where the cursor is.
//!
//! - After `表.` (or `表.组.`): that table's rows (or the group's).
//! - Inside `表.行[` (or `[组.`): that table's columns (or the group's).
//! - Inside `{…}` of a string: the names of the report, then the formats.
//! - Anywhere else: the lets, the tables and the keywords.
//!
//! Names come from the compiled report's model, so completion works as
//! long as the last compilation got that far; a row and a column with the
//! same name are two items.

use crate::Compilation;
use crate::model;
use crate::syntax::lex::{self, Kind, is_word_char};

/// What a completion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Let,
    Table,
    Row,
    Column,
    Keyword,
    /// A format after `:` in an interpolation.
    Format,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// A let's value and unit, a table's title, a row's or column's label,
    /// what a format does; empty for keywords.
    pub detail: String,
}

/// The characters after which an editor should ask for completion.
pub const TRIGGER_CHARACTERS: [&str; 3] = [".", "[", "{"];

/// The keywords offered, after the names.
const KEYWORDS: [&str; 13] = [
    "section", "table", "let", "check", "expect", "within", "sum", "auto", "rest", "unit", "note",
    "allow", "use",
];

/// The formats of an interpolation.
const FORMATS: [(&str, &str); 5] = [
    (":num", "the number without its unit"),
    (":2", "rounded to 2 decimals, with its unit"),
    (":num2", "rounded to 2 decimals, without its unit"),
    (":%1", "a ratio as a percentage, 1 decimal"),
    (":%2", "a ratio as a percentage, 2 decimals"),
];

/// Where the cursor is, for completion.
#[derive(Debug, PartialEq, Eq)]
enum Context<'t> {
    /// After `a.b.`: the members of the path `[a, b]`.
    Member(Vec<&'t str>),
    /// After `ref[` or `ref[g.`: the columns under `group` of the table
    /// that `reference` names.
    Column {
        reference: Vec<&'t str>,
        group: Vec<&'t str>,
    },
    /// In `{…}` of a string, at a name.
    Interpolation,
    /// In the text of a string.
    Prose,
    /// Anywhere else.
    Anywhere,
}

/// The completions at the global byte offset `offset` of the report.
pub fn completions(compilation: &Compilation, offset: usize) -> Vec<CompletionItem> {
    let text: &str = &compilation.sources.main().text;
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    // The name being typed is not part of the context.
    let before = text[..at].trim_end_matches(is_word_char);
    let report = &compilation.report;
    let mut items = Items::default();
    match context(before) {
        Context::Member(path) => items.members(report, &path),
        Context::Column { reference, group } => items.columns(report, &reference, &group),
        Context::Interpolation => {
            items.names(report);
            for (label, detail) in FORMATS {
                items.add(label, CompletionKind::Format, detail);
            }
        }
        Context::Prose => {}
        Context::Anywhere => {
            items.names(report);
            for keyword in KEYWORDS {
                items.add(keyword, CompletionKind::Keyword, "");
            }
        }
    }
    items.0
}

/// The context of the text before the cursor (the name being typed
/// removed).
fn context(before: &str) -> Context<'_> {
    // In a string (a `"""` block may span lines), after an unclosed `{`:
    // the expression; elsewhere in a string, prose: nothing to offer.
    if let Some(token) = lex::tokens(before)
        .last()
        .filter(|token| token.kind == Kind::String)
    {
        let string = &before[token.start..];
        if !is_closed(string) {
            return match string.rfind('{') {
                Some(open) if !string[open..].contains('}') => {
                    match path_before(&string[open + 1..]) {
                        Some(path) => Context::Member(path),
                        None => Context::Interpolation,
                    }
                }
                _ => Context::Prose,
            };
        }
    }
    let line = &before[before.rfind('\n').map_or(0, |index| index + 1)..];
    // Inside `ref[…`: the last `[` of the line not closed, right after a
    // name (a row's cells have a space before their `[`).
    if let Some(open) = line.rfind('[')
        && !line[open..].contains(']')
    {
        let inside = &line[open + 1..];
        let group = if inside.is_empty() {
            Some(Vec::new())
        } else {
            path_before(inside).filter(|_| inside.chars().all(|c| is_word_char(c) || c == '.'))
        };
        let reference = trailing_path(&line[..open]);
        if let (Some(group), false) = (group, reference.is_empty()) {
            return Context::Column { reference, group };
        }
    }
    match path_before(line) {
        Some(path) => Context::Member(path),
        None => Context::Anywhere,
    }
}

/// Whether a string token (from its opening quote to the cursor) is
/// closed: it ends with a quote that no backslash escapes.
fn is_closed(string: &str) -> bool {
    let quotes = if string.starts_with("\"\"\"") { 3 } else { 1 };
    let Some(body) = string.get(quotes..) else {
        return false;
    };
    let Some(inside) = body.strip_suffix(&string[..quotes]) else {
        return false;
    };
    let backslashes = inside.len() - inside.trim_end_matches('\\').len();
    backslashes % 2 == 0
}

/// The path written just before a final `.`: `a.b.` → `[a, b]`.
fn path_before(text: &str) -> Option<Vec<&str>> {
    let path = trailing_path(text.strip_suffix('.')?);
    (!path.is_empty()).then_some(path)
}

/// The names of the dotted path at the end of `text`: `x + 申请.办理` →
/// `[申请, 办理]`; empty if `text` does not end with a name.
fn trailing_path(text: &str) -> Vec<&str> {
    let start = text
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_word_char(c) || c == '.'))
        .map_or(0, |(index, c)| index + c.len_utf8());
    let path: Vec<&str> = text[start..].split('.').collect();
    if path.iter().any(|name| name.is_empty()) || path[0].starts_with(|c: char| c.is_ascii_digit())
    {
        return Vec::new();
    }
    path
}

#[derive(Default)]
struct Items(Vec<CompletionItem>);

impl Items {
    /// Adds an item unless one of the same label and kind is there.
    fn add(&mut self, label: &str, kind: CompletionKind, detail: &str) {
        if !self
            .0
            .iter()
            .any(|item| item.label == label && item.kind == kind)
        {
            self.0.push(CompletionItem {
                label: label.to_string(),
                kind,
                detail: detail.to_string(),
            });
        }
    }

    /// The lets, then the tables.
    fn names(&mut self, report: &model::Report) {
        for let_ in &report.lets {
            let value = match (&let_.value, &let_.unit) {
                (Some(value), Some(unit)) => format!("{value}{unit}"),
                (Some(value), None) => value.clone(),
                _ => String::new(),
            };
            self.add(&let_.name, CompletionKind::Let, &value);
        }
        for table in &report.tables {
            self.add(
                &table.name,
                CompletionKind::Table,
                table.title.as_deref().unwrap_or_default(),
            );
        }
    }

    /// After `path.`: a table's rows, or a row group's children (in the
    /// table the path starts with, or in any table with such a group).
    fn members(&mut self, report: &model::Report, path: &[&str]) {
        let (first, rest) = path.split_first().expect("a path has a name");
        let mut groups: Vec<&[model::Row]> = Vec::new();
        match report.tables.iter().find(|table| table.name == *first) {
            Some(table) => groups.extend(find_rows(&table.rows, rest)),
            None => {
                for table in &report.tables {
                    groups.extend(
                        find_group(&table.rows, first)
                            .and_then(|children| find_rows(children, rest)),
                    );
                }
            }
        }
        for rows in groups {
            let mut stack: Vec<&model::Row> = rows.iter().rev().collect();
            while let Some(row) = stack.pop() {
                self.add(&row.name, CompletionKind::Row, &row.label);
                stack.extend(row.children.iter().rev());
            }
        }
    }

    /// Inside `reference[group.`: the columns under `group` of the table the
    /// reference names (its first name, or the tables that have such a
    /// row).
    fn columns(&mut self, report: &model::Report, reference: &[&str], group: &[&str]) {
        let tables: Vec<&model::Table> = match report
            .tables
            .iter()
            .find(|table| table.name == reference[0])
        {
            Some(table) => vec![table],
            None => report
                .tables
                .iter()
                .filter(|table| find_group(&table.rows, reference[0]).is_some())
                .collect(),
        };
        for table in tables {
            let mut columns: &[model::Column] = &table.columns;
            for name in group {
                match columns.iter().find(|column| column.name == *name) {
                    Some(column) => columns = &column.children,
                    None => {
                        columns = &[];
                        break;
                    }
                }
            }
            let mut stack: Vec<&model::Column> = columns.iter().rev().collect();
            while let Some(column) = stack.pop() {
                self.add(&column.name, CompletionKind::Column, &column.label);
                stack.extend(column.children.iter().rev());
            }
        }
    }
}

/// The rows under the group path `path` (from the top of `rows`).
fn find_rows<'m>(rows: &'m [model::Row], path: &[&str]) -> Option<&'m [model::Row]> {
    let mut rows = rows;
    for name in path {
        rows = &rows.iter().find(|row| row.name == *name)?.children;
    }
    Some(rows)
}

/// The children of the row named `name`, at any depth; `Some` of an
/// empty slice for a leaf row.
fn find_group<'m>(rows: &'m [model::Row], name: &str) -> Option<&'m [model::Row]> {
    rows.iter().find_map(|row| {
        if row.name == name {
            Some(row.children.as_slice())
        } else {
            find_group(&row.children, name)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    const REPORT: &str = "report { title \"t\" agency \"a\" year 2020 }\n\
        let 甲 = 2 次\n\
        table 申请 { unit 件 columns { 自然人 法人 \"法人或其他组织\" { 企业 其他 } 新收 }\n\
          rows { 新收 [1, 2, 3, 4] 办理 { 公开 [1, 1, 1, 3] 总计 [1, 1, 1, 3] } } }\n";

    /// The labels offered where `|` stands in `line` (appended to REPORT).
    fn labels_at(line: &str) -> Vec<(String, CompletionKind)> {
        let cursor = line.find('|').unwrap_or(line.len());
        let text = format!("{REPORT}{}", line.replace('|', ""));
        let compilation = crate::compile(&SourceFile::new("r.gdr", text));
        completions(&compilation, REPORT.len() + cursor)
            .into_iter()
            .map(|item| (item.label, item.kind))
            .collect()
    }

    fn labels(items: &[(String, CompletionKind)]) -> Vec<&str> {
        items.iter().map(|(label, _)| label.as_str()).collect()
    }

    #[test]
    fn anywhere_names_then_keywords() {
        let items = labels_at("check |");
        assert_eq!(labels(&items)[..3], ["甲", "申请", "section"]);
        assert_eq!(items.len(), 2 + KEYWORDS.len());
    }

    #[test]
    fn after_a_table_its_rows_and_after_a_group_its_children() {
        assert_eq!(
            labels(&labels_at("check 申请.|")),
            ["新收", "办理", "公开", "总计"]
        );
        assert_eq!(labels(&labels_at("check 申请.办理.总")), ["公开", "总计"]);
        assert_eq!(labels(&labels_at("check 办理.|")), ["公开", "总计"]);
    }

    #[test]
    fn inside_brackets_the_columns_and_a_row_and_column_of_one_name_are_two_items() {
        let items = labels_at("check 申请.新收[|");
        assert_eq!(labels(&items), ["自然人", "法人", "企业", "其他", "新收"]);
        assert_eq!(items[4].1, CompletionKind::Column);
        assert_eq!(labels(&labels_at("check 新收[法人.企")), ["企业", "其他"]);
        // A row's cells are not a column reference.
        assert!(labels(&labels_at("check 1 == [|")).contains(&"section"));
    }

    #[test]
    fn in_an_interpolation_names_and_formats() {
        let items = labels_at("section \"一\" { \"共{|");
        assert_eq!(
            labels(&items),
            ["甲", "申请", ":num", ":2", ":num2", ":%1", ":%2"]
        );
        assert_eq!(labels(&labels_at("section \"一\" { \"共{申请.|")).len(), 4);
        // In the text of a string, even a block's: nothing.
        assert!(labels_at("section \"一\" { \"共{甲}件|").is_empty());
        assert!(labels_at("section \"一\" { \"\"\"\n  共|").is_empty());
        assert_eq!(
            labels(&labels_at("section \"一\" { \"\"\"\n  共{|")).len(),
            7
        );
        // After a closed string: names again.
        assert!(labels(&labels_at("section \"一\" { \"共\\\\\" |")).contains(&"section"));
    }
}
