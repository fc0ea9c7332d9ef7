//! Resolved expressions: [`RExpr`], an expression over lets and single
//! cells, what name resolution (`resolve.rs`) makes of the syntax and
//! evaluation reads.

use super::Val;
use super::ids::{RowId, TableId};
use super::poison::Poisoned;
use crate::span::{Span, Spanned};
use crate::syntax::ast;

/// A resolved expression.
#[derive(Debug, Clone)]
pub(crate) enum RExpr {
    Literal(Val, Span),
    Let {
        index: usize,
        span: Span,
    },
    Cell {
        table: TableId,
        row: Sel<RowId>,
        column: Sel<usize>,
        span: Span,
    },
    Neg {
        operand: Box<RExpr>,
        span: Span,
    },
    Chain {
        first: Box<RExpr>,
        rest: Vec<(Spanned<ast::BinOp>, RExpr)>,
        span: Span,
    },
    /// `sum(…)` and expanded groups. An empty sum is zero in the unit of
    /// the cell being computed in `table`.
    Sum {
        args: Vec<RExpr>,
        table: Option<TableId>,
        span: Span,
    },
    /// Resolution failed; already reported.
    Poisoned(Poisoned),
}

/// A row or column selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sel<T> {
    /// The row or column being computed (row-wise checks and formulas).
    Current,
    Leaf(T),
}

impl RExpr {
    pub fn span(&self) -> Span {
        match self {
            RExpr::Poisoned(_) => Span::default(),
            RExpr::Literal(_, span) => *span,
            RExpr::Let { span, .. }
            | RExpr::Cell { span, .. }
            | RExpr::Neg { span, .. }
            | RExpr::Chain { span, .. }
            | RExpr::Sum { span, .. } => *span,
        }
    }

    /// Tables whose cells this expression names.
    pub fn cell_tables(&self, out: &mut Vec<TableId>) {
        self.each_cell(&mut |table, _| {
            if !out.contains(&table) {
                out.push(table);
            }
        });
    }

    /// Tables whose rows this expression uses whole (column `Current`).
    pub fn row_tables(&self, out: &mut Vec<TableId>) {
        self.each_cell(&mut |table, column| {
            if column == Sel::Current && !out.contains(&table) {
                out.push(table);
            }
        });
    }

    /// Calls `visit` with the table and column of every cell it names.
    fn each_cell(&self, visit: &mut impl FnMut(TableId, Sel<usize>)) {
        match self {
            RExpr::Cell { table, column, .. } => visit(*table, *column),
            RExpr::Neg { operand, .. } => operand.each_cell(visit),
            RExpr::Chain { first, rest, .. } => {
                first.each_cell(visit);
                for (_, operand) in rest {
                    operand.each_cell(visit);
                }
            }
            RExpr::Sum { args, .. } => args.iter().for_each(|arg| arg.each_cell(visit)),
            _ => {}
        }
    }
}
