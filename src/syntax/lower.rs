//! Lowering pest pairs to the syntax tree.
//!
//! Terminology: `lower_x` turns one pair of rule `x` into its AST node and
//! always succeeds; problems it finds in tokens the grammar accepts
//! (malformed numbers, bad escapes, broken interpolations) are recorded as
//! diagnostics and the node is still produced. Shapes the grammar guarantees
//! are taken with `expect("grammar: …")` naming the rule they rely on.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::grammar::Rule;
use super::literal::{self, RawString};
use crate::diagnostics::Diagnostic;
use crate::span::{Span, Spanned};

/// Parses the expression part of an interpolation (see
/// [`literal::Interpolate`]); the lowerer calls it for each `{…}`.
pub(super) type InterpolationParser =
    fn(&str, usize, Span, &mut Vec<Diagnostic>) -> Option<Interpolation>;

/// Lowers the pairs of one chunk, whose text starts at byte `base`.
pub(super) struct Lowerer {
    pub base: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub interpolate: InterpolationParser,
}

type P<'i> = Pair<'i, Rule>;

impl Lowerer {
    fn span(&self, pair: &P<'_>) -> Span {
        let span = pair.as_span();
        Span::new(self.base + span.start(), self.base + span.end())
    }

    pub fn lower_file(&mut self, pairs: Pairs<'_, Rule>) -> Vec<Item> {
        let mut items = Vec::new();
        for pair in pairs {
            if pair.as_rule() == Rule::file {
                for item in pair.into_inner() {
                    self.lower_item(item, &mut items);
                }
            }
        }
        items
    }

    fn lower_item(&mut self, pair: P<'_>, items: &mut Vec<Item>) {
        match pair.as_rule() {
            Rule::header => items.push(Item::Header(self.lower_header(pair))),
            Rule::unit_decl => items.push(Item::Unit(self.lower_unit_decl(pair))),
            Rule::section => items.push(Item::Section(self.lower_section(pair))),
            Rule::paragraph => {
                let text = pair
                    .into_inner()
                    .next()
                    .expect("grammar: paragraph holds text");
                for paragraph in self.lower_paragraphs(text) {
                    items.push(Item::Paragraph(paragraph));
                }
            }
            Rule::let_stmt => items.push(Item::Let(self.lower_let(pair))),
            Rule::check_stmt | Rule::expect_stmt => {
                let severity = severity_of(&pair);
                let (check, waiver) = self.lower_check(pair, severity);
                items.push(Item::Check(Box::new(check)));
                items.extend(waiver.map(Item::Allow));
            }
            Rule::allow_stmt => items.push(Item::Allow(self.lower_waiver(pair))),
            Rule::table => {
                let is_instance = pair
                    .clone()
                    .into_inner()
                    .any(|inner| inner.as_rule() == Rule::instance);
                if is_instance {
                    items.push(Item::Instance(Box::new(self.lower_instance(pair))));
                } else {
                    items.push(Item::Table(Box::new(self.lower_table(pair))));
                }
            }
            Rule::form => items.push(Item::Form(Box::new(self.lower_table(pair)))),
            Rule::use_stmt => items.push(Item::Use(self.lower_use(pair))),
            _ => {}
        }
    }

