//! The symbol index for editors: every name in the report, where it is
//! defined and what it is, with its evaluated values. Reports nothing, and
//! writes no prose: `ide::hover` puts it in words.

use rustc_hash::FxHashMap as HashMap;

use super::rexpr::Sel;
use super::table::{CellState, RowId, TableId};
use super::{Amount, Checker, SymbolInfo};
use crate::span::Span;

impl<'a> Checker<'a> {
    /// The names of the report, resolved and evaluated, for editors.
    pub(super) fn symbol_index(&self) -> Vec<super::Symbol> {
        let mut out = Vec::new();
        for index in 0..self.lets.len() {
            let name = &self.lets[index].ast.name;
            let info = self.let_info(index);
            out.push(super::Symbol {
                span: name.span,
                definition: Some(name.span),
                info,
            });
        }
        for table in self.tables.ids() {
            if self.tables[table].is_frozen() || self.tables[table].is_poisoned() {
                continue;
            }
            let info = &self.tables[table];
            for row in info.row_ids() {
                let span = info.rows.name_span(info.rows.leaves[row.index()]);
                out.push(super::Symbol {
                    span,
                    definition: Some(span),
                    info: self.row_info(table, row),
                });
            }
            for column in 0..info.width() {
                let span = info.columns.name_span(info.columns.leaves[column]);
                out.push(super::Symbol {
                    span,
                    definition: Some(span),
                    info: self.column_info(table, column),
                });
            }
            // The rows an instance fills, as written in the report, and
            // the form it fills.
            if let (Some(instance), Some(form)) = (info.kind.instance(), info.kind.definition()) {
                out.push(super::Symbol {
                    span: instance.form.span,
                    definition: Some(form.name.span),
                    info: SymbolInfo::Form {
                        name: form.name.value.to_string(),
                    },
                });
                for written in &instance.rows {
                    let names: Vec<&str> = written
                        .path
                        .iter()
                        .map(|name| name.value.as_str())
                        .collect();
                    let (Ok(id), Some(last)) =
                        (info.rows.lookup(&names, None), written.path.last())
                    else {
                        continue;
                    };
                    let Some(leaf) = info.rows.nodes[id].leaf() else {
                        continue;
                    };
                    out.push(super::Symbol {
                        span: last.span,
                        definition: Some(info.rows.name_span(id)),
                        info: self.row_info(table, RowId::from_leaf(leaf)),
                    });
                }
            }
            out.extend(self.cell_symbols(table));
        }
        for (span, target) in &self.symbols {
            let Some((definition, info)) = self.target_symbol(*span, target) else {
                continue;
            };
            out.push(super::Symbol {
                span: *span,
                definition,
                info,
            });
        }
        out.sort_by_key(|symbol| (symbol.span.start, symbol.span.end));
        out
    }

    /// Where a reference's target is defined, and what it is.
    fn target_symbol(
        &self,
        span: Span,
        target: &super::Target,
    ) -> Option<(Option<Span>, SymbolInfo)> {
        Some(match target {
            super::Target::Let(index) => {
                (Some(self.lets[*index].ast.name.span), self.let_info(*index))
            }
            super::Target::Value(value) => (
                None,
                SymbolInfo::Value {
                    written: self.sources.slice(span).to_string(),
                    value: self.show_with_unit(value),
                },
            ),
            super::Target::Group { table } => (
                None,
                SymbolInfo::Group {
                    written: self.sources.slice(span).to_string(),
                    table: self.tables[*table].name().to_string(),
                },
            ),
            super::Target::Cell { table, row, column } => {
                let info = &self.tables[*table];
                match (row, column) {
                    (Sel::Leaf(row), Sel::Leaf(column)) => {
                        let definition = info.rows.name_span(info.rows.leaves[row.index()]);
                        (Some(definition), self.cell_info(*table, *row, *column))
                    }
                    (Sel::Leaf(row), Sel::Current) => {
                        let definition = info.rows.name_span(info.rows.leaves[row.index()]);
                        (Some(definition), self.row_info(*table, *row))
                    }
                    (_, Sel::Leaf(column)) => {
                        let definition = info.columns.name_span(info.columns.leaves[*column]);
                        (Some(definition), self.column_info(*table, *column))
                    }
                    (Sel::Current, Sel::Current) => return None,
                }
            }
            super::Target::Part {
                whole,
                span,
                definition,
            } => {
                let (_, info) = self.target_symbol(*span, whole)?;
                (Some(*definition), info)
            }
        })
    }

