//! Tables: column and row trees, name lookup in them, and stated cells.

use crate::tr;
use std::collections::HashMap;
use std::rc::Rc;

use super::resolve::RExpr;
use super::units::Unit;
use super::{Checker, Val};
use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast;

pub(crate) type NodeId = usize;

/// A column or row tree. Nodes are stored in source order. Names and
/// labels are borrowed from the syntax tree (or the model of a used report)
/// that the checker reads.
#[derive(Debug, Default)]
pub(crate) struct Tree<'a> {
    pub nodes: Vec<TreeNode<'a>>,
    by_name: HashMap<&'a str, Vec<NodeId>>,
    /// Leaf nodes in order; a leaf's position here is its cell index.
    pub leaves: Vec<NodeId>,
    roots: Vec<NodeId>,
}

#[derive(Debug)]
pub(crate) struct TreeNode<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub label: Option<&'a str>,
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

impl<'a> Tree<'a> {
    /// Adds a column or row entry: a group when `formula` is `None`, else a
    /// leaf with or without a formula.
    fn add_entry(
        &mut self,
        name: &'a ast::Ident,
        label: Option<&'a ast::Text>,
        parent: Option<NodeId>,
        formula: Option<Option<&ast::Expr>>,
    ) -> NodeId {
        self.add(TreeNode {
            name: &name.value,
            name_span: name.span,
            label: label.map(|label| label.value.as_str()),
            parent,
            children: Vec::new(),
            is_group: formula.is_none(),
            formula: formula.flatten().map(ast::Expr::span),
            leaf: None,
            depth: parent.map_or(0, |p| self.nodes[p].depth + 1),
        })
    }

    pub fn add(&mut self, mut node: TreeNode<'a>) -> NodeId {
        let id = self.nodes.len();
        if !node.is_group {
            node.leaf = Some(self.leaves.len());
            self.leaves.push(id);
        }
        match node.parent {
            Some(parent) => self.nodes[parent].children.push(id),
            None => self.roots.push(id),
        }
        self.by_name.entry(node.name).or_default().push(id);
        self.nodes.push(node);
        id
    }

    /// The dotted path of a node from the root: `法人或其他组织.商业企业`.
    pub fn path(&self, id: NodeId) -> String {
        let mut names = vec![self.nodes[id].name];
        let mut current = self.nodes[id].parent;
        while let Some(parent) = current {
            names.push(self.nodes[parent].name);
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
        self.by_name.keys().copied()
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
pub(crate) struct CellInfo<'a> {
    pub stated: Stated,
    pub span: Span,
    /// The note written after the cell, in the report's syntax tree.
    pub note: Option<&'a str>,
}

pub(crate) struct TableInfo<'a> {
    /// The table's definition: the table itself, or the form it instantiates.
    pub ast: &'a ast::Table,
    /// The table's own name (`去年.申请` for a table of a used report).
    pub name: String,
    pub name_span: Span,
    /// For `table X = F { … }`: the instance, whose rows hold the data.
    pub instance: Option<&'a ast::Instance>,
    /// An instance of a form that does not exist: its names resolve to
    /// nothing, silently (E0206 is already reported).
    pub poisoned: bool,
    /// A table of a report used `as` an alias: built from that report's
    /// checked values, with no formulas or checks of its own.
    pub frozen: bool,
    pub in_section: bool,
    pub unit: Unit,
    pub columns: Tree<'a>,
    pub rows: Tree<'a>,
    /// The unit of each leaf column.
    pub column_units: Vec<Unit>,
    /// The leaf path of each leaf column, and back.
    pub column_paths: Vec<String>,
    pub column_by_path: HashMap<String, usize>,
    /// Resolved formulas by leaf index.
    pub column_formulas: Vec<Option<Rc<RExpr>>>,
    pub row_formulas: Vec<Option<Rc<RExpr>>>,
    /// Row-major: `row_leaf * width + column_leaf`.
    pub cells: Vec<CellInfo<'a>>,
}

impl<'a> TableInfo<'a> {
    pub fn new(ast: &'a ast::Table, in_section: bool) -> Self {
        TableInfo::with_definition(ast, &ast.name, None, in_section)
    }

