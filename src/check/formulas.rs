//! Formulas against stated cells: the value a cell's row or column formula
//! derives, a stated cell that contradicts it (E0402), two formulas that
//! disagree, `auto` without a formula (E0304), a blank cell whose parts add
//! up to more than zero (W0106).

use crate::tr;
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use rust_decimal::Decimal;

use super::eval::{Definition, Env, Frame, Node};
use super::hint::{Comparison, Contradiction, Failure, What};
use super::rexpr::RExpr;
use super::table::{CellState, Formula, RowId, Stated, TableId};
use super::{Amount, Checked, Checker, Poisoned, Val};
use crate::diagnostics::{Arg, Code, Diagnostic, Family, Label, Text};
use crate::span::Span;

impl<'a> Checker<'a> {
    /// The common value of the formulas that cover a cell that is not
    /// stated, `first` and `second` (its row's, then its column's); E0402
    /// when they disagree.
    pub(super) fn derive(
        &mut self,
        table: TableId,
        row: RowId,
        column: usize,
        first: (Formula, Rc<RExpr>),
        second: Option<(Formula, Rc<RExpr>)>,
    ) -> Checked<Val> {
        let first = self.formula_value(table, row, column, first.0, &first.1);
        let second =
            second.map(|(formula, expr)| self.formula_value(table, row, column, formula, &expr));
        if let (Ok(first), Some(Ok(second))) = (&first, &second)
            && let (Amount::Known(a), Amount::Known(b)) = (first.amount, second.amount)
        {
            // The two formulas form an equality of their own, for the hint.
            self.comparisons.push(Comparison::new(
                a.checked_sub(b).unwrap_or(Decimal::MAX),
                Decimal::ZERO,
                What::Meeting {
                    table,
                    row,
                    column: column as u32,
                },
                (a != b).then_some(self.diagnostics.len()),
            ));
        }
        if let (Ok(first), Some(Ok(second))) = (&first, &second)
            && let (Amount::Known(a), Amount::Known(b)) = (first.amount, second.amount)
            && a != b
        {
            let info = &self.tables[table];
            let cell_span = info.cell_span(row.index() * info.width() + column);
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
        match (first, second) {
            (Err(poisoned), _) | (_, Some(Err(poisoned))) => Err(poisoned),
            (Ok(value), _) => Ok(value),
        }
    }

    /// E0304: `auto` in a cell that no formula derives.
    pub(super) fn auto_without_formula(
        &mut self,
        table: TableId,
        row: RowId,
        column: usize,
    ) -> Poisoned {
        let info = &self.tables[table];
        let span = info.cell_span(row.index() * info.width() + column);
        let name = info.cell_name(row, column);
        self.report(
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
        )
    }

    /// The formulas that derive a cell: its row's, then its column's.
    pub(super) fn formulas_of(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
    ) -> impl Iterator<Item = Formula> + Clone + use<> {
        let info = &self.tables[table];
        let by_row = info.row_formulas[row.index()].is_some();
        let by_column = info.column_formulas[column].is_some();
        let formulas = [
            by_row.then_some(Formula::Row),
            by_column.then_some(Formula::Column),
        ];
        formulas.into_iter().flatten()
    }

    /// Whether a formula covers a cell.
    pub(super) fn is_derived(&self, table: TableId, row: RowId, column: usize) -> bool {
        let info = &self.tables[table];
        info.row_formulas[row.index()].is_some() || info.column_formulas[column].is_some()
    }

    /// A formula of a form in a library as the reader knows it, by the
    /// label of its row or column ("the formula of the （七）总计 row", "… of
    /// the 总计 column");
    /// `None` for a formula of the report's own, named by its line.
    pub(super) fn formula_name(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        formula: Formula,
    ) -> Option<Text> {
        if self.in_report(self.formula_span(table, row, column, formula)) {
            return None;
        }
        let info = &self.tables[table];
        let (tree, leaf) = match formula {
            Formula::Row => (&info.rows, info.rows.leaves[row.index()]),
            Formula::Column => (&info.columns, info.columns.leaves[column]),
        };
        let node = &tree.nodes[leaf];
        let label = node.shown();
        Some(match formula {
            Formula::Row => tr!("the formula of the {label} row", label = label),
            Formula::Column => tr!("the formula of the {label} column", label = label),
        })
    }

    pub(super) fn formula_span(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        formula: Formula,
    ) -> Span {
        let info = &self.tables[table];
        match formula {
            Formula::Row => info.rows.formula(info.rows.leaves[row.index()]),
            Formula::Column => info.columns.formula(info.columns.leaves[column]),
        }
        .unwrap_or_default()
    }

    /// A formula of a cell, and where it is evaluated.
    pub(super) fn formula_of(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        formula: Formula,
    ) -> (Option<Rc<RExpr>>, Env) {
        let info = &self.tables[table];
        let expr = match formula {
            Formula::Row => info.row_formulas[row.index()].clone(),
            Formula::Column => info.column_formulas[column].clone(),
        };
        (expr, formula_env(table, row, column, formula))
    }

    /// One formula's value for one cell, in the column's unit.
    fn formula_value(
        &mut self,
        table: TableId,
        row: RowId,
        column: usize,
        formula: Formula,
        expr: &RExpr,
    ) -> Checked<Val> {
        let env = formula_env(table, row, column, formula);
        let info = &self.tables[table];
        let column_unit = info.column_units[column].clone();
        self.eval.stack.push(Frame {
            node: Node::Cell(table, row.index() * info.width() + column),
            definition: Definition::Formula(formula),
        });
        let value = self.eval(expr, env);
        self.eval.stack.pop();
        let mut value = self.settle(value?);
        if !value.unit.compatible(&column_unit) {
            let message = tr!(
                "this formula gives {unit}, but its column holds {column_unit}",
                unit = value.unit.describe(),
                column_unit = column_unit.describe()
            );
            let definition = self.formula_span(table, row, column, formula);
            return Err(self.report_once(
                Diagnostic::new(Code::MismatchedUnits, message)
                    .primary(definition, tr!("in this formula")),
            ));
        }
        value.unit = column_unit;
        value.computed();
        Ok(value)
    }

    pub(super) fn verify_cells(&mut self, table: TableId) {
        let width = self.tables[table].width();
        for row in self.tables[table].row_ids() {
            for column in 0..width {
                self.verify_cell(table, row, column);
            }
        }
    }

    fn verify_cell(&mut self, table: TableId, row: RowId, column: usize) {
        let index = row.index() * self.tables[table].width() + column;
        let formulas = self.formulas_of(table, row, column);
        let state = self.tables[table].cells[index].state;
        match (state, formulas.clone().next().is_none()) {
            // A stated number or a cell that could not be read is its own
            // value: nothing to evaluate.
            (CellState::Number | CellState::Poisoned, true) => {}
            (CellState::Number, false) => {
                let Stated::Number(stated) = self.tables[table].stated(table, index) else {
                    return;
                };
                for formula in formulas {
                    self.compare_with_formula(table, row, column, &stated, formula);
                }
            }
            (CellState::Blank, false) => {
                if let Ok(value) = self.cell_value(table, row, column)
                    && let Amount::Known(amount) = value.amount
                    && !amount.is_zero()
                {
                    let name = self.tables[table].cell_name(row, column);
                    let shown = self.show(&value);
                    let span = self.tables[table].cell_span(index);
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
                        .help(tr!("write `auto` to show the derived value, or state it"))
                        .suggest(span, "auto", tr!("write `auto`")),
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
        table: TableId,
        row: RowId,
        column: usize,
        stated: &Val,
        formula: Formula,
    ) {
        let (Some(expr), _) = self.formula_of(table, row, column, formula) else {
            return;
        };
        let Ok(derived) = self.formula_value(table, row, column, formula, &expr) else {
            return;
        };
        let (Amount::Known(a), Amount::Known(b)) = (stated.amount, derived.amount) else {
            return;
        };
        let info = &self.tables[table];
        let width = info.width();
        let cell_span = info.cell_span(row.index() * width + column);
        let definition = self.formula_span(table, row, column, formula);
        let holds = a == b;
        let mut comparison = Comparison::new(
            a.checked_sub(b).unwrap_or(Decimal::MAX),
            Decimal::ZERO,
            What::Formula {
                table,
                row,
                column: column as u32,
                formula,
            },
            None,
        );
        if !holds {
            if self.wants.symbols {
                self.disputes.push((
                    table,
                    row.index() * width + column,
                    definition,
                    derived.clone(),
                ));
            }
            let name = self.tables[table].cell_name(row, column);
            let shown_derived = self.show(&derived);
            let shown_stated = self.show(stated);
            let change = self.number_span(table, row.index() * width + column);
            let formula_text = self.sources.slice(definition).to_string();
            let parts = match formula {
                Formula::Row => tr!("its row formula"),
                Formula::Column => tr!("its column formula"),
            };
            let mut diagnostic = Diagnostic::new(
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
            ))
            .suggest(cell_span, "auto", tr!("write `auto`"));
            if let Some(span) = change {
                diagnostic = diagnostic.suggest(
                    span,
                    &b.normalize().to_string(),
                    tr!(
                        "change `{name}` from {from} to {to}",
                        name = name.as_str(),
                        from = shown_stated.as_str(),
                        to = shown_derived.as_str()
                    ),
                );
            }
            diagnostic.family = Some(Box::new(self.family_draft(
                table,
                row,
                column,
                formula,
                (a, &shown_stated),
                &shown_derived,
                (definition, &formula_text),
            )));
            self.diagnostics.push(diagnostic);
            let note = tr!(
                "`{name}` is stated as {shown_stated} but {parts} gives {shown_derived} ({line})",
                name = name,
                shown_stated = shown_stated,
                parts = parts,
                shown_derived = shown_derived,
                line = self
                    .formula_name(table, row, column, formula)
                    .unwrap_or_else(|| self.place(definition))
            );
            comparison.fail(Failure {
                diagnostic: self.diagnostics.len() - 1,
                contradicted: Some(Contradiction {
                    cell: (table, row.index() * width + column),
                    derived: b,
                    note,
                }),
            });
        }
        self.comparisons.push(comparison);
    }
}

/// The fewest E0402s of one column (or row) that the human output shows as
/// one block.
const FAMILY: usize = 3;

impl Checker<'_> {
    /// What an E0402 of a stated cell shares with the others of its column
    /// (for a column formula) or row (for a row formula) that state the
    /// same number: the family's key and words, its size still unknown
    /// (see [`Checker::gather_families`]).
    #[allow(clippy::too_many_arguments)]
    fn family_draft(
        &self,
        table: TableId,
        row: RowId,
        column: usize,
        formula: Formula,
        (stated, shown_stated): (Decimal, &str),
        shown_derived: &str,
        (definition, formula_text): (Span, &str),
    ) -> Family {
        let info = &self.tables[table];
        let (line, what, across) = match formula {
            Formula::Column => (
                info.column_paths()[column].to_string(),
                tr!("column"),
                tr!("rows"),
            ),
            Formula::Row => (
                info.rows.path(info.rows.leaves[row.index()]),
                tr!("row"),
                tr!("columns"),
            ),
        };
        let message = tr!(
            "{what} `{line}` of `{table}` is stated as {stated} in {count} {across}, where its formula gives other values",
            what = what,
            line = line,
            table = info.name(),
            stated = shown_stated,
            across = across
        );
        let unfilled = tr!(
            "did the table leave {what} `{line}` unfilled?",
            what = what,
            line = line
        );
        Family {
            key: format!(
                "E0402 {} {formula:?} {line} {}",
                table.index(),
                stated.normalize()
            ),
            size: 0,
            message,
            label: tr!(
                "its formula gives {shown_derived}",
                shown_derived = shown_derived
            ),
            shared: vec![Label {
                span: definition,
                message: tr!(
                    "`{formula_text}` derives each of these cells",
                    formula_text = formula_text
                ),
                primary: false,
            }],
            notes: if stated.is_zero() {
                vec![unfilled]
            } else {
                Vec::new()
            },
            help: vec![tr!(
                "correct the numbers, or write `auto` in these cells to let gdr fill them in"
            )],
        }
    }

    /// Makes families of the E0402s that state one number in one column
    /// (or row) against its formula: at least [`FAMILY`] of them, none with
    /// a hint of its own (which the block would hide). Runs once every
    /// diagnostic of the formulas and their hints is made.
    pub(super) fn gather_families(&mut self) {
        let mut sizes: HashMap<String, usize> = HashMap::default();
        let plain =
            |diagnostic: &Diagnostic| diagnostic.notes.is_empty() && diagnostic.help.len() == 1;
        for diagnostic in &self.diagnostics {
            if let Some(family) = &diagnostic.family
                && plain(diagnostic)
            {
                *sizes.entry(family.key.clone()).or_default() += 1;
            }
        }
        for diagnostic in &mut self.diagnostics {
            let eligible = plain(diagnostic);
            let Some(family) = &mut diagnostic.family else {
                continue;
            };
            let size = sizes.get(&family.key).copied().unwrap_or_default();
            if !eligible || size < FAMILY {
                diagnostic.family = None;
                continue;
            }
            family.size = size;
            family.message = family
                .message
                .clone()
                .arg("count", Arg::Plain(size.to_string()));
            family.notes.push(tr!(
                "each of the {count} cells is reported on its own by `--message-format short` or `json`, and counts on its own",
                count = size
            ));
        }
    }
}

/// Where a formula of a cell is evaluated: a row formula in the cell's
/// column, a column formula in its row.
fn formula_env(table: TableId, row: RowId, column: usize, formula: Formula) -> Env {
    match formula {
        Formula::Row => Env {
            column: Some((table, column)),
            row: None,
        },
        Formula::Column => Env {
            column: None,
            row: Some(row),
        },
    }
}
