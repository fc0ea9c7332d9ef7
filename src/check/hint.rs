//! The single-cell hint: once an equality has failed, the stated cells of
//! every equality with their coefficients, and the one cell whose change
//! would make several failures hold; the note on a failed check whose
//! operand contradicts its own formula.

use crate::tr;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rust_decimal::Decimal;

use super::eval::Env;
use super::rexpr::RExpr;
use super::table::{CellState, Formula, RowId, TableId};
use super::{Checker, Val};
use crate::diagnostics::{Arg, Suggestion, Text};
use crate::span::Span;
use crate::syntax::ast;

/// An equality that was evaluated, kept for the single-cell hint: most
/// hold, so it keeps what it takes to find its terms again and little else
/// (the terms are only found once one failed): 24 bytes.
#[derive(Debug, Clone)]
pub(super) struct Comparison {
    /// What it is, named only if a hint mentions it.
    pub what: What,
    /// `None` for most: an exact equality that holds.
    extra: Option<Box<Extra>>,
}

/// What few comparisons have.
#[derive(Debug, Clone)]
struct Extra {
    /// `lhs - rhs` and the tolerance, in base units.
    inexact: [Decimal; 2],
    /// What a failed comparison adds; `None` while it holds.
    failure: Option<Failure>,
}

/// A comparison that failed.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    /// The diagnostic it produced.
    pub diagnostic: usize,
    /// For a formula that a stated cell contradicts: that cell.
    pub contradicted: Option<Contradiction>,
}

/// A stated cell that contradicts its formula.
#[derive(Debug, Clone)]
pub(super) struct Contradiction {
    /// The table and the row-major index of the cell.
    pub cell: (TableId, usize),
    /// What the formula derives, in base units.
    pub derived: Decimal,
    /// The note on a failed check whose operand this cell is.
    pub note: Text,
}

impl Comparison {
    /// A comparison that holds unless `diagnostic` says it failed.
    pub fn new(
        difference: Decimal,
        tolerance: Decimal,
        what: What,
        diagnostic: Option<usize>,
    ) -> Comparison {
        let exact = difference.is_zero() && tolerance.is_zero();
        let failure = diagnostic.map(|diagnostic| Failure {
            diagnostic,
            contradicted: None,
        });
        Comparison {
            what,
            extra: (!exact || failure.is_some()).then(|| {
                Box::new(Extra {
                    inexact: [difference, tolerance],
                    failure,
                })
            }),
        }
    }

    /// Marks the comparison failed.
    pub fn fail(&mut self, failure: Failure) {
        match &mut self.extra {
            Some(extra) => extra.failure = Some(failure),
            None => {
                self.extra = Some(Box::new(Extra {
                    inexact: [Decimal::ZERO; 2],
                    failure: Some(failure),
                }))
            }
        }
    }

    /// What it adds when it failed.
    fn failure(&self) -> Option<&Failure> {
        self.extra.as_ref()?.failure.as_ref()
    }

    pub fn failed(&self) -> bool {
        self.failure().is_some()
    }

    /// `lhs - rhs`, in base units.
    fn difference(&self) -> Decimal {
        self.extra
            .as_ref()
            .map_or(Decimal::ZERO, |extra| extra.inexact[0])
    }

    fn tolerance(&self) -> Decimal {
        self.extra
            .as_ref()
            .map_or(Decimal::ZERO, |extra| extra.inexact[1])
    }

    /// The diagnostic it produced, when it failed.
    fn diagnostic(&self) -> Option<usize> {
        self.failure().map(|failure| failure.diagnostic)
    }

    fn contradicted(&self) -> Option<&Contradiction> {
        self.failure()?.contradicted.as_ref()
    }
}

/// The stated cells of a comparison and their coefficients in `lhs - rhs`
/// (empty when it is not linear), with the stated value of each in base
/// units; found by `explain_failures`, and only once some comparison
/// failed.
#[derive(Debug, Default)]
struct Terms {
    terms: Vec<((TableId, usize), Decimal)>,
    stated: Vec<((TableId, usize), Decimal)>,
}

