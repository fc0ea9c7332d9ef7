//! Tables: what the checker knows of each table, and the building of its
//! trees from the syntax (E0202 for a duplicate sibling, the limits on
//! cells); the cells come from `cells.rs` or `instance.rs`.

use crate::tr;
use rustc_hash::FxHashMap as HashMap;
use std::cell::OnceCell;
use std::rc::Rc;

use rust_decimal::Decimal;

pub(crate) use super::ids::{RowId, TableId};
use super::rexpr::RExpr;
use super::tree::{NodeId, Tree, TreeNode, Written};
use super::units::Unit;
use super::{Amount, Checker, Origin, Poisoned, Val};
use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast;

/// The most leaf columns a table finds a column path among without an
/// index.
const NARROW: usize = 16;

/// Which formula derives a cell: its row's or its column's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Formula {
    Row,
    Column,
}

/// What a row states for a cell, as evaluation reads it.
#[derive(Debug, Clone)]
pub(crate) enum Stated {
    Number(Val),
    Blank,
    Unknown,
    /// `auto`, or no cell at all in a row with only a formula: what the
    /// formulas derive.
    Auto,
    /// The cell could not be read (already reported).
    Poisoned(Poisoned),
}

/// A cell as the checker keeps it, 20 bytes: what it states, and for a
/// number its exact amount in base units. Its unit is its column's unless
/// [`TableInfo::cell_units`] says otherwise; its span and its digits as
/// written are its row's in the syntax tree ([`RowCells`]). A cell that
/// states no number is evaluated once: where that stands is its `memo`,
/// and its amount is then its value (most derived cells) or the place of
/// its value among the checker's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellInfo {
    amount: Decimal,
    pub state: CellState,
    memo: Memo,
}

/// Where the evaluation of a cell that states no number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memo {
    Todo,
    Busy,
    /// Done: an exact amount in the column's unit, kept as the amount.
    Kept,
    /// Done: its value is elsewhere, at the index kept as the amount.
    Stored,
}

/// Where the evaluation of a cell that states no number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Evaluation {
    Todo,
    Busy,
    /// An exact amount in the column's unit.
    Kept(Decimal),
    /// The value is at this index of the values the checker keeps.
    Stored(usize),
}

/// What a row states for a cell, without the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellState {
    Number,
    Blank,
    Unknown,
    /// `auto`, or no cell at all in a row with only a formula.
    Auto,
    /// The cell could not be read (already reported).
    Poisoned,
}

impl CellInfo {
    /// A cell that states no number.
    pub fn of(state: CellState) -> CellInfo {
        CellInfo {
            amount: Decimal::ZERO,
            state,
            memo: Memo::Todo,
        }
    }

    /// A stated exact amount (in base units).
    pub fn number(amount: Decimal) -> CellInfo {
        CellInfo {
            amount,
            state: CellState::Number,
            memo: Memo::Todo,
        }
    }

    /// The stated amount of a number.
    pub fn amount(&self) -> Option<Decimal> {
        (self.state == CellState::Number).then_some(self.amount)
    }

    /// Where the evaluation of a cell that states no number stands.
    #[inline]
    pub fn evaluation(&self) -> Evaluation {
        match self.memo {
            Memo::Todo => Evaluation::Todo,
            Memo::Busy => Evaluation::Busy,
            Memo::Kept => Evaluation::Kept(self.amount),
            Memo::Stored => Evaluation::Stored(self.amount.mantissa() as usize),
        }
    }

    /// Sets where the evaluation of a cell that states no number stands.
    pub fn set_evaluation(&mut self, evaluation: Evaluation) {
        debug_assert!(self.state != CellState::Number);
        (self.memo, self.amount) = match evaluation {
            Evaluation::Todo => (Memo::Todo, Decimal::ZERO),
            Evaluation::Busy => (Memo::Busy, Decimal::ZERO),
            Evaluation::Kept(amount) => (Memo::Kept, amount),
            Evaluation::Stored(index) => (Memo::Stored, Decimal::from(index)),
        };
    }
}