    /// A known value as a reader sees it.
    fn known(&self, value: Option<super::Val>) -> Option<String> {
        value
            .filter(|value| matches!(value.amount, Amount::Known(_)))
            .map(|value| self.show_with_unit(&value))
    }

    fn let_info(&self, index: usize) -> SymbolInfo {
        let ast = self.lets[index].ast;
        SymbolInfo::Let {
            name: ast.name.value.to_string(),
            value: self.known(self.evaluated_let(index)),
            expr: self.sources.slice(ast.expr.span()).to_string(),
        }
    }

    fn cell_info(&self, table: TableId, row: RowId, column: usize) -> SymbolInfo {
        let value = self.known(self.evaluated_cell(table, row, column));
        let formulas = match value {
            Some(_) => self
                .formulas_of(table, row, column)
                .map(|formula| {
                    let span = self.formula_span(table, row, column, formula);
                    self.sources.slice(span).to_string()
                })
                .collect(),
            None => Vec::new(),
        };
        let index = row.index() * self.tables[table].width() + column;
        let disputes = self
            .disputes
            .iter()
            .filter(|dispute| (dispute.0, dispute.1) == (table, index))
            .map(|(_, _, span, derived)| {
                (
                    self.sources.slice(*span).to_string(),
                    self.show_with_unit(derived),
                )
            })
            .collect();
        SymbolInfo::Cell {
            name: self.tables[table].cell_name(row, column),
            value,
            formulas,
            disputes,
        }
    }

    /// The stated numbers and `auto`s of a table, each at its own span (a
    /// `rest` or a row without cells stands for several cells: none of
    /// them is one).
    fn cell_symbols(&self, table: TableId) -> Vec<super::Symbol> {
        let info = &self.tables[table];
        let mut spans: HashMap<Span, usize> = HashMap::default();
        for span in info.cell_spans() {
            *spans.entry(span).or_default() += 1;
        }
        let mut out = Vec::new();
        for (index, cell) in info.cells.iter().enumerate() {
            let span = info.cell_span(index);
            if !matches!(cell.state, CellState::Number | CellState::Auto) || spans[&span] > 1 {
                continue;
            }
            let (row, column) = info.cell_at(index);
            out.push(super::Symbol {
                span,
                definition: None,
                info: self.cell_info(table, row, column),
            });
        }
        out
    }

    fn column_info(&self, table: TableId, column: usize) -> SymbolInfo {
        let info = &self.tables[table];
        let node = &info.columns.nodes[info.columns.leaves[column]];
        SymbolInfo::Column {
            table: info.name().to_string(),
            path: info.column_paths()[column].to_string(),
            label: node.shown().to_string(),
        }
    }

    fn row_info(&self, table: TableId, row: RowId) -> SymbolInfo {
        let info = &self.tables[table];
        let node = &info.rows.nodes[info.rows.leaves[row.index()]];
        let cells = info
            .column_paths()
            .iter()
            .enumerate()
            .map(|(column, path)| {
                (
                    path.to_string(),
                    self.known(self.evaluated_cell(table, row, column)),
                )
            })
            .collect();
        SymbolInfo::Row {
            path: format!(
                "{}.{}",
                info.name(),
                info.rows.path(info.rows.leaves[row.index()])
            ),
            label: node.shown().to_string(),
            cells,
        }
    }
}
