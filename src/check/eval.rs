//! Evaluation: lets and cells computed lazily and memoised, with cycle
//! detection; formulas compared with stated cells; checks; interpolations;
//! the "one cell explains several failures" hint.

use crate::tr;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rust_decimal::{Decimal, RoundingStrategy};

use super::resolve::{RExpr, Scope, Sel};
use super::table::Stated;
use super::units::{self, Unit, UnitError};
use super::{Amount, Checked, Checker, ParagraphSite, Poisoned, Val};
use crate::diagnostics::{Arg, Code, Diagnostic, Severity, Text};
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
enum Node {
    Let(usize),
    /// Table and row-major cell index.
    Cell(usize, usize),
}

/// A definition being evaluated, for reporting cycles.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: Node,
    definition: Span,
}

/// Which formula derives a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Formula {
    Row,
    Column,
}

/// An equality that was evaluated, kept for the single-cell hint.
#[derive(Debug, Clone)]
struct Comparison {
    /// The diagnostic it produced, when it failed.
    diagnostic: Option<usize>,
    /// `lhs - rhs`, in base units.
    difference: Decimal,
    tolerance: Decimal,
    /// Stated cells and their coefficients in `lhs - rhs`; filled in by
    /// `explain_failures`, and only once some comparison failed.
    terms: Vec<((usize, usize), Decimal)>,
    /// What it is, named only if a hint mentions it.
    what: What,
    /// For a formula: the cell it derives, and the note that says so.
    contradicted: Option<((usize, usize), Text)>,
    /// For a formula: what it derives, in base units.
    derived: Option<Decimal>,
    /// The stated value of each cell in `terms`, in base units; filled in
    /// with `terms`.
    stated: Vec<((usize, usize), Decimal)>,
}

/// An equality that a hint may name ("the check on line 88", "the formula
/// on line 80"), with what it takes to find its terms again.
#[derive(Debug, Clone)]
enum What {
    /// The row and the column formula that both derive a cell.
    Meeting {
        table: usize,
        row: usize,
        column: usize,
    },
    /// A formula that derives a stated cell.
    Formula {
        table: usize,
        row: usize,
        column: usize,
        formula: Formula,
    },
    /// A check or an expect; row-wise, in a column (table and leaf). The
    /// two sides of an `==`, whose terms a hint may move.
    Check {
        severity: ast::CheckSeverity,
        span: Span,
        column: Option<(usize, usize)>,
        sides: Option<(Rc<RExpr>, Rc<RExpr>)>,
    },
}

/// Where an evaluation stands: the column of a row-wise computation (as
/// table and leaf) and the row of a column formula.
#[derive(Debug, Clone, Copy, Default)]
struct Env {
    column: Option<(usize, usize)>,
    row: Option<usize>,
}

#[derive(Default)]
pub(crate) struct EvalState {
    lets: Vec<Memo>,
    cells: Vec<Vec<Memo>>,
    stack: Vec<Frame>,
    cycles: HashSet<Vec<Span>>,
    once: HashSet<(Code, Span)>,
    comparisons: Vec<Comparison>,
    pub check_results: Vec<model::CheckResult>,
}

impl<'a> Checker<'a> {
    pub(super) fn evaluate_all(&mut self) {
        self.eval.lets = vec![Memo::Todo; self.lets.len()];
        self.eval.cells = self
            .tables
            .iter()
            .map(|table| vec![Memo::Todo; table.cells.len()])
            .collect();
        for index in 0..self.lets.len() {
            let _ = self.let_value(index);
        }
        for table in 0..self.tables.len() {
            self.verify_cells(table);
        }
        for index in 0..self.checks.len() {
            self.evaluate_check(index);
        }
        self.explain_failures();
    }

    // ------------------------------------------------------------ values

