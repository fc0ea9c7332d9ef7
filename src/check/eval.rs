//! Evaluation: lets and cells computed lazily and memoised, with cycle
//! detection (E0205); the arithmetic of values and units (E0301, E0305,
//! E0302); how a value is shown in messages.

use crate::tr;
use rustc_hash::FxHashMap as HashMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::rexpr::{Chain, RExpr, Sel};
use super::table::{CellState, Evaluation, Formula, RowId, TableId};
use super::units::{self, Unit, UnitError};
use super::{Amount, Checked, Checker, Origin, Poisoned, Val};
use crate::diagnostics::{Code, Diagnostic};
use crate::model;
use crate::span::{Span, Spanned};
use crate::syntax::ast;

#[derive(Debug, Clone)]
enum Memo {
    Todo,
    Busy,
    Done(Checked<Val>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Node {
    Let(usize),
    /// Table and row-major cell index.
    Cell(TableId, usize),
}

/// A definition being evaluated, for reporting cycles.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub node: Node,
    pub definition: Definition,
}

/// Where a [`Frame`]'s definition is written: a span, or a formula of its
/// cell (found only should the frame be part of a cycle).
#[derive(Debug, Clone, Copy)]
pub(super) enum Definition {
    At(Span),
    Formula(Formula),
}

/// Where an evaluation stands: the column of a row-wise computation (as
/// table and leaf) and the row of a column formula.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Env {
    pub column: Option<(TableId, usize)>,
    pub row: Option<RowId>,
}

#[derive(Default)]
pub(crate) struct EvalState {
    lets: Vec<Memo>,
    /// The values of the cells evaluated that their cells do not keep
    /// (`Evaluation::Stored`), in the order they were done.
    values: Vec<Checked<Val>>,
    pub(super) stack: Vec<Frame>,
    /// The cycles reported, by their members' definitions.
    cycles: HashMap<Vec<Span>, Poisoned>,
    /// What `report_once` reported, by code and place.
    once: HashMap<(Code, Span), Poisoned>,
    pub(super) check_results: Vec<model::CheckResult>,
}

impl<'a> Checker<'a> {
    pub(super) fn evaluate_all(&mut self) {
        self.eval.lets = vec![Memo::Todo; self.lets.len()];
        for index in 0..self.lets.len() {
            let _ = self.let_value(index);
        }
        for table in self.tables.ids() {
            self.verify_cells(table);
        }
        for index in 0..self.checks.len() {
            self.evaluate_check(index);
        }
        self.explain_failures();
        self.gather_families();
    }

