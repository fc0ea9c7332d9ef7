//! Checking: names, units and arithmetic, from [`ast::Document`] to
//! [`model::Report`].
//!
//! Phases, in order:
//! 1. `header.rs`: the `report { … }` header.
//! 2. collection (here): units, the file-wide namespace of lets and tables;
//!    forms (`instance.rs`).
//! 3. `table.rs`: each table's column and row trees (`tree.rs`) and its
//!    stated cells (`cells.rs`, or `instance.rs` for an instance of a
//!    form); the tables and lets of used reports (`exports.rs`); the
//!    sections a library requires (`sections.rs`).
//! 4. `resolve.rs`: every expression to a [`rexpr::RExpr`] over lets and
//!    cells; name errors.
//! 5. `eval.rs`: lazy, memoised evaluation of lets and cells with cycle
//!    detection; `formulas.rs`: formulas against stated cells;
//!    `checks.rs`: checks; `hint.rs`: the single-cell hint.
//! 6. `interpolate.rs`: the texts of paragraphs and table notes.
//! 7. warnings (unused lets).
//!
//! Every diagnostic is reported by then: `build.rs` builds the model,
//! `symbols.rs` the symbol index and `exports.rs` the exports from what
//! checking computed, and report nothing.
//!
//! Checking never stops at the first error: a value that could not be
//! computed is poisoned (`Err(Poisoned)`, `poison.rs`: made only by
//! reporting why) and absorbs later errors.

mod build;
mod cells;
mod checks;
mod eval;
mod exports;
mod formulas;
pub mod header;
mod hint;
mod ids;
mod instance;
mod interpolate;
mod poison;
mod resolve;
mod rexpr;
mod sections;
mod symbols;
mod table;
mod tree;
pub mod units;

use crate::tr;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::rc::Rc;

use rust_decimal::Decimal;

use crate::diagnostics::suggest::Suggestions;
use crate::diagnostics::{Code, Diagnostic};
use crate::model;
use crate::modules::{Library, Used, UsedReport};
use crate::source::Sources;
use crate::span::Span;
use crate::syntax::ast;
pub use exports::Exports;
pub(crate) use poison::Poisoned;
use rexpr::RExpr;
use table::{Kind, RowId, TableId, TableInfo, Tables};
use units::{Dimension, Unit, Units};

/// What a check builds besides its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wants {
    /// The report model, for rendering (`gdr build`, and reports that are
    /// `use`d). Without it the model is only the header, and paragraphs
    /// are checked but their texts not written.
    pub model: bool,
    /// The symbol index with hover texts, for editors.
    pub symbols: bool,
    /// The [`Exports`], for a report that uses this one.
    pub exports: bool,
}

impl Wants {
    /// The diagnostics only (`gdr check`).
    pub const CHECK: Wants = Wants {
        model: false,
        symbols: false,
        exports: false,
    };
    /// The model too (`gdr build`, used reports).
    pub const BUILD: Wants = Wants {
        model: true,
        symbols: false,
        exports: false,
    };
    /// The model and the symbol index (`gdr lsp`).
    pub const EDITOR: Wants = Wants {
        model: true,
        symbols: true,
        exports: false,
    };
    /// The exports, for a report that is `use`d.
    pub const USED: Wants = Wants {
        model: false,
        symbols: false,
        exports: true,
    };
}

/// What a check went through, for a summary line: the report's own tables
/// (instances included) and the checks and expects evaluated (a form's
/// once per instance).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tables: usize,
    pub checks: usize,
}

/// Checks a parsed document, and builds what `wants` asks for. The model is
/// only meant for rendering when the diagnostics hold no error. With
/// `forget`, the checker's tables are left unfreed (for a process about to
/// exit, `crate::Options::forget_at_exit`).
pub fn check(
    sources: &Sources,
    document: &ast::Document,
    used: &Used<Exports>,
    wants: Wants,
    forget: bool,
) -> (model::Report, Vec<Diagnostic>, Vec<Symbol>, Exports, Counts) {
    let mut checker = Checker::new(sources, &used.libraries, &used.reports, wants);
    let report = checker.run(document);
    let counts = Counts {
        tables: checker.own_tables,
        checks: checker.checks.len(),
    };
    let symbols = if wants.symbols {
        checker.symbol_index()
    } else {
        Vec::new()
    };
    let exports = if wants.exports {
        checker.exports()
    } else {
        Exports::default()
    };
    let diagnostics = std::mem::take(&mut checker.diagnostics);
    if forget {
        std::mem::forget(checker);
    }
    (report, diagnostics, symbols, exports, counts)
}

