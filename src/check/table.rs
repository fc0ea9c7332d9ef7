//! Tables: column and row trees, name lookup in them, and stated cells.

use std::collections::HashMap;
use std::rc::Rc;

use super::resolve::RExpr;
use super::units::Unit;
use super::{Checker, Val, suggest};
use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast;

pub(crate) type NodeId = usize;

/// A column or row tree. Nodes are stored in source order.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub nodes: Vec<TreeNode>,
    by_name: HashMap<String, Vec<NodeId>>,
    /// Leaf nodes in order; a leaf's position here is its cell index.
    pub leaves: Vec<NodeId>,
    roots: Vec<NodeId>,
}

#[derive(Debug)]
pub(crate) struct TreeNode {
    pub name: String,
    pub name_span: Span,
    pub label: Option<String>,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub is_group: bool,
    /// The formula's span, for a leaf that has one.
    pub formula: Option<Span>,
    /// The position among the leaves, for a leaf.
    pub leaf: Option<usize>,
    pub depth: usize,
}

/// Why a name could not be found in a tree.
pub(crate) enum Lookup {
    Unknown,
    Ambiguous(Vec<NodeId>),
}

impl Tree {
    /// Adds a column or row entry: a group when `formula` is `None`, else a
    /// leaf with or without a formula.
    fn add_entry(
        &mut self,
        name: &ast::Ident,
        label: Option<&ast::Text>,
        parent: Option<NodeId>,
        formula: Option<Option<&ast::Expr>>,
    ) -> NodeId {
        self.add(TreeNode {
            name: name.value.clone(),
            name_span: name.span,
            label: label.map(|label| label.value.clone()),
            parent,
            children: Vec::new(),
            is_group: formula.is_none(),
            formula: formula.flatten().map(ast::Expr::span),
            leaf: None,
            depth: parent.map_or(0, |p| self.nodes[p].depth + 1),
        })
    }

    fn add(&mut self, mut node: TreeNode) -> NodeId {
        let id = self.nodes.len();
        if !node.is_group {
            node.leaf = Some(self.leaves.len());
            self.leaves.push(id);
        }
        match node.parent {
            Some(parent) => self.nodes[parent].children.push(id),
            None => self.roots.push(id),
        }
        self.by_name.entry(node.name.clone()).or_default().push(id);
        self.nodes.push(node);
        id
    }

    /// The dotted path of a node from the root: `法人或其他组织.商业企业`.
    pub fn path(&self, id: NodeId) -> String {
        let mut names = vec![self.nodes[id].name.as_str()];
        let mut current = self.nodes[id].parent;
        while let Some(parent) = current {
            names.push(&self.nodes[parent].name);
            current = self.nodes[parent].parent;
        }
        names.reverse();
        names.join(".")
    }

    fn is_inside(&self, id: NodeId, ancestor: NodeId) -> bool {
        let mut current = self.nodes[id].parent;
        while let Some(parent) = current {
            if parent == ancestor {
                return true;
            }
            current = self.nodes[parent].parent;
        }
        false
    }

    /// Whether `id` is named by `path`, read upwards through its ancestors.
    fn matches(&self, id: NodeId, path: &[&str]) -> bool {
        let mut current = Some(id);
        for name in path.iter().rev() {
            match current {
                Some(node) if self.nodes[node].name == *name => current = self.nodes[node].parent,
                _ => return false,
            }
        }
        true
    }

