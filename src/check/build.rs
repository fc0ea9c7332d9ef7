//! The model of a checked report: lets, tables with every cell's final
//! value, and the document flow. Built from what checking computed; reports
//! nothing.

use std::sync::Arc;

use super::Checker;
use super::interpolate::Texts;
use super::table::{CellState, RowId, TableId};
use super::{Amount, Val};
use crate::model;
use crate::syntax::ast;

impl<'a> Checker<'a> {
    /// The model of the report, from what checking computed: `prose` holds
    /// the interpolated texts, `checks` the results of the checks. The
    /// tables are left out unless [`Wants::model`](super::Wants).
    pub(super) fn build_model(
        &self,
        header: model::Header,
        items: &'a [ast::Item],
        prose: Texts,
        checks: Vec<model::CheckResult>,
    ) -> model::Report {
        let mut paragraphs = prose.paragraphs.into_iter();
        let body = self.body(items, &mut paragraphs);
        let tables = if self.wants.model {
            self.tables
                .ids()
                .zip(prose.notes)
                .map(|(table, notes)| self.table_model(table, notes))
                .collect()
        } else {
            Vec::new()
        };
        model::Report {
            header,
            body,
            tables,
            checks,
            lets: self.let_values(),
            waived: Vec::new(),
        }
    }

    /// The document flow, with the paragraphs' texts in document order.
    fn body(
        &self,
        items: &'a [ast::Item],
        paragraphs: &mut std::vec::IntoIter<model::Prose>,
    ) -> Vec<model::Block> {
        let mut blocks = Vec::new();
        for item in items {
            match item {
                ast::Item::Section(section) => blocks.push(model::Block::Section {
                    title: section.title.value.to_string(),
                    body: self.body(&section.items, paragraphs),
                }),
                ast::Item::Paragraph(_) => {
                    let text = paragraphs.next().unwrap_or_default();
                    blocks.push(model::Block::Paragraph { text });
                }
                ast::Item::Table(_) | ast::Item::Instance(_) => {
                    let table = self.tables.ids().find(|&table| {
                        let info = &self.tables[table];
                        match (item, info.kind.instance()) {
                            (ast::Item::Table(table), None) => info
                                .kind
                                .definition()
                                .is_some_and(|definition| std::ptr::eq(definition, &**table)),
                            (ast::Item::Instance(instance), Some(own)) => {
                                std::ptr::eq(own, &**instance)
                            }
                            _ => false,
                        }
                    });
                    if let Some(table) = table.filter(|&table| self.tables[table].in_section) {
                        blocks.push(model::Block::Table {
                            table: table.index(),
                        });
                    }
                }
                _ => {}
            }
        }
        blocks
    }

    /// Every `let` with its value.
    fn let_values(&self) -> Vec<model::LetValue> {
        self.known_lets()
            .map(|(index, value)| model::LetValue {
                name: self.lets[index].ast.name.value.to_string(),
                value: value.as_ref().map(|value| self.number_text(value)),
                unit: value
                    .map(|value| value.unit.name.clone())
                    .filter(|name| !name.is_empty()),
            })
            .collect()
    }