type Checked<T> = Result<T, Poisoned>;

/// A computed quantity.
#[derive(Debug, Clone)]
pub(crate) struct Val {
    pub unit: Unit,
    pub amount: Amount,
    /// What made it, for how it is shown and for a pending E0302.
    pub origin: Origin,
}

/// What made a value. A stated number is never a pending fraction: the two
/// share one field, so that a value stays small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Arithmetic, or a report that this one uses.
    Computed,
    /// Exactly a number written in an expression, whose digits as written
    /// (`17.50万元` → "17.50", without `_` and `+`) are the source text at
    /// this span, until arithmetic makes it `Computed`.
    Written(Span),
    /// Exactly the stated number of a table's cell (table, row-major
    /// index): its digits as written are its literal's in the syntax tree.
    Cell(TableId, u32),
    /// A count that is not whole, made by the operator at this span, until
    /// it is either the numerator of a ratio or reported (E0302).
    Fraction(Span),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Amount {
    /// The exact amount, in the base unit of the dimension.
    Known(Decimal),
    /// Unknown because of the `?` cell at this span.
    Unknown(Span),
}

impl Val {
    pub fn known(amount: Decimal, unit: Unit) -> Val {
        Val {
            unit,
            amount: Amount::Known(amount),
            origin: Origin::Computed,
        }
    }

    /// The operator that made a count that is not whole, while pending.
    pub fn fraction(&self) -> Option<Span> {
        match self.origin {
            Origin::Fraction(span) => Some(span),
            Origin::Computed | Origin::Written(_) | Origin::Cell(..) => None,
        }
    }

    /// Forgets the digits as written, for a value that arithmetic or a
    /// conversion made; a pending fraction stays.
    pub fn computed(&mut self) {
        if let Origin::Written(_) | Origin::Cell(..) = self.origin {
            self.origin = Origin::Computed;
        }
    }
}

/// A `let`.
struct LetInfo<'a> {
    ast: &'a ast::Let,
    /// Lets that this let's expression refers to.
    refers_to: Vec<usize>,
    /// Referred to from a paragraph, note, check or formula.
    used_directly: bool,
}

/// A `check` or `expect`, with the table it belongs to.
#[derive(Clone, Copy)]
struct CheckInfo<'a> {
    ast: &'a ast::Check,
    table: Option<TableId>,
    /// For a check that comes from a form: the instance's `table X = F`,
    /// where its failures are reported.
    anchor: Option<Span>,
}

pub(crate) struct Checker<'a> {
    sources: &'a Sources,
    diagnostics: Vec<Diagnostic>,
    units: Units,
    lets: Vec<LetInfo<'a>>,
    /// The resolved expression of each let, once resolved.
    let_exprs: Vec<Rc<RExpr>>,
    let_by_name: HashMap<&'a str, usize>,
    tables: Tables<'a>,
    table_by_name: HashMap<&'a str, TableId>,
    checks: Vec<CheckInfo<'a>>,
    /// How many of `tables` are the report's own (the rest are imported).
    own_tables: usize,
    /// References and what they name, in source order.
    symbols: Vec<(Span, Target)>,
    wants: Wants,
    /// Cells in the tables built so far (for `limits::MAX_TOTAL_CELLS`).
    total_cells: usize,
    /// The "did you mean" searches this check may still make.
    suggestions: Suggestions,
    libraries: &'a [Library],
    reports: &'a [UsedReport<Exports>],
    /// Aliases of used reports, with their tables and lets by name.
    aliases: HashMap<&'a str, Alias>,
    /// Forms by name, with the library that defines them (`None`: this file).
    forms: HashMap<&'a str, (&'a ast::Table, Option<usize>)>,
    /// The equalities evaluated so far, for the single-cell hint.
    comparisons: Vec<hint::Comparison>,
    /// Which tables' formulas name cells of which other tables (for the
    /// hint), and those named so far while formulas are resolved.
    table_links: Vec<(TableId, TableId)>,
    named_tables: Option<Vec<TableId>>,
    /// The two sides of each check that is an equality, by check index.
    check_sides: Vec<Option<Rc<(RExpr, RExpr)>>>,
    /// Stated cells a formula disputes (table, row-major cell index, the
    /// formula's span and the value it derives), for editors.
    disputes: Vec<(TableId, usize, Span, Val)>,
    eval: eval::EvalState,
    /// What the items that did not parse declare and use.
    broken: Broken<'a>,
}

