//! Name resolution: syntax expressions to [`RExpr`], over lets and cells.
//!
//! Scopes (LANGUAGE.md §4 and §9 rules 19–20):
//! - outside tables, a bare name is a `let`; `表.行[列]` names cells;
//! - in a table's check or row formula, a bare name is a row of that table
//!   (looked up from the formula's group outwards), else a `let`;
//! - in a column formula, a bare name is a column (from the formula's group
//!   outwards), else a `let`.
//!
//! A group used as a value is expanded here into the sum of its data
//! leaves, so evaluation only ever sees single cells.

use crate::tr;
use std::rc::Rc;

use super::rexpr::{Chain, Home, RExpr, Sel};
use super::table::{Kind, RowId, TableId};
use super::tree::{Lookup, NodeId, Tree};
use super::{Checker, Poisoned};
use crate::diagnostics::{Arg, Code, Diagnostic, Text};
use crate::span::Span;
use crate::syntax::ast;

/// Where an expression stands.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    /// Prose, lets and checks outside tables.
    Global,
    /// A table's check (`group` None) or a row formula.
    Rows {
        table: TableId,
        group: Option<NodeId>,
        defining: Option<NodeId>,
        sealed: bool,
    },
    /// A column formula.
    Columns {
        table: TableId,
        group: Option<NodeId>,
        defining: Option<NodeId>,
        sealed: bool,
    },
}

impl Scope {
    /// Whether the expression is a form's own (a formula or check of a
    /// library's form, in an instance): it resolves in its table only,
    /// never among the report's lets, aliases or other tables.
    fn sealed(self) -> bool {
        match self {
            Scope::Global => false,
            Scope::Rows { sealed, .. } | Scope::Columns { sealed, .. } => sealed,
        }
    }
}

impl<'a> Checker<'a> {
    /// Resolves every let, formula and check.
    pub(super) fn resolve_all(&mut self) {
        for index in 0..self.lets.len() {
            let ast = self.lets[index].ast;
            let mut uses = Vec::new();
            let expr = self.resolve(&ast.expr, Scope::Global, &mut uses);
            let mut rows = Vec::new();
            expr.row_tables(&mut rows);
            let expr = if rows.is_empty() {
                expr
            } else {
                RExpr::Poisoned(self.whole_row(&ast.expr, tr!("a `let`")))
            };
            self.let_exprs.push(Rc::new(expr));
            self.lets[index].refers_to = uses;
        }
        for table in self.tables.ids() {
            let (definition, instance) = match self.tables[table].kind {
                Kind::Table(definition) => (definition, None),
                Kind::Instance(form, instance) => (form, Some(instance)),
                Kind::Frozen | Kind::Poisoned { .. } => continue,
            };
            self.resolve_formulas(table, definition, instance.is_some());
            let info = &self.tables[table];
            let anchor = instance.map(|instance| instance.head);
            let form_checks = definition.checks.len();
            let checks: Vec<super::CheckInfo<'a>> = info
                .checks()
                .enumerate()
                .map(|(index, check)| super::CheckInfo {
                    ast: check,
                    table: Some(table),
                    anchor: anchor.filter(|_| index < form_checks),
                })
                .collect();
            self.checks.extend(checks);
        }
    }