/// An equality that a hint may name ("the check on line 88", "the formula
/// on line 80"), with what it takes to find its terms again. Leaf columns
/// are `u32`: a file has fewer than 2^32 bytes, so a table fewer columns.
#[derive(Debug, Clone)]
pub(super) enum What {
    /// The row and the column formula that both derive a cell.
    Meeting {
        table: TableId,
        row: RowId,
        column: u32,
    },
    /// A formula that derives a stated cell.
    Formula {
        table: TableId,
        row: RowId,
        column: u32,
        formula: Formula,
    },
    /// A check or an expect (its index in the checker's checks, whose
    /// `check_sides` are the two sides of the `==`, whose terms a hint may
    /// move); row-wise, in a column (table and leaf; `NO_COLUMN` for
    /// none).
    Check {
        check: u32,
        table: TableId,
        column: u32,
    },
}

/// The column of a check that is not row-wise.
pub(super) const NO_COLUMN: u32 = u32::MAX;

impl What {
    /// The check of a comparison of a check, and its column if row-wise.
    fn check(&self) -> Option<(usize, Option<(TableId, u32)>)> {
        match *self {
            What::Check {
                check,
                table,
                column,
            } => Some((
                check as usize,
                (column != NO_COLUMN).then_some((table, column)),
            )),
            What::Meeting { .. } | What::Formula { .. } => None,
        }
    }
}

