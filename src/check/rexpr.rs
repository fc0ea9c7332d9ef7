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

    /// Tables whose rows this expression uses whole (column `Current`).
    pub fn row_tables(&self, out: &mut Vec<TableId>) {
        match self {
            RExpr::Cell {
                table,
                column: Sel::Current,
                ..
            } if !out.contains(table) => out.push(*table),
            RExpr::Neg { operand, .. } => operand.row_tables(out),
            RExpr::Chain { first, rest, .. } => {
                first.row_tables(out);
                for (_, operand) in rest {
                    operand.row_tables(out);
                }
            }
            RExpr::Sum { args, .. } => args.iter().for_each(|arg| arg.row_tables(out)),
            _ => {}
        }
    }
}