/// What the items that did not parse (`ast::Item::Error`) still say: their
/// syntax error is the one diagnostic, so what follows only from their
/// absence is not reported again.
#[derive(Default)]
struct Broken<'a> {
    /// The names they declare (lets, tables, forms, units, aliases): a
    /// reference to one of them is poisoned silently.
    names: rustc_hash::FxHashSet<&'a str>,
    /// Every word written in them: a let named there may be used there.
    words: rustc_hash::FxHashSet<&'a str>,
    /// Whether the `report { … }` header is among them.
    header: bool,
    /// Each of them: a statement inside an item is one too.
    items: Vec<&'a ast::Broken>,
}

impl<'a> Broken<'a> {
    fn collect(items: &'a [ast::Item]) -> Broken<'a> {
        let mut broken = Broken::default();
        for item in items {
            if let ast::Item::Error(item) = item {
                broken.items.push(item);
                broken
                    .names
                    .extend(item.declares.iter().map(|name| name.value.as_str()));
                broken
                    .words
                    .extend(item.words.iter().map(|word| word.value.as_str()));
                broken.header |= item
                    .keyword
                    .as_ref()
                    .is_some_and(|keyword| keyword.value == "report");
            }
        }
        broken
    }

    /// Whether `name` is declared only by an item that did not parse.
    fn declares(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Whether the cells of the row named at `name` did not parse.
    fn lost_cells(&self, name: &ast::Ident) -> bool {
        self.items.iter().any(|item| {
            item.declares
                .iter()
                .any(|declared| declared.span == name.span)
        })
    }

    /// Whether a statement inside `span` that did not parse declares or
    /// mentions one of `names`: a row group whose head was lost, say, whose
    /// rows are then unknown.
    fn mentions_inside(&self, span: Span, names: &[&str]) -> bool {
        self.items.iter().any(|item| {
            span.start <= item.span.start
                && item.span.end <= span.end
                && item
                    .declares
                    .iter()
                    .chain(&item.words)
                    .any(|word| names.contains(&word.value.as_str()))
        })
    }

    /// Whether a statement inside `span` that did not parse names `name`
    /// (a row of an instance, say).
    fn lost_inside(&self, span: Span, name: &str) -> bool {
        self.items.iter().any(|item| {
            span.start <= item.span.start
                && item.span.end <= span.end
                && item.declares.iter().any(|declared| declared.value == name)
        })
    }
}

/// What a reference in the source names.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Let(usize),
    /// A let of a used report, as its value.
    Value(Val),
    Cell {
        table: TableId,
        row: rexpr::Sel<RowId>,
        column: rexpr::Sel<usize>,
    },
    /// A group of rows or columns, as a sum.
    Group {
        table: TableId,
    },
    /// A part of a reference (the column of `表.行[列]`): shown as the whole
    /// reference, defined by the part.
    Part {
        whole: Box<Target>,
        span: Span,
        definition: Span,
    },
}

/// A name in the source, for editors: where it is, where it is defined,
/// and what it is (`ide::hover` writes that in words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub span: Span,
    pub definition: Option<Span>,
    pub info: SymbolInfo,
}

/// What a name is, with its values as a reader sees them (`1599条`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SymbolInfo {
    /// A `let`: its name, its value if known, its expression as written.
    Let {
        name: String,
        value: Option<String>,
        expr: String,
    },
    /// A let of a used report: the reference as written and its value.
    Value { written: String, value: String },
    /// A group of rows or columns: the reference as written and its table.
    Group { written: String, table: String },
    /// One cell: its name (`申请.新收[总计]`), its value if known, the
    /// formulas that derive it, as written, and for a stated cell the
    /// formulas that dispute it, with the value each derives.
    Cell {
        name: String,
        value: Option<String>,
        formulas: Vec<String>,
        disputes: Vec<(String, String)>,
    },
    /// A row: its path, its label and each column's value (`None`: not
    /// known).
    Row {
        path: String,
        label: String,
        cells: Vec<(String, Option<String>)>,
    },
    /// A form that a table fills: its name.
    Form { name: String },
    /// A column: its table, its path and its label.
    Column {
        table: String,
        path: String,
        label: String,
    },
}