    /// Finds `path` from inside `scope` outwards: among the members of the
    /// innermost group first, then of each enclosing group, then the tree.
    pub fn lookup(&self, path: &[&str], mut scope: Option<NodeId>) -> Result<NodeId, Lookup> {
        let Some(last) = path.last() else {
            return Err(Lookup::Unknown);
        };
        let candidates = self
            .by_name
            .get(*last)
            .map(Vec::as_slice)
            .unwrap_or_default();
        loop {
            let found: Vec<NodeId> = candidates
                .iter()
                .copied()
                .filter(|&id| self.matches(id, path))
                .filter(|&id| scope.is_none_or(|group| self.is_inside(id, group)))
                .collect();
            match found.as_slice() {
                [one] => return Ok(*one),
                [] => match scope {
                    Some(group) => scope = self.nodes[group].parent,
                    None => return Err(Lookup::Unknown),
                },
                _ => return Err(Lookup::Ambiguous(found)),
            }
        }
    }

    /// The data leaves under `group` at any depth (leaves without a formula
    /// of their own), except `defining`.
    pub fn data_leaves(&self, group: NodeId, defining: Option<NodeId>) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![group];
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id];
            if node.is_group {
                stack.extend(node.children.iter().rev());
            } else if node.formula.is_none() && Some(id) != defining {
                out.push(id);
            }
        }
        out
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    pub fn roots(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.roots.iter().copied()
    }
}

/// What a row states for a cell.
#[derive(Debug, Clone)]
pub(crate) enum Stated {
    Number(Val),
    Blank,
    Unknown,
    Auto,
    /// The row has no cells (only a formula).
    Absent,
    /// The cell could not be read (already reported).
    Poisoned,
}

#[derive(Debug)]
pub(crate) struct CellInfo {
    pub stated: Stated,
    pub span: Span,
    pub note: Option<String>,
}

pub(crate) struct TableInfo<'a> {
    pub ast: &'a ast::Table,
    pub in_section: bool,
    pub unit: Unit,
    pub columns: Tree,
    pub rows: Tree,
    /// The unit of each leaf column.
    pub column_units: Vec<Unit>,
    /// The leaf path of each leaf column, and back.
    pub column_paths: Vec<String>,
    pub column_by_path: HashMap<String, usize>,
    /// Resolved formulas by leaf index.
    pub column_formulas: Vec<Option<Rc<RExpr>>>,
    pub row_formulas: Vec<Option<Rc<RExpr>>>,
    /// Row-major: `row_leaf * width + column_leaf`.
    pub cells: Vec<CellInfo>,
}

impl<'a> TableInfo<'a> {
    pub fn new(ast: &'a ast::Table, in_section: bool) -> Self {
        TableInfo {
            ast,
            in_section,
            unit: Unit::none(),
            columns: Tree::default(),
            rows: Tree::default(),
            column_units: Vec::new(),
            column_paths: Vec::new(),
            column_by_path: HashMap::new(),
            column_formulas: Vec::new(),
            row_formulas: Vec::new(),
            cells: Vec::new(),
        }
    }

    pub fn width(&self) -> usize {
        self.columns.leaves.len()
    }

    pub fn name(&self) -> &str {
        &self.ast.name.value
    }

    /// `申请.总计[自然人]`
    pub fn cell_name(&self, row: usize, column: usize) -> String {
        format!(
            "{}.{}[{}]",
            self.name(),
            self.rows.path(self.rows.leaves[row]),
            self.column_paths[column]
        )
    }
}

