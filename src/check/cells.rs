//! Stated cells: what a row states for each leaf column, read from its
//! `[…]` (E0303 for the wrong number of cells, E0301 for a cell in another
//! unit than its column's, E0302 for a fractional count).

use crate::tr;

use super::literal_value;
use super::table::{CellInfo, CellState, ReadCells, RowCells, Stated};
use super::units::Unit;
use super::{Checker, Poisoned};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast;

impl<'a> Checker<'a> {
    /// Reads a row's stated cells; `cells` is `None` for a row with only a
    /// formula (or, in error, with neither).
    pub(super) fn read_cells(
        &mut self,
        name: &ast::Ident,
        cells: Option<&'a ast::Cells>,
        has_formula: bool,
        units: &[Unit],
        out: &mut ReadCells<'a>,
    ) {
        let width = units.len();
        let Some(cells) = cells else {
            let state = if has_formula {
                CellState::Auto
            } else if self.broken.lost_cells(name) {
                CellState::Poisoned
            } else {
                self.report(
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
                CellState::Poisoned
            };
            out.push_row_at(state, width, name.span);
            return;
        };
        if cells.cells.len() != width {
            let found = cells.cells.len();
            self.report(
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
            out.push_row_at(CellState::Poisoned, width, cells.span);
            return;
        }
        for (cell, unit) in cells.cells.iter().zip(units) {
            if let Some(note) = cell.note() {
                out.notes.push((out.cells.len(), note));
            }
            self.read_cell(cell, unit, out);
        }
        out.rows.push(RowCells::Cells(cells));
    }

    /// Reads a stated cell into `out`.
    pub(super) fn read_cell(&mut self, cell: &ast::Cell, column_unit: &Unit, out: &mut ReadCells) {
        // Most cells: a number without a unit of its own, whole or not a
        // count, in a base unit or exactly in it (what `literal_in` finds
        // for them, without a value of its own).
        if let Some((text, false)) = cell.number_text()
            && let Some(value) = literal_value(text)
            && (!column_unit.is_count() || value.is_integer())
            && let Some(amount) = column_unit.to_base(value)
        {
            out.cells.push(CellInfo::number(amount));
            return;
        }
        let stated = self.stated_cell(cell, column_unit);
        out.push(stated, column_unit);
    }

    fn stated_cell(&mut self, cell: &ast::Cell, column_unit: &Unit) -> Stated {
        let value = cell.value();
        let literal = match &value {
            ast::CellValue::Blank(_) => return Stated::Blank,
            ast::CellValue::Unknown(_) => return Stated::Unknown,
            ast::CellValue::Auto(_) => return Stated::Auto,
            ast::CellValue::Malformed(_) => return Stated::Poisoned(Poisoned::malformed()),
            ast::CellValue::Number(literal) => literal,
        };
        let value = match self.literal_in(literal, column_unit) {
            Ok(value) => value,
            Err(poisoned) => return Stated::Poisoned(poisoned),
        };
        if !value.unit.compatible(column_unit) {
            return Stated::Poisoned(
                self.report(
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
                ),
            );
        }
        Stated::Number(value)
    }
}