/// Where the cells of a data row are written, for their spans and digits
/// (16 bytes).
#[derive(Debug, Clone, Copy)]
pub(crate) enum RowCells<'a> {
    /// The row's own `[…]`, one cell per leaf column.
    Cells(&'a ast::Cells),
    /// An instance's `rest`, stated for every column of the row (but
    /// derived ones, which are `auto`).
    Rest(&'a ast::Cell),
    /// No cell of its own (a row with a formula only, or whose cells could
    /// not be read, an unfilled row of an instance, a table of a used
    /// report): every cell is at this span.
    At(Span),
}

/// A table's cells as they are read (row-major), with what each row's
/// cells are written in, and the notes written after some of them.
#[derive(Default)]
pub(crate) struct ReadCells<'a> {
    pub cells: Vec<CellInfo>,
    pub rows: Vec<RowCells<'a>>,
    /// Stated numbers not in their column's unit, by cell index in order.
    pub units: Vec<(u32, Unit)>,
    /// Cell indices in order, with the note in the report's syntax tree.
    pub notes: Vec<(usize, &'a ast::Text)>,
}

impl ReadCells<'_> {
    /// Adds a cell as `stated`, in a column of `column_unit`.
    pub fn push(&mut self, stated: Stated, column_unit: &Unit) {
        let cell = match stated {
            Stated::Number(value) => match value.amount {
                Amount::Known(amount) => {
                    if !value.unit.is(column_unit) {
                        self.units.push((self.cells.len() as u32, value.unit));
                    }
                    CellInfo::number(amount)
                }
                Amount::Unknown(_) => CellInfo::of(CellState::Unknown),
            },
            Stated::Blank => CellInfo::of(CellState::Blank),
            Stated::Unknown => CellInfo::of(CellState::Unknown),
            Stated::Auto => CellInfo::of(CellState::Auto),
            Stated::Poisoned(_) => CellInfo::of(CellState::Poisoned),
        };
        self.cells.push(cell);
    }

    /// Adds a row of `width` cells that all state `state`, at `span`.
    pub fn push_row_at(&mut self, state: CellState, width: usize, span: Span) {
        self.cells
            .extend(std::iter::repeat_n(CellInfo::of(state), width));
        self.rows.push(RowCells::At(span));
    }
}

/// What a table is, and where its definition is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind<'a> {
    /// `table X { … }`.
    Table(&'a ast::Table),
    /// `table X = F { … }`: the form, and the instance whose rows hold the
    /// data.
    Instance(&'a ast::Table, &'a ast::Instance),
    /// A table of a report used `as` an alias: built from that report's
    /// exports, with no formulas or checks of its own.
    Frozen,
    /// A table that could not be built: an instance of a form that does
    /// not exist, or a table with too many cells. Its names resolve to
    /// nothing, silently: the error is already reported. The definition
    /// and the instance are kept for the table's place in the model.
    Poisoned {
        definition: Option<&'a ast::Table>,
        instance: Option<&'a ast::Instance>,
        poisoned: Poisoned,
    },
}

impl<'a> Kind<'a> {
    /// The table's definition: the table itself, or the form it
    /// instantiates.
    pub fn definition(self) -> Option<&'a ast::Table> {
        match self {
            Kind::Table(definition) | Kind::Instance(definition, _) => Some(definition),
            Kind::Poisoned { definition, .. } => definition,
            Kind::Frozen => None,
        }
    }

    /// For `table X = F { … }`: the instance.
    pub fn instance(self) -> Option<&'a ast::Instance> {
        match self {
            Kind::Instance(_, instance) => Some(instance),
            Kind::Poisoned { instance, .. } => instance,
            Kind::Table(_) | Kind::Frozen => None,
        }
    }

    /// The same table, poisoned by an error already reported.
    pub fn poison(self, poisoned: Poisoned) -> Kind<'a> {
        Kind::Poisoned {
            definition: self.definition(),
            instance: self.instance(),
            poisoned,
        }
    }
}

/// The checker's tables: the report's own in source order, then those of
/// the reports it uses.
#[derive(Default)]
pub(crate) struct Tables<'a>(Vec<TableInfo<'a>>);

impl<'a> Tables<'a> {
    /// Adds a table; returns its id.
    pub fn push(&mut self, table: TableInfo<'a>) -> TableId {
        let id = self.next_id();
        self.0.push(table);
        id
    }

    /// Makes room for `more` tables.
    pub fn reserve(&mut self, more: usize) {
        self.0.reserve_exact(more);
    }

    /// The id the next table pushed will have.
    pub fn next_id(&self) -> TableId {
        TableId::from_position(self.0.len())
    }

    /// Every table's id, in order.
    pub fn ids(&self) -> impl Iterator<Item = TableId> + use<> {
        (0..self.0.len()).map(TableId::from_position)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<'a> std::ops::Index<TableId> for Tables<'a> {
    type Output = TableInfo<'a>;

    fn index(&self, id: TableId) -> &TableInfo<'a> {
        &self.0[id.index()]
    }
}

impl std::ops::IndexMut<TableId> for Tables<'_> {
    fn index_mut(&mut self, id: TableId) -> &mut Self::Output {
        &mut self.0[id.index()]
    }
}