/// A report used `as` an alias: its tables (indices into the checker's
/// tables) and lets.
#[derive(Default)]
struct Alias {
    tables: HashMap<String, TableId>,
    lets: HashMap<String, Val>,
}

impl<'a> Checker<'a> {
    fn new(
        sources: &'a Sources,
        libraries: &'a [Library],
        reports: &'a [UsedReport<Exports>],
        wants: Wants,
    ) -> Self {
        Checker {
            wants,
            sources,
            libraries,
            reports,
            aliases: HashMap::default(),
            forms: HashMap::default(),
            comparisons: Vec::new(),
            check_sides: Vec::new(),
            table_links: Vec::new(),
            named_tables: None,
            disputes: Vec::new(),
            symbols: Vec::new(),
            total_cells: 0,
            suggestions: Suggestions::default(),
            diagnostics: Vec::new(),
            units: Units::default(),
            lets: Vec::new(),
            let_exprs: Vec::new(),
            let_by_name: HashMap::default(),
            tables: Tables::default(),
            table_by_name: HashMap::default(),
            checks: Vec::new(),
            own_tables: 0,
            eval: eval::EvalState::default(),
            broken: Broken::default(),
        }
    }

    fn run(&mut self, document: &'a ast::Document) -> model::Report {
        let headers: Vec<&ast::Header> = document
            .items
            .iter()
            .filter_map(|item| match item {
                ast::Item::Header(header) => Some(header),
                _ => None,
            })
            .collect();
        self.broken = Broken::collect(&document.items);
        let header = header::check_header(&headers, self.broken.header, &mut self.diagnostics);

        let libraries = self.libraries;
        let documents = libraries
            .iter()
            .enumerate()
            .map(|(index, library)| (Some(index), &*library.document))
            .chain(std::iter::once((None, document)));
        for (library, document) in documents {
            for item in &document.items {
                match item {
                    ast::Item::Unit(decl) => self.declare_unit(decl),
                    ast::Item::Form(form) => self.declare_form(form, library),
                    _ => {}
                }
            }
        }
        self.tables.reserve(count_tables(&document.items));
        self.collect(&document.items, false);
        let own_tables = self.tables.len();
        self.own_tables = own_tables;
        for table in self.tables.ids() {
            if !self.tables[table].is_poisoned() {
                self.build_table(table);
            }
        }
        self.import_reports();
        self.check_required_sections(document);
        self.resolve_all();
        self.evaluate_all();
        let prose = self.interpolate_all(&document.items, own_tables);
        self.warn_unused_lets();
        crate::diagnostics::sort_and_dedup(&mut self.diagnostics);
        if !self.wants.model {
            return model::Report {
                header,
                ..model::Report::default()
            };
        }
        let checks = std::mem::take(&mut self.eval.check_results);
        self.build_model(header, &document.items, prose, checks)
    }