    fn let_value(&mut self, index: usize) -> Checked<Val> {
        match &self.eval.lets[index] {
            Memo::Done(value) => return value.clone(),
            Memo::Busy => return self.cycle(Node::Let(index)),
            Memo::Todo => {}
        }
        self.eval.lets[index] = Memo::Busy;
        let ast = self.lets[index].ast;
        let expr = self.lets[index].expr.clone();
        self.eval.stack.push(Frame {
            node: Node::Let(index),
            definition: ast.name.span,
        });
        let result = match expr {
            Some(expr) => stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
                self.eval(&expr, Env::default())
            })
            .map(|value| self.settle(value)),
            None => Err(Poisoned),
        };
        self.eval.stack.pop();
        self.eval.lets[index] = Memo::Done(result.clone());
        result
    }

    fn cell_value(&mut self, table: usize, row: usize, column: usize) -> Checked<Val> {
        let index = row * self.tables[table].width() + column;
        match self.eval.cells[table].get(index) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::Busy) => return self.cycle(Node::Cell(table, index)),
            Some(Memo::Todo) => {}
            None => return Err(Poisoned),
        }
        self.eval.cells[table][index] = Memo::Busy;
        let result = stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || {
            self.compute_cell(table, row, column)
        });
        self.eval.cells[table][index] = Memo::Done(result.clone());
        result
    }

    fn compute_cell(&mut self, table: usize, row: usize, column: usize) -> Checked<Val> {
        let info = &self.tables[table];
        let cell = &info.cells[row * info.width() + column];
        let derived = info.row_formulas[row].is_some() || info.column_formulas[column].is_some();
        let unit = info.column_units[column].clone();
        match (&cell.stated, derived) {
            (Stated::Number(value), _) => Ok(value.clone()),
            (Stated::Poisoned, _) => Err(Poisoned),
            (Stated::Blank, false) => Ok(Val::known(Decimal::ZERO, unit)),
            (Stated::Unknown, false) => Ok(Val {
                unit,
                amount: Amount::Unknown(cell.span),
                written: None,
                fraction: None,
            }),
            (Stated::Auto | Stated::Absent, false) => Err(Poisoned),
            (_, true) => self.derive(table, row, column),
        }
    }

    /// The common value of the formulas that cover a cell that is not
    /// stated; E0402 when they disagree.
    fn derive(&mut self, table: usize, row: usize, column: usize) -> Checked<Val> {
        let mut values: Vec<(Formula, Val)> = Vec::new();
        let mut poisoned = false;
        for formula in self.formulas_of(table, row, column) {
            match self.formula_value(table, row, column, formula) {
                Ok(value) => values.push((formula, value)),
                Err(_) => poisoned = true,
            }
        }
        if let [(_, first), (_, second)] = values.as_slice()
            && let (Amount::Known(a), Amount::Known(b)) = (first.amount, second.amount)
        {
            // The two formulas form an equality of their own, for the hint.
            self.eval.comparisons.push(Comparison {
                diagnostic: (a != b).then_some(self.diagnostics.len()),
                difference: a.checked_sub(b).unwrap_or(Decimal::MAX),
                tolerance: Decimal::ZERO,
                terms: Vec::new(),
                what: What::Meeting { table, row, column },
                contradicted: None,
                derived: None,
                stated: Vec::new(),
            });
        }
        if let [(_, first), (_, second)] = values.as_slice()
            && let (Amount::Known(a), Amount::Known(b)) = (first.amount, second.amount)
            && a != b
        {
            let info = &self.tables[table];
            let cell_span = info.cells[row * info.width() + column].span;
            let row_span = self.formula_span(table, row, column, Formula::Row);
            let column_span = self.formula_span(table, row, column, Formula::Column);
            let (first_text, second_text) = (self.show(first), self.show(second));
            let name = info.cell_name(row, column);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ContradictedCell,
                    tr!("the formulas that derive `{name}` disagree: {first_text} and {second_text}", name = name, first_text = first_text, second_text = second_text),
                )
                .primary(
                    cell_span,
                    tr!("derived as {first_text} by its row, {second_text} by its column", first_text = first_text, second_text = second_text),
                )
                .secondary(row_span, tr!("the row formula gives {first_text}", first_text = first_text))
                .secondary(
                    column_span,
                    tr!("the column formula gives {second_text}", second_text = second_text),
                )
                .note(tr!("a cell covered by a row formula and a column formula must satisfy both")),
            );
        }
        match values.into_iter().next() {
            Some((_, value)) if !poisoned => Ok(value),
            _ => Err(Poisoned),
        }
    }

    fn formulas_of(&self, table: usize, row: usize, column: usize) -> Vec<Formula> {
        let info = &self.tables[table];
        let mut formulas = Vec::new();
        if info.row_formulas[row].is_some() {
            formulas.push(Formula::Row);
        }
        if info.column_formulas[column].is_some() {
            formulas.push(Formula::Column);
        }
        formulas
    }

    fn formula_span(&self, table: usize, row: usize, column: usize, formula: Formula) -> Span {
        let info = &self.tables[table];
        match formula {
            Formula::Row => info.rows.nodes[info.rows.leaves[row]].formula,
            Formula::Column => info.columns.nodes[info.columns.leaves[column]].formula,
        }
        .unwrap_or_default()
    }

    /// A formula of a cell, and where it is evaluated.
    fn formula_of(
        &self,
        table: usize,
        row: usize,
        column: usize,
        formula: Formula,
    ) -> (Option<Rc<RExpr>>, Env) {
        let info = &self.tables[table];
        match formula {
            Formula::Row => (
                info.row_formulas[row].clone(),
                Env {
                    column: Some((table, column)),
                    row: None,
                },
            ),
            Formula::Column => (
                info.column_formulas[column].clone(),
                Env {
                    column: None,
                    row: Some(row),
                },
            ),
        }
    }

    /// The stated cells of a cell's formula with `sign`, as in
    /// [`Checker::linear_terms`].
    fn formula_terms(
        &self,
        table: usize,
        row: usize,
        column: usize,
        formula: Formula,
        sign: Decimal,
        out: &mut Vec<((usize, usize), Decimal)>,
    ) -> bool {
        let (expr, env) = self.formula_of(table, row, column, formula);
        expr.is_some_and(|expr| self.linear_terms(&expr, env, sign, out))
    }

    /// One formula's value for one cell, in the column's unit.
    fn formula_value(
        &mut self,
        table: usize,
        row: usize,
        column: usize,
        formula: Formula,
    ) -> Checked<Val> {
        let (expr, env) = self.formula_of(table, row, column, formula);
        let info = &self.tables[table];
        let Some(expr) = expr else {
            return Err(Poisoned);
        };
        let column_unit = info.column_units[column].clone();
        let definition = self.formula_span(table, row, column, formula);
        self.eval.stack.push(Frame {
            node: Node::Cell(table, row * info.width() + column),
            definition,
        });
        let value = self.eval(&expr, env);
        self.eval.stack.pop();
        let mut value = self.settle(value?);
        if !value.unit.compatible(&column_unit) {
            let message = tr!(
                "this formula gives {unit}, but its column holds {column_unit}",
                unit = value.unit.describe(),
                column_unit = column_unit.describe()
            );
            self.report_once(
                Diagnostic::new(Code::MismatchedUnits, message)
                    .primary(definition, tr!("in this formula")),
            );
            return Err(Poisoned);
        }
        value.unit = column_unit;
        value.written = None;
        Ok(value)
    }

    /// The name of a let or a cell, as a user writes it.
    fn node_name(&self, node: Node) -> String {
        match node {
            Node::Let(index) => self.lets[index].ast.name.value.clone(),
            Node::Cell(table, index) => {
                let width = self.tables[table].width();
                self.tables[table].cell_name(index / width, index % width)
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
        let members: Vec<Frame> = self.eval.stack[start..].to_vec();
        let mut key: Vec<Span> = members.iter().map(|frame| frame.definition).collect();
        key.sort();
        key.dedup();
        if self.eval.cycles.insert(key) {
            let mut path: Vec<String> = members
                .iter()
                .map(|frame| format!("`{}`", self.node_name(frame.node)))
                .collect();
            if let Some(first) = path.first().cloned() {
                path.push(first);
            }
            let mut ordered = members.clone();
            ordered.sort_by_key(|frame| frame.definition);
            let mut diagnostic = Diagnostic::new(
                Code::Cycle,
                tr!("cycle among definitions: {path}", path = path.join(" → ")),
            );
            for (index, frame) in ordered.iter().enumerate() {
                let label = tr!(
                    "`{name}` is part of the cycle",
                    name = self.node_name(frame.node)
                );
                diagnostic = if index == 0 {
                    diagnostic.primary(frame.definition, label)
                } else {
                    diagnostic.secondary(frame.definition, label)
                };
            }
            self.diagnostics.push(diagnostic.help(tr!(
                "a value cannot depend on itself; break the cycle by stating one of the values"
            )));
        }
        Err(Poisoned)
    }

    fn current_column(&self, table: usize, env: Env) -> Option<usize> {
        let (home, column) = env.column?;
        if home == table {
            return Some(column);
        }
        let path = &self.tables[home].column_paths[column];
        self.tables[table].column_by_path.get(path).copied()
    }

    fn eval(&mut self, expr: &RExpr, env: Env) -> Checked<Val> {
        match expr {
            RExpr::Literal(value, _) => Ok(value.clone()),
            RExpr::Poisoned => Err(Poisoned),
            RExpr::Let { index, .. } => self.let_value(*index),
            RExpr::Cell {
                table, row, column, ..
            } => {
                let row = match row {
                    Sel::Current => env.row.ok_or(Poisoned)?,
                    Sel::Leaf(row) => *row,
                };
                let column = match column {
                    Sel::Current => self.current_column(*table, env).ok_or(Poisoned)?,
                    Sel::Leaf(column) => *column,
                };
                self.cell_value(*table, row, column)
            }
            RExpr::Neg { operand, .. } => {
                let mut value = self.eval(operand, env)?;
                if let Amount::Known(amount) = &mut value.amount {
                    *amount = -*amount;
                }
                value.written = None;
                Ok(value)
            }
            RExpr::Chain { first, rest, .. } => {
                let mut acc = self.eval(first, env)?;
                let mut acc_span = first.span();
                for (op, operand) in rest {
                    let rhs = self.eval(operand, env)?;
                    acc = self.binary(acc, *op, rhs, acc_span, operand.span())?;
                    acc_span = acc_span.to(operand.span());
                }
                Ok(acc)
            }
            RExpr::Sum { args, table, span } => {
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
                    let rhs = self.eval(arg, env)?;
                    acc = self.binary(acc, op, rhs, first.span(), arg.span())?;
                }
                acc.written = None;
                Ok(acc)
            }
        }
    }

    /// Reports a pending fractional count (E0302) and clears it.
    fn settle(&mut self, mut value: Val) -> Val {
        if let Some(span) = value.fraction.take() {
            let shown = self.show_with_unit(&value);
            self.report_once(
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
        }
        value
    }

    fn report_once(&mut self, diagnostic: Diagnostic) {
        let key = (diagnostic.code, diagnostic.span().unwrap_or_default());
        if self.eval.once.insert(key) {
            self.diagnostics.push(diagnostic);
        }
    }

    fn binary(
        &mut self,
        lhs: Val,
        op: Spanned<ast::BinOp>,
        rhs: Val,
        lhs_span: Span,
        rhs_span: Span,
    ) -> Checked<Val> {
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
                self.unit_mismatch(op, &lhs, &rhs, lhs_span, rhs_span, error);
                return Err(Poisoned);
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
                        self.report_once(
                            Diagnostic::new(Code::OutOfRange, tr!("division by zero"))
                                .primary(op.span, tr!("divides by zero"))
                                .secondary(rhs_span, tr!("this is 0")),
                        );
                        return Err(Poisoned);
                    }
                    ast::BinOp::Div => a.checked_div(b),
                };
                match result {
                    Some(result) => Amount::Known(result),
                    None => {
                        self.report_once(
                            Diagnostic::new(Code::OutOfRange, tr!("arithmetic overflow"))
                                .primary(op.span, tr!("the result is out of range"))
                                .note(tr!(
                                    "gdr keeps numbers exactly, up to 79228162514264337593543950335"
                                )),
                        );
                        return Err(Poisoned);
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
            _ => lhs.fraction.or(rhs.fraction),
        };
        Ok(Val {
            unit,
            amount,
            written: None,
            fraction,
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
    ) {
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
        diagnostic = add_unit_help(diagnostic, lhs, rhs);
        self.report_once(diagnostic);
    }

    // ------------------------------------------------------------ cells

    fn verify_cells(&mut self, table: usize) {
        let width = self.tables[table].width();
        let height = self.tables[table].rows.leaves.len();
        for row in 0..height {
            for column in 0..width {
                self.verify_cell(table, row, column);
            }
        }
    }

    fn verify_cell(&mut self, table: usize, row: usize, column: usize) {
        let index = row * self.tables[table].width() + column;
        let formulas = self.formulas_of(table, row, column);
        let cell = &self.tables[table].cells[index];
        let span = cell.span;
        match (cell.stated.clone(), formulas.is_empty()) {
            (Stated::Auto, true) => {
                let name = self.tables[table].cell_name(row, column);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::AutoWithoutFormula,
                        tr!(
                            "`auto` in `{name}`, but no formula derives this cell",
                            name = name
                        ),
                    )
                    .primary(span, tr!("nothing derives this cell"))
                    .help(tr!(
                        "state the number, or give the row or the column a formula `= …`"
                    )),
                );
            }
            (Stated::Number(stated), false) => {
                for formula in formulas {
                    self.compare_with_formula(table, row, column, &stated, formula);
                }
            }
            (Stated::Blank, false) => {
                if let Ok(value) = self.cell_value(table, row, column)
                    && let Amount::Known(amount) = value.amount
                    && !amount.is_zero()
                {
                    let name = self.tables[table].cell_name(row, column);
                    let shown = self.show(&value);
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::BlankDerivedCell,
                            tr!(
                                "`{name}` is left blank, but its parts add up to {shown}",
                                name = name,
                                shown = shown
                            ),
                        )
                        .primary(span, tr!("blank, but derived as {shown}", shown = shown))
                        .help(tr!("write `auto` to show the derived value, or state it")),
                    );
                }
            }
            _ => {
                let _ = self.cell_value(table, row, column);
            }
        }
    }

    fn compare_with_formula(
        &mut self,
        table: usize,
        row: usize,
        column: usize,
        stated: &Val,
        formula: Formula,
    ) {
        let Ok(derived) = self.formula_value(table, row, column, formula) else {
            return;
        };
        let (Amount::Known(a), Amount::Known(b)) = (stated.amount, derived.amount) else {
            return;
        };
        let info = &self.tables[table];
        let width = info.width();
        let cell_span = info.cells[row * width + column].span;
        let definition = self.formula_span(table, row, column, formula);
        let holds = a == b;
        let mut comparison = Comparison {
            diagnostic: None,
            difference: a.checked_sub(b).unwrap_or(Decimal::MAX),
            tolerance: Decimal::ZERO,
            terms: Vec::new(),
            what: What::Formula {
                table,
                row,
                column,
                formula,
            },
            contradicted: None,
            derived: Some(b),
            stated: Vec::new(),
        };
        if !holds {
            let name = self.tables[table].cell_name(row, column);
            let shown_derived = self.show(&derived);
            let shown_stated = self.show(stated);
            let formula_text = self.sources.slice(definition).to_string();
            let parts = match formula {
                Formula::Row => tr!("its row formula"),
                Formula::Column => tr!("its column formula"),
            };
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ContradictedCell,
                    tr!(
                        "`{name}` is stated as {shown_stated}, but {parts} gives {shown_derived}",
                        name = name,
                        shown_stated = shown_stated,
                        parts = parts,
                        shown_derived = shown_derived
                    ),
                )
                .primary(
                    cell_span,
                    tr!("stated as {shown_stated}", shown_stated = shown_stated),
                )
                .secondary(
                    definition,
                    tr!(
                        "`{formula_text}` gives {shown_derived}",
                        formula_text = formula_text,
                        shown_derived = shown_derived
                    ),
                )
                .help(tr!(
                    "correct the number, or write `auto` to let gdr fill it in"
                )),
            );
            comparison.diagnostic = Some(self.diagnostics.len() - 1);
            comparison.contradicted = Some((
                (table, row * width + column),
                tr!(
                    "`{name}` is stated as {shown_stated} but {parts} gives {shown_derived} ({line})",
                    name = name,
                    shown_stated = shown_stated,
                    parts = parts,
                    shown_derived = shown_derived,
                    line = self.place(definition)
                ),
            ));
        }
        self.eval.comparisons.push(comparison);
    }

    /// Collects the stated cells of a linear expression with their
    /// coefficients, through the formulas of the derived (`auto` or
    /// formula-only) cells it names; false when the expression is not a
    /// plain sum.
    fn linear_terms(
        &self,
        expr: &RExpr,
        env: Env,
        sign: Decimal,
        out: &mut Vec<((usize, usize), Decimal)>,
    ) -> bool {
        let mut budget = MAX_EXPANSION;
        self.linear_terms_within(expr, env, sign, out, &mut budget)
    }

    fn linear_terms_within(
        &self,
        expr: &RExpr,
        env: Env,
        sign: Decimal,
        out: &mut Vec<((usize, usize), Decimal)>,
        budget: &mut usize,
    ) -> bool {
        let mut terms = |expr: &RExpr, env: Env, sign: Decimal| {
            self.linear_terms_within(expr, env, sign, out, budget)
        };
        match expr {
            RExpr::Literal(..) | RExpr::Let { .. } => true,
            RExpr::Poisoned => false,
            RExpr::Cell {
                table, row, column, ..
            } => {
                let row = match row {
                    Sel::Current => env.row,
                    Sel::Leaf(row) => Some(*row),
                };
                let column = match column {
                    Sel::Current => self.current_column(*table, env),
                    Sel::Leaf(column) => Some(*column),
                };
                let (Some(row), Some(column)) = (row, column) else {
                    return false;
                };
                let index = row * self.tables[*table].width() + column;
                match self.tables[*table].cells[index].stated {
                    Stated::Number(_) => out.push(((*table, index), sign)),
                    // A derived cell moves with the stated cells of the
                    // formula that derives it, within a budget of
                    // expansions (formulas may share cells, and chains may
                    // be long); beyond it the cell counts as a constant.
                    Stated::Auto | Stated::Absent if *budget > 0 => {
                        *budget -= 1;
                        let formula = self.formulas_of(*table, row, column).first().copied();
                        if let Some(formula) = formula
                            && let (Some(expr), env) = self.formula_of(*table, row, column, formula)
                        {
                            let mut expanded = Vec::new();
                            if self.linear_terms_within(&expr, env, sign, &mut expanded, budget) {
                                out.append(&mut expanded);
                            }
                        }
                    }
                    _ => {}
                }
                true
            }
            RExpr::Neg { operand, .. } => terms(operand, env, -sign),
            RExpr::Chain { first, rest, .. } => {
                if !terms(first, env, sign) {
                    return false;
                }
                rest.iter().all(|(op, operand)| match op.value {
                    ast::BinOp::Add => terms(operand, env, sign),
                    ast::BinOp::Sub => terms(operand, env, -sign),
                    _ => false,
                })
            }
            RExpr::Sum { args, .. } => args.iter().all(|arg| terms(arg, env, sign)),
        }
    }

    // ------------------------------------------------------------ checks

    fn evaluate_check(&mut self, index: usize) {
        let ast = self.checks[index].ast;
        let table = self.checks[index].table;
        let anchor = self.checks[index].anchor;
        let scope = match table {
            Some(table) => Scope::Rows {
                table,
                group: None,
                defining: None,
            },
            None => Scope::Global,
        };
        let lhs = Rc::new(self.resolve_used(&ast.lhs, scope));
        let rhs = Rc::new(self.resolve_used(&ast.rhs, scope));
        let tolerance = ast
            .within
            .as_ref()
            .map(|within| self.resolve_used(within, scope));
        let mut row_tables = Vec::new();
        lhs.row_tables(&mut row_tables);
        rhs.row_tables(&mut row_tables);
        if let Some(tolerance) = &tolerance {
            let mut tolerance_tables = Vec::new();
            tolerance.row_tables(&mut tolerance_tables);
            if !tolerance_tables.is_empty() {
                self.whole_row(ast.within.as_ref().unwrap_or(&ast.rhs), tr!("a tolerance"));
                return;
            }
        }
        let columns: Vec<Option<(usize, usize)>> = match row_tables.split_first() {
            None => vec![None],
            Some((&home, others)) => {
                if !self.same_columns(ast, home, others) {
                    return;
                }
                (0..self.tables[home].width())
                    .map(|column| Some((home, column)))
                    .collect()
            }
        };
        let kind = match ast.severity {
            ast::CheckSeverity::Check => "check",
            ast::CheckSeverity::Expect => "expect",
        };
        // The check as the model lists it, if the model is built.
        let mut result = self.wants.model.then(|| model::CheckResult {
            source: self
                .sources
                .slice(
                    ast.lhs
                        .span()
                        .to(ast.within.as_ref().map_or(ast.rhs.span(), ast::Expr::span)),
                )
                .to_string(),
            table: table.map(|table| self.tables[table].name().to_string()),
            kind: kind.to_string(),
            line: self.line(ast.span),
            results: Vec::new(),
        });
        let mut unknown: Vec<(String, Span)> = Vec::new();
        for column in columns {
            let env = Env { column, row: None };
            let column_name =
                column.map(|(table, column)| self.tables[table].column_paths[column].clone());
            let outcome = self.compare(
                self.checks[index],
                &lhs,
                &rhs,
                tolerance.as_ref(),
                env,
                column_name.as_deref(),
            );
            let (holds, lhs_text, rhs_text) = match outcome {
                Outcome::Poisoned => (None, None, None),
                Outcome::Unknown(span) => {
                    unknown.push((column_name.clone().unwrap_or_default(), span));
                    (None, None, None)
                }
                Outcome::Compared { holds, lhs, rhs } => (Some(holds), lhs, rhs),
            };
            if let Some(result) = &mut result {
                result.results.push(model::ColumnResult {
                    column: column_name,
                    lhs: lhs_text,
                    rhs: rhs_text,
                    holds,
                });
            }
        }
        if !unknown.is_empty() {
            let columns: Vec<String> = unknown
                .iter()
                .filter(|(c, _)| !c.is_empty())
                .map(|(c, _)| format!("`{c}`"))
                .collect();
            let columns = columns.join(", ");
            let message = match (columns.is_empty(), ast.severity) {
                (true, ast::CheckSeverity::Check) => {
                    tr!("check not evaluated: it meets an unknown value")
                }
                (true, ast::CheckSeverity::Expect) => {
                    tr!("expect not evaluated: it meets an unknown value")
                }
                (false, ast::CheckSeverity::Check) => tr!(
                    "check not evaluated in {columns}: it meets an unknown value",
                    columns = columns
                ),
                (false, ast::CheckSeverity::Expect) => tr!(
                    "expect not evaluated in {columns}: it meets an unknown value",
                    columns = columns
                ),
            };
            let mut diagnostic = Diagnostic::new(Code::UnknownCell, message).primary(
                anchor.unwrap_or(ast.lhs.span().to(ast.rhs.span())),
                tr!("not evaluated"),
            );
            let mut seen = HashSet::new();
            for (_, span) in &unknown {
                if seen.insert(*span) {
                    diagnostic = diagnostic.secondary(*span, tr!("unknown (`?`)"));
                }
            }
            self.diagnostics
                .push(diagnostic.help(tr!("state the number to have the check evaluated")));
        }
        self.eval.check_results.extend(result);
    }

    /// E0203 when whole rows of tables with different columns meet.
    fn same_columns(&mut self, ast: &ast::Check, home: usize, others: &[usize]) -> bool {
        let mut same = true;
        for &other in others {
            let home_paths: HashSet<&String> = self.tables[home].column_paths.iter().collect();
            let other_paths: HashSet<&String> = self.tables[other].column_paths.iter().collect();
            let missing: Vec<String> = home_paths
                .symmetric_difference(&other_paths)
                .map(|path| format!("`{path}`"))
                .collect();
            if !missing.is_empty() {
                let (home_name, other_name) = (
                    self.tables[home].name().to_string(),
                    self.tables[other].name().to_string(),
                );
                let mut missing = missing;
                missing.sort();
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownColumn,
                        tr!(
                            "rows of `{home_name}` and `{other_name}` do not have the same columns",
                            home_name = home_name,
                            other_name = other_name
                        ),
                    )
                    .primary(
                        ast.lhs.span().to(ast.rhs.span()),
                        tr!("compared column by column"),
                    )
                    .note(tr!(
                        "columns on one side only: {missing}",
                        missing = missing.join(", ")
                    ))
                    .help(tr!("compare single cells with `[column]` instead")),
                );
                same = false;
            }
        }
        same
    }

    fn compare(
        &mut self,
        check: super::CheckInfo<'a>,
        lhs: &Rc<RExpr>,
        rhs: &Rc<RExpr>,
        tolerance: Option<&RExpr>,
        env: Env,
        column: Option<&str>,
    ) -> Outcome {
        let (ast, anchor) = (check.ast, check.anchor);
        let (Ok(left), Ok(right)) = (self.eval(lhs, env), self.eval(rhs, env)) else {
            return Outcome::Poisoned;
        };
        let (left, right) = (self.settle(left), self.settle(right));
        if !left.unit.compatible(&right.unit) {
            let diagnostic = Diagnostic::new(
                Code::MismatchedUnits,
                tr!(
                    "cannot compare {unit} with {unit2}",
                    unit = left.unit.describe(),
                    unit2 = right.unit.describe()
                ),
            )
            .primary(ast.op.span, tr!("cannot compare these"))
            .secondary(ast.lhs.span(), left.unit.describe())
            .secondary(ast.rhs.span(), right.unit.describe());
            self.report_once(add_unit_help(diagnostic, &left, &right));
            return Outcome::Poisoned;
        }
        let tolerance_value = match tolerance {
            None => Decimal::ZERO,
            Some(expr) => match self.eval(expr, env) {
                Ok(value) if value.unit.compatible(&left.unit) => match value.amount {
                    Amount::Known(amount) => amount.abs(),
                    Amount::Unknown(span) => return Outcome::Unknown(span),
                },
                Ok(value) => {
                    let within = ast.within.as_ref().map_or(ast.op.span, ast::Expr::span);
                    self.report_once(
                        Diagnostic::new(
                            Code::MismatchedUnits,
                            tr!(
                                "the tolerance is in {unit}, but the values are in {unit2}",
                                unit = value.unit.describe(),
                                unit2 = left.unit.describe()
                            ),
                        )
                        .primary(within, value.unit.describe()),
                    );
                    return Outcome::Poisoned;
                }
                Err(_) => return Outcome::Poisoned,
            },
        };
        let (a, b) = match (left.amount, right.amount) {
            (Amount::Unknown(span), _) | (_, Amount::Unknown(span)) => {
                return Outcome::Unknown(span);
            }
            (Amount::Known(a), Amount::Known(b)) => (a, b),
        };
        // Out of range, the difference exceeds every tolerance.
        let difference = a.checked_sub(b).unwrap_or(Decimal::MAX);
        let holds = holds(ast.op.value, a, b, tolerance_value);
        let mut comparison = Comparison {
            diagnostic: None,
            difference,
            tolerance: tolerance_value,
            terms: Vec::new(),
            what: What::Check {
                severity: ast.severity,
                span: ast.span,
                column: env.column,
                sides: (ast.op.value == ast::CmpOp::Eq).then(|| (lhs.clone(), rhs.clone())),
            },
            contradicted: None,
            derived: None,
            stated: Vec::new(),
        };
        if !holds {
            let lhs_text = self.breakdown(lhs, env, &left);
            let rhs_text = self.breakdown(rhs, env, &right);
            let code = match ast.severity {
                ast::CheckSeverity::Check => Code::CheckFailed,
                ast::CheckSeverity::Expect => Code::ExpectFailed,
            };
            let message = match (ast.severity, column) {
                (ast::CheckSeverity::Check, Some(column)) => {
                    tr!("check failed in column {column}", column = column)
                }
                (ast::CheckSeverity::Check, None) => tr!("check failed"),
                (ast::CheckSeverity::Expect, Some(column)) => {
                    tr!("expectation failed in column {column}", column = column)
                }
                (ast::CheckSeverity::Expect, None) => tr!("expectation failed"),
            };
            let mut diagnostic = Diagnostic::new(code, message);
            if let Some(anchor) = anchor {
                // A form's check: reported on the instance, shown in the form.
                diagnostic = diagnostic
                    .primary(
                        anchor,
                        tr!(
                            "{lhs_text}, but {rhs_text}",
                            lhs_text = lhs_text,
                            rhs_text = rhs_text
                        ),
                    )
                    .note(tr!(
                        "the check comes from the form, {value}",
                        value = self.place(ast.span)
                    ))
                    .secondary(ast.lhs.span(), Text::plain(&lhs_text));
            } else {
                diagnostic = diagnostic.primary(ast.lhs.span(), Text::plain(&lhs_text));
            }
            diagnostic = diagnostic.secondary(ast.rhs.span(), Text::plain(&rhs_text));
            let left_shown = self.show(&left);
            let right_shown = self.show(&right);
            let relation = format!("{left_shown} {} {right_shown}", ast.op.value.as_str());
            diagnostic = if tolerance.is_some() {
                diagnostic.note(match a.checked_sub(b) {
                    Some(difference) => tr!(
                        "`{relation}` does not hold within the tolerance; the difference is {shown}",
                        relation = relation,
                        shown = self.show(&Val::known(difference.abs(), left.unit.clone()))
                    ),
                    None => tr!(
                        "`{relation}` does not hold within the tolerance; the difference is beyond the largest number gdr holds",
                        relation = relation
                    ),
                })
            } else {
                diagnostic.note(tr!("`{relation}` does not hold", relation = relation))
            };
            if ast.severity == ast::CheckSeverity::Expect {
                diagnostic = diagnostic.with_severity(Severity::Warning);
            }
            self.diagnostics.push(diagnostic);
            comparison.diagnostic = Some(self.diagnostics.len() - 1);
        }
        if ast.op.value == ast::CmpOp::Eq {
            self.eval.comparisons.push(comparison);
        }
        let model = self.wants.model;
        Outcome::Compared {
            holds,
            lhs: model.then(|| self.show(&left)),
            rhs: model.then(|| self.show(&right)),
        }
    }

    /// "16 + 1 = 17" for a sum of a few terms, else the value.
    fn breakdown(&mut self, expr: &RExpr, env: Env, total: &Val) -> String {
        let total_text = self.show(total);
        let parts: Vec<(bool, &RExpr)> = match expr {
            RExpr::Chain { first, rest, .. }
                if rest
                    .iter()
                    .all(|(op, _)| matches!(op.value, ast::BinOp::Add | ast::BinOp::Sub)) =>
            {
                std::iter::once((false, first.as_ref()))
                    .chain(
                        rest.iter()
                            .map(|(op, operand)| (op.value == ast::BinOp::Sub, operand)),
                    )
                    .collect()
            }
            RExpr::Sum { args, .. } => args.iter().map(|arg| (false, arg)).collect(),
            _ => Vec::new(),
        };
        if parts.len() < 2 || parts.len() > 12 {
            return total_text;
        }
        let mut text = String::new();
        for (index, (negative, part)) in parts.into_iter().enumerate() {
            let Ok(value) = self.eval(part, env) else {
                return total_text;
            };
            let shown = self.show(&value);
            match (index, negative) {
                (0, _) => text.push_str(&shown),
                (_, true) => text.push_str(&format!(" - {shown}")),
                (_, false) => text.push_str(&format!(" + {shown}")),
            }
        }
        format!("{text} = {total_text}")
    }

    /// Fills in the stated cells of a comparison and their coefficients in
    /// `lhs - rhs`, if it is linear.
    fn find_terms(&self, comparison: &mut Comparison) {
        let mut terms = Vec::new();
        let linear = match &comparison.what {
            &What::Meeting { table, row, column } => {
                self.formula_terms(table, row, column, Formula::Row, Decimal::ONE, &mut terms)
                    && self.formula_terms(
                        table,
                        row,
                        column,
                        Formula::Column,
                        -Decimal::ONE,
                        &mut terms,
                    )
            }
            &What::Formula {
                table,
                row,
                column,
                formula,
            } => {
                terms.push((
                    (table, row * self.tables[table].width() + column),
                    Decimal::ONE,
                ));
                if !self.formula_terms(table, row, column, formula, -Decimal::ONE, &mut terms) {
                    terms.truncate(1);
                }
                true
            }
            What::Check {
                column,
                sides: Some((lhs, rhs)),
                ..
            } => {
                let env = Env {
                    column: *column,
                    row: None,
                };
                self.linear_terms(lhs, env, Decimal::ONE, &mut terms)
                    && self.linear_terms(rhs, env, -Decimal::ONE, &mut terms)
            }
            What::Check { sides: None, .. } => false,
        };
        if linear {
            comparison.stated = self.stated_values(&terms);
            comparison.terms = terms;
        }
    }

    /// How a hint names a comparison.
    fn describe(&self, what: &What) -> Text {
        match *what {
            What::Meeting { table, row, column } => tr!(
                "the formulas meeting at `{cell}` ({place})",
                cell = self.tables[table].cell_name(row, column),
                place = self.place(self.formula_span(table, row, column, Formula::Row))
            ),
            What::Formula {
                table,
                row,
                column,
                formula,
            } => tr!(
                "the formula on {line}",
                line = self.place(self.formula_span(table, row, column, formula))
            ),
            What::Check {
                severity,
                span,
                column,
                sides: _,
            } => {
                let line = self.place(span);
                match (severity, column) {
                    (ast::CheckSeverity::Check, None) => tr!("the check on {line}", line = line),
                    (ast::CheckSeverity::Expect, None) => {
                        tr!("the expect on {line}", line = line)
                    }
                    (ast::CheckSeverity::Check, Some((table, column))) => tr!(
                        "the check on {line} in column {column}",
                        line = line,
                        column = self.tables[table].column_paths[column]
                    ),
                    (ast::CheckSeverity::Expect, Some((table, column))) => tr!(
                        "the expect on {line} in column {column}",
                        line = line,
                        column = self.tables[table].column_paths[column]
                    ),
                }
            }
        }
    }

    /// Adds the cross-references between failures: a note on a failed
    /// check whose operand is itself contradicted by its formula, and the
    /// hint when changing one stated cell would fix several failures.
    ///
    /// The terms of the comparisons are only found now, and only if one
    /// failed: a report whose every check holds needs none of them. A hint
    /// changes a cell of a failed comparison, so of the comparisons that
    /// hold only the terms in those cells are kept.
    fn explain_failures(&mut self) {
        let mut comparisons = std::mem::take(&mut self.eval.comparisons);
        if comparisons.iter().all(|c| c.diagnostic.is_none()) {
            return;
        }
        let mut candidates = HashSet::new();
        for comparison in comparisons.iter_mut().filter(|c| c.diagnostic.is_some()) {
            self.find_terms(comparison);
            candidates.extend(comparison.terms.iter().map(|&(cell, _)| cell));
        }
        for comparison in comparisons.iter_mut().filter(|c| c.diagnostic.is_none()) {
            self.find_terms(comparison);
            comparison
                .terms
                .retain(|(cell, _)| candidates.contains(cell));
            comparison.terms.shrink_to_fit();
            comparison.stated = Vec::new();
        }
        let contradicted: HashMap<(usize, usize), &Text> = comparisons
            .iter()
            .filter_map(|c| c.contradicted.as_ref().map(|(cell, text)| (*cell, text)))
            .collect();
        for comparison in comparisons.iter().filter(|c| c.contradicted.is_none()) {
            let Some(diagnostic) = comparison.diagnostic else {
                continue;
            };
            for (cell, _) in &comparison.terms {
                if let Some(text) = contradicted.get(cell) {
                    let note = (*text).clone();
                    if !self.diagnostics[diagnostic].notes.contains(&note) {
                        self.diagnostics[diagnostic].notes.push(note);
                    }
                }
            }
        }
        for hint in single_cell_hints(&comparisons) {
            let (table, index) = hint.cell;
            let width = self.tables[table].width();
            let name = self.tables[table].cell_name(index / width, index % width);
            let unit = self.tables[table].column_units[index % width].clone();
            let from = self.show(&Val::known(hint.current, unit.clone()));
            let to = self.show(&Val::known(hint.value, unit));
            let whats = Arg::All(
                hint.fixes
                    .iter()
                    .map(|&i| self.describe(&comparisons[i].what))
                    .collect(),
            );
            let help = if hint.fixes.len() == 2 {
                tr!(
                    "one number explains both failures: changing `{name}` from {from} to {to} would make {failures} hold",
                    name = name,
                    from = from,
                    to = to,
                    failures = whats
                )
            } else {
                tr!(
                    "one number explains {count} failures: changing `{name}` from {from} to {to} would make {failures} hold",
                    count = hint.fixes.len(),
                    name = name,
                    from = from,
                    to = to,
                    failures = whats
                )
            };
            for &i in &hint.fixes {
                if let Some(diagnostic) = comparisons[i].diagnostic {
                    self.diagnostics[diagnostic].help.push(help.clone());
                }
            }
        }
    }

    fn stated_values(&self, terms: &[((usize, usize), Decimal)]) -> Vec<((usize, usize), Decimal)> {
        terms
            .iter()
            .filter_map(
                |&((table, index), _)| match &self.tables[table].cells[index].stated {
                    Stated::Number(Val {
                        amount: Amount::Known(amount),
                        ..
                    }) => Some(((table, index), *amount)),
                    _ => None,
                },
            )
            .collect()
    }

    // ------------------------------------------------------------ display

    /// A value for messages: the number, with its unit unless it is a count.
    pub(super) fn show(&self, value: &Val) -> String {
        let number = number_text(value);
        if value.unit.is_count() || value.unit.name.is_empty() {
            number
        } else {
            format!("{number}{}", value.unit.name)
        }
    }

    fn show_with_unit(&self, value: &Val) -> String {
        format!("{}{}", number_text(value), value.unit.name)
    }

    // ------------------------------------------------------------ prose

    /// A paragraph's final text, with its interpolations rendered.
    pub(super) fn paragraph_text(&mut self, site: &ParagraphSite<'_>) -> String {
        let mut text = String::new();
        for piece in &site.ast.pieces {
            match piece {
                ast::Piece::Text(literal) => text.push_str(literal),
                ast::Piece::Interpolation(interpolation) => {
                    text.push_str(&self.interpolate(interpolation))
                }
            }
        }
        text
    }

    fn interpolate(&mut self, interpolation: &ast::Interpolation) -> String {
        let expr = self.resolve_used(&interpolation.expr, Scope::Global);
        let mut row_tables = Vec::new();
        expr.row_tables(&mut row_tables);
        if !row_tables.is_empty() {
            self.whole_row(&interpolation.expr, tr!("text"));
            return String::new();
        }
        let Ok(value) = self.eval(&expr, Env::default()) else {
            return String::new();
        };
        let mut value = self.settle(value);
        if let Amount::Unknown(span) = value.amount {
            self.diagnostics.push(
                Diagnostic::new(Code::UnknownCell, tr!("an unknown value is interpolated"))
                    .primary(interpolation.span, tr!("renders empty"))
                    .secondary(span, tr!("unknown (`?`)"))
                    .help(tr!("state the number to show it")),
            );
            return String::new();
        }
        if let Some(unit_name) = &interpolation.as_unit {
            let Some(unit) = self.units.get(&unit_name.value).cloned() else {
                self.unknown_unit(unit_name);
                return String::new();
            };
            if !(unit.is_money() && value.unit.is_money()) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::MismatchedUnits,
                        tr!(
                            "cannot show {unit} in `{value}`",
                            unit = value.unit.describe(),
                            value = unit.name
                        ),
                    )
                    .primary(
                        unit_name.span,
                        tr!("`as` converts between money units only"),
                    ),
                );
                return String::new();
            }
            value.unit = unit;
            value.written = None;
        }
        match interpolation.format {
            ast::Format::WithUnit => self.show_with_unit(&value),
            ast::Format::Number => number_text(&value),
            ast::Format::Percent(decimals) => {
                let Amount::Known(amount) = value.amount else {
                    return String::new();
                };
                if !value.unit.is_dimensionless() {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::MismatchedUnits,
                            tr!("`:%{decimals}` needs a plain number or ratio, but this is in {unit}", decimals = decimals, unit = value.unit.describe()),
                        )
                        .primary(interpolation.span, tr!("not a ratio"))
                        .help(
                            tr!("divide two quantities of the same unit, e.g. `{不予公开 / 总计:%2}`"),
                        ),
                    );
                    return String::new();
                }
                match amount.checked_mul(Decimal::ONE_HUNDRED) {
                    Some(percent) => {
                        let mut rounded = percent.round_dp_with_strategy(
                            decimals,
                            RoundingStrategy::MidpointAwayFromZero,
                        );
                        rounded.rescale(decimals);
                        format!("{rounded}%")
                    }
                    None => String::new(),
                }
            }
        }
    }

    /// The names of the report, resolved and evaluated, for editors.
    pub(super) fn symbol_index(&mut self) -> Vec<super::Symbol> {
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
        for table in 0..self.tables.len() {
            if self.tables[table].frozen || self.tables[table].poisoned {
                continue;
            }
            for row in 0..self.tables[table].rows.leaves.len() {
                let node = &self.tables[table].rows.nodes[self.tables[table].rows.leaves[row]];
                let span = node.name_span;
                let hover = self.row_hover(table, row);
                out.push(super::Symbol {
                    span,
                    definition: Some(span),
                    hover,
                });
            }
        }
        let symbols = std::mem::take(&mut self.symbols);
        for (span, target) in &symbols {
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
                            let definition = info.rows.nodes[info.rows.leaves[*row]].name_span;
                            (Some(definition), self.cell_hover(*table, *row, *column))
                        }
                        (Sel::Leaf(row), Sel::Current) => {
                            let definition = info.rows.nodes[info.rows.leaves[*row]].name_span;
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
        self.symbols = symbols;
        out.sort_by_key(|symbol| (symbol.span.start, symbol.span.end));
        out
    }

    fn let_hover(&mut self, index: usize) -> String {
        let name = self.lets[index].ast.name.value.clone();
        let expr = self
            .sources
            .slice(self.lets[index].ast.expr.span())
            .to_string();
        match self.let_value(index) {
            Ok(value) if matches!(value.amount, Amount::Known(_)) => {
                format!(
                    "`{name}` = {}\n\n`let {name} = {expr}`",
                    self.show_with_unit(&value)
                )
            }
            _ => format!("`let {name} = {expr}`"),
        }
    }

    fn cell_hover(&mut self, table: usize, row: usize, column: usize) -> String {
        let name = self.tables[table].cell_name(row, column);
        let formulas = self.formulas_of(table, row, column);
        match self.cell_value(table, row, column) {
            Ok(value) if matches!(value.amount, Amount::Known(_)) => {
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

    fn row_hover(&mut self, table: usize, row: usize) -> String {
        let info = &self.tables[table];
        let node = &info.rows.nodes[info.rows.leaves[row]];
        let label = node.label.unwrap_or(node.name);
        let path = format!("{}.{}", info.name(), info.rows.path(info.rows.leaves[row]));
        let columns = info.column_paths.clone();
        let mut parts = Vec::new();
        for (column, column_path) in columns.iter().enumerate() {
            let shown = match self.cell_value(table, row, column) {
                Ok(value) if matches!(value.amount, Amount::Known(_)) => {
                    self.show_with_unit(&value)
                }
                _ => "—".to_string(),
            };
            parts.push(format!("{column_path} {shown}"));
        }
        format!("`{path}` {label}\n\n{}", parts.join("，"))
    }

    /// Every `let` with its value, for the model.
    pub(super) fn let_values(&mut self) -> Vec<model::LetValue> {
        let canonical: Vec<usize> = (0..self.lets.len())
            .filter(|&index| {
                self.let_by_name
                    .get(self.lets[index].ast.name.value.as_str())
                    == Some(&index)
            })
            .collect();
        canonical
            .into_iter()
            .map(|index| {
                let value = self
                    .let_value(index)
                    .ok()
                    .filter(|value| matches!(value.amount, Amount::Known(_)));
                model::LetValue {
                    name: self.lets[index].ast.name.value.clone(),
                    value: value.as_ref().map(number_text),
                    unit: value
                        .map(|value| value.unit.name.clone())
                        .filter(|name| !name.is_empty()),
                }
            })
            .collect()
    }

    /// The notes of table `index`, their interpolations evaluated (and
    /// reported) as a paragraph's are.
    pub(super) fn table_notes(&mut self, index: usize) -> Vec<String> {
        let ast = self.tables[index].ast;
        ast.notes
            .iter()
            .map(|note| self.paragraph_text(&ParagraphSite { ast: note }))
            .collect()
    }

    /// The model of table `index`, with every cell's final value.
    pub(super) fn table_model(&mut self, index: usize) -> model::Table {
        let info = &self.tables[index];
        let ast = info.ast;
        let column_roots: Vec<usize> = info.columns.roots().collect();
        let row_roots: Vec<usize> = info.rows.roots().collect();
        let columns = column_roots
            .into_iter()
            .map(|id| self.column_model(index, id))
            .collect();
        let rows = row_roots
            .into_iter()
            .map(|id| self.row_model(index, id))
            .collect();
        let notes = self.table_notes(index);
        let info = &self.tables[index];
        model::Table {
            name: info.name.clone(),
            title: ast.title.as_ref().map(|title| title.value.clone()),
            unit: (!info.unit.name.is_empty()).then(|| info.unit.name.clone()),
            notes,
            columns,
            rows,
            placed: info.in_section,
        }
    }

    fn column_model(&self, table: usize, id: usize) -> model::Column {
        let tree = &self.tables[table].columns;
        let node = &tree.nodes[id];
        let unit = node
            .leaf
            .map(|leaf| self.tables[table].column_units[leaf].name.clone())
            .filter(|name| !name.is_empty());
        model::Column {
            name: node.name.to_string(),
            label: node.label.unwrap_or(node.name).to_string(),
            unit,
            derived: node.formula.is_some(),
            children: node
                .children
                .iter()
                .map(|&child| self.column_model(table, child))
                .collect(),
        }
    }

    fn row_model(&mut self, table: usize, id: usize) -> model::Row {
        let node = &self.tables[table].rows.nodes[id];
        let (name, label, derived, leaf) = (
            node.name.to_string(),
            node.label.unwrap_or(node.name).to_string(),
            node.formula.is_some(),
            node.leaf,
        );
        let children_ids = node.children.clone();
        let cells = match leaf {
            Some(row) => (0..self.tables[table].width())
                .map(|column| self.cell_model(table, row, column))
                .collect(),
            None => Vec::new(),
        };
        let children = children_ids
            .into_iter()
            .map(|child| self.row_model(table, child))
            .collect();
        model::Row {
            name,
            label,
            derived,
            cells,
            children,
        }
    }

    fn cell_model(&mut self, table: usize, row: usize, column: usize) -> model::Cell {
        let derived = !self.formulas_of(table, row, column).is_empty();
        let info = &self.tables[table];
        let cell = &info.cells[row * info.width() + column];
        let note = cell.note;
        let column_unit = info.column_units[column].clone();
        let stated = cell.stated.clone();
        let value = self.cell_value(table, row, column);
        let (state, value) = match (&stated, value) {
            (Stated::Blank, _) => (model::CellState::Blank, None),
            (Stated::Unknown, _) if !derived => (model::CellState::Unknown, None),
            (Stated::Number(_), Ok(value)) => (model::CellState::Stated, Some(value)),
            (_, Ok(value)) if !matches!(value.amount, Amount::Unknown(_)) => {
                (model::CellState::Derived, Some(value))
            }
            _ => (model::CellState::Unknown, None),
        };
        let text = match &value {
            Some(value) if value.unit == column_unit || value.unit.name.is_empty() => {
                number_text(value)
            }
            Some(value) => format!("{}{}", number_text(value), value.unit.name),
            None => String::new(),
        };
        model::Cell {
            value: value.as_ref().map(number_text),
            unit: value
                .as_ref()
                .map(|value| value.unit.name.clone())
                .or_else(|| (!column_unit.name.is_empty()).then(|| column_unit.name.clone()))
                .filter(|name| !name.is_empty()),
            derived,
            state,
            text,
            note: note.map(str::to_string),
        }
    }
}

/// Whether `a OP b` holds with a tolerance (|a − b| ≤ tolerance for `==`,
/// slack for the orderings), without overflowing.
fn holds(op: ast::CmpOp, a: Decimal, b: Decimal, tolerance: Decimal) -> bool {
    let within = a
        .checked_sub(b)
        .is_some_and(|difference| difference.abs() <= tolerance);
    match op {
        ast::CmpOp::Eq => within,
        ast::CmpOp::Ne => !within,
        // `a < b + t`: if `b + t` overflows it exceeds every `a`.
        ast::CmpOp::Lt => b.checked_add(tolerance).is_none_or(|bound| a < bound),
        ast::CmpOp::Le => b.checked_add(tolerance).is_none_or(|bound| a <= bound),
        ast::CmpOp::Gt => a.checked_add(tolerance).is_none_or(|bound| bound > b),
        ast::CmpOp::Ge => a.checked_add(tolerance).is_none_or(|bound| bound >= b),
    }
}

/// How many derived cells one linear expansion may look through (and so
/// how deep): enough for the totals of the official tables, bounded so that
/// long chains and shared cells cost little.
const MAX_EXPANSION: usize = 64;

/// "Changing `cell` from `current` to `value` fixes the comparisons `fixes`."
struct Hint {
    cell: (usize, usize),
    current: Decimal,
    value: Decimal,
    fixes: Vec<usize>,
}

/// Finds the stated cells whose change alone would fix two or more failed
/// equalities without breaking one that holds. Each failure is explained by
/// at most one cell: the one that fixes the most failures, preferring a
/// total whose new value is what its own formula derives (the common case
/// of a wrong published total); a cell is named only when it is the best
/// explanation of two or more failures.
fn single_cell_hints(comparisons: &[Comparison]) -> Vec<Hint> {
    let mut cells: Vec<((usize, usize), Decimal)> = Vec::new();
    for comparison in comparisons.iter().filter(|c| c.diagnostic.is_some()) {
        for &(cell, _) in &comparison.terms {
            if let Some(current) = comparison
                .stated
                .iter()
                .find(|(c, _)| *c == cell)
                .map(|(_, v)| *v)
                && !cells.iter().any(|(c, _)| *c == cell)
            {
                cells.push((cell, current));
            }
        }
    }
    let coefficient = |comparison: &Comparison, cell: (usize, usize)| -> Decimal {
        comparison
            .terms
            .iter()
            .filter(|(c, _)| *c == cell)
            .map(|(_, k)| *k)
            .sum()
    };
    let mut candidates: Vec<(usize, bool, Hint)> = Vec::new();
    for (cell, current) in cells {
        let mut proposals: Vec<(Decimal, usize)> = Vec::new();
        for (index, comparison) in comparisons.iter().enumerate() {
            let k = coefficient(comparison, cell);
            if comparison.diagnostic.is_none() || k.is_zero() {
                continue;
            }
            if let Some(value) = comparison
                .difference
                .checked_div(k)
                .and_then(|d| current.checked_sub(d))
            {
                proposals.push((value, index));
            }
        }
        let mut best: Option<(Decimal, Vec<usize>)> = None;
        for (value, _) in &proposals {
            let fixes: Vec<usize> = proposals
                .iter()
                .filter(|(v, _)| v == value)
                .map(|(_, i)| *i)
                .collect();
            if fixes.len() >= 2 && best.as_ref().is_none_or(|(_, b)| fixes.len() > b.len()) {
                best = Some((*value, fixes));
            }
        }
        let Some((value, fixes)) = best else {
            continue;
        };
        // A cell that only contradicts its own formulas needs no hint: each
        // E0402 already says what the formula gives.
        let own = |index: &usize| {
            comparisons[*index]
                .contradicted
                .as_ref()
                .is_some_and(|(c, _)| *c == cell)
        };
        if fixes.iter().all(own) {
            continue;
        }
        let breaks = comparisons.iter().any(|comparison| {
            comparison.diagnostic.is_none() && {
                let moved = value
                    .checked_sub(current)
                    .and_then(|change| coefficient(comparison, cell).checked_mul(change))
                    .and_then(|change| comparison.difference.checked_add(change));
                moved.is_none_or(|moved| moved.abs() > comparison.tolerance)
            }
        });
        if breaks {
            continue;
        }
        let agrees_with_formula = comparisons.iter().any(|c| {
            c.contradicted.as_ref().is_some_and(|(c, _)| *c == cell) && c.derived == Some(value)
        });
        candidates.push((
            fixes.len(),
            agrees_with_formula,
            Hint {
                cell,
                current,
                value,
                fixes,
            },
        ));
    }
    // When another cell would fix exactly the same failures and no formula
    // singles either out, the numbers do not say which one is wrong: no
    // hint names one of them.
    let mut unsupported: HashMap<Vec<usize>, usize> = HashMap::new();
    for (_, agrees, hint) in &candidates {
        if !agrees {
            *unsupported.entry(hint.fixes.clone()).or_default() += 1;
        }
    }
    candidates.retain(|(_, agrees, hint)| *agrees || unsupported[&hint.fixes] == 1);
    candidates.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cell.cmp(&b.2.cell)));
    let mut explained: HashSet<usize> = HashSet::new();
    let mut hints = Vec::new();
    for (_, _, mut hint) in candidates {
        hint.fixes.retain(|index| !explained.contains(index));
        if hint.fixes.len() >= 2 {
            explained.extend(hint.fixes.iter().copied());
            hints.push(hint);
        }
    }
    hints
}

/// The result of evaluating one column of a check.
enum Outcome {
    Poisoned,
    Unknown(Span),
    /// The two sides as shown in the model, if it is built.
    Compared {
        holds: bool,
        lhs: Option<String>,
        rhs: Option<String>,
    },
}

/// The number of a value in its own unit: as written where it was stated,
/// else exact without trailing zeros.
pub(crate) fn number_text(value: &Val) -> String {
    if let Some(written) = &value.written {
        return written.to_string();
    }
    match value.amount {
        Amount::Known(amount) => match value.unit.from_base(amount) {
            Some(number) => number.normalize().to_string(),
            None => amount
                .checked_div(value.unit.factor)
                .unwrap_or(amount)
                .normalize()
                .to_string(),
        },
        Amount::Unknown(_) => String::new(),
    }
}

fn add_unit_help(diagnostic: Diagnostic, lhs: &Val, rhs: &Val) -> Diagnostic {
    let bare = |value: &Val| value.unit.name.is_empty() && value.written.is_some();
    let (bare_side, other) = if bare(lhs) && !rhs.unit.name.is_empty() {
        (lhs, rhs)
    } else if bare(rhs) && !lhs.unit.name.is_empty() {
        (rhs, lhs)
    } else {
        return diagnostic;
    };
    let number = bare_side.written.as_deref().unwrap_or_default();
    diagnostic.help(tr!(
        "add the unit: `{number} {value}`",
        number = number,
        value = other.unit.name
    ))
}