    fn resolve_formulas(&mut self, table: TableId, ast: &'a ast::Table, sealed: bool) {
        let info = &self.tables[table];
        let column_entries: Vec<(NodeId, &'a ast::Expr)> = leaf_formulas(
            ast.columns
                .first()
                .map(|(_, entries)| entries.as_slice())
                .unwrap_or_default(),
            &info.columns,
            |entry| match &entry.kind {
                ast::ColumnKind::Leaf { formula, .. } => Err(formula.as_deref()),
                ast::ColumnKind::Group(children) => Ok(children.as_slice()),
            },
        );
        let row_entries: Vec<(NodeId, &'a ast::Expr)> = leaf_formulas(
            ast.rows
                .first()
                .map(|(_, entries)| entries.as_slice())
                .unwrap_or_default(),
            &info.rows,
            |entry| match &entry.kind {
                ast::RowKind::Leaf { formula, .. } => Err(formula.as_deref()),
                ast::RowKind::Group(children) => Ok(children.as_slice()),
            },
        );
        // The tables the formulas name, other than this one (for the hint).
        self.named_tables = Some(Vec::new());
        for (id, formula) in column_entries {
            let group = self.tables[table].columns.nodes[id].parent();
            let scope = Scope::Columns {
                table,
                group,
                defining: Some(id),
                sealed,
            };
            let expr = self.resolve_used(formula, scope);
            let leaf = self.tables[table].columns.nodes[id]
                .leaf()
                .unwrap_or_default();
            self.tables[table].column_formulas[leaf] = Some(Rc::new(expr));
        }
        for (id, formula) in row_entries {
            let group = self.tables[table].rows.nodes[id].parent();
            let scope = Scope::Rows {
                table,
                group,
                defining: Some(id),
                sealed,
            };
            let expr = self.resolve_used(formula, scope);
            let leaf = self.tables[table].rows.nodes[id].leaf().unwrap_or_default();
            self.tables[table].row_formulas[leaf] = Some(Rc::new(expr));
        }
        let mut named = self.named_tables.take().unwrap_or_default();
        named.sort();
        named.dedup();
        let links = named.into_iter().filter(|&other| other != table);
        self.table_links.extend(links.map(|other| (table, other)));
    }

    /// Resolves an expression whose lets count as used.
    pub(super) fn resolve_used(&mut self, expr: &ast::Expr, scope: Scope) -> RExpr {
        let mut uses = Vec::new();
        let resolved = self.resolve(expr, scope, &mut uses);
        for index in uses {
            self.lets[index].used_directly = true;
        }
        resolved
    }

    pub(super) fn whole_row(
        &mut self,
        expr: &ast::Expr,
        place: crate::diagnostics::Text,
    ) -> Poisoned {
        self.report(
            Diagnostic::new(
                Code::MismatchedUnits,
                tr!("a whole row cannot be used in {place}", place = place),
            )
            .primary(
                expr.span(),
                tr!("this is a whole row, one value per column"),
            )
            .help(tr!("name one cell with `[column]`, e.g. `申请.新收[总计]`")),
        )
    }

    pub(super) fn resolve(
        &mut self,
        expr: &ast::Expr,
        scope: Scope,
        uses: &mut Vec<usize>,
    ) -> RExpr {
        match expr {
            ast::Expr::Literal(literal) => match self.literal(literal) {
                Ok(value) => RExpr::Literal(Box::new(value), literal.span),
                Err(poisoned) => RExpr::Poisoned(poisoned),
            },
            ast::Expr::Malformed(_) => RExpr::Poisoned(Poisoned::malformed()),
            ast::Expr::Paren { inner, .. } => self.resolve(inner, scope, uses),
            ast::Expr::Neg { operand, span, .. } => RExpr::Neg {
                operand: Box::new(self.resolve(operand, scope, uses)),
                span: *span,
            },
            ast::Expr::Chain { first, rest, span } => RExpr::Chain(Box::new(Chain {
                first: self.resolve(first, scope, uses),
                rest: rest
                    .iter()
                    .map(|(op, operand)| (*op, self.resolve(operand, scope, uses)))
                    .collect(),
                span: *span,
            })),
            ast::Expr::Sum { args, span } => RExpr::Sum {
                args: args
                    .iter()
                    .map(|arg| self.resolve(arg, scope, uses))
                    .collect(),
                table: Home::of(scope_table(scope)),
                span: *span,
            },
            ast::Expr::Reference(reference) => {
                let resolved = self.resolve_reference(reference, scope, uses);
                self.record_symbol(reference, &resolved);
                resolved
            }
        }
    }

