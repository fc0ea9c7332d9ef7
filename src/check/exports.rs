//! What a report used `as` an alias exports to the report that uses it:
//! its lets as exact values with their units, and its tables as trees with
//! every cell's final value. Produced by checking the used report
//! ([`Wants::USED`](super::Wants::USED)); read here into the frozen tables
//! and the lets of an alias.

use super::table::{Kind, ReadCells, RowCells, Stated, TableId, TableInfo};
use super::tree::{NodeId, Tree, TreeNode, Written};
use super::units::Unit;
use super::{Alias, Amount, Checker, Val};
use crate::model::CellState;
use crate::span::Span;
use crate::syntax::ast;

/// The lets and tables of a checked report, as a report that uses it reads
/// them. Values are exact, in base units, with the units of the report that
/// states them.
#[derive(Debug, Default)]
pub struct Exports {
    /// Every let with a known value, by name.
    lets: Vec<(String, Val)>,
    tables: Vec<ExportedTable>,
}

/// A table: its trees in pre-order, the unit of each leaf column, and the
/// final value of each cell, row-major.
#[derive(Debug)]
struct ExportedTable {
    name: String,
    columns: Vec<Entry>,
    rows: Vec<Entry>,
    column_units: Vec<Unit>,
    cells: Vec<Stated>,
}

/// A column or a row.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) label: String,
    parent: Option<NodeId>,
    is_group: bool,
    /// Derived entries keep their place out of `sum(G)`; their values are
    /// stated in the export.
    pub(crate) derived: bool,
}

impl Checker<'_> {
    /// The exports of this report, from what checking computed.
    pub(super) fn exports(&self) -> Exports {
        let lets = self
            .known_lets()
            .filter_map(|(index, value)| {
                Some((self.lets[index].ast.name.value.to_string(), exact(value?)?))
            })
            .collect();
        let tables = self
            .tables
            .ids()
            .filter(|&index| !self.tables[index].is_frozen())
            .map(|index| self.export_table(index))
            .collect();
        Exports { lets, tables }
    }

    fn export_table(&self, index: TableId) -> ExportedTable {
        let info = &self.tables[index];
        let mut cells = Vec::with_capacity(info.cells.len());
        for row in info.row_ids() {
            for column in 0..info.width() {
                let derived = self.is_derived(index, row, column);
                cells.push(match self.final_cell(index, row, column, derived) {
                    (CellState::Blank, _) => Stated::Blank,
                    (_, value) => value
                        .and_then(exact)
                        .map_or(Stated::Unknown, Stated::Number),
                });
            }
        }
        ExportedTable {
            name: info.name.clone(),
            columns: entries(&info.columns),
            rows: entries(&info.rows),
            column_units: info.column_units.to_vec(),
            cells,
        }
    }

    /// Makes the tables and lets of every used report available under its
    /// alias.
    pub(super) fn import_reports(&mut self) {
        for used in self.reports {
            let alias = &used.alias;
            if !self.claim_name(alias) || self.aliases.contains_key(alias.value.as_str()) {
                continue;
            }
            let mut imported = Alias::default();
            for table in &used.exports.tables {
                imported
                    .tables
                    .insert(table.name.clone(), self.tables.next_id());
                self.tables.push(frozen_table(alias, table));
            }
            for (name, value) in &used.exports.lets {
                imported.lets.insert(name.clone(), value.clone());
            }
            self.aliases.insert(&alias.value, imported);
        }
    }
}

/// A known value as exported: exact, without the digits as written or any
/// span of the report that computed it.
fn exact(value: Val) -> Option<Val> {
    match value.amount {
        Amount::Known(amount) => Some(Val::known(amount, value.unit)),
        Amount::Unknown(_) => None,
    }
}

/// The entries of a tree, in the order of its nodes.
fn entries(tree: &Tree) -> Vec<Entry> {
    tree.nodes
        .iter()
        .enumerate()
        .map(|(id, node)| Entry {
            name: node.name().to_string(),
            label: node.shown().to_string(),
            parent: node.parent(),
            is_group: node.is_group(),
            derived: tree.formula(id).is_some(),
        })
        .collect()
}

/// A table of a used report (`去年.申请`): every value it shows is stated
/// here, at the alias.
fn frozen_table<'a>(alias: &ast::Ident, table: &'a ExportedTable) -> TableInfo<'a> {
    let mut info = TableInfo::new(Kind::Frozen, alias, false);
    info.name = format!("{}.{}", alias.value, table.name);
    let columns = tree(&table.columns, alias.span);
    let rows = tree(&table.rows, alias.span);
    info.column_formulas = vec![None; columns.leaves.len()].into();
    info.row_formulas = vec![None; rows.leaves.len()].into();
    info.set_columns(columns);
    info.rows = rows;
    info.column_units = table.column_units.clone().into();
    let width = info.width();
    let mut cells = ReadCells::default();
    for (index, stated) in table.cells.iter().enumerate() {
        let unit = info.column_units.get(index % width.max(1));
        cells.push(stated.clone(), unit.unwrap_or(&Unit::none()));
    }
    info.cells = cells.cells.into();
    info.row_cells = vec![RowCells::At(alias.span); info.rows.leaves.len()].into();
    info.cell_units = cells.units.into();
    info
}

/// A tree of a used report's table, every node at `span`.
fn tree(entries: &[Entry], span: Span) -> Tree<'_> {
    let mut tree = Tree::default();
    tree.set_at(span);
    for entry in entries {
        tree.add(
            TreeNode::new(Written::Exported(entry)),
            entry.parent,
            entry.is_group,
        );
    }
    tree
}
