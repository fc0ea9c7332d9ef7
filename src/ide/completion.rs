//! Completion: the names of the report (lets, tables, rows, columns) and
//! the keywords. The same everywhere in the file, so it takes no offset.

use crate::Compilation;

/// What a completion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Let,
    Table,
    Row,
    Column,
    Keyword,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// A let's value and unit, a table's title, a row's or column's label;
    /// empty for keywords.
    pub detail: String,
}

/// The keywords offered, after the names.
const KEYWORDS: [&str; 13] = [
    "section", "table", "let", "check", "expect", "within", "sum", "auto", "rest", "unit", "note",
    "allow", "use",
];

/// Every name of the compiled report and every keyword, each label once
/// (the first kind wins): lets, then each table with its rows and columns,
/// then the keywords.
pub fn completions(compilation: &Compilation) -> Vec<CompletionItem> {
    let report = &compilation.report;
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut add = |label: String, kind: CompletionKind, detail: String| {
        if !items.iter().any(|item| item.label == label) {
            items.push(CompletionItem {
                label,
                kind,
                detail,
            });
        }
    };
    for let_ in &report.lets {
        let value = match (&let_.value, &let_.unit) {
            (Some(value), Some(unit)) => format!("{value}{unit}"),
            (Some(value), None) => value.clone(),
            _ => String::new(),
        };
        add(let_.name.clone(), CompletionKind::Let, value);
    }
    for table in &report.tables {
        add(
            table.name.clone(),
            CompletionKind::Table,
            table.title.clone().unwrap_or_default(),
        );
        let mut rows = table.rows.iter().collect::<Vec<_>>();
        while let Some(row) = rows.pop() {
            add(row.name.clone(), CompletionKind::Row, row.label.clone());
            rows.extend(row.children.iter());
        }
        let mut columns = table.columns.iter().collect::<Vec<_>>();
        while let Some(column) = columns.pop() {
            add(
                column.name.clone(),
                CompletionKind::Column,
                column.label.clone(),
            );
            columns.extend(column.children.iter());
        }
    }
    for keyword in KEYWORDS {
        add(keyword.to_string(), CompletionKind::Keyword, String::new());
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    #[test]
    fn names_come_before_keywords() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\nlet 甲 = 2 次\n";
        let compilation = crate::compile(&SourceFile::new("r.gdr", text));
        let items = completions(&compilation);
        let labels: Vec<&str> = items.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(&labels[..2], ["甲", "section"]);
        assert_eq!(items[0].kind, CompletionKind::Let);
        assert_eq!(items[0].detail, "2次");
        assert_eq!(items.len(), 1 + KEYWORDS.len());
    }
}