    /// Remembers what a reference names, for an editor's hover and
    /// go-to-definition.
    fn record_symbol(&mut self, reference: &ast::Reference, resolved: &RExpr) {
        if !self.wants.symbols {
            return;
        }
        let span = reference.span;
        let target = match resolved {
            RExpr::Let { index, .. } => super::Target::Let(*index),
            RExpr::Literal(value, _) => super::Target::Value((**value).clone()),
            RExpr::Cell {
                table, row, column, ..
            } => super::Target::Cell {
                table: *table,
                row: *row,
                column: column.widen(),
            },
            RExpr::Sum { args, .. } => match args.first() {
                Some(RExpr::Cell { table, .. }) => super::Target::Group { table: *table },
                _ => return,
            },
            _ => return,
        };
        // The column part of `表.行[列]` is defined by its column (or group
        // of columns).
        let table = match &target {
            super::Target::Cell { table, .. } | super::Target::Group { table } => Some(*table),
            _ => None,
        };
        if let (Some(table), Some(path)) = (table, &reference.column)
            && let (Some(first), Some(last)) = (path.first(), path.last())
        {
            let names: Vec<&str> = path.iter().map(|name| name.value.as_str()).collect();
            let columns = &self.tables[table].columns;
            if let Ok(id) = columns.lookup(&names, None) {
                let part = super::Target::Part {
                    whole: Box::new(target.clone()),
                    span,
                    definition: columns.name_span(id),
                };
                self.symbols.push((first.span.to(last.span), part));
            }
        }
        // The rows of a group `表.组[列]`: defined by the group of rows (a
        // group `组` alone: of rows, or else of columns).
        if let (Some(table), super::Target::Group { .. }) = (table, &target) {
            let mut rows = &reference.path[..];
            if let [first, rest @ ..] = rows
                && !rest.is_empty()
                && first.value == self.tables[table].name()
            {
                rows = rest;
            }
            let names: Vec<&str> = rows.iter().map(|name| name.value.as_str()).collect();
            let info = &self.tables[table];
            let found = match info.rows.lookup(&names, None) {
                Ok(id) => Some((&info.rows, id)),
                Err(_) if reference.column.is_none() => info
                    .columns
                    .lookup(&names, None)
                    .ok()
                    .map(|id| (&info.columns, id)),
                Err(_) => None,
            };
            if let (Some(first), Some(last), Some((tree, id))) = (rows.first(), rows.last(), found)
            {
                let part = super::Target::Part {
                    whole: Box::new(target.clone()),
                    span,
                    definition: tree.name_span(id),
                };
                self.symbols.push((first.span.to(last.span), part));
            }
        }
        // The table part of `表.行`: defined by the table, or by the form
        // an instance fills (in its library).
        if let Some(table) = table
            && let [first, _, ..] = &reference.path[..]
            && first.value == self.tables[table].name()
            && let Some(form) = self.tables[table].kind.definition()
        {
            let part = super::Target::Part {
                whole: Box::new(target.clone()),
                span,
                definition: form.name.span,
            };
            self.symbols.push((first.span, part));
        }
        self.symbols.push((span, target));
    }