    /// The lets by which their names are known (the first of each name),
    /// each with its value if it is known.
    pub(super) fn known_lets(&self) -> impl Iterator<Item = (usize, Option<Val>)> + '_ {
        (0..self.lets.len())
            .filter(|&index| {
                self.let_by_name
                    .get(self.lets[index].ast.name.value.as_str())
                    == Some(&index)
            })
            .map(|index| {
                let value = self
                    .evaluated_let(index)
                    .filter(|value| matches!(value.amount, Amount::Known(_)));
                (index, value)
            })
    }

    /// The model of table `index`, with every cell's final value and its
    /// interpolated `notes`.
    fn table_model(&self, index: TableId, notes: Vec<model::Prose>) -> model::Table {
        let info = &self.tables[index];
        model::Table {
            name: info.name.clone(),
            title: info
                .kind
                .definition()
                .and_then(|definition| definition.title.as_ref())
                .map(|title| title.value.to_string()),
            unit: (!info.unit.name.is_empty()).then(|| info.unit.name.clone()),
            notes,
            columns: info
                .columns
                .roots()
                .map(|id| self.column_model(index, id))
                .collect(),
            rows: {
                let mut units = Units::default();
                info.rows
                    .roots()
                    .map(|id| self.row_model(index, id, &mut units))
                    .collect()
            },
            placed: info.in_section,
        }
    }

    fn column_model(&self, table: TableId, id: usize) -> model::Column {
        let tree = &self.tables[table].columns;
        let node = &tree.nodes[id];
        let unit = node
            .leaf()
            .map(|leaf| self.tables[table].column_units[leaf].name.clone())
            .filter(|name| !name.is_empty());
        model::Column {
            name: node.name().to_string(),
            label: node.shown().to_string(),
            unit,
            derived: tree.formula(id).is_some(),
            children: tree
                .children(id)
                .into_iter()
                .map(|child| self.column_model(table, child))
                .collect(),
        }
    }

    fn row_model(&self, table: TableId, id: usize, units: &mut Units) -> model::Row {
        let node = &self.tables[table].rows.nodes[id];
        let cells = match node.leaf() {
            Some(row) => (0..self.tables[table].width())
                .map(|column| self.cell_model(table, RowId::from_leaf(row), column, units))
                .collect(),
            None => Vec::new(),
        };
        model::Row {
            name: node.name().to_string(),
            label: node.shown().to_string(),
            derived: self.tables[table].rows.formula(id).is_some(),
            cells,
            children: self.tables[table]
                .rows
                .children(id)
                .into_iter()
                .map(|child| self.row_model(table, child, units))
                .collect(),
        }
    }

    fn cell_model(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        units: &mut Units,
    ) -> model::Cell {
        let derived = self.is_derived(table, row, column);
        let info = &self.tables[table];
        let note = info.note(row.index() * info.width() + column);
        let column_unit = &info.column_units[column];
        let (state, value) = self.final_cell(table, row, column, derived);
        let number = value.as_ref().map(|value| match self.written(value) {
            Some(written) => model::Number::new(&written),
            None => model::Number::new(&self.number_text(value)),
        });
        let unit_in_text = value
            .as_ref()
            .is_some_and(|value| value.unit != *column_unit && !value.unit.name.is_empty());
        let unit = value.as_ref().map_or(column_unit, |value| &value.unit);
        model::Cell::new(
            number,
            units.get(&unit.name),
            derived,
            state,
            unit_in_text,
            note.map(|note| note.value.as_str().into()),
        )
    }

    /// A cell as the model shows it: its state, and its value if it has
    /// one. `derived`: whether a formula covers it.
    pub(super) fn final_cell(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        derived: bool,
    ) -> (model::CellState, Option<Val>) {
        let info = &self.tables[table];
        let stated = info.cells[row.index() * info.width() + column].state;
        match (stated, self.evaluated_cell(table, row, column)) {
            (CellState::Blank, _) => (model::CellState::Blank, None),
            (CellState::Unknown, _) if !derived => (model::CellState::Unknown, None),
            (CellState::Number, Some(value)) => (model::CellState::Stated, Some(value)),
            (_, Some(value)) if !matches!(value.amount, Amount::Unknown(_)) => {
                (model::CellState::Derived, Some(value))
            }
            _ => (model::CellState::Unknown, None),
        }
    }
}

/// The names of the units of a table's cells, each shared by the cells in
/// it: a table has few.
#[derive(Default)]
struct Units(Vec<Arc<str>>);

impl Units {
    /// The shared name; `None` for a plain number.
    fn get(&mut self, name: &str) -> Option<Arc<str>> {
        if name.is_empty() {
            return None;
        }
        if let Some(unit) = self.0.iter().find(|unit| ***unit == *name) {
            return Some(unit.clone());
        }
        let unit: Arc<str> = name.into();
        self.0.push(unit.clone());
        Some(unit)
    }
}