impl<'a> Checker<'a> {
    /// Builds the trees and reads the stated cells of table `index`.
    pub(super) fn build_table(&mut self, index: usize) {
        let ast = self.tables[index].ast;
        let mut unit = Unit::none();
        if let Some((first, rest)) = ast.units.split_first() {
            match self.units.get(&first.value) {
                Some(found) => unit = found.clone(),
                None => self.unknown_unit(first),
            }
            for again in rest {
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateName, "the table's unit is set twice")
                        .primary(again.span, "set again here")
                        .secondary(first.span, "first set here"),
                );
            }
        }
        self.require_one_block(
            ast,
            "columns",
            ast.columns.iter().map(|(span, _)| *span).collect(),
        );
        self.require_one_block(
            ast,
            "rows",
            ast.rows.iter().map(|(span, _)| *span).collect(),
        );

        let mut columns = Tree::default();
        let mut column_units = Vec::new();
        if let Some((_, entries)) = ast.columns.first() {
            self.add_columns(&mut columns, &mut column_units, entries, None, &unit);
        }
        let width = columns.leaves.len();
        let mut rows = Tree::default();
        let mut cells = Vec::new();
        if let Some((_, entries)) = ast.rows.first() {
            self.add_rows(&mut rows, entries, None, &column_units, &mut cells);
        }
        let column_paths: Vec<String> = columns.leaves.iter().map(|&id| columns.path(id)).collect();
        let column_by_path = column_paths
            .iter()
            .enumerate()
            .map(|(index, path)| (path.clone(), index))
            .collect();

        let info = &mut self.tables[index];
        info.unit = unit;
        info.column_formulas = vec![None; width];
        info.row_formulas = vec![None; rows.leaves.len()];
        info.columns = columns;
        info.rows = rows;
        info.column_units = column_units;
        info.column_paths = column_paths;
        info.column_by_path = column_by_path;
        info.cells = cells;
    }

    fn require_one_block(&mut self, table: &ast::Table, what: &str, spans: Vec<Span>) {
        match spans.as_slice() {
            [] => self.diagnostics.push(
                Diagnostic::new(
                    Code::SyntaxError,
                    format!("table `{}` has no `{what} {{ … }}`", table.name.value),
                )
                .primary(table.name.span, format!("`{what}` missing"))
                .help("a table has one `columns { … }` and one `rows { … }` block"),
            ),
            [_] => {}
            [first, rest @ ..] => {
                for again in rest {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateName,
                            format!("table `{}` has two `{what}` blocks", table.name.value),
                        )
                        .primary(
                            Span::new(again.start as usize, again.start as usize + what.len()),
                            "a second block",
                        )
                        .secondary(
                            Span::new(first.start as usize, first.start as usize + what.len()),
                            "the first",
                        ),
                    );
                }
            }
        }
    }

    fn add_columns(
        &mut self,
        tree: &mut Tree,
        units: &mut Vec<Unit>,
        entries: &[ast::ColumnEntry],
        parent: Option<NodeId>,
        table_unit: &Unit,
    ) {
        for entry in entries {
            // A duplicate still takes its cell position, so that the cell
            // count of every row stays as written.
            self.unique_sibling(tree, parent, &entry.name, "column");
            let formula = match &entry.kind {
                ast::ColumnKind::Group(_) => None,
                ast::ColumnKind::Leaf { formula, .. } => Some(formula.as_ref()),
            };
            let id = tree.add_entry(&entry.name, entry.label.as_ref(), parent, formula);
            match &entry.kind {
                ast::ColumnKind::Group(children) => {
                    self.add_columns(tree, units, children, Some(id), table_unit)
                }
                ast::ColumnKind::Leaf { unit, .. } => {
                    let unit = match unit {
                        None => table_unit.clone(),
                        Some(name) => match self.units.get(&name.value) {
                            Some(found) => found.clone(),
                            None => {
                                self.unknown_unit(name);
                                table_unit.clone()
                            }
                        },
                    };
                    units.push(unit);
                }
            }
        }
    }

    /// Adds the row entries to the tree and reads each leaf's cells, in
    /// order, so that `cells` is row-major over the leaves.
    fn add_rows(
        &mut self,
        tree: &mut Tree,
        entries: &[ast::RowEntry],
        parent: Option<NodeId>,
        units: &[Unit],
        cells: &mut Vec<CellInfo>,
    ) {
        for entry in entries {
            self.unique_sibling(tree, parent, &entry.name, "row");
            let formula = match &entry.kind {
                ast::RowKind::Group(_) => None,
                ast::RowKind::Leaf { formula, .. } => Some(formula.as_ref()),
            };
            let id = tree.add_entry(&entry.name, entry.label.as_ref(), parent, formula);
            match &entry.kind {
                ast::RowKind::Group(children) => {
                    self.add_rows(tree, children, Some(id), units, cells)
                }
                ast::RowKind::Leaf { .. } => self.read_cells(entry, units.len(), units, cells),
            }
        }
    }

    /// E0202 when a sibling has the same name.
    fn unique_sibling(
        &mut self,
        tree: &Tree,
        parent: Option<NodeId>,
        name: &ast::Ident,
        what: &str,
    ) -> bool {
        let earlier = tree.by_name.get(&name.value).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|&id| tree.nodes[id].parent == parent)
        });
        match earlier {
            Some(earlier) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        format!("{what} `{}` is defined twice", name.value),
                    )
                    .primary(name.span, "defined again here")
                    .secondary(tree.nodes[earlier].name_span, "first defined here")
                    .help(format!("a {what} name must be unique among its siblings")),
                );
                false
            }
            None => true,
        }
    }

    fn read_cells(
        &mut self,
        entry: &ast::RowEntry,
        width: usize,
        units: &[Unit],
        out: &mut Vec<CellInfo>,
    ) {
        let ast::RowKind::Leaf { cells, formula } = &entry.kind else {
            return;
        };
        let Some(cells) = cells else {
            if formula.is_none() {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongCellCount,
                        format!("row `{}` has neither cells nor a formula", entry.name.value),
                    )
                    .primary(entry.name.span, "no cells")
                    .help(format!("give it {width} cells `[…]`, or a formula `= …`")),
                );
                out.extend((0..width).map(|_| CellInfo {
                    stated: Stated::Poisoned,
                    span: entry.name.span,
                    note: None,
                }));
            } else {
                out.extend((0..width).map(|_| CellInfo {
                    stated: Stated::Absent,
                    span: entry.name.span,
                    note: None,
                }));
            }
            return;
        };
        if cells.cells.len() != width {
            let found = cells.cells.len();
            self.diagnostics.push(
                Diagnostic::new(
                    Code::WrongCellCount,
                    format!(
                        "row `{}` has {found} cell{}, but the table has {width} column{}",
                        entry.name.value,
                        plural(found),
                        plural(width)
                    ),
                )
                .primary(cells.span, format!("{found} cell{}", plural(found)))
                .help("give one cell per leaf column, in order; write `-` for an empty one"),
            );
            out.extend((0..width).map(|_| CellInfo {
                stated: Stated::Poisoned,
                span: cells.span,
                note: None,
            }));
            return;
        }
        for (cell, unit) in cells.cells.iter().zip(units) {
            let stated = self.read_cell(cell, unit);
            out.push(CellInfo {
                stated,
                span: cell.span,
                note: cell.note.as_ref().map(|note| note.value.clone()),
            });
        }
    }

    fn read_cell(&mut self, cell: &ast::Cell, column_unit: &Unit) -> Stated {
        let literal = match &cell.value {
            ast::CellValue::Blank => return Stated::Blank,
            ast::CellValue::Unknown => return Stated::Unknown,
            ast::CellValue::Auto => return Stated::Auto,
            ast::CellValue::Malformed => return Stated::Poisoned,
            ast::CellValue::Number(literal) => literal,
        };
        let Ok(value) = self.literal_in(literal, column_unit) else {
            return Stated::Poisoned;
        };
        if !value.unit.compatible(column_unit) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MismatchedUnits,
                    format!(
                        "this cell is in {}, but its column holds {}",
                        value.unit.describe(),
                        column_unit.describe()
                    ),
                )
                .primary(literal.span, value.unit.describe())
                .help("write the cell in the column's unit"),
            );
            return Stated::Poisoned;
        }
        Stated::Number(value)
    }

    /// The did-you-mean candidates for a name in a table.
    pub(super) fn suggest_in_tree<'t>(&self, name: &str, tree: &'t Tree) -> Option<&'t str> {
        suggest(name, tree.names())
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