    fn resolve_reference(
        &mut self,
        reference: &ast::Reference,
        scope: Scope,
        uses: &mut Vec<usize>,
    ) -> RExpr {
        let path = Names::of(&reference.path);
        let first = &reference.path[0];
        let sealed = scope.sealed();
        if !sealed
            && !matches!(scope, Scope::Columns { .. })
            && self.aliases.contains_key(first.value.as_str())
        {
            return self.resolve_alias(reference);
        }
        let let_index = if sealed {
            None
        } else {
            self.let_by_name.get(first.value.as_str()).copied()
        };
        // A name that only an item that did not parse declares: that item's
        // syntax error is the one diagnostic.
        if !sealed
            && let_index.is_none()
            && self.broken.declares(&first.value)
            && !self.table_by_name.contains_key(first.value.as_str())
            && !self.in_scope_tree(scope, &path)
        {
            return RExpr::Poisoned(Poisoned::broken());
        }
        match scope {
            Scope::Columns {
                table,
                group,
                defining,
                ..
            } => {
                if reference.column.is_some() {
                    return self.unknown_name(
                        first,
                        Some(tr!(
                            "a column formula names columns of its own row; `[…]` is not used here"
                        )),
                        None,
                    );
                }
                let found = self.tables[table].columns.lookup(&path, group);
                match (found, let_index, path.len()) {
                    (Ok(_), Some(_), 1) => self.both_row_and_let(first, tr!("column")),
                    (Ok(id), _, _) => {
                        let columns = self.column_leaves(table, id, defining);
                        self.cells(table, &[Sel::Current], &columns, reference.span)
                    }
                    (Err(Lookup::Ambiguous(ids)), _, _) => {
                        let tree = &self.tables[table].columns;
                        let candidates: Vec<String> =
                            ids.iter().map(|&id| tree.qualified(id)).collect();
                        self.ambiguous(first, reference.span, &candidates)
                    }
                    (Err(Lookup::Unknown), Some(index), 1) => {
                        uses.push(index);
                        RExpr::Let {
                            index,
                            span: reference.span,
                        }
                    }
                    (Err(Lookup::Unknown), _, _) => {
                        let tree = &self.tables[table].columns;
                        let name = reference.path.last().unwrap_or(first);
                        let suggestion =
                            self.suggest_in_tree(&name.value, tree).map(str::to_string);
                        let mut diagnostic = Diagnostic::new(
                            Code::UnknownColumn,
                            tr!(
                                "table `{value}` has no column `{path}`",
                                value = self.tables[table].name(),
                                path = path.join(".")
                            ),
                        )
                        .primary(reference.span, tr!("unknown column"));
                        if let Some(close) = suggestion {
                            diagnostic =
                                diagnostic.help(tr!("did you mean `{close}`?", close = close));
                        }
                        RExpr::Poisoned(self.report(diagnostic))
                    }
                }
            }
            Scope::Rows {
                table,
                group,
                defining,
                ..
            } => {
                // `表.行…` names another table's (or this table's) rows.
                if path.len() > 1
                    && !sealed
                    && let Some(&other) = self.table_by_name.get(path[0])
                {
                    return self.resolve_row_path(
                        other,
                        &reference.path[1..],
                        None,
                        None,
                        reference,
                        None,
                    );
                }
                let found = self.tables[table].rows.lookup(&path, group);
                match (found, let_index, path.len()) {
                    (Ok(_), Some(_), 1) => self.both_row_and_let(first, tr!("row")),
                    (Err(Lookup::Unknown), Some(index), 1) => {
                        if reference.column.is_some() {
                            return self.unknown_name(
                                first,
                                Some(tr!("a `let` has no columns")),
                                None,
                            );
                        }
                        uses.push(index);
                        RExpr::Let {
                            index,
                            span: reference.span,
                        }
                    }
                    // The path's rows, as just found.
                    (found, _, _) => self.resolve_row_path(
                        table,
                        &reference.path,
                        group,
                        defining,
                        reference,
                        Some(found),
                    ),
                }
            }
            Scope::Global => {
                if path.len() == 1 {
                    if let Some(index) = let_index {
                        if reference.column.is_some() {
                            return self.unknown_name(
                                first,
                                Some(tr!("a `let` has no columns")),
                                None,
                            );
                        }
                        uses.push(index);
                        return RExpr::Let {
                            index,
                            span: reference.span,
                        };
                    }
                    if self.table_by_name.contains_key(first.value.as_str()) {
                        return self.unknown_name(first, Some(tr!("a table is not a value; name a row, e.g. `申请.新收`, or a cell, e.g. `申请.新收[总计]`")),
                            None,
                        );
                    }
                    let suggestion = self
                        .suggest(&first.value, self.let_by_name.keys().copied())
                        .map(str::to_string);
                    return self.unknown_name(first, None, suggestion);
                }
                match self.table_by_name.get(path[0]) {
                    Some(&table) => self.resolve_row_path(
                        table,
                        &reference.path[1..],
                        None,
                        None,
                        reference,
                        None,
                    ),
                    None => {
                        let suggestion = self
                            .suggest(&first.value, self.table_by_name.keys().copied())
                            .map(str::to_string);
                        self.unknown_name(first, None, suggestion)
                    }
                }
            }
        }
    }