    /// `unit 篇`, `unit 千元 = 1000 元`
    fn declare_unit(&mut self, decl: &ast::UnitDecl) {
        let name = decl.name.value.as_str();
        if self.units.contains(name) {
            self.diagnostics.push(
                Diagnostic::new(Code::DuplicateName, tr!("unit `{name}` is already defined", name = name))
                    .primary(decl.name.span, tr!("defined again here"))
                    .help(tr!("choose another name; the built-in units are 件 条 项 次 人 人次 个 家 户 名 份 类 天, 元 万元 亿元 and %")),
            );
            return;
        }
        let Some(definition) = &decl.definition else {
            self.units.insert(Unit::count(name));
            return;
        };
        let Ok(value) = self.literal(definition) else {
            return;
        };
        let Amount::Known(amount) = value.amount else {
            return;
        };
        if !(value.unit.is_money() || value.unit.is_count()) {
            self.diagnostics.push(
                Diagnostic::new(Code::MismatchedUnits, tr!("unit `{name}` must be defined in money or in a count", name = name))
                    .primary(definition.span, tr!("this has {unit}", unit = value.unit.describe()))
                    .help(tr!("money and count units can be derived, e.g. `unit 千元 = 1000 元`, `unit 万人次 = 10000 人次`; a new count unit is declared as `unit 篇`")),
            );
            return;
        }
        if amount <= Decimal::ZERO {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    tr!("unit `{name}` must be worth more than zero", name = name),
                )
                .primary(definition.span, tr!("not a positive amount")),
            );
            return;
        }
        self.units.insert(Unit::derived(name, &value.unit, amount));
    }

    /// Walks the items: lets, tables and checks into the namespace.
    fn collect(&mut self, items: &'a [ast::Item], in_section: bool) {
        for item in items {
            match item {
                ast::Item::Section(section) => self.collect(&section.items, true),
                ast::Item::Let(let_) => {
                    if self.claim_name(&let_.name) {
                        self.let_by_name.insert(&let_.name.value, self.lets.len());
                    }
                    self.lets.push(LetInfo {
                        ast: let_,
                        refers_to: Vec::new(),
                        used_directly: false,
                    });
                }
                ast::Item::Table(table) => {
                    if self.claim_name(&table.name) {
                        self.table_by_name
                            .insert(&table.name.value, self.tables.next_id());
                    }
                    self.tables
                        .push(TableInfo::new(Kind::Table(table), &table.name, in_section));
                }
                ast::Item::Instance(instance) => {
                    if self.claim_name(&instance.name) {
                        self.table_by_name
                            .insert(&instance.name.value, self.tables.next_id());
                    }
                    let kind = match self.forms.get(instance.form.value.as_str()) {
                        Some(&(form, _)) => Kind::Instance(form, instance),
                        None => Kind::Poisoned {
                            definition: None,
                            instance: Some(instance),
                            poisoned: self.unknown_form(&instance.form),
                        },
                    };
                    let table = TableInfo::new(kind, &instance.name, in_section);
                    self.tables.push(table);
                }
                ast::Item::Check(check) => self.checks.push(CheckInfo {
                    ast: check,
                    table: None,
                    anchor: None,
                }),
                ast::Item::Header(_)
                | ast::Item::Unit(_)
                | ast::Item::Paragraph(_)
                | ast::Item::Form(_)
                | ast::Item::Use(_)
                | ast::Item::Allow(_)
                | ast::Item::Error(_) => {}
            }
        }
    }

    /// Reports E0202 if `name` is already a let or a table.
    fn claim_name(&mut self, name: &ast::Ident) -> bool {
        let earlier = self
            .let_by_name
            .get(name.value.as_str())
            .map(|&index| self.lets[index].ast.name.span)
            .or_else(|| {
                self.table_by_name
                    .get(name.value.as_str())
                    .map(|&index| self.tables[index].name_span)
            });
        match earlier {
            Some(earlier) => {
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateName, tr!("`{name}` is defined twice", name = name.value))
                        .primary(name.span, tr!("defined again here"))
                        .secondary(earlier, tr!("first defined here"))
                        .note(tr!("lets and tables share one namespace across the whole file, whatever the sections")),
                );
                false
            }
            None => true,
        }
    }

    /// The literal's value: E0204 for an unknown unit, E0305 out of range,
    /// E0302 for a fractional count.
    fn literal(&mut self, literal: &ast::Literal) -> Checked<Val> {
        self.literal_in(literal, &Unit::none())
    }

    /// The literal's value, in `default_unit` when it is written without one.
    fn literal_in(&mut self, literal: &ast::Literal, default_unit: &Unit) -> Checked<Val> {
        let Some(value) = literal_value(&literal.text) else {
            return Err(self.report(
                Diagnostic::new(Code::OutOfRange, tr!("number `{value}` is out of range", value = literal.text))
                    .primary(literal.number_span(), tr!("cannot be represented exactly"))
                    .note(tr!("gdr keeps numbers exactly: at most 79228162514264337593543950335 in size and 28 digits after the point")),
            ));
        };
        let unit = match &literal.unit {
            None => default_unit.clone(),
            Some(name) => match self.units.get(&name.value) {
                Some(unit) => unit.clone(),
                None => return Err(self.unknown_unit(name)),
            },
        };
        // A count is whole in its base unit: `45.9 万人次` is 459000 人次.
        // A whole number of a count unit is whole in its base (factors are
        // whole): only a fraction needs the conversion.
        let whole =
            || value.is_integer() || unit.to_base(value).is_none_or(|amount| amount.is_integer());
        if unit.is_count() && !whole() {
            let message = match &unit.dimension {
                Dimension::Count(base) if unit.is_derived_count() => tr!(
                    "a count in `{value}` must be a whole number of `{base}`",
                    value = unit.name,
                    base = base
                ),
                _ => tr!(
                    "a count of `{value}` must be a whole number",
                    value = unit.name
                ),
            };
            return Err(self.report(
                Diagnostic::new(Code::FractionalCount, message)
                    .primary(literal.span, tr!("not a whole number")),
            ));
        }
        let Some(amount) = unit.to_base(value) else {
            return Err(self.report(
                Diagnostic::new(
                    Code::OutOfRange,
                    tr!(
                        "`{value}` is out of range in base units",
                        value = literal.text
                    ),
                )
                .primary(literal.span, tr!("too large")),
            ));
        };
        debug_assert_eq!(self.sources.slice(literal.number_span()), &*literal.text);
        let mut val = Val::known(amount, unit);
        val.origin = Origin::Written(literal.number_span());
        Ok(val)
    }

    fn unknown_unit(&mut self, name: &ast::Ident) -> Poisoned {
        if self.broken.declares(&name.value) {
            return Poisoned::broken();
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnknownUnit,
            tr!("unknown unit `{name}`", name = name.value),
        )
        .primary(name.span, tr!("not a unit"));
        diagnostic = match self.suggest(&name.value, self.units.names()) {
            Some(close) => diagnostic.help(tr!("did you mean `{close}`?", close = close)),
            None => diagnostic.help(tr!(
                "declare it with `unit {name}` at the top level",
                name = name.value
            )),
        };
        self.report(diagnostic)
    }

    fn line(&self, span: Span) -> usize {
        self.sources.line(span)
    }

    /// "line 80", or "line 80 of <gdr>/gov_disclosure_2019.gdr" outside
    /// the report's own file.
    fn place(&self, span: Span) -> crate::diagnostics::Text {
        let file = self.sources.file_of(span.start as usize);
        let line = self.line(span);
        if self.in_report(span) {
            tr!("line {line}", line = line)
        } else {
            tr!("line {line} of {file}", line = line, file = file.name)
        }
    }

    /// Whether `span` is in the report's own file (not in a library).
    fn in_report(&self, span: Span) -> bool {
        std::ptr::eq(
            self.sources.file_of(span.start as usize),
            self.sources.main(),
        )
    }

    /// W0103, for lets that nothing uses (a let used only by unused lets is
    /// unused too).
    fn warn_unused_lets(&mut self) {
        let mut used = vec![false; self.lets.len()];
        let mut work: Vec<usize> = (0..self.lets.len())
            .filter(|&index| self.lets[index].used_directly)
            .collect();
        while let Some(index) = work.pop() {
            if std::mem::replace(&mut used[index], true) {
                continue;
            }
            work.extend(self.lets[index].refers_to.iter().copied());
        }
        for (index, info) in self.lets.iter().enumerate() {
            let name = &info.ast.name;
            let is_canonical = self.let_by_name.get(name.value.as_str()) == Some(&index);
            // A let may be used in an item that did not parse.
            if !used[index] && is_canonical && !self.broken.words.contains(name.value.as_str()) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnusedLet,
                        tr!("`{name}` is never used", name = name.value),
                    )
                    .primary(name.span, tr!("defined here"))
                    .help(tr!(
                        "use it in a paragraph as `{…}`, in a check, or remove it"
                    )),
                );
            }
        }
    }
}

