//! The symbol index for editors: every name in the report, where it is
//! defined and what to show on hover. Built from evaluated values; reports
//! nothing.

use super::rexpr::Sel;
use super::table::{RowId, TableId};
use super::{Amount, Checker};

impl<'a> Checker<'a> {
    /// The names of the report, resolved and evaluated, for editors.
    pub(super) fn symbol_index(&self) -> Vec<super::Symbol> {
        let mut out = Vec::new();
        for index in 0..self.lets.len() {
            let name = &self.lets[index].ast.name;
            let hover = self.let_hover(index);
            out.push(super::Symbol {
                span: name.span,
                definition: Some(name.span),
                hover,
            });
        }
        for table in self.tables.ids() {
            if self.tables[table].is_frozen() || self.tables[table].is_poisoned() {
                continue;
            }
            for row in self.tables[table].row_ids() {
                let node =
                    &self.tables[table].rows.nodes[self.tables[table].rows.leaves[row.index()]];
                let span = node.name_span;
                let hover = self.row_hover(table, row);
                out.push(super::Symbol {
                    span,
                    definition: Some(span),
                    hover,
                });
            }
        }
        for (span, target) in &self.symbols {
            let (definition, hover) = match target {
                super::Target::Let(index) => (
                    Some(self.lets[*index].ast.name.span),
                    self.let_hover(*index),
                ),
                super::Target::Value(value) => (
                    None,
                    format!(
                        "`{}` = {}",
                        self.sources.slice(*span),
                        self.show_with_unit(value)
                    ),
                ),
                super::Target::Group { table } => (
                    None,
                    format!(
                        "`{}`: {}",
                        self.sources.slice(*span),
                        self.tables[*table].name()
                    ),
                ),
                super::Target::Cell { table, row, column } => {
                    let info = &self.tables[*table];
                    match (row, column) {
                        (Sel::Leaf(row), Sel::Leaf(column)) => {
                            let definition =
                                info.rows.nodes[info.rows.leaves[row.index()]].name_span;
                            (Some(definition), self.cell_hover(*table, *row, *column))
                        }
                        (Sel::Leaf(row), Sel::Current) => {
                            let definition =
                                info.rows.nodes[info.rows.leaves[row.index()]].name_span;
                            (Some(definition), self.row_hover(*table, *row))
                        }
                        (_, Sel::Leaf(column)) => {
                            let node = &info.columns.nodes[info.columns.leaves[*column]];
                            let label = node.label.unwrap_or(node.name);
                            (
                                Some(node.name_span),
                                format!(
                                    "`{}.{}`: {label}",
                                    info.name(),
                                    info.column_paths[*column]
                                ),
                            )
                        }
                        (Sel::Current, Sel::Current) => continue,
                    }
                }
            };
            out.push(super::Symbol {
                span: *span,
                definition,
                hover,
            });
        }
        out.sort_by_key(|symbol| (symbol.span.start, symbol.span.end));
        out
    }

    fn let_hover(&self, index: usize) -> String {
        let name = &self.lets[index].ast.name.value;
        let expr = self
            .sources
            .slice(self.lets[index].ast.expr.span())
            .to_string();
        match self.evaluated_let(index) {
            Some(value) if matches!(value.amount, Amount::Known(_)) => {
                format!(
                    "`{name}` = {}\n\n`let {name} = {expr}`",
                    self.show_with_unit(&value)
                )
            }
            _ => format!("`let {name} = {expr}`"),
        }
    }

    fn cell_hover(&self, table: TableId, row: RowId, column: usize) -> String {
        let name = self.tables[table].cell_name(row, column);
        let formulas = self.formulas_of(table, row, column);
        match self.evaluated_cell(table, row, column) {
            Some(value) if matches!(value.amount, Amount::Known(_)) => {
                let mut text = format!("`{name}` = {}", self.show_with_unit(&value));
                for formula in formulas {
                    let span = self.formula_span(table, row, column, formula);
                    text.push_str(&format!("\n\n= `{}`", self.sources.slice(span)));
                }
                text
            }
            _ => format!("`{name}`"),
        }
    }

    fn row_hover(&self, table: TableId, row: RowId) -> String {
        let info = &self.tables[table];
        let node = &info.rows.nodes[info.rows.leaves[row.index()]];
        let label = node.label.unwrap_or(node.name);
        let path = format!(
            "{}.{}",
            info.name(),
            info.rows.path(info.rows.leaves[row.index()])
        );
        let mut parts = Vec::new();
        for (column, column_path) in info.column_paths.iter().enumerate() {
            let shown = match self.evaluated_cell(table, row, column) {
                Some(value) if matches!(value.amount, Amount::Known(_)) => {
                    self.show_with_unit(&value)
                }
                _ => "—".to_string(),
            };
            parts.push(format!("{column_path} {shown}"));
        }
        format!("`{path}` {label}\n\n{}", parts.join("，"))
    }
}