    /// Whether `path` names a row or column of the table that `scope` is
    /// in (so that it is not a name of an item that did not parse).
    fn in_scope_tree(&self, scope: Scope, path: &[&str]) -> bool {
        let found = match scope {
            Scope::Global => return false,
            Scope::Columns { table, group, .. } => self.tables[table].columns.lookup(path, group),
            Scope::Rows { table, group, .. } => self.tables[table].rows.lookup(path, group),
        };
        !matches!(found, Err(Lookup::Unknown))
    }

    /// `去年.回应` (a let of a used report) or `去年.申请.行[列]`.
    fn resolve_alias(&mut self, reference: &ast::Reference) -> RExpr {
        let alias = &reference.path[0];
        let Some(second) = reference.path.get(1) else {
            return self.unknown_name(
                alias,
                Some(tr!(
                    "an alias names another report; use its tables and lets: `去年.申请.结转下年`"
                )),
                None,
            );
        };
        let imported = &self.aliases[alias.value.as_str()];
        if reference.path.len() == 2
            && reference.column.is_none()
            && let Some(value) = imported.lets.get(second.value.as_str())
        {
            return RExpr::Literal(Box::new(value.clone()), reference.span);
        }
        match imported.tables.get(second.value.as_str()).copied() {
            Some(table) if reference.path.len() > 2 => {
                self.resolve_row_path(table, &reference.path[2..], None, None, reference, None)
            }
            Some(_) => self.unknown_name(
                second,
                Some(tr!(
                    "a table is not a value; name a row, e.g. `去年.申请.结转下年`"
                )),
                None,
            ),
            None => {
                let candidates = imported.tables.keys().chain(imported.lets.keys());
                let suggestion = self
                    .suggest(&second.value, candidates.map(String::as_str))
                    .map(str::to_string);
                let message = tr!(
                    "`{alias}` has no table or let `{name}`",
                    alias = alias.value,
                    name = second.value
                );
                self.unknown_name_with(second, message, suggestion)
            }
        }
    }