    fn let_value(&mut self, index: usize) -> Checked<Val> {
        match &self.eval.lets[index] {
            Memo::Done(value) => return value.clone(),
            Memo::Busy => return self.cycle(Node::Let(index)),
            Memo::Todo => {}
        }
        self.eval.lets[index] = Memo::Busy;
        let ast = self.lets[index].ast;
        let expr = self.let_exprs[index].clone();
        self.eval.stack.push(Frame {
            node: Node::Let(index),
            definition: Definition::At(ast.name.span),
        });
        let result = stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            self.eval(&expr, Env::default())
        })
        .map(|value| self.settle(value));
        self.eval.stack.pop();
        self.eval.lets[index] = Memo::Done(result.clone());
        result
    }

    pub(super) fn cell_value(&mut self, table: TableId, row: RowId, column: usize) -> Checked<Val> {
        let info = &self.tables[table];
        let index = row.index() * info.width() + column;
        // A stated number or a cell that could not be read is its own
        // value, whatever the formulas say (they are compared with it
        // apart): it depends on nothing, so it needs no memo.
        let cell = info.cells[index];
        match cell.state {
            CellState::Number => {
                return Ok(info.number(table, index, column, cell.amount().unwrap_or_default()));
            }
            CellState::Poisoned => return Err(Poisoned::broken()),
            CellState::Blank | CellState::Unknown | CellState::Auto => {}
        }
        match cell.evaluation() {
            Evaluation::Kept(amount) => {
                return Ok(Val::known(amount, info.column_units[column].clone()));
            }
            Evaluation::Stored(done) => return self.eval.values[done].clone(),
            Evaluation::Busy => return self.cycle(Node::Cell(table, index)),
            Evaluation::Todo => {}
        }
        self.tables[table].cells[index].set_evaluation(Evaluation::Busy);
        let result = stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            self.compute_cell(table, row, column)
        });
        let info = &mut self.tables[table];
        let evaluation = match &result {
            Ok(Val {
                unit,
                amount: Amount::Known(amount),
                origin: Origin::Computed,
            }) if unit.is(&info.column_units[column]) => Evaluation::Kept(*amount),
            _ => {
                self.eval.values.push(result.clone());
                Evaluation::Stored(self.eval.values.len() - 1)
            }
        };
        info.cells[index].set_evaluation(evaluation);
        result
    }

    /// The value of a let once evaluation is done, without evaluating
    /// anything (so without reporting anything).
    pub(super) fn evaluated_let(&self, index: usize) -> Option<Val> {
        match self.eval.lets.get(index) {
            Some(Memo::Done(Ok(value))) => Some(value.clone()),
            _ => None,
        }
    }

    /// The value of a cell once evaluation is done, without evaluating
    /// anything. The only cells that checking never asks for are stated
    /// numbers that formulas derive too (the formulas are compared with
    /// them): their values need no evaluation.
    pub(super) fn evaluated_cell(&self, table: TableId, row: RowId, column: usize) -> Option<Val> {
        let info = &self.tables[table];
        let index = row.index() * info.width() + column;
        let cell = &info.cells[index];
        if let Some(amount) = cell.amount() {
            return Some(info.number(table, index, column, amount));
        }
        match cell.evaluation() {
            Evaluation::Kept(amount) => Some(Val::known(amount, info.column_units[column].clone())),
            Evaluation::Stored(done) => self.eval.values[done].as_ref().ok().cloned(),
            Evaluation::Todo | Evaluation::Busy => None,
        }
    }

    fn compute_cell(&mut self, table: TableId, row: RowId, column: usize) -> Checked<Val> {
        let info = &self.tables[table];
        let index = row.index() * info.width() + column;
        let cell = info.cells[index];
        // The formulas that derive the cell: its row's first.
        let formulas = match (
            &info.row_formulas[row.index()],
            &info.column_formulas[column],
        ) {
            (Some(row), column) => Some((
                (Formula::Row, row.clone()),
                column.clone().map(|column| (Formula::Column, column)),
            )),
            (None, Some(column)) => Some(((Formula::Column, column.clone()), None)),
            (None, None) => None,
        };
        match (cell.state, formulas) {
            (CellState::Number, _) => {
                Ok(info.number(table, index, column, cell.amount().unwrap_or_default()))
            }
            (CellState::Poisoned, _) => Err(Poisoned::broken()),
            (CellState::Blank, None) => {
                Ok(Val::known(Decimal::ZERO, info.column_units[column].clone()))
            }
            (CellState::Unknown, None) => Ok(Val {
                unit: info.column_units[column].clone(),
                amount: Amount::Unknown(info.cell_span(index)),
                origin: Origin::Computed,
            }),
            (CellState::Auto, None) => Err(self.auto_without_formula(table, row, column)),
            (_, Some((first, second))) => self.derive(table, row, column, first, second),
        }
    }

    /// Where the definition of a frame is written.
    fn definition_span(&self, frame: Frame) -> Span {
        match (frame.definition, frame.node) {
            (Definition::At(span), _) => span,
            (Definition::Formula(formula), Node::Cell(table, index)) => {
                let (row, column) = self.tables[table].cell_at(index);
                self.formula_span(table, row, column, formula)
            }
            (Definition::Formula(_), Node::Let(_)) => Span::default(),
        }
    }

    /// The name of a let or a cell, as a user writes it.
    fn node_name(&self, node: Node) -> String {
        match node {
            Node::Let(index) => self.lets[index].ast.name.value.to_string(),
            Node::Cell(table, index) => {
                let (row, column) = self.tables[table].cell_at(index);
                self.tables[table].cell_name(row, column)
            }
        }
    }

    /// E0205, once per cycle, on the member that comes first in the source.
    fn cycle(&mut self, node: Node) -> Checked<Val> {
        let start = self
            .eval
            .stack
            .iter()
            .position(|frame| frame.node == node)
            .unwrap_or(0);
        let members: Vec<(Node, Span)> = self.eval.stack[start..]
            .iter()
            .map(|frame| (frame.node, self.definition_span(*frame)))
            .collect();
        let mut key: Vec<Span> = members.iter().map(|&(_, definition)| definition).collect();
        key.sort();
        key.dedup();
        if let Some(&poisoned) = self.eval.cycles.get(&key) {
            return Err(poisoned);
        }
        {
            let mut path: Vec<String> = members
                .iter()
                .map(|&(node, _)| format!("`{}`", self.node_name(node)))
                .collect();
            if let Some(first) = path.first().cloned() {
                path.push(first);
            }
            let mut ordered = members.clone();
            ordered.sort_by_key(|&(_, definition)| definition);
            let mut diagnostic = Diagnostic::new(
                Code::Cycle,
                tr!("cycle among definitions: {path}", path = path.join(" → ")),
            );
            for (index, &(node, definition)) in ordered.iter().enumerate() {
                let label = tr!("`{name}` is part of the cycle", name = self.node_name(node));
                diagnostic = if index == 0 {
                    diagnostic.primary(definition, label)
                } else {
                    diagnostic.secondary(definition, label)
                };
            }
            let poisoned = self.report(diagnostic.help(tr!(
                "a value cannot depend on itself; break the cycle by stating one of the values"
            )));
            self.eval.cycles.insert(key, poisoned);
            Err(poisoned)
        }
    }

    /// The row and column a cell reference names in `env` (`None` where a
    /// current row or column is wanted and there is none).
    #[inline]
    pub(super) fn cell_at(
        &self,
        table: TableId,
        row: &Sel<RowId>,
        column: &Sel<u32>,
        env: Env,
    ) -> (Option<RowId>, Option<usize>) {
        let row = match row {
            Sel::Current => env.row,
            Sel::Leaf(row) => Some(*row),
        };
        let column = match column {
            Sel::Current => self.current_column(table, env),
            Sel::Leaf(column) => Some(*column as usize),
        };
        (row, column)
    }

    #[inline]
    pub(super) fn current_column(&self, table: TableId, env: Env) -> Option<usize> {
        let (home, column) = env.column?;
        if home == table {
            return Some(column);
        }
        let path = &self.tables[home].column_paths()[column];
        self.tables[table].column_at(path)
    }

    pub(super) fn eval(&mut self, expr: &RExpr, env: Env) -> Checked<Val> {
        match expr {
            RExpr::Literal(value, _) => Ok((**value).clone()),
            RExpr::Poisoned(poisoned) => Err(*poisoned),
            RExpr::Let { index, .. } => self.let_value(*index),
            RExpr::Cell {
                table,
                row,
                column,
                span,
            } => match self.cell_at(*table, row, column, env) {
                (Some(row), Some(column)) => self.cell_value(*table, row, column),
                _ => Err(self.no_current_column(*table, env, *span)),
            },
            RExpr::Neg { operand, .. } => {
                let mut value = self.eval(operand, env)?;
                if let Amount::Known(amount) = &mut value.amount {
                    *amount = -*amount;
                }
                value.computed();
                Ok(value)
            }
            RExpr::Chain(chain) => {
                if let Some(total) = self.chain_at_hand(chain, env) {
                    return Ok(total);
                }
                let mut acc = self.eval(&chain.first, env)?;
                let mut acc_span = chain.first.span();
                for (op, operand) in &chain.rest {
                    if self.add_at_once(&mut acc, op.value, operand, env) {
                        acc_span = acc_span.to(operand.span());
                        continue;
                    }
                    let rhs = self.eval(operand, env)?;
                    acc = self.binary(acc, *op, rhs, acc_span, operand.span())?;
                    acc_span = acc_span.to(operand.span());
                }
                Ok(acc)
            }
            RExpr::Sum { args, table, span } => {
                if let Some(total) = self.sum_at_hand(args, env) {
                    return Ok(total);
                }
                let table = table.get();
                let Some((first, rest)) = args.split_first() else {
                    let unit = table
                        .and_then(|table| {
                            let column = self.current_column(table, env)?;
                            Some(self.tables[table].column_units[column].clone())
                        })
                        .or_else(|| table.map(|table| self.tables[table].unit.clone()))
                        .unwrap_or_else(Unit::none);
                    return Ok(Val::known(Decimal::ZERO, unit));
                };
                let mut acc = self.eval(first, env)?;
                let op = Spanned::new(ast::BinOp::Add, *span);
                for arg in rest {
                    if self.add_at_once(&mut acc, ast::BinOp::Add, arg, env) {
                        continue;
                    }
                    let rhs = self.eval(arg, env)?;
                    acc = self.binary(acc, op, rhs, first.span(), arg.span())?;
                }
                acc.computed();
                Ok(acc)
            }
        }
    }

    /// Adds (or subtracts) `operand` to `acc` when it is a cell whose exact
    /// value is at hand in `acc`'s very unit and nothing is pending: what
    /// [`Checker::binary`] would make of them, without evaluating the cell
    /// into a value of its own. `false` (and `acc` as it was) otherwise.
    #[inline]
    fn add_at_once(&self, acc: &mut Val, op: ast::BinOp, operand: &RExpr, env: Env) -> bool {
        if !matches!(op, ast::BinOp::Add | ast::BinOp::Sub) {
            return false;
        }
        match self.amount_at_hand(operand, env, &acc.unit) {
            Some(b) => add_exactly(acc, op, b),
            None => false,
        }
    }

    /// A sum of cells whose exact values are all at hand in one unit, none
    /// overflowing: what the general case makes of it (in the first one's
    /// unit), without a value per cell. `None` otherwise, for the general
    /// case to evaluate (and report).
    fn sum_at_hand(&self, args: &[RExpr], env: Env) -> Option<Val> {
        let (total, unit) = self.total_at_hand(args, env)?;
        Some(Val::known(total, unit.clone()))
    }

    /// The total of [`Checker::sum_at_hand`] and its unit. A sum among the
    /// arguments (a group, as in `sum(办理)` or `sum(自然人, 法人或其他组织)`)
    /// is added as its own total, in the order and grouping the general
    /// case adds it, so that the result is the same to the last digit.
    fn total_at_hand(&self, args: &[RExpr], env: Env) -> Option<(Decimal, &Unit)> {
        let mut acc: Option<(Decimal, &Unit)> = None;
        for arg in args {
            let (amount, unit) = match arg {
                RExpr::Sum { args, .. } => self.total_at_hand(args, env)?,
                _ => self.cell_at_hand(arg, env)?,
            };
            acc = Some(match acc {
                None => (amount, unit),
                Some((total, first)) if unit.is(first) => (total.checked_add(amount)?, first),
                Some(_) => return None,
            });
        }
        acc
    }

    /// `a + b - c` of cells whose exact values are all at hand in one unit,
    /// as [`Checker::sum_at_hand`]; a chain of one operand is left to the
    /// general case (its value keeps its digits).
    fn chain_at_hand(&self, chain: &Chain, env: Env) -> Option<Val> {
        if chain.rest.is_empty() {
            return None;
        }
        let (mut total, unit) = self.cell_at_hand(&chain.first, env)?;
        for (op, operand) in &chain.rest {
            let (amount, other) = self.cell_at_hand(operand, env)?;
            if !other.is(unit) {
                return None;
            }
            total = match op.value {
                ast::BinOp::Add => total.checked_add(amount)?,
                ast::BinOp::Sub => total.checked_sub(amount)?,
                ast::BinOp::Mul | ast::BinOp::Div => return None,
            };
        }
        Some(Val::known(total, unit.clone()))
    }

    /// The exact amount of a single cell in `unit` itself, when it is known
    /// without evaluating anything: a stated number, or a derived cell
    /// that keeps its value.
    #[inline]
    fn amount_at_hand(&self, expr: &RExpr, env: Env, unit: &Unit) -> Option<Decimal> {
        let (amount, own) = self.cell_at_hand(expr, env)?;
        own.is(unit).then_some(amount)
    }

    /// The exact amount of a single cell and its unit, when they are known
    /// without evaluating anything (as [`Checker::amount_at_hand`]).
    #[inline(always)]
    fn cell_at_hand(&self, expr: &RExpr, env: Env) -> Option<(Decimal, &Unit)> {
        let RExpr::Cell {
            table, row, column, ..
        } = expr
        else {
            return None;
        };
        let (Some(row), Some(column)) = self.cell_at(*table, row, column, env) else {
            return None;
        };
        let info = &self.tables[*table];
        let index = row.index() * info.width() + column;
        let cell = info.cells.get(index)?;
        if let Some(amount) = cell.amount() {
            return Some((amount, info.number_unit(index, column)));
        }
        match cell.evaluation() {
            Evaluation::Kept(amount) => Some((amount, &info.column_units[column])),
            Evaluation::Todo | Evaluation::Busy | Evaluation::Stored(_) => None,
        }
    }

    /// Reports a pending fractional count (E0302) and clears it.
    #[inline]
    pub(super) fn settle(&mut self, value: Val) -> Val {
        // Called for every operand: most are no pending fraction.
        match value.fraction() {
            None => value,
            Some(span) => self.settle_fraction(value, span),
        }
    }

    #[cold]
    fn settle_fraction(&mut self, mut value: Val, span: Span) -> Val {
        value.origin = Origin::Computed;
        let shown = self.show_with_unit(&value);
        let _reported = self.report_once(
            Diagnostic::new(
                Code::FractionalCount,
                tr!(
                    "this gives {shown}, but a count must be a whole number",
                    shown = shown
                ),
            )
            .primary(span, tr!("gives {shown}", shown = shown))
            .help(tr!(
                "divide two counts to get a ratio, or multiply by a whole number"
            )),
        );
        value
    }

    /// Reports `diagnostic` unless one of its code was reported at its
    /// place already; poisons what it is about either way.
    pub(super) fn report_once(&mut self, diagnostic: Diagnostic) -> Poisoned {
        let key = (diagnostic.code, diagnostic.span().unwrap_or_default());
        if let Some(&poisoned) = self.eval.once.get(&key) {
            return poisoned;
        }
        let poisoned = self.report(diagnostic);
        self.eval.once.insert(key, poisoned);
        poisoned
    }

    /// E0203 for a whole row of a table that lacks the column being
    /// computed: a row formula of one table that uses a whole row of
    /// another with other columns. (Checks compare their tables' columns
    /// first, and a column formula always has its row.)
    fn no_current_column(&mut self, table: TableId, env: Env, span: Span) -> Poisoned {
        let column = env
            .column
            .map(|(home, column)| self.tables[home].column_paths()[column].to_string())
            .unwrap_or_default();
        let message = tr!(
            "table `{value}` has no column `{names}`",
            value = self.tables[table].name(),
            names = column
        );
        self.report_once(
            Diagnostic::new(Code::UnknownColumn, message).primary(span, tr!("unknown column")),
        )
    }

    fn binary(
        &mut self,
        mut lhs: Val,
        op: Spanned<ast::BinOp>,
        rhs: Val,
        lhs_span: Span,
        rhs_span: Span,
    ) -> Checked<Val> {
        // Most operations of a report: two known amounts of the very same
        // unit added or subtracted, no fraction pending.
        if let (Amount::Known(b), None) = (rhs.amount, rhs.fraction())
            && lhs.unit.is(&rhs.unit)
            && add_exactly(&mut lhs, op.value, b)
        {
            return Ok(lhs);
        }
        let is_ratio = op.value == ast::BinOp::Div
            && !lhs.unit.is_dimensionless()
            && lhs.unit.compatible(&rhs.unit);
        let lhs = if is_ratio { lhs } else { self.settle(lhs) };
        let rhs = self.settle(rhs);
        let unit = match op.value {
            ast::BinOp::Add | ast::BinOp::Sub => units::add(&lhs.unit, &rhs.unit),
            ast::BinOp::Mul => units::mul(&lhs.unit, &rhs.unit),
            ast::BinOp::Div => units::div(&lhs.unit, &rhs.unit),
        };
        let unit = match unit {
            Ok(unit) => unit,
            Err(error) => {
                return Err(self.unit_mismatch(op, &lhs, &rhs, lhs_span, rhs_span, error));
            }
        };
        let amount = match (lhs.amount, rhs.amount) {
            (Amount::Unknown(span), _) | (_, Amount::Unknown(span)) => Amount::Unknown(span),
            (Amount::Known(a), Amount::Known(b)) => {
                let result = match op.value {
                    ast::BinOp::Add => a.checked_add(b),
                    ast::BinOp::Sub => a.checked_sub(b),
                    ast::BinOp::Mul => units::exact_mul(a, b),
                    ast::BinOp::Div if b.is_zero() => {
                        return Err(self.report_once(
                            Diagnostic::new(Code::OutOfRange, tr!("division by zero"))
                                .primary(op.span, tr!("divides by zero"))
                                .secondary(rhs_span, tr!("this is 0")),
                        ));
                    }
                    ast::BinOp::Div => a.checked_div(b),
                };
                match result {
                    Some(result) => Amount::Known(result),
                    None => {
                        return Err(self.report_once(
                            Diagnostic::new(Code::OutOfRange, tr!("arithmetic overflow"))
                                .primary(op.span, tr!("the result is out of range"))
                                .note(tr!(
                                    "gdr keeps numbers exactly, up to 79228162514264337593543950335"
                                )),
                        ));
                    }
                }
            }
        };
        let fraction = match amount {
            Amount::Known(value)
                if unit.is_count()
                    && !value.is_integer()
                    && matches!(op.value, ast::BinOp::Mul | ast::BinOp::Div) =>
            {
                Some(op.span)
            }
            _ => lhs.fraction().or(rhs.fraction()),
        };
        Ok(Val {
            unit,
            amount,
            origin: fraction.map_or(Origin::Computed, Origin::Fraction),
        })
    }

    fn unit_mismatch(
        &mut self,
        op: Spanned<ast::BinOp>,
        lhs: &Val,
        rhs: &Val,
        lhs_span: Span,
        rhs_span: Span,
        error: UnitError,
    ) -> Poisoned {
        let (left, right) = (lhs.unit.describe(), rhs.unit.describe());
        let message = match (op.value, error) {
            (ast::BinOp::Add, _) => {
                tr!("cannot add {left} and {right}", left = left, right = right)
            }
            (ast::BinOp::Sub, _) => tr!(
                "cannot subtract {right} from {left}",
                left = left,
                right = right
            ),
            (ast::BinOp::Mul, _) => tr!(
                "cannot multiply {left} by {right}: one side must be a plain number",
                left = left,
                right = right
            ),
            (ast::BinOp::Div, UnitError::NotDimensionless) => tr!(
                "cannot divide {left} by {right}: one side must be a plain number",
                left = left,
                right = right
            ),
            (ast::BinOp::Div, UnitError::Mismatch) => {
                tr!(
                    "cannot divide {left} by {right}",
                    left = left,
                    right = right
                )
            }
        };
        let mut diagnostic = Diagnostic::new(Code::MismatchedUnits, message)
            .primary(op.span, tr!("the units do not combine here"))
            .secondary(lhs_span, lhs.unit.describe())
            .secondary(rhs_span, rhs.unit.describe());
        diagnostic = self.add_unit_help(diagnostic, lhs, rhs);
        self.report_once(diagnostic)
    }

    /// A value for messages: the number, with its unit unless it is a count
    /// in its own unit (`45.9万人次` keeps its `万人次`).
    pub(super) fn show(&self, value: &Val) -> String {
        let number = self.number_text(value);
        if (value.unit.is_count() && !value.unit.is_derived_count()) || value.unit.name.is_empty() {
            number
        } else {
            format!("{number}{}", value.unit.name)
        }
    }

    pub(super) fn show_with_unit(&self, value: &Val) -> String {
        format!("{}{}", self.number_text(value), value.unit.name)
    }

    /// The number of a value in its own unit: as written where it was
    /// stated, else exact without trailing zeros.
    pub(super) fn number_text(&self, value: &Val) -> String {
        if let Some(written) = self.written(value) {
            return written.to_string();
        }
        number_in_unit(value)
            .map(|number| number.normalize().to_string())
            .unwrap_or_default()
    }

    /// The help to add the unit to a bare number that meets a quantity.
    pub(super) fn add_unit_help(&self, diagnostic: Diagnostic, lhs: &Val, rhs: &Val) -> Diagnostic {
        let bare = |value: &Val| value.unit.name.is_empty() && self.written(value).is_some();
        let (bare_side, other) = if bare(lhs) && !rhs.unit.name.is_empty() {
            (lhs, rhs)
        } else if bare(rhs) && !lhs.unit.name.is_empty() {
            (rhs, lhs)
        } else {
            return diagnostic;
        };
        let number = self.written(bare_side).unwrap_or_default().into_owned();
        diagnostic.help(tr!(
            "add the unit: `{number} {value}`",
            number = number,
            value = other.unit.name
        ))
    }
}