impl<'a> Checker<'a> {
    /// The stated cells of a comparison and their coefficients in
    /// `lhs - rhs`, if it is linear.
    fn find_terms(&self, comparison: &Comparison) -> Terms {
        let mut terms = Vec::new();
        let linear = match comparison.what {
            What::Meeting { table, row, column } => {
                let column = column as usize;
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
            What::Formula {
                table,
                row,
                column,
                formula,
            } => {
                let column = column as usize;
                terms.push((
                    (table, row.index() * self.tables[table].width() + column),
                    Decimal::ONE,
                ));
                if !self.formula_terms(table, row, column, formula, -Decimal::ONE, &mut terms) {
                    terms.truncate(1);
                }
                true
            }
            What::Check { .. } => {
                let Some((check, column)) = comparison.what.check() else {
                    return Terms::default();
                };
                let Some(sides) = self.check_sides.get(check).and_then(Option::as_ref) else {
                    return Terms::default();
                };
                let env = Env {
                    column: column.map(|(table, column)| (table, column as usize)),
                    row: None,
                };
                let (lhs, rhs) = &**sides;
                self.linear_terms(lhs, env, Decimal::ONE, &mut terms)
                    && self.linear_terms(rhs, env, -Decimal::ONE, &mut terms)
            }
        };
        if !linear {
            return Terms::default();
        }
        Terms {
            stated: self.stated_values(&terms),
            terms,
        }
    }

    /// For each table, whether the stated cells that its cells stand for
    /// (its own, and through its formulas those of the tables they name,
    /// at any depth) can include a cell of `cells`.
    fn tables_reaching(&self, cells: &HashSet<(TableId, usize)>) -> Vec<bool> {
        let mut reaching = vec![false; self.tables.len()];
        for &(table, _) in cells {
            reaching[table.index()] = true;
        }
        // A table reaches what the tables its formulas name reach.
        let mut changed = true;
        while changed {
            changed = false;
            for &(table, other) in &self.table_links {
                if !reaching[table.index()] && reaching[other.index()] {
                    reaching[table.index()] = true;
                    changed = true;
                }
            }
        }
        reaching
    }

    /// Whether a comparison's terms may lie in a table that `reaching`
    /// marks (see [`Checker::tables_reaching`]).
    fn may_reach(&self, what: &What, reaching: &[bool]) -> bool {
        match what {
            What::Meeting { table, .. } | What::Formula { table, .. } => reaching[table.index()],
            What::Check { check, .. } => {
                let Some(Some(sides)) = self.check_sides.get(*check as usize) else {
                    return false;
                };
                let reaches = |table: TableId| reaching[table.index()];
                sides.0.names_a_table(&reaches) || sides.1.names_a_table(&reaches)
            }
        }
    }

    /// The stated cells of a cell's formula with `sign`, as in
    /// [`Checker::linear_terms`].
    fn formula_terms(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        formula: Formula,
        sign: Decimal,
        out: &mut Vec<((TableId, usize), Decimal)>,
    ) -> bool {
        let (expr, env) = self.formula_of(table, row, column, formula);
        expr.is_some_and(|expr| self.linear_terms(&expr, env, sign, out))
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
        out: &mut Vec<((TableId, usize), Decimal)>,
    ) -> bool {
        let mut budget = MAX_EXPANSION;
        self.linear_terms_within(expr, env, sign, out, &mut budget)
    }

    fn linear_terms_within(
        &self,
        expr: &RExpr,
        env: Env,
        sign: Decimal,
        out: &mut Vec<((TableId, usize), Decimal)>,
        budget: &mut usize,
    ) -> bool {
        let mut terms = |expr: &RExpr, env: Env, sign: Decimal| {
            self.linear_terms_within(expr, env, sign, out, budget)
        };
        match expr {
            RExpr::Literal(..) | RExpr::Let { .. } => true,
            RExpr::Poisoned(_) => false,
            RExpr::Cell {
                table, row, column, ..
            } => {
                let (Some(row), Some(column)) = self.cell_at(*table, row, column, env) else {
                    return false;
                };
                let index = row.index() * self.tables[*table].width() + column;
                match self.tables[*table].cells[index].state {
                    CellState::Number => out.push(((*table, index), sign)),
                    // A derived cell moves with the stated cells of the
                    // formula that derives it, within a budget of
                    // expansions (formulas may share cells, and chains may
                    // be long); beyond it the cell counts as a constant.
                    CellState::Auto if *budget > 0 => {
                        *budget -= 1;
                        let formula = self.formulas_of(*table, row, column).next();
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
            RExpr::Chain(chain) => {
                if !terms(&chain.first, env, sign) {
                    return false;
                }
                chain.rest.iter().all(|(op, operand)| match op.value {
                    ast::BinOp::Add => terms(operand, env, sign),
                    ast::BinOp::Sub => terms(operand, env, -sign),
                    _ => false,
                })
            }
            RExpr::Sum { args, .. } => args.iter().all(|arg| terms(arg, env, sign)),
        }
    }

    /// How a hint names a comparison.
    fn describe(&self, what: &What) -> Text {
        match *what {
            What::Meeting { table, row, column } => {
                let column = column as usize;
                let cell = self.tables[table].cell_name(row, column);
                match (
                    self.formula_name(table, row, column, Formula::Row),
                    self.formula_name(table, row, column, Formula::Column),
                ) {
                    (Some(row), Some(column)) => tr!(
                        "{row} and {column}, which meet at `{cell}`",
                        row = row,
                        column = column,
                        cell = cell
                    ),
                    _ => tr!(
                        "the formulas meeting at `{cell}` ({place})",
                        cell = cell,
                        place = self.place(self.formula_span(table, row, column, Formula::Row))
                    ),
                }
            }
            What::Formula {
                table,
                row,
                column,
                formula,
            } => {
                let column = column as usize;
                self.formula_name(table, row, column, formula)
                    .unwrap_or_else(|| {
                        tr!(
                            "the formula on {line}",
                            line = self.place(self.formula_span(table, row, column, formula))
                        )
                    })
            }
            What::Check { check, .. } => {
                let column = what.check().and_then(|(_, column)| column);
                let ast = self.checks[check as usize].ast;
                let (severity, span) = (ast.severity, ast.span);
                let line = self.place(span);
                let form = !self.in_report(span);
                match (severity, column) {
                    // A form's check, as the reader knows it: by the table.
                    (ast::CheckSeverity::Check, Some((table, column))) if form => tr!(
                        "the check of `{table}` in column {column}",
                        table = self.tables[table].name(),
                        column = self.tables[table].column_paths()[column as usize]
                    ),
                    (ast::CheckSeverity::Check, None) => tr!("the check on {line}", line = line),
                    (ast::CheckSeverity::Expect, None) => {
                        tr!("the expect on {line}", line = line)
                    }
                    (ast::CheckSeverity::Check, Some((table, column))) => tr!(
                        "the check on {line} in column {column}",
                        line = line,
                        column = self.tables[table].column_paths()[column as usize]
                    ),
                    (ast::CheckSeverity::Expect, Some((table, column))) => tr!(
                        "the expect on {line} in column {column}",
                        line = line,
                        column = self.tables[table].column_paths()[column as usize]
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
    pub(super) fn explain_failures(&mut self) {
        let comparisons = std::mem::take(&mut self.comparisons);
        if comparisons.iter().all(|c| !c.failed()) {
            return;
        }
        let mut terms: Vec<Terms> = Vec::with_capacity(comparisons.len());
        terms.resize_with(comparisons.len(), Terms::default);
        let mut candidates = HashSet::default();
        for (comparison, terms) in comparisons.iter().zip(&mut terms) {
            if comparison.failed() {
                *terms = self.find_terms(comparison);
                candidates.extend(terms.terms.iter().map(|&(cell, _)| cell));
            }
        }
        // A comparison that holds keeps only its terms in candidate cells,
        // and its terms lie in the tables its cells reach through formulas:
        // one that reaches no candidate's table keeps none, found or not.
        let reaching = self.tables_reaching(&candidates);
        for (comparison, terms) in comparisons.iter().zip(&mut terms) {
            if !comparison.failed() && self.may_reach(&comparison.what, &reaching) {
                let mut found = self.find_terms(comparison).terms;
                found.retain(|(cell, _)| candidates.contains(cell));
                found.shrink_to_fit();
                terms.terms = found;
            }
        }
        let contradicted: HashMap<(TableId, usize), &Text> = comparisons
            .iter()
            .filter_map(|c| c.contradicted().map(|c| (c.cell, &c.note)))
            .collect();
        for (comparison, terms) in comparisons.iter().zip(&terms) {
            if comparison.contradicted().is_some() {
                continue;
            }
            let Some(diagnostic) = comparison.diagnostic() else {
                continue;
            };
            for (cell, _) in &terms.terms {
                if let Some(text) = contradicted.get(cell) {
                    let note = (*text).clone();
                    if !self.diagnostics[diagnostic].notes.contains(&note) {
                        self.diagnostics[diagnostic].notes.push(note);
                    }
                }
            }
        }
        for hint in single_cell_hints(&comparisons, &terms) {
            let (table, index) = hint.cell;
            let (row, column) = self.tables[table].cell_at(index);
            let name = self.tables[table].cell_name(row, column);
            let unit = self.tables[table].column_units[column].clone();
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
            let suggestion = self.number_span(table, index).map(|span| Suggestion {
                span,
                replacement: hint.value.normalize().to_string(),
                message: tr!(
                    "change `{name}` from {from} to {to}",
                    name = name,
                    from = from,
                    to = to
                ),
            });
            for &i in &hint.fixes {
                if let Some(diagnostic) = comparisons[i].diagnostic() {
                    self.diagnostics[diagnostic].help.push(help.clone());
                    self.diagnostics[diagnostic]
                        .suggestions
                        .extend(suggestion.clone());
                }
            }
        }
    }

    /// A stated cell, for a fix that writes another number there (a bare
    /// number, in the column's unit, as the values of hints are); `None`
    /// for a `rest`, which states several cells.
    pub(super) fn number_span(&self, table: TableId, index: usize) -> Option<Span> {
        let info = &self.tables[table];
        let span = info.cell_span(index);
        let shared = info.cell_spans().filter(|&cell| cell == span).count() > 1;
        (!shared).then_some(span)
    }

    fn stated_values(
        &self,
        terms: &[((TableId, usize), Decimal)],
    ) -> Vec<((TableId, usize), Decimal)> {
        terms
            .iter()
            .filter_map(|&((table, index), _)| {
                let amount = self.tables[table].cells[index].amount()?;
                Some(((table, index), amount))
            })
            .collect()
    }
}

/// How many derived cells one linear expansion may look through (and so
/// how deep): enough for the totals of the official tables, bounded so that
/// long chains and shared cells cost little.
const MAX_EXPANSION: usize = 64;

/// "Changing `cell` from `current` to `value` fixes the comparisons `fixes`."
struct Hint {
    cell: (TableId, usize),
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
fn single_cell_hints(comparisons: &[Comparison], terms: &[Terms]) -> Vec<Hint> {
    let mut cells: Vec<((TableId, usize), Decimal)> = Vec::new();
    for (_, terms) in comparisons.iter().zip(terms).filter(|(c, _)| c.failed()) {
        for &(cell, _) in &terms.terms {
            if let Some(current) = terms
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
    // Each cell's comparisons, in order, with its coefficient in each: a
    // comparison with no term in a cell has the coefficient 0 there.
    let mut involved: HashMap<(TableId, usize), Vec<(usize, Decimal)>> = HashMap::default();
    for (index, terms) in terms.iter().enumerate() {
        for &(cell, k) in &terms.terms {
            let of_cell = involved.entry(cell).or_default();
            match of_cell.last_mut() {
                Some((last, sum)) if *last == index => *sum += k,
                _ => of_cell.push((index, k)),
            }
        }
    }
    let coefficient = |index: usize, cell: (TableId, usize)| -> Decimal {
        involved.get(&cell).map_or(Decimal::ZERO, |of_cell| {
            of_cell
                .iter()
                .find(|(of, _)| *of == index)
                .map_or(Decimal::ZERO, |(_, k)| *k)
        })
    };
    // Comparisons that hold but whose difference is beyond their tolerance
    // (none, as a rule): they break whatever a hint changes.
    let off: Vec<usize> = comparisons
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.failed() && c.difference().abs() > c.tolerance())
        .map(|(index, _)| index)
        .collect();
    let mut candidates: Vec<(usize, bool, Hint)> = Vec::new();
    for (cell, current) in cells {
        let of_cell = involved.get(&cell).map_or(&[][..], Vec::as_slice);
        let mut proposals: Vec<(Decimal, usize)> = Vec::new();
        for &(index, k) in of_cell {
            let comparison = &comparisons[index];
            if !comparison.failed() || k.is_zero() {
                continue;
            }
            if let Some(value) = comparison
                .difference()
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
                .contradicted()
                .is_some_and(|c| c.cell == cell)
        };
        if fixes.iter().all(own) {
            continue;
        }
        // Whether the change breaks a comparison that holds: one with a
        // term in the cell, or one already off.
        let breaks = match value.checked_sub(current) {
            None => comparisons.iter().any(|c| !c.failed()),
            Some(change) => {
                off.iter().any(|&index| coefficient(index, cell).is_zero())
                    || of_cell.iter().any(|&(index, k)| {
                        let comparison = &comparisons[index];
                        !comparison.failed() && {
                            let moved = k
                                .checked_mul(change)
                                .and_then(|change| comparison.difference().checked_add(change));
                            moved.is_none_or(|moved| moved.abs() > comparison.tolerance())
                        }
                    })
            }
        };
        if breaks {
            continue;
        }
        let agrees_with_formula = comparisons.iter().any(|c| {
            c.contradicted()
                .is_some_and(|c| c.cell == cell && c.derived == value)
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
    let mut unsupported: HashMap<Vec<usize>, usize> = HashMap::default();
    for (_, agrees, hint) in &candidates {
        if !agrees {
            *unsupported.entry(hint.fixes.clone()).or_default() += 1;
        }
    }
    candidates.retain(|(_, agrees, hint)| *agrees || unsupported[&hint.fixes] == 1);
    candidates.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cell.cmp(&b.2.cell)));
    let mut explained: HashSet<usize> = HashSet::default();
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
