//! Interpolation: the `{…}` of paragraphs and table notes, evaluated and
//! formatted (`:%2`, `as 万元`), and their errors reported.

use crate::tr;

use super::eval::{Env, rounded_text};
use super::resolve::Scope;
use super::{Amount, Checker};
use crate::diagnostics::{Code, Diagnostic};
use crate::model;
use crate::syntax::ast;

/// The interpolated texts of a report, in the order the model reads them.
pub(super) struct Texts {
    /// Every paragraph's text, in document order.
    pub paragraphs: Vec<model::Prose>,
    /// The notes of each of the report's own tables, by index.
    pub notes: Vec<Vec<model::Prose>>,
}

impl<'a> Checker<'a> {
    /// Interpolates every paragraph of `items`, then the notes of the first
    /// `own_tables` tables (the report's own), reporting what is wrong.
    pub(super) fn interpolate_all(&mut self, items: &'a [ast::Item], own_tables: usize) -> Texts {
        let mut paragraphs = Vec::new();
        self.interpolate_paragraphs(items, &mut paragraphs);
        let notes = self
            .tables
            .ids()
            .take(own_tables)
            .map(|table| {
                let kind = self.tables[table].kind;
                let notes = kind
                    .definition()
                    .map(|definition| definition.notes.as_slice())
                    .unwrap_or_default();
                let own = kind
                    .instance()
                    .map(|instance| instance.notes.as_slice())
                    .unwrap_or_default();
                notes
                    .iter()
                    .chain(own)
                    .map(|note| self.paragraph_text(note))
                    .collect()
            })
            .collect();
        Texts { paragraphs, notes }
    }

    fn interpolate_paragraphs(&mut self, items: &'a [ast::Item], out: &mut Vec<model::Prose>) {
        for item in items {
            match item {
                ast::Item::Section(section) => self.interpolate_paragraphs(&section.items, out),
                ast::Item::Paragraph(paragraph) => out.push(self.paragraph_text(paragraph)),
                _ => {}
            }
        }
    }

    /// A paragraph's final text, with its interpolations rendered and
    /// marked as values.
    fn paragraph_text(&mut self, paragraph: &ast::Paragraph) -> model::Prose {
        let mut prose = model::Prose::default();
        for piece in &paragraph.pieces {
            match piece {
                // Without the model, only what the interpolations report.
                ast::Piece::Text(_) if !self.wants.model => {}
                ast::Piece::Text(literal) => prose.text.push_str(literal),
                ast::Piece::Interpolation(interpolation) => {
                    let value = self.interpolate(interpolation);
                    if !value.is_empty() {
                        let start = prose.text.len();
                        prose.text.push_str(&value);
                        prose.values.push(start..prose.text.len());
                    }
                }
            }
        }
        prose
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
            value.computed();
        }
        let Amount::Known(amount) = value.amount else {
            return String::new();
        };
        if let ast::Format::Percent(decimals) = interpolation.format
            && !value.unit.is_dimensionless()
        {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MismatchedUnits,
                    tr!(
                        "`:%{decimals}` needs a plain number or ratio, but this is in {unit}",
                        decimals = decimals,
                        unit = value.unit.describe()
                    ),
                )
                .primary(interpolation.span, tr!("not a ratio"))
                .help(tr!(
                    "divide two quantities of the same unit, e.g. `{不予公开 / 总计:%2}`"
                )),
            );
            return String::new();
        }
        // The text is for the model only: the checks are done.
        if !self.wants.model {
            return String::new();
        }
        match interpolation.format {
            ast::Format::WithUnit => self.show_with_unit(&value),
            ast::Format::Number => self.number_text(&value),
            ast::Format::WithUnitDecimals(decimals) => {
                format!("{}{}", rounded_text(&value, decimals), value.unit.name)
            }
            ast::Format::NumberDecimals(decimals) => rounded_text(&value, decimals),
            ast::Format::Percent(decimals) => {
                super::eval::percent_text(amount, decimals).unwrap_or_default()
            }
        }
    }
}