    /// A table named `name` built from `definition` (a table or a form).
    pub fn with_definition(
        definition: &'a ast::Table,
        name: &ast::Ident,
        instance: Option<&'a ast::Instance>,
        in_section: bool,
    ) -> Self {
        TableInfo {
            ast: definition,
            name: name.value.clone(),
            name_span: name.span,
            instance,
            poisoned: false,
            frozen: false,
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
        &self.name
    }

    /// Every check of the table: the form's, then the instance's own.
    pub fn checks(&self) -> impl Iterator<Item = &'a ast::Check> + use<'a> {
        let own: &'a [ast::Check] = self
            .instance
            .map(|instance| instance.checks.as_slice())
            .unwrap_or_default();
        self.ast.checks.iter().chain(own)
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
                    Diagnostic::new(Code::DuplicateName, tr!("the table's unit is set twice"))
                        .primary(again.span, tr!("set again here"))
                        .secondary(first.span, tr!("first set here")),
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
        let mut leaf_entries = Vec::new();
        if let Some((_, entries)) = ast.rows.first() {
            self.add_rows(&mut rows, entries, None, &mut leaf_entries);
        }
        let count = leaf_entries.len().saturating_mul(width);
        self.total_cells = self.total_cells.saturating_add(count);
        if count > crate::limits::MAX_TABLE_CELLS
            || self.total_cells > crate::limits::MAX_TOTAL_CELLS
        {
            let (message, limit) = if count > crate::limits::MAX_TABLE_CELLS {
                (
                    tr!(
                        "table `{name}` has {count} cells",
                        name = self.tables[index].name(),
                        count = count
                    ),
                    crate::limits::MAX_TABLE_CELLS,
                )
            } else {
                (
                    tr!(
                        "the tables of this report have {count} cells",
                        count = self.total_cells
                    ),
                    crate::limits::MAX_TOTAL_CELLS,
                )
            };
            self.diagnostics.push(
                Diagnostic::new(Code::TooLarge, message)
                    .primary(
                        self.tables[index].name_span,
                        tr!("more than the {limit} cells gdr checks", limit = limit),
                    )
                    .help(tr!("split the table, or the report")),
            );
            self.tables[index].poisoned = true;
            return;
        }
        let mut cells = Vec::with_capacity(leaf_entries.len() * width);
        match self.tables[index].instance {
            Some(instance) => {
                let column_formulas: Vec<bool> = columns
                    .leaves
                    .iter()
                    .map(|&id| columns.nodes[id].formula.is_some())
                    .collect();
                self.instance_cells(
                    instance,
                    ast,
                    &rows,
                    &leaf_entries,
                    &column_units,
                    &column_formulas,
                    &mut cells,
                );
            }
            None => {
                for entry in leaf_entries {
                    let ast::RowKind::Leaf {
                        cells: stated,
                        formula,
                    } = &entry.kind
                    else {
                        continue;
                    };
                    self.read_cells(
                        &entry.name,
                        stated.as_ref(),
                        formula.is_some(),
                        &column_units,
                        &mut cells,
                    );
                }
            }
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
                    tr!(
                        "table `{name}` has no `{what} { … }`",
                        name = table.name.value,
                        what = what
                    ),
                )
                .primary(table.name.span, tr!("`{what}` missing", what = what))
                .help(tr!(
                    "a table has one `columns { … }` and one `rows { … }` block"
                )),
            ),
            [_] => {}
            [first, rest @ ..] => {
                for again in rest {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateName,
                            tr!(
                                "table `{name}` has two `{what}` blocks",
                                name = table.name.value,
                                what = what
                            ),
                        )
                        .primary(
                            Span::new(again.start as usize, again.start as usize + what.len()),
                            tr!("a second block"),
                        )
                        .secondary(
                            Span::new(first.start as usize, first.start as usize + what.len()),
                            tr!("the first"),
                        ),
                    );
                }
            }
        }
    }

    fn add_columns(
        &mut self,
        tree: &mut Tree<'a>,
        units: &mut Vec<Unit>,
        entries: &'a [ast::ColumnEntry],
        parent: Option<NodeId>,
        table_unit: &Unit,
    ) {
        for entry in entries {
            // A duplicate still takes its cell position, so that the cell
            // count of every row stays as written.
            self.unique_sibling(tree, parent, &entry.name, tr!("column"));
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

    /// Adds the row entries to the tree, and collects the leaf entries in
    /// order (a leaf's position there is its row index).
    fn add_rows(
        &mut self,
        tree: &mut Tree<'a>,
        entries: &'a [ast::RowEntry],
        parent: Option<NodeId>,
        leaves: &mut Vec<&'a ast::RowEntry>,
    ) {
        for entry in entries {
            self.unique_sibling(tree, parent, &entry.name, tr!("row"));
            let formula = match &entry.kind {
                ast::RowKind::Group(_) => None,
                ast::RowKind::Leaf { formula, .. } => Some(formula.as_ref()),
            };
            let id = tree.add_entry(&entry.name, entry.label.as_ref(), parent, formula);
            match &entry.kind {
                ast::RowKind::Group(children) => self.add_rows(tree, children, Some(id), leaves),
                ast::RowKind::Leaf { .. } => leaves.push(entry),
            }
        }
    }

    /// E0202 when a sibling has the same name.
    fn unique_sibling(
        &mut self,
        tree: &Tree,
        parent: Option<NodeId>,
        name: &ast::Ident,
        what: crate::diagnostics::Text,
    ) -> bool {
        let earlier = tree.by_name.get(name.value.as_str()).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|&id| tree.nodes[id].parent == parent)
        });
        match earlier {
            Some(earlier) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        tr!(
                            "{what} `{name}` is defined twice",
                            what = what,
                            name = name.value
                        ),
                    )
                    .primary(name.span, tr!("defined again here"))
                    .secondary(tree.nodes[earlier].name_span, tr!("first defined here"))
                    .help(tr!(
                        "a {what} name must be unique among its siblings",
                        what = what
                    )),
                );
                false
            }
            None => true,
        }
    }

    /// Reads a row's stated cells; `cells` is `None` for a row with only a
    /// formula (or, in error, with neither).
    fn read_cells(
        &mut self,
        name: &ast::Ident,
        cells: Option<&'a ast::Cells>,
        has_formula: bool,
        units: &[Unit],
        out: &mut Vec<CellInfo<'a>>,
    ) {
        let width = units.len();
        let Some(cells) = cells else {
            let stated = if has_formula {
                Stated::Absent
            } else {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongCellCount,
                        tr!(
                            "row `{name}` has neither cells nor a formula",
                            name = name.value
                        ),
                    )
                    .primary(name.span, tr!("no cells"))
                    .help(tr!(
                        "give it {width} cells `[…]`, or a formula `= …`",
                        width = width
                    )),
                );
                Stated::Poisoned
            };
            out.extend((0..width).map(|_| CellInfo {
                stated: stated.clone(),
                span: name.span,
                note: None,
            }));
            return;
        };
        if cells.cells.len() != width {
            let found = cells.cells.len();
            self.diagnostics.push(
                Diagnostic::new(
                    Code::WrongCellCount,
                    if found == 1 {
                        tr!(
                            "row `{name}` has 1 cell, but the table has {width} columns",
                            name = name.value,
                            width = width
                        )
                    } else {
                        tr!(
                            "row `{name}` has {found} cells, but the table has {width} columns",
                            name = name.value,
                            found = found,
                            width = width
                        )
                    },
                )
                .primary(
                    cells.span,
                    if found == 1 {
                        tr!("1 cell")
                    } else {
                        tr!("{found} cells", found = found)
                    },
                )
                .help(tr!(
                    "give one cell per leaf column, in order; write `-` for an empty one"
                )),
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
                note: cell.note.as_ref().map(|note| note.value.as_str()),
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
                    tr!(
                        "this cell is in {unit}, but its column holds {column_unit}",
                        unit = value.unit.describe(),
                        column_unit = column_unit.describe()
                    ),
                )
                .primary(literal.span, value.unit.describe())
                .help(tr!("write the cell in the column's unit")),
            );
            return Stated::Poisoned;
        }
        Stated::Number(value)
    }

    /// The cells of an instance: each listed row as written, each unlisted
    /// data row from `rest` (its derived cells as `auto`), each unlisted
    /// formula row derived; E0503 for a data row that is neither listed nor
    /// covered by `rest`.
    #[allow(clippy::too_many_arguments)]
    fn instance_cells(
        &mut self,
        instance: &'a ast::Instance,
        form: &ast::Table,
        rows: &Tree,
        leaf_entries: &[&'a ast::RowEntry],
        units: &[Unit],
        column_formulas: &[bool],
        out: &mut Vec<CellInfo<'a>>,
    ) {
        let mut listed: Vec<Option<&'a ast::InstanceRow>> = vec![None; rows.leaves.len()];
        let mut misnamed = false;
        for row in &instance.rows {
            let names: Vec<&str> = row.path.iter().map(|name| name.value.as_str()).collect();
            let last = row.path.last().unwrap_or(&instance.form);
            match rows.lookup(&names, None) {
                Ok(id) if rows.nodes[id].is_group => {
                    let inside: Vec<String> = rows
                        .data_leaves(id, None)
                        .iter()
                        .map(|&leaf| format!("`{}`", rows.nodes[leaf].name))
                        .collect();
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownName,
                            tr!(
                                "`{names}` is a group of rows of form `{form}`, not a row",
                                names = names.join("."),
                                form = instance.form.value
                            ),
                        )
                        .primary(
                            row.path[0].span.to(last.span),
                            tr!("a group has no cells of its own"),
                        )
                        .help(tr!(
                            "fill in the rows inside it: {inside}",
                            inside = inside.join(", ")
                        )),
                    );
                }
                Ok(id) => {
                    let leaf = rows.nodes[id].leaf.unwrap_or_default();
                    match listed[leaf] {
                        Some(earlier) => self.diagnostics.push(
                            Diagnostic::new(
                                Code::DuplicateName,
                                tr!("row `{names}` is filled twice", names = names.join(".")),
                            )
                            .primary(row.path[0].span.to(last.span), tr!("filled again here"))
                            .secondary(earlier.path[0].span, tr!("first filled here")),
                        ),
                        None => listed[leaf] = Some(row),
                    }
                }
                Err(lookup) => {
                    misnamed = true;
                    let diagnostic =
                        self.unknown_instance_row(instance, form, rows, &names, row, lookup);
                    self.diagnostics.push(diagnostic);
                }
            }
        }
        let rest = match instance.rests.split_first() {
            Some((first, again)) => {
                for cell in again {
                    self.diagnostics.push(
                        Diagnostic::new(Code::DuplicateName, tr!("`rest` is given twice"))
                            .primary(cell.span, tr!("a second `rest`"))
                            .secondary(first.span, tr!("the first"))
                            .help(tr!("an instance has at most one `rest`")),
                    );
                }
                Some(first)
            }
            None => None,
        };
        let mut unfilled: Vec<String> = Vec::new();
        for (leaf, entry) in leaf_entries.iter().enumerate() {
            let has_formula = matches!(
                &entry.kind,
                ast::RowKind::Leaf {
                    formula: Some(_),
                    ..
                }
            );
            if let Some(row) = listed[leaf] {
                self.read_cells(
                    &row.path[row.path.len() - 1],
                    Some(&row.cells),
                    has_formula,
                    units,
                    out,
                );
                continue;
            }
            match (has_formula, rest) {
                (true, _) => out.extend(units.iter().map(|_| CellInfo {
                    stated: Stated::Absent,
                    span: instance.head,
                    note: None,
                })),
                (false, Some(rest)) => {
                    for (unit, derived) in units.iter().zip(column_formulas) {
                        let stated = if *derived {
                            Stated::Auto
                        } else {
                            self.read_cell(rest, unit)
                        };
                        out.push(CellInfo {
                            stated,
                            span: rest.span,
                            note: None,
                        });
                    }
                }
                (false, None) => {
                    unfilled.push(rows.path(rows.leaves[leaf]));
                    out.extend(units.iter().map(|_| CellInfo {
                        stated: Stated::Poisoned,
                        span: instance.head,
                        note: None,
                    }));
                }
            }
        }
        // A misnamed row is most likely the unfilled one: one mistake, one
        // diagnostic.
        for row in unfilled.into_iter().filter(|_| !misnamed) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::UnfilledRow,
                    tr!(
                        "row `{row}` of form `{form}` is not filled",
                        row = row,
                        form = instance.form.value
                    ),
                )
                .primary(instance.head, tr!("`{row}` has no cells here", row = row))
                .help(tr!(
                    "add `{row} [ … ]`, or `rest 0` to fill every row not listed",
                    row = row
                )),
            );
        }
    }

    /// E0201 for a row an instance names that its form does not have, with
    /// the close names of this form and of the other format version.
    fn unknown_instance_row(
        &self,
        instance: &ast::Instance,
        form: &ast::Table,
        rows: &Tree,
        names: &[&str],
        row: &ast::InstanceRow,
        lookup: Lookup,
    ) -> Diagnostic {
        let last = row.path.last().unwrap_or(&instance.form);
        let span = row.path[0].span.to(last.span);
        let path = names.join(".");
        if let Lookup::Ambiguous(ids) = lookup {
            let candidates: Vec<String> = ids
                .iter()
                .map(|&id| format!("`{}`", rows.path(id)))
                .collect();
            return Diagnostic::new(
                Code::UnknownName,
                tr!(
                    "`{path}` is ambiguous in form `{form}`",
                    path = path,
                    form = instance.form.value
                ),
            )
            .primary(
                span,
                tr!(
                    "could be any of {candidates} rows",
                    candidates = candidates.len()
                ),
            )
            .help(tr!(
                "qualify it: {candidates}",
                candidates = candidates.join(", ")
            ));
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnknownName,
            tr!(
                "form `{form}` has no row `{path}`",
                form = instance.form.value,
                path = path
            ),
        )
        .primary(span, tr!("not a row of this form"));
        let name = names.last().copied().unwrap_or_default();
        if let Some(renamed) = self.renamed_row(form, name) {
            diagnostic = diagnostic.help(renamed);
        } else if let Some(close) = self.suggest(name, rows.names()) {
            diagnostic = diagnostic.help(tr!("did you mean `{close}`?", close = close));
        }
        diagnostic
    }

    /// For a row name of the other version of a built-in format: the
    /// message that gives this version's name (`规范性文件` in 2019 is
    /// `行政规范性文件` in 2021).
    fn renamed_row(&self, form: &ast::Table, name: &str) -> Option<crate::diagnostics::Text> {
        let &(_, library) = self.forms.get(form.name.value.as_str())?;
        let library = &self.libraries[library?];
        let other = library.other_version.as_ref()?;
        let old = other.leaf_rows(&form.name.value)?;
        let position = old.iter().position(|old_name| old_name == name)?;
        let current = crate::modules::leaf_rows(form);
        let renamed = current
            .iter()
            .find(|new_name| new_name.contains(name) || name.contains(new_name.as_str()))
            .or_else(|| current.get(position).filter(|_| old.len() == current.len()))?;
        Some(tr!(
            "`{name}` is the name in `{other}`; in `{library}` this row is `{renamed}`",
            name = name,
            other = other.name,
            library = library.name,
            renamed = renamed
        ))
    }

    /// The did-you-mean candidates for a name in a table.
    pub(super) fn suggest_in_tree<'t>(&self, name: &str, tree: &'t Tree) -> Option<&'t str> {
        self.suggest(name, tree.names())
    }
}
