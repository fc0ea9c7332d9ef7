//! Forms and their instances: forms by name (E0202 for one defined twice,
//! E0206 for an unknown one); the cells of `table X = F { … }` from its listed
//! rows and `rest` (E0503 for a row left unfilled), and the rows it names
//! that its form does not have (E0201, with the name in the other version
//! of a built-in format).

use crate::tr;

use super::table::{CellState, ReadCells, RowCells, Stated};
use super::tree::{Lookup, Tree};
use super::units::Unit;
use super::{Checker, Poisoned};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast;

impl<'a> Checker<'a> {
    pub(super) fn declare_form(&mut self, form: &'a ast::Table, library: Option<usize>) {
        if let Some(&(earlier, earlier_library)) = self.forms.get(form.name.value.as_str()) {
            let from = |library: Option<usize>| match library {
                Some(index) => tr!("library `{name}`", name = self.libraries[index].name),
                None => tr!("this file"),
            };
            self.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    tr!("form `{name}` is defined twice", name = form.name.value),
                )
                .primary(
                    form.name.span,
                    tr!("defined again in {value}", value = from(library)),
                )
                .secondary(
                    earlier.name.span,
                    tr!("first defined in {value}", value = from(earlier_library)),
                )
                .help(tr!("use one format library per report")),
            );
            return;
        }
        self.forms.insert(&form.name.value, (form, library));
    }

    /// E0206 for an instance of a form that no library defines.
    pub(super) fn unknown_form(&mut self, name: &ast::Ident) -> Poisoned {
        if self.broken.declares(&name.value) {
            return Poisoned::broken();
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnknownModule,
            tr!("unknown form `{name}`", name = name.value),
        )
        .primary(name.span, tr!("no form of this name"));
        let mut candidates: Vec<&str> = self.forms.keys().copied().collect();
        candidates.sort_unstable();
        diagnostic = match (self.suggest(&name.value, candidates.iter().copied()), self.forms.is_empty()) {
            (Some(close), _) => diagnostic.help(tr!("did you mean `{close}`?", close = close)),
            (None, true) => diagnostic.help(tr!("forms come from a library: add `use gov_disclosure_2021` (or `gov_disclosure_2019`)")),
            (None, false) => diagnostic.help(tr!("the forms in scope are `{candidates}`", candidates = candidates.join("`, `"))),
        };
        self.report(diagnostic)
    }

    /// The cells of an instance: each listed row as written, each unlisted
    /// data row from `rest` (its derived cells as `auto`), each unlisted
    /// formula row derived; E0503 for a data row that is neither listed nor
    /// covered by `rest`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn instance_cells(
        &mut self,
        instance: &'a ast::Instance,
        form: &ast::Table,
        rows: &Tree,
        leaf_entries: &[&'a ast::RowEntry],
        units: &[Unit],
        column_formulas: &[bool],
        out: &mut ReadCells<'a>,
    ) {
        let mut listed: Vec<Option<&'a ast::InstanceRow>> = vec![None; rows.leaves.len()];
        let mut misnamed = None;
        for row in &instance.rows {
            let names: Vec<&str> = row.path.iter().map(|name| name.value.as_str()).collect();
            let last = row.path.last().unwrap_or(&instance.form);
            match rows.lookup(&names, None) {
                Ok(id) if rows.nodes[id].is_group() => {
                    let inside: Vec<String> = rows
                        .data_leaves(id, None)
                        .iter()
                        .map(|&leaf| format!("`{}`", rows.nodes[leaf].name()))
                        .collect();
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownName,
                            tr!(
                                "`{names}` is a group of rows of form `{form}`, not a row",
                                names = names.join("."),
                                form = instance.form.value
                            ),
                        )
                        .primary(
                            row.path[0].span.to(last.span),
                            tr!("a group has no cells of its own"),
                        )
                        .help(tr!(
                            "fill in the rows inside it: {inside}",
                            inside = inside.join(", ")
                        )),
                    );
                }
                Ok(id) => {
                    let leaf = rows.nodes[id].leaf().unwrap_or_default();
                    match listed[leaf] {
                        Some(earlier) => self.diagnostics.push(
                            Diagnostic::new(
                                Code::DuplicateName,
                                tr!("row `{names}` is filled twice", names = names.join(".")),
                            )
                            .primary(row.path[0].span.to(last.span), tr!("filled again here"))
                            .secondary(earlier.path[0].span, tr!("first filled here")),
                        ),
                        None => listed[leaf] = Some(row),
                    }
                }
                Err(lookup) => {
                    let diagnostic =
                        self.unknown_instance_row(instance, form, rows, &names, row, lookup);
                    misnamed = Some(self.report(diagnostic));
                }
            }
        }
        let rest = match instance.rests.split_first() {
            Some((first, again)) => {
                for cell in again {
                    self.diagnostics.push(
                        Diagnostic::new(Code::DuplicateName, tr!("`rest` is given twice"))
                            .primary(cell.span(), tr!("a second `rest`"))
                            .secondary(first.span(), tr!("the first"))
                            .help(tr!("an instance has at most one `rest`")),
                    );
                }
                Some(first)
            }
            None => None,
        };
        for (leaf, entry) in leaf_entries.iter().enumerate() {
            let has_formula = matches!(
                &entry.kind,
                ast::RowKind::Leaf {
                    formula: Some(_),
                    ..
                }
            );
            if let Some(row) = listed[leaf] {
                self.read_cells(
                    &row.path[row.path.len() - 1],
                    Some(&row.cells),
                    has_formula,
                    units,
                    out,
                );
                continue;
            }
            // A row whose statement did not parse: its error is the one diagnostic.
            let lost = self.broken.lost_inside(instance.span, &entry.name.value);
            let rest = rest.filter(|_| !lost);
            match (has_formula, rest) {
                (true, _) => out.push_row_at(CellState::Auto, units.len(), instance.head),
                (false, Some(rest)) => {
                    for (unit, derived) in units.iter().zip(column_formulas) {
                        if *derived {
                            out.push(Stated::Auto, unit);
                        } else {
                            self.read_cell(rest, unit, out);
                        }
                    }
                    out.rows.push(RowCells::Rest(rest));
                }
                (false, None) => {
                    // A misnamed row is most likely the unfilled one: one
                    // mistake, one diagnostic.
                    if misnamed.is_none() && !lost {
                        self.unfilled_row(instance, rows.path(rows.leaves[leaf]));
                    }
                    out.push_row_at(CellState::Poisoned, units.len(), instance.head);
                }
            }
        }
    }

    /// E0503 for a data row of the form that the instance does not fill.
    fn unfilled_row(&mut self, instance: &ast::Instance, row: String) -> Poisoned {
        self.report(
            Diagnostic::new(
                Code::UnfilledRow,
                tr!(
                    "row `{row}` of form `{form}` is not filled",
                    row = row,
                    form = instance.form.value
                ),
            )
            .primary(instance.head, tr!("`{row}` has no cells here", row = row))
            .help(tr!(
                "add `{row} [ … ]`, or `rest 0` to fill every row not listed",
                row = row
            )),
        )
    }

    /// E0201 for a row an instance names that its form does not have, with
    /// the close names of this form and of the other format version.
    fn unknown_instance_row(
        &self,
        instance: &ast::Instance,
        form: &ast::Table,
        rows: &Tree,
        names: &[&str],
        row: &ast::InstanceRow,
        lookup: Lookup,
    ) -> Diagnostic {
        let last = row.path.last().unwrap_or(&instance.form);
        let span = row.path[0].span.to(last.span);
        let path = names.join(".");
        if let Lookup::Ambiguous(ids) = lookup {
            let candidates: Vec<String> = ids
                .iter()
                .map(|&id| format!("`{}`", rows.path(id)))
                .collect();
            return Diagnostic::new(
                Code::UnknownName,
                tr!(
                    "`{path}` is ambiguous in form `{form}`",
                    path = path,
                    form = instance.form.value
                ),
            )
            .primary(
                span,
                tr!(
                    "could be any of {candidates} rows",
                    candidates = candidates.len()
                ),
            )
            .help(tr!(
                "qualify it: {candidates}",
                candidates = candidates.join(", ")
            ));
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnknownName,
            tr!(
                "form `{form}` has no row `{path}`",
                form = instance.form.value,
                path = path
            ),
        )
        .primary(span, tr!("not a row of this form"));
        let name = names.last().copied().unwrap_or_default();
        if let Some(renamed) = self.renamed_row(form, name) {
            diagnostic = diagnostic.help(renamed);
        } else if let Some(close) = self.suggest(name, rows.names()) {
            diagnostic = diagnostic.help(tr!("did you mean `{close}`?", close = close));
        }
        diagnostic
    }

    /// For a row name of the other version of a built-in format: the
    /// message that gives this version's name (`规范性文件` in 2019 is
    /// `行政规范性文件` in 2021).
    fn renamed_row(&self, form: &ast::Table, name: &str) -> Option<crate::diagnostics::Text> {
        let &(_, library) = self.forms.get(form.name.value.as_str())?;
        let library = &self.libraries[library?];
        let other = library.other_version.as_ref()?;
        let old = other.leaf_rows(&form.name.value)?;
        let position = old.iter().position(|old_name| old_name == name)?;
        let current = crate::modules::leaf_rows(form);
        let renamed = current
            .iter()
            .find(|new_name| new_name.contains(name) || name.contains(new_name.as_str()))
            .or_else(|| current.get(position).filter(|_| old.len() == current.len()))?;
        Some(tr!(
            "`{name}` is the name in `{other}`; in `{library}` this row is `{renamed}`",
            name = name,
            other = other.name,
            library = library.name,
            renamed = renamed
        ))
    }
}