/// Adds (or subtracts) the exact amount `b`, in `acc`'s very unit with no
/// fraction pending, to `acc` when it is known with none pending: what
/// `Checker::binary` makes of them. `false` (and `acc` as it was)
/// otherwise, an overflow among them, for the general case to report.
#[inline]
fn add_exactly(acc: &mut Val, op: ast::BinOp, b: Decimal) -> bool {
    let (Amount::Known(a), None) = (acc.amount, acc.fraction()) else {
        return false;
    };
    let result = match op {
        ast::BinOp::Add => a.checked_add(b),
        ast::BinOp::Sub => a.checked_sub(b),
        ast::BinOp::Mul | ast::BinOp::Div => None,
    };
    let Some(result) = result else {
        return false;
    };
    acc.amount = Amount::Known(result);
    acc.origin = Origin::Computed;
    true
}

/// The number of a value in its own unit, exactly (or to 28 decimals where
/// the unit's factor does not divide it), whatever was written.
fn number_in_unit(value: &Val) -> Option<Decimal> {
    match value.amount {
        Amount::Known(amount) => Some(
            value
                .unit
                .in_this_unit(amount)
                .unwrap_or_else(|| amount.checked_div(value.unit.factor).unwrap_or(amount)),
        ),
        Amount::Unknown(_) => None,
    }
}

/// The number of a value in its own unit rounded half away from zero to
/// exactly `decimals` decimals (`:2`, `:num2`): 123.45675 → "123.46".
pub(crate) fn rounded_text(value: &Val, decimals: u32) -> String {
    let Some(number) = number_in_unit(value) else {
        return String::new();
    };
    let mut rounded =
        number.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(decimals);
    if rounded.is_zero() {
        // -0.001 rounds to 0.00, not -0.00.
        rounded.set_sign_positive(true);
    }
    rounded.to_string()
}

/// A ratio as a percentage with `decimals` decimals, rounded half away
/// from zero: `0.04345` → "4.35%" (`:%2`).
pub(crate) fn percent_text(ratio: Decimal, decimals: u32) -> Option<String> {
    let mut rounded = ratio
        .checked_mul(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(decimals);
    Some(format!("{rounded}%"))
}