impl Checker<'_> {
    /// Reports `diagnostic`, and poisons what it is about.
    pub(crate) fn report(&mut self, diagnostic: Diagnostic) -> Poisoned {
        Poisoned::report(&mut self.diagnostics, diagnostic)
    }

    /// A "did you mean" for `name`, within the report's budget of searches.
    pub(crate) fn suggest<'n>(
        &self,
        name: &str,
        candidates: impl Iterator<Item = &'n str>,
    ) -> Option<&'n str> {
        self.suggestions.suggest(name, candidates)
    }
}

/// The tables and instances among `items`, in sections too.
fn count_tables(items: &[ast::Item]) -> usize {
    items
        .iter()
        .map(|item| match item {
            ast::Item::Section(section) => count_tables(&section.items),
            ast::Item::Table(_) | ast::Item::Instance(_) => 1,
            _ => 0,
        })
        .sum()
}

impl Checker<'_> {
    /// The digits of a stated number as written (`17.50万元` → "17.50").
    pub(crate) fn written(&self, value: &Val) -> Option<Cow<'_, str>> {
        let text = match value.origin {
            Origin::Written(span) => self.sources.slice(span),
            Origin::Cell(table, index) => self.tables[table].number_text(index as usize)?,
            Origin::Computed | Origin::Fraction(_) => return None,
        };
        Some(digits_of(text))
    }
}