    /// `行…[列…]` in `table`, from `group` outwards; `found` is the lookup
    /// of `path` among the rows from `group` when it is already made.
    fn resolve_row_path(
        &mut self,
        table: TableId,
        path: &[ast::Ident],
        group: Option<NodeId>,
        defining: Option<NodeId>,
        reference: &ast::Reference,
        found: Option<Result<NodeId, Lookup>>,
    ) -> RExpr {
        if let Some(poisoned) = self.tables[table].poisoned() {
            return RExpr::Poisoned(poisoned);
        }
        let names = Names::of(path);
        let found = found.unwrap_or_else(|| self.tables[table].rows.lookup(&names, group));
        let rows = match found {
            Ok(id) => {
                let tree = &self.tables[table].rows;
                if tree.nodes[id].is_group() {
                    data_leaf_sels(tree, id, defining, RowId::from_leaf)
                } else {
                    Sels::One(Sel::Leaf(RowId::from_leaf(
                        tree.nodes[id].leaf().unwrap_or_default(),
                    )))
                }
            }
            Err(Lookup::Ambiguous(ids)) => {
                let tree = &self.tables[table].rows;
                let candidates: Vec<String> = ids.iter().map(|&id| tree.qualified(id)).collect();
                return self.ambiguous(&path[0], reference.span, &candidates);
            }
            Err(Lookup::Unknown) => {
                // A row of a statement of this table that did not parse:
                // its syntax error is the one diagnostic.
                let kind = self.tables[table].kind;
                let span = kind.instance().map(|instance| instance.span);
                if let Some(span) = span.or(kind.definition().map(|table| table.span))
                    && self.broken.mentions_inside(span, &names)
                {
                    return RExpr::Poisoned(Poisoned::broken());
                }
                let last = path.last().unwrap_or(&reference.path[0]);
                let candidates = self.tables[table].rows.names();
                let suggestion = self
                    .suggest(
                        &last.value,
                        candidates.chain(self.let_by_name.keys().copied()),
                    )
                    .map(str::to_string);
                let context = tr!(
                    "table `{table}` has no row `{row}`",
                    table = self.tables[table].name(),
                    row = names.join(".")
                );
                return self.unknown_name_with(last, context, suggestion);
            }
        };
        let columns = match &reference.column {
            None => Sels::One(Sel::Current),
            Some(column_path) => {
                let names = Names::of(column_path);
                match self.tables[table].columns.lookup(&names, None) {
                    Ok(id) => self.column_leaves(table, id, None),
                    Err(lookup) => {
                        let tree = &self.tables[table].columns;
                        let span = column_path[0]
                            .span
                            .to(column_path[column_path.len() - 1].span);
                        let diagnostic = match lookup {
                            // LANGUAGE.md §2: an ambiguous bare name is E0201
                            // with the qualified candidates.
                            Lookup::Ambiguous(ids) => {
                                let candidates: Vec<String> =
                                    ids.iter().map(|&id| tree.qualified(id)).collect();
                                let mut diagnostic = Diagnostic::new(
                                    Code::UnknownName,
                                    tr!(
                                        "column `{column}` is ambiguous in table `{table}`",
                                        column = names.join("."),
                                        table = self.tables[table].name()
                                    ),
                                )
                                .primary(
                                    span,
                                    tr!(
                                        "could be any of {candidates} columns",
                                        candidates = candidates.len()
                                    ),
                                )
                                .help(tr!("qualify it: {list}", list = quoted(&candidates)));
                                for candidate in &candidates {
                                    diagnostic = diagnostic.suggest(
                                        span,
                                        candidate,
                                        tr!("write `{candidate}`", candidate = candidate.as_str()),
                                    );
                                }
                                diagnostic
                            }
                            Lookup::Unknown => {
                                let mut diagnostic = Diagnostic::new(
                                    Code::UnknownColumn,
                                    tr!(
                                        "table `{value}` has no column `{names}`",
                                        value = self.tables[table].name(),
                                        names = names.join(".")
                                    ),
                                )
                                .primary(span, tr!("unknown column"));
                                let last = names.last().copied().unwrap_or_default();
                                if let Some(close) = self.suggest_in_tree(last, tree) {
                                    diagnostic = diagnostic
                                        .help(tr!("did you mean `{close}`?", close = close));
                                }
                                diagnostic
                            }
                        };
                        return RExpr::Poisoned(self.report(diagnostic));
                    }
                }
            }
        };
        self.cells(table, &rows, &columns, reference.span)
    }

    /// The leaf columns a column node stands for.
    fn column_leaves(&self, table: TableId, id: NodeId, defining: Option<NodeId>) -> Sels<usize> {
        let tree = &self.tables[table].columns;
        if tree.nodes[id].is_group() {
            data_leaf_sels(tree, id, defining, |leaf| leaf)
        } else {
            Sels::One(Sel::Leaf(tree.nodes[id].leaf().unwrap_or_default()))
        }
    }