    fn lower_header(&mut self, pair: P<'_>) -> Header {
        let span = self.span(&pair);
        let mut keyword = span;
        let mut fields = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::kw_report => keyword = self.span(&inner),
                Rule::header_field => {
                    let mut parts = inner.into_inner();
                    let key = self.lower_name(
                        parts
                            .next()
                            .expect("grammar: header_field starts with name"),
                    );
                    let value = parts.next().expect("grammar: header_field has a value");
                    let value = self.lower_header_value(value);
                    fields.push(HeaderField { key, value });
                }
                _ => {}
            }
        }
        Header {
            keyword,
            fields,
            span,
        }
    }

    fn lower_header_value(&mut self, pair: P<'_>) -> HeaderValue {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::date => HeaderValue::Date(Spanned::new(pair.as_str().into(), span)),
            Rule::number => HeaderValue::Number(Spanned::new(pair.as_str().into(), span)),
            Rule::text => HeaderValue::Text(self.lower_text(pair)),
            Rule::name => HeaderValue::Name(self.lower_name(pair)),
            _ => HeaderValue::Malformed(self.malformed(span, pair.as_str())),
        }
    }

    /// Reports a malformed number or date (E0103) and keeps it as written.
    fn malformed(&mut self, span: Span, text: &str) -> Spanned<Str> {
        self.diagnostics.push(literal::malformed(span, text));
        Spanned::new(text.into(), span)
    }

    fn lower_unit_decl(&mut self, pair: P<'_>) -> UnitDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut definition = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::unit_name => name = Some(self.lower_name(inner)),
                Rule::quantity => definition = Some(self.lower_quantity(inner)),
                _ => {}
            }
        }
        UnitDecl {
            name: name.expect("grammar: unit_decl names a unit"),
            definition,
            span,
        }
    }

    fn lower_section(&mut self, pair: P<'_>) -> Section {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        inner.next(); // kw_section
        let title = self.lower_text(inner.next().expect("grammar: section has a title"));
        let mut items = Vec::new();
        for item in inner {
            self.lower_item(item, &mut items);
        }
        Section { title, items, span }
    }

    fn lower_let(&mut self, pair: P<'_>) -> Let {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        inner.next(); // kw_let
        let name = self.lower_name(inner.next().expect("grammar: let has a name"));
        inner.next(); // eq
        let expr = self.lower_expr(inner.next().expect("grammar: let has an expr"));
        Let { name, expr, span }
    }

    /// A check, and the `allow` after it when that starts on a later line
    /// (then it is a statement of the enclosing block, LANGUAGE.md §9.25).
    fn lower_check(&mut self, pair: P<'_>, severity: CheckSeverity) -> (Check, Option<Waiver>) {
        let span = self.span(&pair);
        let text = pair.as_str();
        let mut inner = pair.into_inner();
        inner.next(); // kw_check / kw_expect
        let lhs = self.lower_expr(inner.next().expect("grammar: check has a lhs"));
        let op_pair = inner.next().expect("grammar: check has an operator");
        let op = Spanned::new(
            match op_pair.as_str() {
                "==" => CmpOp::Eq,
                "!=" => CmpOp::Ne,
                "<" => CmpOp::Lt,
                "<=" => CmpOp::Le,
                ">" => CmpOp::Gt,
                _ => CmpOp::Ge,
            },
            self.span(&op_pair),
        );
        let rhs = self.lower_expr(inner.next().expect("grammar: check has a rhs"));
        let mut within = None;
        let mut waiver = None;
        for part in inner {
            match part.as_rule() {
                Rule::expr => within = Some(self.lower_expr(part)),
                Rule::allow_stmt => waiver = Some(self.lower_waiver(part)),
                _ => {}
            }
        }
        let end = within.as_ref().unwrap_or(&rhs).span().end as usize;
        let (waiver, block_waiver) = match waiver {
            Some(waiver) => {
                let between = text
                    .get(
                        end - span.start as usize..waiver.span.start as usize - span.start as usize,
                    )
                    .unwrap_or_default();
                if between.contains('\n') {
                    (None, Some(waiver))
                } else {
                    (Some(waiver), None)
                }
            }
            None => (None, None),
        };
        let check = Check {
            severity,
            lhs,
            op,
            rhs,
            within: within.map(Box::new),
            waiver: waiver.map(Box::new),
            span,
        };
        (check, block_waiver)
    }

    /// `allow E0401 "reason"`
    fn lower_waiver(&mut self, pair: P<'_>) -> Waiver {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        inner.next(); // kw_allow
        let code = inner.next().expect("grammar: allow names a code");
        let code = Spanned::new(code.as_str().into(), self.span(&code));
        let reason = self.lower_text(inner.next().expect("grammar: allow gives a reason"));
        Waiver { code, reason, span }
    }

    fn lower_use(&mut self, pair: P<'_>) -> Use {
        let span = self.span(&pair);
        let mut target = None;
        let mut alias = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::text => target = Some(UseTarget::Path(self.lower_text(inner))),
                Rule::name if target.is_none() => {
                    target = Some(UseTarget::Builtin(self.lower_name(inner)))
                }
                Rule::name => alias = Some(self.lower_name(inner)),
                _ => {}
            }
        }
        Use {
            target: target.expect("grammar: use names a library or a path"),
            alias,
            span,
        }
    }

    fn lower_instance(&mut self, pair: P<'_>) -> Instance {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = inner.next().expect("grammar: table starts with `table`");
        let name = self.lower_name(inner.next().expect("grammar: table has a name"));
        let body = inner.next().expect("grammar: an instance follows the name");
        let mut parts = body.into_inner();
        parts.next(); // eq
        let form = self.lower_name(parts.next().expect("grammar: instance names a form"));
        let mut instance = Instance {
            head: self.span(&keyword).to(form.span),
            name,
            form,
            rows: Vec::new(),
            rests: Vec::new(),
            notes: Vec::new(),
            checks: Vec::new(),
            waivers: Vec::new(),
            span,
        };
        for item in parts {
            match item.as_rule() {
                Rule::instance_row => {
                    let row_span = self.span(&item);
                    let mut row = item.into_inner();
                    let path_pair = row
                        .next()
                        .expect("grammar: instance_row starts with a path");
                    let path = path_pair
                        .into_inner()
                        .map(|name| self.lower_name(name))
                        .collect();
                    let cells =
                        self.lower_cells(row.next().expect("grammar: instance_row has cells"));
                    instance.rows.push(InstanceRow {
                        path,
                        cells,
                        span: row_span,
                    });
                }
                Rule::table_note => instance.notes.extend(self.lower_note(item)),
                Rule::rest_stmt => {
                    // `rest V` reads like a cell: reuse the cell lowering.
                    let value = item.into_inner().nth(1).expect("grammar: rest has a value");
                    instance.rests.push(self.lower_cell_value(value));
                }
                Rule::check_stmt | Rule::expect_stmt => {
                    let severity = severity_of(&item);
                    let (check, waiver) = self.lower_check(item, severity);
                    instance.checks.push(check);
                    instance.waivers.extend(waiver);
                }
                Rule::allow_stmt => instance.waivers.push(self.lower_waiver(item)),
                _ => {}
            }
        }
        instance
    }

    /// `note "…"` in a table or an instance: its paragraphs.
    fn lower_note(&mut self, pair: P<'_>) -> Vec<Paragraph> {
        let text = pair
            .into_inner()
            .nth(1)
            .expect("grammar: table_note holds text");
        self.lower_paragraphs(text)
    }

    fn lower_table(&mut self, pair: P<'_>) -> Table {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        inner.next(); // kw_table or kw_form
        let name = self.lower_name(inner.next().expect("grammar: table has a name"));
        let mut table = Table::empty(name, span);
        for item in inner {
            match item.as_rule() {
                Rule::text => table.title = Some(self.lower_text(item)),
                Rule::table_unit => {
                    let unit = item
                        .into_inner()
                        .nth(1)
                        .expect("grammar: table_unit names a unit");
                    table.units.push(self.lower_name(unit));
                }
                Rule::table_note => table.notes.extend(self.lower_note(item)),
                Rule::columns => {
                    let span = self.span(&item);
                    let entries = item
                        .into_inner()
                        .filter(|pair| matches!(pair.as_rule(), Rule::column | Rule::column_group))
                        .map(|pair| self.lower_column(pair))
                        .collect();
                    table.columns.push((span, entries));
                }
                Rule::rows => {
                    let span = self.span(&item);
                    let entries = item
                        .into_inner()
                        .filter(|pair| matches!(pair.as_rule(), Rule::row | Rule::row_group))
                        .map(|pair| self.lower_row(pair))
                        .collect();
                    table.rows.push((span, entries));
                }
                Rule::check_stmt | Rule::expect_stmt => {
                    let severity = severity_of(&item);
                    let (check, waiver) = self.lower_check(item, severity);
                    table.checks.push(check);
                    table.waivers.extend(waiver);
                }
                Rule::allow_stmt => table.waivers.push(self.lower_waiver(item)),
                _ => {}
            }
        }
        table
    }

    fn lower_column(&mut self, pair: P<'_>) -> ColumnEntry {
        let span = self.span(&pair);
        let is_group = pair.as_rule() == Rule::column_group;
        let mut inner = pair.into_inner();
        let name = self.lower_name(inner.next().expect("grammar: column starts with a name"));
        let mut label = None;
        let mut unit = None;
        let mut formula = None;
        let mut children = Vec::new();
        for item in inner {
            match item.as_rule() {
                Rule::text => label = Some(self.lower_text(item)),
                Rule::unit_name => unit = Some(self.lower_name(item)),
                Rule::expr => formula = Some(Box::new(self.lower_expr(item))),
                Rule::column | Rule::column_group => children.push(self.lower_column(item)),
                _ => {}
            }
        }
        let kind = if is_group {
            ColumnKind::Group(children)
        } else {
            ColumnKind::Leaf {
                unit: unit.map(Box::new),
                formula,
            }
        };
        ColumnEntry {
            name,
            label,
            kind,
            span,
        }
    }

    fn lower_row(&mut self, pair: P<'_>) -> RowEntry {
        let span = self.span(&pair);
        let is_group = pair.as_rule() == Rule::row_group;
        let mut inner = pair.into_inner();
        let name = self.lower_name(inner.next().expect("grammar: row starts with a name"));
        let mut label = None;
        let mut cells = None;
        let mut formula = None;
        let mut children = Vec::new();
        for item in inner {
            match item.as_rule() {
                Rule::text => label = Some(self.lower_text(item)),
                Rule::cells => cells = Some(self.lower_cells(item)),
                Rule::expr => formula = Some(Box::new(self.lower_expr(item))),
                Rule::row | Rule::row_group => children.push(self.lower_row(item)),
                _ => {}
            }
        }
        let kind = if is_group {
            RowKind::Group(children)
        } else {
            RowKind::Leaf { cells, formula }
        };
        RowEntry {
            name,
            label,
            kind,
            span,
        }
    }

    fn lower_cells(&mut self, pair: P<'_>) -> Cells {
        let span = self.span(&pair);
        let cells = pair
            .into_inner()
            .filter(|pair| pair.as_rule() == Rule::cell)
            .map(|pair| self.lower_cell(pair))
            .collect();
        Cells { cells, span }
    }

    fn lower_cell(&mut self, pair: P<'_>) -> Cell {
        let mut inner = pair.into_inner();
        let cell = self.lower_cell_value(inner.next().expect("grammar: cell has a value"));
        match inner.next() {
            Some(text) => Cell::with_note(cell.value(), Some(self.lower_text(text))),
            None => cell,
        }
    }

    /// A cell's value (a `cell` without its note, or the value of `rest`).
    fn lower_cell_value(&mut self, value_pair: P<'_>) -> Cell {
        let value_span = self.span(&value_pair);
        let value = match value_pair.as_rule() {
            Rule::signed_quantity => {
                let value_text = value_pair.as_str();
                let mut parts = value_pair.into_inner().peekable();
                parts.next_if(|p| p.as_rule() == Rule::sign);
                let mut literal = self.lower_quantity_parts(parts, value_span);
                literal.text = value_text
                    .split(|c: char| !(c.is_ascii_digit() || "+-._".contains(c)))
                    .next()
                    .unwrap_or_default()
                    .into();
                CellValue::Number(literal)
            }
            Rule::blank => CellValue::Blank(value_span),
            Rule::unknown => CellValue::Unknown(value_span),
            Rule::kw_auto => CellValue::Auto(value_span),
            _ => {
                let number = malformed_number(value_pair);
                let span = self.span(&number);
                let written = self.malformed(span, number.as_str()).value;
                CellValue::Malformed(Spanned::new(written, value_span))
            }
        };
        Cell::new(value)
    }

    /// `quantity` → a literal.
    fn lower_quantity(&mut self, pair: P<'_>) -> Literal {
        let span = self.span(&pair);
        self.lower_quantity_parts(pair.into_inner().peekable(), span)
    }

    fn lower_quantity_parts<'i>(
        &mut self,
        mut parts: std::iter::Peekable<Pairs<'i, Rule>>,
        span: Span,
    ) -> Literal {
        let number = parts
            .next()
            .expect("grammar: quantity starts with a number");
        let unit = parts.next().map(|unit| self.lower_name(unit));
        Literal::new(number.as_str(), unit, span)
    }

    fn lower_name(&self, pair: P<'_>) -> Ident {
        Spanned::new(pair.as_str().into(), self.span(&pair))
    }

    // ------------------------------------------------------------ expressions

    fn lower_expr(&mut self, pair: P<'_>) -> Expr {
        // expr, term: operand (op operand)*. The span is taken from the
        // operands: pest's own would include trailing white space.
        let mut inner = pair.into_inner();
        let first = self.lower_operand(inner.next().expect("grammar: chain has an operand"));
        let mut rest = Vec::new();
        while let Some(op) = inner.next() {
            let op_span = self.span(&op);
            let op = match op.as_str() {
                "+" => BinOp::Add,
                "-" => BinOp::Sub,
                "*" => BinOp::Mul,
                _ => BinOp::Div,
            };
            let operand =
                self.lower_operand(inner.next().expect("grammar: operator has an operand"));
            rest.push((Spanned::new(op, op_span), operand));
        }
        if rest.is_empty() {
            first
        } else {
            let span = first.span().to(rest
                .last()
                .map_or(first.span(), |(_, operand)| operand.span()));
            Expr::Chain {
                first: Box::new(first),
                rest,
                span,
            }
        }
    }

    fn lower_operand(&mut self, pair: P<'_>) -> Expr {
        match pair.as_rule() {
            Rule::term => self.lower_expr(pair),
            Rule::factor => self.lower_factor(pair),
            _ => self.lower_atom(pair),
        }
    }

    fn lower_factor(&mut self, pair: P<'_>) -> Expr {
        let span = self.span(&pair);
        let mut negs = Vec::new();
        let mut atom = None;
        for inner in pair.into_inner() {
            if inner.as_rule() == Rule::neg {
                negs.push(self.span(&inner));
            } else {
                atom = Some(self.lower_atom(inner));
            }
        }
        let expr = atom.expect("grammar: factor has an atom");
        // Negation is exact, so `- - x` is `x`: keeping at most one `Neg`
        // keeps the tree shallow however many signs are written.
        match negs.first() {
            Some(&op) if negs.len() % 2 == 1 => Expr::Neg {
                op,
                operand: Box::new(expr),
                span: Span::new(op.start as usize, span.end as usize),
            },
            _ => expr,
        }
    }

    fn lower_atom(&mut self, pair: P<'_>) -> Expr {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::quantity => Expr::Literal(self.lower_quantity(pair)),
            Rule::sum_call => {
                let args = pair
                    .into_inner()
                    .filter(|pair| pair.as_rule() == Rule::expr)
                    .map(|pair| self.lower_expr(pair))
                    .collect();
                Expr::Sum { args, span }
            }
            Rule::paren => {
                let inner = pair
                    .into_inner()
                    .find(|pair| pair.as_rule() == Rule::expr)
                    .expect("grammar: paren holds an expr");
                Expr::Paren {
                    inner: Box::new(self.lower_expr(inner)),
                    span,
                }
            }
            Rule::reference => {
                let mut path = Vec::new();
                let mut column = None;
                for inner in pair.into_inner() {
                    match inner.as_rule() {
                        Rule::name => path.push(self.lower_name(inner)),
                        Rule::column_ref => {
                            let column_path = inner
                                .into_inner()
                                .next()
                                .expect("grammar: column_ref holds a column_path");
                            column = Some(Box::new(
                                column_path
                                    .into_inner()
                                    .map(|name| self.lower_name(name))
                                    .collect(),
                            ));
                        }
                        _ => {}
                    }
                }
                Expr::Reference(Reference {
                    path: Path::from(path),
                    column,
                    span,
                })
            }
            Rule::expr | Rule::term => self.lower_expr(pair),
            Rule::factor => self.lower_factor(pair),
            _ => {
                let number = malformed_number(pair);
                let span = self.span(&number);
                Expr::Malformed(self.malformed(span, number.as_str()))
            }
        }
    }

    // ------------------------------------------------------------ strings

    /// The raw characters of a `text` pair, their offset, and whether it is
    /// a `"""` block.
    fn raw_text<'i>(&self, pair: P<'i>) -> RawString<'i> {
        let string = pair
            .into_inner()
            .next()
            .expect("grammar: text holds a string");
        let block = string.as_rule() == Rule::block_string;
        let chars = string
            .into_inner()
            .next()
            .expect("grammar: string holds chars");
        RawString {
            raw: chars.as_str(),
            offset: self.base + chars.as_span().start(),
            block,
        }
    }

    /// A title, label or note: escapes processed, braces literal.
    fn lower_text(&mut self, pair: P<'_>) -> Text {
        let span = self.span(&pair);
        let value = literal::text_value(self.raw_text(pair), &mut self.diagnostics);
        Text { value, span }
    }

    /// A paragraph string: a `"""` block may hold several paragraphs.
    fn lower_paragraphs(&mut self, pair: P<'_>) -> Vec<Paragraph> {
        let span = self.span(&pair);
        let string = self.raw_text(pair);
        literal::paragraphs(string, span, &mut self.diagnostics, &mut self.interpolate)
    }

    /// The inside of `{…}`, parsed by `interpolation`: its expression, the
    /// unit after `as` and the format after `:`.
    pub fn lower_interpolation(
        &mut self,
        pairs: Pairs<'_, Rule>,
        span: Span,
    ) -> Option<Interpolation> {
        let mut expr = None;
        let mut as_unit = None;
        let mut format = Format::WithUnit;
        for pair in pairs.flatten().take(1).flat_map(|pair| pair.into_inner()) {
            match pair.as_rule() {
                Rule::expr => expr = Some(self.lower_expr(pair)),
                Rule::unit_name => as_unit = Some(self.lower_name(pair)),
                Rule::format_spec => {
                    let spec_span = self.span(&pair);
                    format = literal::format_spec(pair.as_str(), spec_span, &mut self.diagnostics);
                }
                _ => {}
            }
        }
        Some(Interpolation {
            expr: expr?,
            as_unit: as_unit.map(Box::new),
            format,
            span,
        })
    }
}

fn severity_of(pair: &P<'_>) -> CheckSeverity {
    if pair.as_rule() == Rule::expect_stmt {
        CheckSeverity::Expect
    } else {
        CheckSeverity::Check
    }
}

/// The number of a `bad_quantity` (the unit after it is dropped: the number
/// is the one error), or the malformed token itself.
fn malformed_number(pair: P<'_>) -> P<'_> {
    if pair.as_rule() == Rule::bad_quantity {
        pair.into_inner()
            .next()
            .expect("grammar: bad_quantity starts with a bad_number")
    } else {
        pair
    }
}