/// The digits of a number as written, without `_` and `+`.
fn digits_of(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|byte| byte == b'_' || byte == b'+') {
        Cow::Owned(text.chars().filter(|&c| c != '_' && c != '+').collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// The exact value of a number as written (`_` and `+` allowed), `None`
/// out of range. Most numbers have at most 18 digits and no sign: they are
/// read without `Decimal`'s parser, to the same value and scale.
fn literal_value(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    // Most numbers of a table: a few digits, whole.
    if !bytes.is_empty() && bytes.len() <= 9 {
        let mut whole: u32 = 0;
        for &byte in bytes {
            let digit = byte.wrapping_sub(b'0');
            if digit > 9 {
                whole = u32::MAX;
                break;
            }
            whole = whole * 10 + u32::from(digit);
        }
        if whole != u32::MAX {
            return Some(Decimal::from(whole));
        }
    }
    if !bytes.is_empty() && bytes.len() <= 19 {
        let mut mantissa: i64 = 0;
        let mut digits = 0;
        let mut scale: Option<u32> = None;
        let mut plain = true;
        for &byte in bytes {
            match byte {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + i64::from(byte - b'0');
                    digits += 1;
                    if let Some(scale) = &mut scale {
                        *scale += 1;
                    }
                }
                b'.' if scale.is_none() => scale = Some(0),
                _ => {
                    plain = false;
                    break;
                }
            }
        }
        if plain && digits > 0 && digits <= 18 && scale != Some(0) {
            return Some(Decimal::new(mantissa, scale.unwrap_or(0)));
        }
    }
    Decimal::from_str_exact(&digits_of(text)).ok()
}

#[cfg(test)]
mod literal_tests {
    use rust_decimal::Decimal;

    /// The numbers read without `Decimal`'s parser have its value and scale.
    #[test]
    fn a_literal_reads_as_decimals_parser_reads_it() {
        for text in [
            "0",
            "7",
            "007",
            "42",
            "999999999",
            "12a",
            "1.5",
            "1.50",
            "279.51",
            "0.001",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999.9",
            "1_000",
            "+5",
            "-3.20",
            "1.",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
        ] {
            let expected = Decimal::from_str_exact(&super::digits_of(text)).ok();
            let found = super::literal_value(text);
            assert_eq!(
                found.map(|d| d.serialize()),
                expected.map(|d| d.serialize()),
                "{text}"
            );
        }
    }
}

/// The checker holds a cell per cell of every table (its value only where
/// a derived one is not exact in its column's unit), a node per row and
/// column, a record of where each row's cells are written, a resolved
/// expression per cell a formula names, and an equality per formula and
/// check evaluated: on a large report, these make most of its memory.
#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use std::mem::size_of;

    #[test]
    fn what_the_checker_keeps_per_cell_node_and_equality_stays_small() {
        assert!(size_of::<super::Val>() <= 40);
        assert!(size_of::<super::table::CellInfo>() <= 20);
        assert!(size_of::<super::tree::TreeNode>() <= 40);
        assert!(size_of::<super::hint::Comparison>() <= 24);
        assert!(size_of::<super::rexpr::RExpr>() <= 32);
        assert!(size_of::<super::table::RowCells>() <= 16);
    }
}