/// The dotted paths of a table's leaf columns, in one buffer.
#[derive(Debug, Default)]
pub(crate) struct Paths {
    text: String,
    /// Where each path ends in `text`.
    ends: Box<[u32]>,
}

impl Paths {
    /// The paths of the leaves of `tree`.
    pub fn of(tree: &Tree) -> Paths {
        let mut text = String::with_capacity(tree.leaves.len() * 16);
        let mut ends = Vec::with_capacity(tree.leaves.len());
        for &leaf in &tree.leaves {
            tree.push_path(leaf, &mut text);
            // A file has fewer than 2^32 bytes, so are its paths.
            ends.push(text.len() as u32);
        }
        text.shrink_to_fit();
        Paths {
            text,
            ends: ends.into_boxed_slice(),
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        (0..self.len()).map(|index| &self[index])
    }
}

impl std::ops::Index<usize> for Paths {
    type Output = str;

    fn index(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start as usize..self.ends[index] as usize]
    }
}

/// A table's [`Paths`] of leaf columns, and for a wide table an index of
/// them.
#[derive(Debug)]
struct ColumnPaths {
    paths: Paths,
    by_path: Option<Box<HashMap<Box<str>, usize>>>,
}

pub(crate) struct TableInfo<'a> {
    pub kind: Kind<'a>,
    /// The table's own name (`去年.申请` for a table of a used report).
    pub name: String,
    pub name_span: Span,
    pub in_section: bool,
    pub unit: Unit,
    pub columns: Tree<'a>,
    pub rows: Tree<'a>,
    /// The unit of each leaf column.
    pub column_units: Box<[Unit]>,
    /// The leaf path of each leaf column, and back for a wide table, made
    /// when first asked for (see [`TableInfo::column_paths`]).
    column_paths: OnceCell<ColumnPaths>,
    /// Resolved formulas by leaf index.
    pub column_formulas: Box<[Option<Rc<RExpr>>]>,
    pub row_formulas: Box<[Option<Rc<RExpr>>]>,
    /// Row-major: `row_leaf * width + column_leaf`.
    pub cells: Box<[CellInfo]>,
    /// Where each data row's cells are written.
    pub row_cells: Box<[RowCells<'a>]>,
    /// The stated numbers not in their column's unit, by cell index in
    /// order: most cells have none.
    pub cell_units: Box<[(u32, Unit)]>,
    /// The notes written after cells, by cell index in order: most cells
    /// have none.
    pub notes: Box<[(usize, &'a ast::Text)]>,
}

impl<'a> TableInfo<'a> {
    /// A table of `kind` named `name`, its trees and cells still empty.
    pub fn new(kind: Kind<'a>, name: &ast::Ident, in_section: bool) -> Self {
        TableInfo {
            kind,
            name: name.value.to_string(),
            name_span: name.span,
            in_section,
            unit: Unit::none(),
            columns: Tree::default(),
            rows: Tree::default(),
            column_units: Box::default(),
            column_paths: OnceCell::new(),
            column_formulas: Box::default(),
            row_formulas: Box::default(),
            cells: Box::default(),
            row_cells: Box::default(),
            cell_units: Box::default(),
            notes: Box::default(),
        }
    }

    /// Sets the column tree (and forgets the paths made from one before).
    pub fn set_columns(&mut self, columns: Tree<'a>) {
        self.columns = columns;
        self.column_paths = OnceCell::new();
    }

    /// The dotted path of each leaf column. Made when first asked for: a
    /// message, or a check or formula that reads another table's columns,
    /// asks; most checks of most tables never do.
    pub fn column_paths(&self) -> &Paths {
        &self.column_index().paths
    }

    /// The paths, and back for a wide table: a narrow table finds a path
    /// among them; a wide one indexes them.
    fn column_index(&self) -> &ColumnPaths {
        self.column_paths.get_or_init(|| {
            let paths = Paths::of(&self.columns);
            let by_path = (paths.len() > NARROW).then(|| {
                let by_path = paths.iter().enumerate();
                Box::new(by_path.map(|(index, path)| (path.into(), index)).collect())
            });
            ColumnPaths { paths, by_path }
        })
    }

    /// The leaf column at `path` (the last, should two have it).
    pub fn column_at(&self, path: &str) -> Option<usize> {
        let index = self.column_index();
        match &index.by_path {
            Some(by_path) => by_path.get(path).copied(),
            None => index.paths.iter().rposition(|own| own == path),
        }
    }

    /// What the cell at row-major `index` states, its number a value of
    /// origin [`Origin::Cell`] in `table` (this table's id).
    pub fn stated(&self, table: TableId, index: usize) -> Stated {
        let cell = &self.cells[index];
        match cell.state {
            CellState::Number => {
                Stated::Number(self.number(table, index, index % self.width(), cell.amount))
            }
            CellState::Blank => Stated::Blank,
            CellState::Unknown => Stated::Unknown,
            CellState::Auto => Stated::Auto,
            CellState::Poisoned => Stated::Poisoned(Poisoned::broken()),
        }
    }

    /// The value of the stated number `amount` at `index`, in leaf column
    /// `column`.
    #[inline]
    pub fn number(&self, table: TableId, index: usize, column: usize, amount: Decimal) -> Val {
        Val {
            unit: self.number_unit(index, column).clone(),
            amount: Amount::Known(amount),
            origin: Origin::Cell(table, index as u32),
        }
    }

    /// The unit of the stated number at `index`, in leaf column `column`.
    #[inline]
    pub fn number_unit(&self, index: usize, column: usize) -> &Unit {
        if !self.cell_units.is_empty()
            && let Ok(found) = self
                .cell_units
                .binary_search_by_key(&(index as u32), |&(cell, _)| cell)
        {
            return &self.cell_units[found].1;
        }
        &self.column_units[column]
    }

    /// Where the cell at row-major `index` is written (a `rest` or a row
    /// without cells stands for several cells, all at one span).
    pub fn cell_span(&self, index: usize) -> Span {
        let width = self.width();
        match self.row_cells[index / width] {
            RowCells::Cells(cells) => cells.cells[index % width].span(),
            RowCells::Rest(cell) => cell.span(),
            RowCells::At(span) => span,
        }
    }

    /// The spans of the cells, in row-major order.
    pub fn cell_spans(&self) -> impl Iterator<Item = Span> + '_ {
        (0..self.cells.len()).map(|index| self.cell_span(index))
    }

    /// The number written in the cell at row-major `index` (sign and
    /// digits as written), for a stated number of the report's (or a
    /// library's) syntax.
    pub fn number_text(&self, index: usize) -> Option<&'a str> {
        if self.cells.get(index)?.state != CellState::Number {
            return None;
        }
        let cell = match self.row_cells[index / self.width()] {
            RowCells::Cells(cells) => &cells.cells[index % self.width()],
            RowCells::Rest(cell) => cell,
            RowCells::At(_) => return None,
        };
        cell.number_text().map(|(text, _)| text)
    }

    /// The note written after the cell at row-major `index`.
    pub fn note(&self, index: usize) -> Option<&'a ast::Text> {
        let found = self.notes.binary_search_by_key(&index, |&(cell, _)| cell);
        found.ok().map(|position| self.notes[position].1)
    }

    /// Why the table could not be built, if it could not.
    pub fn poisoned(&self) -> Option<Poisoned> {
        match self.kind {
            Kind::Poisoned { poisoned, .. } => Some(poisoned),
            _ => None,
        }
    }

    pub fn is_poisoned(&self) -> bool {
        self.poisoned().is_some()
    }

    pub fn is_frozen(&self) -> bool {
        matches!(self.kind, Kind::Frozen)
    }

    pub fn width(&self) -> usize {
        self.columns.leaves.len()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every check of the table: the form's, then the instance's own.
    pub fn checks(&self) -> impl Iterator<Item = &'a ast::Check> + use<'a> {
        let form: &'a [ast::Check] = self
            .kind
            .definition()
            .map(|definition| definition.checks.as_slice())
            .unwrap_or_default();
        let own: &'a [ast::Check] = self
            .kind
            .instance()
            .map(|instance| instance.checks.as_slice())
            .unwrap_or_default();
        form.iter().chain(own)
    }

    /// Every data row, in order.
    pub fn row_ids(&self) -> impl Iterator<Item = RowId> + use<> {
        (0..self.rows.leaves.len()).map(RowId::from_leaf)
    }

    /// The row and the leaf column of the cell at row-major `index`.
    pub fn cell_at(&self, index: usize) -> (RowId, usize) {
        let width = self.width();
        (RowId::from_leaf(index / width), index % width)
    }

    /// `申请.总计[自然人]`
    pub fn cell_name(&self, row: RowId, column: usize) -> String {
        format!(
            "{}.{}[{}]",
            self.name(),
            self.rows.path(self.rows.leaves[row.index()]),
            &self.column_paths()[column]
        )
    }
}