    /// One cell, or the sum of several.
    fn cells(
        &mut self,
        table: TableId,
        rows: &[Sel<RowId>],
        columns: &[Sel<usize>],
        span: Span,
    ) -> RExpr {
        if let Some(named) = &mut self.named_tables
            && named.last() != Some(&table)
        {
            named.push(table);
        }
        if let ([row], [column]) = (rows, columns) {
            return RExpr::Cell {
                table,
                row: *row,
                column: column.narrow(),
                span,
            };
        }
        let mut cells: Vec<RExpr> = Vec::with_capacity(rows.len() * columns.len());
        for &row in rows {
            for &column in columns {
                cells.push(RExpr::Cell {
                    table,
                    row,
                    column: column.narrow(),
                    span,
                });
            }
        }
        match <[RExpr; 1]>::try_from(cells) {
            Ok([cell]) => cell,
            Err(cells) => RExpr::Sum {
                args: cells.into_boxed_slice(),
                table: Home::of(Some(table)),
                span,
            },
        }
    }

    fn both_row_and_let(&mut self, name: &ast::Ident, what: crate::diagnostics::Text) -> RExpr {
        RExpr::Poisoned(
            self.report(
                Diagnostic::new(
                    Code::UnknownName,
                    tr!(
                        "`{name}` is both a {what} of this table and a `let`",
                        name = name.value,
                        what = what
                    ),
                )
                .primary(name.span, tr!("ambiguous"))
                .help(tr!(
                    "rename the `let`, or qualify the {what} with its table or group",
                    what = what
                )),
            ),
        )
    }

    fn ambiguous(&mut self, name: &ast::Ident, span: Span, candidates: &[String]) -> RExpr {
        RExpr::Poisoned(
            self.report(
                Diagnostic::new(
                    Code::UnknownName,
                    tr!("`{name}` is ambiguous", name = name.value),
                )
                .primary(
                    span,
                    tr!(
                        "could be any of {candidates} entries",
                        candidates = candidates.len()
                    ),
                )
                .help(tr!("qualify it: {list}", list = quoted(candidates))),
            ),
        )
    }

    fn unknown_name(
        &mut self,
        name: &ast::Ident,
        note: Option<Text>,
        suggestion: Option<String>,
    ) -> RExpr {
        let message = tr!("unknown name `{name}`", name = name.value);
        let mut diagnostic =
            Diagnostic::new(Code::UnknownName, message).primary(name.span, tr!("not defined"));
        if let Some(note) = note {
            diagnostic = diagnostic.note(note);
        }
        if let Some(close) = suggestion {
            diagnostic = diagnostic.help(tr!("did you mean `{close}`?", close = close));
        }
        RExpr::Poisoned(self.report(diagnostic))
    }

    fn unknown_name_with(
        &mut self,
        name: &ast::Ident,
        message: Text,
        suggestion: Option<String>,
    ) -> RExpr {
        let mut diagnostic =
            Diagnostic::new(Code::UnknownName, message).primary(name.span, tr!("not defined"));
        if let Some(close) = suggestion {
            diagnostic = diagnostic.help(tr!("did you mean `{close}`?", close = close));
        }
        RExpr::Poisoned(self.report(diagnostic))
    }
}

