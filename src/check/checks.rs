//! Checks and expects: each evaluated once, or column by column for whole
//! rows (E0203); a failed comparison (E0401, W0105) with the breakdown of
//! its sides; unknown values met (W0101); the results for the model.

use crate::tr;
use rustc_hash::FxHashSet as HashSet;
use std::rc::Rc;

use rust_decimal::Decimal;

use super::eval::{Env, percent_text};
use super::hint::{Comparison, NO_COLUMN, What};
use super::resolve::Scope;
use super::rexpr::RExpr;
use super::table::TableId;
use super::{Amount, Checker, Val};
use crate::diagnostics::{Code, Diagnostic, Severity, Text};
use crate::model;
use crate::span::Span;
use crate::syntax::ast;

impl<'a> Checker<'a> {
    pub(super) fn evaluate_check(&mut self, index: usize) {
        let ast = self.checks[index].ast;
        let table = self.checks[index].table;
        let anchor = self.checks[index].anchor;
        let scope = match table {
            Some(table) => Scope::Rows {
                table,
                group: None,
                defining: None,
                sealed: anchor.is_some(),
            },
            None => Scope::Global,
        };
        let sides = Rc::new((
            self.resolve_used(&ast.lhs, scope),
            self.resolve_used(&ast.rhs, scope),
        ));
        if ast.op.value == ast::CmpOp::Eq {
            // The sides of an equality, for the hint.
            if self.check_sides.len() <= index {
                self.check_sides.resize(index + 1, None);
            }
            self.check_sides[index] = Some(sides.clone());
        }
        let (lhs, rhs) = &*sides;
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
                self.whole_row(
                    ast.within.as_deref().unwrap_or(&ast.rhs),
                    tr!("a tolerance"),
                );
                return;
            }
        }
        let columns: Vec<Option<(TableId, usize)>> = match row_tables.split_first() {
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
                    ast.lhs.span().to(ast
                        .within
                        .as_deref()
                        .map_or(ast.rhs.span(), ast::Expr::span)),
                )
                .to_string(),
            table: table.map(|table| self.tables[table].name().to_string()),
            kind: kind.to_string(),
            line: self.line(anchor.unwrap_or(ast.span)),
            form: anchor.map(|_| model::Place {
                file: self.sources.file_of(ast.span.start as usize).name.clone(),
                line: self.line(ast.span),
            }),
            results: Vec::new(),
        });
        let mut unknown: Vec<(String, Span)> = Vec::new();
        for column in columns {
            let env = Env { column, row: None };
            let outcome = self.compare(index, &sides, tolerance.as_ref(), env);
            // Named only where a message or the model shows it.
            let column_name = || {
                column.map(|(table, column)| self.tables[table].column_paths()[column].to_string())
            };
            let (holds, lhs_text, rhs_text) = match outcome {
                Outcome::Poisoned => (None, None, None),
                Outcome::Unknown(span) => {
                    unknown.push((column_name().unwrap_or_default(), span));
                    (None, None, None)
                }
                Outcome::Compared { holds, lhs, rhs } => (Some(holds), lhs, rhs),
            };
            if let Some(result) = &mut result {
                result.results.push(model::ColumnResult {
                    column: column_name(),
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
            let mut seen = HashSet::default();
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
    fn same_columns(&mut self, ast: &ast::Check, home: TableId, others: &[TableId]) -> bool {
        let mut same = true;
        for &other in others {
            let home_paths: HashSet<&str> = self.tables[home].column_paths().iter().collect();
            let other_paths: HashSet<&str> = self.tables[other].column_paths().iter().collect();
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
        index: usize,
        sides: &(RExpr, RExpr),
        tolerance: Option<&RExpr>,
        env: Env,
    ) -> Outcome {
        let check = self.checks[index];
        let (ast, anchor) = (check.ast, check.anchor);
        let (lhs, rhs) = sides;
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
            let diagnostic = self.add_unit_help(diagnostic, &left, &right);
            self.report_once(diagnostic);
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
                    let within = ast.within.as_deref().map_or(ast.op.span, ast::Expr::span);
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
        // The digits as written matter only to a percentage.
        let percent = if is_percent(&left) || is_percent(&right) {
            percent_decimals(
                (&left, self.written(&left).as_deref()),
                (&right, self.written(&right).as_deref()),
                a,
                b,
            )
        } else {
            None
        };
        let mut diagnostic_index = None;
        if !holds {
            let lhs_text = self.breakdown(lhs, env, &left, percent);
            let rhs_text = self.breakdown(rhs, env, &right, percent);
            let code = match ast.severity {
                ast::CheckSeverity::Check => Code::CheckFailed,
                ast::CheckSeverity::Expect => Code::ExpectFailed,
            };
            let column = env
                .column
                .map(|(table, column)| &self.tables[table].column_paths()[column]);
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
            let left_shown = self.show_as(&left, percent);
            let right_shown = self.show_as(&right, percent);
            let relation = format!("{left_shown} {} {right_shown}", ast.op.value.as_str());
            diagnostic = if tolerance.is_some() {
                diagnostic.note(match a.checked_sub(b) {
                    Some(difference) => tr!(
                        "`{relation}` does not hold within the tolerance; the difference is {shown}",
                        relation = relation,
                        shown = self.show_as(&Val::known(difference.abs(), left.unit.clone()), percent)
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
            diagnostic_index = Some(self.diagnostics.len() - 1);
        }
        if ast.op.value == ast::CmpOp::Eq {
            // A file has fewer than 2^32 bytes, so fewer checks, and a
            // table fewer columns.
            let (table, column) = env
                .column
                .map_or((TableId::from_position(0), NO_COLUMN), |(table, column)| {
                    (table, column as u32)
                });
            let what = What::Check {
                check: index as u32,
                table,
                column,
            };
            self.comparisons.push(Comparison::new(
                difference,
                tolerance_value,
                what,
                diagnostic_index,
            ));
        }
        let model = self.wants.model;
        Outcome::Compared {
            holds,
            lhs: model.then(|| self.show_as(&left, percent)),
            rhs: model.then(|| self.show_as(&right, percent)),
        }
    }

    /// A side of a comparison as the reader sees it: a ratio compared with
    /// a percentage as a percentage with `percent` decimals.
    fn show_as(&self, value: &Val, percent: Option<u32>) -> String {
        match (percent, value.amount) {
            (Some(decimals), Amount::Known(amount))
                if value.unit.is_dimensionless() && self.written(value).is_none() =>
            {
                percent_text(amount, decimals).unwrap_or_else(|| self.show(value))
            }
            _ => self.show(value),
        }
    }

    /// "16 + 1 = 17" for a sum of a few terms, else the value.
    fn breakdown(&mut self, expr: &RExpr, env: Env, total: &Val, percent: Option<u32>) -> String {
        let total_text = self.show_as(total, percent);
        let parts: Vec<(bool, &RExpr)> = match expr {
            RExpr::Chain(chain)
                if chain
                    .rest
                    .iter()
                    .all(|(op, _)| matches!(op.value, ast::BinOp::Add | ast::BinOp::Sub)) =>
            {
                std::iter::once((false, &chain.first))
                    .chain(
                        chain
                            .rest
                            .iter()
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
            let shown = self.show_as(&value, percent);
            match (index, negative) {
                (0, _) => text.push_str(&shown),
                (_, true) => text.push_str(&format!(" - {shown}")),
                (_, false) => text.push_str(&format!(" + {shown}")),
            }
        }
        format!("{text} = {total_text}")
    }
}

/// Whether a value is a percentage (`%`).
fn is_percent(value: &Val) -> bool {
    value.unit.is_dimensionless() && value.unit.name == "%"
}

/// When a percentage meets a ratio (`1.68% == 部分 / 全部`), the decimals
/// to show both as percentages: as many as the percentage was written with
/// (2 at least), and more while the two would look the same but differ.
/// Each side comes with its digits as written, if it was stated.
fn percent_decimals(
    (left, left_written): (&Val, Option<&str>),
    (right, right_written): (&Val, Option<&str>),
    a: Decimal,
    b: Decimal,
) -> Option<u32> {
    if !(is_percent(left) || is_percent(right)) || !left.unit.compatible(&right.unit) {
        return None;
    }
    let written = |value: &Val, written: Option<&str>| {
        written
            .filter(|_| is_percent(value))
            .and_then(|digits| digits.split_once('.'))
            .map_or(0, |(_, decimals)| decimals.len() as u32)
    };
    let mut decimals = written(left, left_written)
        .max(written(right, right_written))
        .max(2);
    while a != b && decimals < 26 && percent_text(a, decimals) == percent_text(b, decimals) {
        decimals += 1;
    }
    Some(decimals)
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
