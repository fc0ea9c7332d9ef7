//! Resolved expressions: [`RExpr`], an expression over lets and single
//! cells, what name resolution (`resolve.rs`) makes of the syntax and
//! evaluation reads.

use super::Val;
use super::ids::{RowId, TableId};
use super::poison::Poisoned;
use crate::span::{Span, Spanned};
use crate::syntax::ast;

/// A resolved expression, 32 bytes: formulas expand groups into many
/// cells, so rare parts (a literal's value, a chain) are boxed.
#[derive(Debug, Clone)]
pub(crate) enum RExpr {
    Literal(Box<Val>, Span),
    Let {
        index: usize,
        span: Span,
    },
    /// A cell; its column a leaf index (a file has fewer than 2^32 bytes,
    /// so a table fewer columns).
    Cell {
        table: TableId,
        row: Sel<RowId>,
        column: Sel<u32>,
        span: Span,
    },
    Neg {
        operand: Box<RExpr>,
        span: Span,
    },
    Chain(Box<Chain>),
    /// `sum(…)` and expanded groups. An empty sum is zero in the unit of
    /// the cell being computed in `table`.
    Sum {
        args: Box<[RExpr]>,
        table: Home,
        span: Span,
    },
    /// Resolution failed; already reported.
    Poisoned(Poisoned),
}

/// `a + b - c`: operands with the operators between them.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub first: RExpr,
    pub rest: Box<[(Spanned<ast::BinOp>, RExpr)]>,
    pub span: Span,
}

/// The table a sum is written in, if any, in four bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Home(u32);

impl Home {
    pub fn of(table: Option<TableId>) -> Home {
        Home(table.map_or(u32::MAX, |table| table.index() as u32))
    }

    pub fn get(self) -> Option<TableId> {
        (self.0 != u32::MAX).then(|| TableId::from_position(self.0 as usize))
    }
}

/// A row or column selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sel<T> {
    /// The row or column being computed (row-wise checks and formulas).
    Current,
    Leaf(T),
}

impl Sel<usize> {
    /// The selector with a leaf index of four bytes.
    pub fn narrow(self) -> Sel<u32> {
        match self {
            Sel::Current => Sel::Current,
            Sel::Leaf(leaf) => Sel::Leaf(leaf as u32),
        }
    }
}

impl Sel<u32> {
    pub fn widen(self) -> Sel<usize> {
        match self {
            Sel::Current => Sel::Current,
            Sel::Leaf(leaf) => Sel::Leaf(leaf as usize),
        }
    }
}

impl RExpr {
    pub fn span(&self) -> Span {
        match self {
            RExpr::Poisoned(_) => Span::default(),
            RExpr::Literal(_, span) => *span,
            RExpr::Chain(chain) => chain.span,
            RExpr::Let { span, .. }
            | RExpr::Cell { span, .. }
            | RExpr::Neg { span, .. }
            | RExpr::Sum { span, .. } => *span,
        }
    }

    /// Tables whose rows this expression uses whole (column `Current`).
    pub fn row_tables(&self, out: &mut Vec<TableId>) {
        self.each_cell(&mut |table, column| {
            if column == Sel::Current && !out.contains(&table) {
                out.push(table);
            }
        });
    }

    /// Whether a cell it names is in a table that `wanted` says yes to.
    pub fn names_a_table(&self, wanted: &impl Fn(TableId) -> bool) -> bool {
        match self {
            RExpr::Cell { table, .. } => wanted(*table),
            RExpr::Neg { operand, .. } => operand.names_a_table(wanted),
            RExpr::Chain(chain) => {
                chain.first.names_a_table(wanted)
                    || chain
                        .rest
                        .iter()
                        .any(|(_, operand)| operand.names_a_table(wanted))
            }
            RExpr::Sum { args, .. } => args.iter().any(|arg| arg.names_a_table(wanted)),
            _ => false,
        }
    }

    /// Calls `visit` with the table and column of every cell it names.
    fn each_cell(&self, visit: &mut impl FnMut(TableId, Sel<u32>)) {
        match self {
            RExpr::Cell { table, column, .. } => visit(*table, *column),
            RExpr::Neg { operand, .. } => operand.each_cell(visit),
            RExpr::Chain(chain) => {
                chain.first.each_cell(visit);
                for (_, operand) in &chain.rest {
                    operand.each_cell(visit);
                }
            }
            RExpr::Sum { args, .. } => args.iter().for_each(|arg| arg.each_cell(visit)),
            _ => {}
        }
    }
}