/// The names of a dotted path, without an allocation for a short one (a
/// reference is resolved once, but there is one for almost every cell a
/// formula or check names).
enum Names<'p> {
    Few([&'p str; 4], usize),
    Many(Vec<&'p str>),
}

impl<'p> Names<'p> {
    fn of(path: &'p [ast::Ident]) -> Names<'p> {
        if path.len() > 4 {
            return Names::Many(path.iter().map(|name| name.value.as_str()).collect());
        }
        let mut few = [""; 4];
        for (slot, name) in few.iter_mut().zip(path) {
            *slot = name.value.as_str();
        }
        Names::Few(few, path.len())
    }
}

impl<'p> std::ops::Deref for Names<'p> {
    type Target = [&'p str];

    fn deref(&self) -> &[&'p str] {
        match self {
            Names::Few(few, len) => &few[..*len],
            Names::Many(many) => many,
        }
    }
}

/// The rows or columns a reference selects: most often one, kept without
/// an allocation.
/// The data leaves of a group (as [`Tree::data_leaves`]) as selectors,
/// `leaf` making each from its leaf index.
fn data_leaf_sels<T>(
    tree: &Tree,
    group: NodeId,
    defining: Option<NodeId>,
    leaf: impl Fn(usize) -> T,
) -> Sels<T> {
    let leaves = tree.data_leaves(group, defining);
    let mut sels = Vec::with_capacity(leaves.len());
    sels.extend(
        (leaves.into_iter())
            .filter_map(|id| tree.nodes[id].leaf())
            .map(|index| Sel::Leaf(leaf(index))),
    );
    Sels::Many(sels)
}

enum Sels<T> {
    One(Sel<T>),
    Many(Vec<Sel<T>>),
}

impl<T> std::ops::Deref for Sels<T> {
    type Target = [Sel<T>];

    fn deref(&self) -> &[Sel<T>] {
        match self {
            Sels::One(one) => std::slice::from_ref(one),
            Sels::Many(many) => many,
        }
    }
}

fn scope_table(scope: Scope) -> Option<TableId> {
    match scope {
        Scope::Global => None,
        Scope::Rows { table, .. } | Scope::Columns { table, .. } => Some(table),
    }
}

/// The leaf entries that carry a formula, with their node ids (nodes are
/// numbered in the same pre-order as the entries).
fn leaf_formulas<'e, E>(
    entries: &'e [E],
    tree: &Tree,
    kind: impl Fn(&'e E) -> Result<&'e [E], Option<&'e ast::Expr>> + Copy,
) -> Vec<(NodeId, &'e ast::Expr)> {
    fn walk<'e, E>(
        entries: &'e [E],
        next: &mut NodeId,
        kind: impl Fn(&'e E) -> Result<&'e [E], Option<&'e ast::Expr>> + Copy,
        out: &mut Vec<(NodeId, &'e ast::Expr)>,
    ) {
        for entry in entries {
            let id = *next;
            *next += 1;
            match kind(entry) {
                Ok(children) => walk(children, next, kind, out),
                Err(Some(formula)) => out.push((id, formula)),
                Err(None) => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut next = 0;
    walk(entries, &mut next, kind, &mut out);
    debug_assert!(next == tree.nodes.len());
    out
}

/// Names as inline code, in a list: `` `a`, `b` `` / `` `a`，`b` ``.
fn quoted(names: &[String]) -> Arg {
    Arg::List(
        names
            .iter()
            .map(|name| Text::plain(format!("`{name}`")))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use crate::SourceFile;
    use crate::diagnostics::Code;

    /// An ambiguous column in `[…]` is E0201, and each of its suggestions
    /// (one per candidate) resolves.
    #[test]
    fn an_ambiguous_column_suggests_each_qualified_candidate() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
            table 表 \"表\" {\n  columns {\n    甲 { 多 少 总计 = 多 + 少 }\n    乙 { 多 少 总计 = 多 + 少 }\n  }\n\
            rows {\n    一 [1, 2, auto, 3, 4, auto]\n  }\n}\n\
            let 和 = 表.一[总计]\ncheck 和 == 3\n";
        let compilation = crate::compile(&SourceFile::new("r.gdr", text));
        let [diagnostic] = compilation.diagnostics.as_slice() else {
            panic!("{:#?}", compilation.diagnostics);
        };
        assert_eq!(diagnostic.code, Code::UnknownName);
        let written: Vec<&str> = diagnostic
            .suggestions
            .iter()
            .map(|s| s.replacement.as_str())
            .collect();
        assert_eq!(written, ["甲.总计", "乙.总计"]);
        for suggestion in &diagnostic.suggestions {
            let span = suggestion.span;
            let fixed = format!(
                "{}{}{}",
                &text[..span.start as usize],
                suggestion.replacement,
                &text[span.end as usize..]
            );
            let diagnostics = crate::compile(&SourceFile::new("r.gdr", fixed)).diagnostics;
            let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
            let expected = if suggestion.replacement == "甲.总计" {
                vec![]
            } else {
                vec![Code::CheckFailed]
            };
            assert_eq!(codes, expected, "{}", suggestion.replacement);
        }
    }
}
