//! Inlay hints: the value gdr computes for each `auto` cell, shown after
//! the word, so that an author sees the number the report will print.

use crate::Compilation;
use crate::model;
use crate::span::Span;
use crate::syntax::{self, ast};

/// A hint to show after `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// The `auto` it belongs to; the hint goes after its end.
    pub span: Span,
    /// `= 16`, or `= 17.5万元` where the cell's unit is not the column's.
    pub label: String,
}

/// The hints of the report: one per `auto` cell whose value is known.
pub fn inlay_hints(compilation: &Compilation) -> Vec<InlayHint> {
    let document = syntax::parse(compilation.sources.main()).document;
    let mut hints = Vec::new();
    let mut stack: Vec<&ast::Item> = document.items.iter().collect();
    while let Some(item) = stack.pop() {
        match item {
            ast::Item::Section(section) => stack.extend(section.items.iter()),
            ast::Item::Table(table) => {
                let Some(model) = model_table(compilation, &table.name.value) else {
                    continue;
                };
                for (_, entries) in &table.rows {
                    table_rows(model, entries, &mut Vec::new(), &mut hints);
                }
            }
            ast::Item::Instance(instance) => {
                let Some(model) = model_table(compilation, &instance.name.value) else {
                    continue;
                };
                for row in &instance.rows {
                    let path: Vec<&str> = row.path.iter().map(|name| name.value.as_str()).collect();
                    if let Some(model_row) = find_row(&model.rows, &path, true) {
                        cells(model_row, &row.cells, &mut hints);
                    }
                }
            }
            _ => {}
        }
    }
    hints.sort_by_key(|hint| hint.span.start);
    hints
}

fn model_table<'m>(compilation: &'m Compilation, name: &str) -> Option<&'m model::Table> {
    compilation
        .report
        .tables
        .iter()
        .find(|table| table.name == name)
}

fn table_rows<'a>(
    table: &model::Table,
    entries: &'a [ast::RowEntry],
    path: &mut Vec<&'a str>,
    hints: &mut Vec<InlayHint>,
) {
    for entry in entries {
        path.push(&entry.name.value);
        match &entry.kind {
            ast::RowKind::Group(children) => table_rows(table, children, path, hints),
            ast::RowKind::Leaf {
                cells: Some(row_cells),
                ..
            } => {
                if let Some(row) = find_row(&table.rows, path, false) {
                    cells(row, row_cells, hints);
                }
            }
            ast::RowKind::Leaf { cells: None, .. } => {}
        }
        path.pop();
    }
}

/// The row at `path` from the top of `rows`; with `suffix`, the first row
/// whose path ends with `path` (an instance names a row by its last names).
fn find_row<'m>(rows: &'m [model::Row], path: &[&str], suffix: bool) -> Option<&'m model::Row> {
    fn walk<'m>(
        rows: &'m [model::Row],
        above: &mut Vec<&'m str>,
        path: &[&str],
        suffix: bool,
    ) -> Option<&'m model::Row> {
        for row in rows {
            above.push(&row.name);
            let found = if suffix {
                above.ends_with(path)
            } else {
                above.as_slice() == path
            };
            if found {
                return Some(row);
            }
            if let Some(found) = walk(&row.children, above, path, suffix) {
                return Some(found);
            }
            above.pop();
        }
        None
    }
    walk(rows, &mut Vec::new(), path, suffix)
}

fn cells(row: &model::Row, cells: &ast::Cells, hints: &mut Vec<InlayHint>) {
    for (cell, model_cell) in cells.cells.iter().zip(&row.cells) {
        if cell.is_auto()
            && model_cell.state == model::CellState::Derived
            && !model_cell.text().is_empty()
        {
            hints.push(InlayHint {
                span: cell.span(),
                label: format!("= {}", model_cell.text()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    #[test]
    fn auto_cells_show_their_values() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
            table t { unit 件 columns { a b 总 = a + b }\n\
              rows { 一 [1, 2, auto] 组 { 二 [3, 1, auto] } 合计 [auto, auto, auto] = 一 + 组 } }\n\
            section \"三\" { table 申请 = 申请处理情况 { 新收 [16, 0, 0, 0, 0, 0, auto] rest 0 } }\n\
            use gov_disclosure_2021\n";
        let compilation = crate::compile(&SourceFile::new("r.gdr", text));
        let hints: Vec<(usize, String)> = inlay_hints(&compilation)
            .into_iter()
            .map(|hint| (hint.span.start as usize, hint.label))
            .collect();
        let labels: Vec<&str> = hints.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(
            labels,
            ["= 3", "= 4", "= 4", "= 3", "= 7", "= 16"],
            "{:?}",
            compilation.diagnostics
        );
        assert!(hints.iter().all(|(at, _)| text[*at..].starts_with("auto")));
    }
}