impl<'a> Checker<'a> {
    /// Builds the trees and reads the stated cells of table `index`.
    pub(super) fn build_table(&mut self, index: TableId) {
        let Some(ast) = self.tables[index].kind.definition() else {
            return;
        };
        let mut unit = Unit::none();
        if let Some((first, rest)) = ast.units.split_first() {
            match self.units.get(&first.value) {
                Some(found) => unit = found.clone(),
                None => {
                    self.unknown_unit(first);
                }
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

        // Each tree sized from the syntax, so that building it does not
        // grow it step by step.
        let column_entries = ast.columns.first().map_or(&[][..], |(_, entries)| entries);
        let size = Tree::count(column_entries, column_members);
        let mut columns = Tree::with_capacity(size);
        let mut column_units = Vec::with_capacity(size.1);
        self.add_columns(&mut columns, &mut column_units, column_entries, None, &unit);
        let width = columns.leaves.len();
        let row_entries = ast.rows.first().map_or(&[][..], |(_, entries)| entries);
        let size = Tree::count(row_entries, row_members);
        let mut rows = Tree::with_capacity(size);
        let mut leaf_entries = Vec::with_capacity(size.1);
        self.add_rows(&mut rows, row_entries, None, &mut leaf_entries);
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
            let poisoned = self.report(
                Diagnostic::new(Code::TooLarge, message)
                    .primary(
                        self.tables[index].name_span,
                        tr!("more than the {limit} cells gdr checks", limit = limit),
                    )
                    .help(tr!("split the table, or the report")),
            );
            let kind = self.tables[index].kind;
            self.tables[index].kind = kind.poison(poisoned);
            return;
        }
        let mut cells = ReadCells {
            cells: Vec::with_capacity(leaf_entries.len() * width),
            rows: Vec::with_capacity(leaf_entries.len()),
            ..ReadCells::default()
        };
        match self.tables[index].kind.instance() {
            Some(instance) => {
                let column_formulas: Vec<bool> = columns
                    .leaves
                    .iter()
                    .map(|&id| columns.formula(id).is_some())
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

        columns.shrink_to_fit();
        rows.shrink_to_fit();
        let info = &mut self.tables[index];
        info.unit = unit;
        info.column_formulas = vec![None; width].into();
        info.row_formulas = vec![None; rows.leaves.len()].into();
        info.set_columns(columns);
        info.rows = rows;
        info.column_units = column_units.into();
        info.cells = cells.cells.into();
        info.row_cells = cells.rows.into();
        info.cell_units = cells.units.into();
        info.notes = cells.notes.into();
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
            let is_group = matches!(entry.kind, ast::ColumnKind::Group(_));
            let (id, earlier) =
                tree.add_sibling(TreeNode::new(Written::Column(entry)), parent, is_group);
            if let Some(earlier) = earlier {
                self.duplicate_sibling(tree, earlier, &entry.name, tr!("column"));
            }
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
            let is_group = matches!(entry.kind, ast::RowKind::Group(_));
            let (id, earlier) =
                tree.add_sibling(TreeNode::new(Written::Row(entry)), parent, is_group);
            if let Some(earlier) = earlier {
                self.duplicate_sibling(tree, earlier, &entry.name, tr!("row"));
            }
            match &entry.kind {
                ast::RowKind::Group(children) => self.add_rows(tree, children, Some(id), leaves),
                ast::RowKind::Leaf { .. } => leaves.push(entry),
            }
        }
    }

    /// E0202: a sibling of the same name, `earlier`, came first (as
    /// [`Tree::add_sibling`] finds).
    fn duplicate_sibling(
        &mut self,
        tree: &Tree,
        earlier: NodeId,
        name: &ast::Ident,
        what: crate::diagnostics::Text,
    ) {
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
            .secondary(tree.name_span(earlier), tr!("first defined here"))
            .help(tr!(
                "a {what} name must be unique among its siblings",
                what = what
            )),
        );
    }

    /// The did-you-mean candidates for a name in a table.
    pub(super) fn suggest_in_tree<'t>(&self, name: &str, tree: &'t Tree) -> Option<&'t str> {
        self.suggest(name, tree.names())
    }
}

/// The members of a group of columns (`None` for a leaf).
fn column_members(entry: &ast::ColumnEntry) -> Option<&[ast::ColumnEntry]> {
    match &entry.kind {
        ast::ColumnKind::Group(members) => Some(members),
        ast::ColumnKind::Leaf { .. } => None,
    }
}

/// The members of a group of rows (`None` for a leaf).
fn row_members(entry: &ast::RowEntry) -> Option<&[ast::RowEntry]> {
    match &entry.kind {
        ast::RowKind::Group(members) => Some(members),
        ast::RowKind::Leaf { .. } => None,
    }
}
