//! The syntax tree: plain data produced by `syntax::lower`.
//!
//! Every node carries the [`Span`] it was written at. Nothing here is
//! resolved or checked: names are strings, numbers are their digits as
//! written. The checker (`crate::check`) reads this tree and never sees pest.

use crate::span::{Span, Spanned};

/// A short string of the tree: a name, a number as written, a piece of
/// text. Up to 24 bytes (8 CJK characters) it is held inline, without an
/// allocation; it dereferences to `&str`.
pub type Str = compact_str::CompactString;

/// An identifier as written.
pub type Ident = Spanned<Str>;

/// A dotted path of names: `办理.予以公开`. It dereferences to `[Ident]`.
/// One name, the common case, is held inline (no allocation); more are a
/// boxed slice, without spare capacity. 32 bytes either way.
#[derive(Clone)]
pub struct Path(PathNames);

#[derive(Clone)]
enum PathNames {
    One(Ident),
    Many(Box<[Ident]>),
}

impl Path {
    /// The path of one name.
    pub fn one(name: Ident) -> Path {
        Path(PathNames::One(name))
    }
}

impl std::ops::Deref for Path {
    type Target = [Ident];

    fn deref(&self) -> &[Ident] {
        match &self.0 {
            PathNames::One(name) => std::slice::from_ref(name),
            PathNames::Many(names) => names,
        }
    }
}

impl std::ops::DerefMut for Path {
    fn deref_mut(&mut self) -> &mut [Ident] {
        match &mut self.0 {
            PathNames::One(name) => std::slice::from_mut(name),
            PathNames::Many(names) => names,
        }
    }
}

impl From<Vec<Ident>> for Path {
    fn from(mut names: Vec<Ident>) -> Path {
        match names.len() {
            1 => Path::one(names.pop().expect("one name")),
            _ => Path(PathNames::Many(names.into_boxed_slice())),
        }
    }
}

impl From<Ident> for Path {
    fn from(name: Ident) -> Path {
        Path::one(name)
    }
}

impl FromIterator<Ident> for Path {
    fn from_iter<I: IntoIterator<Item = Ident>>(names: I) -> Path {
        Path::from(names.into_iter().collect::<Vec<_>>())
    }
}

impl Default for Path {
    fn default() -> Path {
        Path(PathNames::Many(Box::default()))
    }
}

/// Two paths are equal when their names are, however they are held.
impl PartialEq for Path {
    fn eq(&self, other: &Path) -> bool {
        **self == **other
    }
}

/// As the slice of names: `["a" @ 0..1, "b" @ 2..3]`.
impl std::fmt::Debug for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// A whole source file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub items: Vec<Item>,
}

/// Anything that can stand at the top level or inside a section. Tables
/// and checks are boxed, so that a paragraph or a `let` takes no more room
/// than it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Header(Header),
    Unit(UnitDecl),
    Section(Section),
    Paragraph(Paragraph),
    Let(Let),
    Check(Box<Check>),
    Table(Box<Table>),
    /// `form NAME { … }`: a table without data.
    Form(Box<Table>),
    /// `table NAME = FORM { … }`
    Instance(Box<Instance>),
    Use(Use),
    /// `allow CODE "reason"` as a statement: waives CODE in its block.
    Allow(Waiver),
    /// An item that did not parse; its syntax error is reported.
    Error(Box<Broken>),
}

/// What can still be read of an item that did not parse, so that the
/// checker can tell a name defined there from a name defined nowhere, and
/// a section that is broken from one that is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// The keyword it starts with: `let`, `table`, `section`, `report`, …
    pub keyword: Option<Ident>,
    /// A section's title.
    pub title: Option<Text>,
    /// The names it declares with `let`, `table`, `form`, `unit` and `as`,
    /// at any depth.
    pub declares: Vec<Ident>,
    /// Every word written in it outside strings and comments: the names it
    /// may use.
    pub words: Vec<Ident>,
    pub span: Span,
}

/// `allow E0401 "reason"`
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub code: Spanned<Str>,
    pub reason: Text,
    pub span: Span,
}

/// `use gov_disclosure_2019`, `use "./forms.gdr"`, `use "../r.gdr" as 去年`
#[derive(Debug, Clone, PartialEq)]
pub struct Use {
    pub target: UseTarget,
    pub alias: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UseTarget {
    /// A library shipped inside gdr.
    Builtin(Ident),
    /// A file, relative to the file that uses it.
    Path(Text),
}

impl UseTarget {
    pub fn span(&self) -> Span {
        match self {
            UseTarget::Builtin(name) => name.span,
            UseTarget::Path(path) => path.span,
        }
    }
}

/// `table 申请 = 申请处理情况 { 新收 [16, …] rest 0 }`
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub name: Ident,
    pub form: Ident,
    pub rows: Vec<InstanceRow>,
    /// Every `rest V` (more than one is an error).
    pub rests: Vec<Cell>,
    /// `note "…"`: shown under the table after the form's own notes.
    pub notes: Vec<Paragraph>,
    pub checks: Vec<Check>,
    pub waivers: Vec<Waiver>,
    /// From `table` to the form's name: where whole-table problems point.
    pub head: Span,
    pub span: Span,
}

/// `办理.予以公开 [13, 0, auto]`
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRow {
    pub path: Path,
    pub cells: Cells,
    pub span: Span,
}

/// `report { title "…" agency "…" year 2020 }`
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The `report` keyword.
    pub keyword: Span,
    pub fields: Vec<HeaderField>,
    pub span: Span,
}

/// `year 2020`
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderField {
    pub key: Ident,
    pub value: HeaderValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    Text(Text),
    /// A plain number such as `2020`, as written.
    Number(Spanned<Str>),
    /// `2021-01-10`, not yet validated.
    Date(Spanned<Str>),
    Name(Ident),
    /// A token that starts with a digit but is neither a number nor a
    /// date, as written.
    Malformed(Spanned<Str>),
}

impl HeaderValue {
    pub fn span(&self) -> Span {
        match self {
            HeaderValue::Text(text) => text.span,
            HeaderValue::Number(number) => number.span,
            HeaderValue::Date(date) => date.span,
            HeaderValue::Name(name) => name.span,
            HeaderValue::Malformed(written) => written.span,
        }
    }
}

/// `unit 篇` or `unit 千元 = 1000 元`
#[derive(Debug, Clone, PartialEq)]
pub struct UnitDecl {
    pub name: Ident,
    pub definition: Option<Literal>,
    pub span: Span,
}

/// `section "TITLE" { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: Text,
    pub items: Vec<Item>,
    pub span: Span,
}

/// A string whose escapes have been processed; braces are literal.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: Str,
    pub span: Span,
}

/// A paragraph: literal text interleaved with `{…}` interpolations.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub pieces: Vec<Piece>,
    pub span: Span,
}

/// A piece of a paragraph. An interpolation is boxed: most pieces are
/// text, and a piece is no larger than its text.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(Str),
    Interpolation(Box<Interpolation>),
}

/// `{expr [as UNIT] [:num | :%N]}`
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolation {
    pub expr: Expr,
    /// Boxed: most interpolations show the value in its own unit.
    pub as_unit: Option<Box<Ident>>,
    pub format: Format,
    pub span: Span,
}

/// How an interpolated value is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The value with its unit: `155次`.
    WithUnit,
    /// `:num`, the bare number.
    Number,
    /// `:%N`, a dimensionless value as a percentage with N decimals.
    Percent(u32),
    /// `:N`, the value with its unit, rounded to N decimals: `123.46万元`.
    WithUnitDecimals(u32),
    /// `:numN`, the bare number rounded to N decimals: `123.46`.
    NumberDecimals(u32),
}

/// `let NAME = EXPR`
#[derive(Debug, Clone, PartialEq)]
pub struct Let {
    pub name: Ident,
    pub expr: Expr,
    pub span: Span,
}

/// `check A OP B [within TOL]`, or the same with `expect`.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub severity: CheckSeverity,
    pub lhs: Expr,
    pub op: Spanned<CmpOp>,
    pub rhs: Expr,
    /// Boxed, as the waiver: most checks have neither.
    pub within: Option<Box<Expr>>,
    /// `allow CODE "reason"` on the line where the check ends.
    pub waiver: Option<Box<Waiver>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSeverity {
    /// `check`: a failure is an error.
    Check,
    /// `expect`: a failure is a warning.
    Expect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// `table NAME ["TITLE"] { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: Ident,
    pub title: Option<Text>,
    /// Every `unit U` statement in the body (more than one is an error).
    pub units: Vec<Ident>,
    pub notes: Vec<Paragraph>,
    /// Every `columns { … }` block (exactly one is expected).
    pub columns: Vec<(Span, Vec<ColumnEntry>)>,
    /// Every `rows { … }` block (exactly one is expected).
    pub rows: Vec<(Span, Vec<RowEntry>)>,
    pub checks: Vec<Check>,
    /// `allow` statements in the body.
    pub waivers: Vec<Waiver>,
    pub span: Span,
}

impl Table {
    /// A table with a name and nothing in it yet.
    pub const fn empty(name: Ident, span: Span) -> Table {
        Table {
            name,
            title: None,
            units: Vec::new(),
            notes: Vec::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            checks: Vec::new(),
            waivers: Vec::new(),
            span,
        }
    }
}

/// An entry of `columns { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnEntry {
    pub name: Ident,
    pub label: Option<Text>,
    pub kind: ColumnKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ColumnKind {
    Leaf {
        /// Boxed: most columns take the table's unit.
        unit: Option<Box<Ident>>,
        /// Boxed: most columns have none.
        formula: Option<Box<Expr>>,
    },
    Group(Vec<ColumnEntry>),
}

/// An entry of `rows { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RowEntry {
    pub name: Ident,
    pub label: Option<Text>,
    pub kind: RowKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    Leaf {
        cells: Option<Cells>,
        /// Boxed: most rows have none.
        formula: Option<Box<Expr>>,
    },
    Group(Vec<RowEntry>),
}

/// `[c1, c2, …]`: a boxed slice, without spare capacity (a report may
/// hold hundreds of thousands of cells).
#[derive(Debug, Clone, PartialEq)]
pub struct Cells {
    pub cells: Box<[Cell]>,
    pub span: Span,
}

/// One cell, with an optional note: `22 "其中修订16件"`. Tables are large
/// and most cells plain, so a cell is 32 bytes: a number without unit or
/// note (written where its span says), `-`, `?` and `auto` are held
/// inline, any other cell is boxed whole. Read it through [`Cell::value`],
/// [`Cell::note`] and [`Cell::span`].
#[derive(Clone)]
pub struct Cell(CellRepr);

#[derive(Clone)]
enum CellRepr {
    /// A number as written (its sign and digits), at `start`.
    Plain { text: Str, start: u32 },
    /// `-` at the offset.
    Blank(u32),
    /// `?` at the offset.
    Unknown(u32),
    /// `auto` at the offset.
    Auto(u32),
    /// Any other cell.
    Full(Box<FullCell>),
}

#[derive(Clone)]
struct FullCell {
    value: CellValue,
    note: Option<Text>,
}

impl Cell {
    /// A cell without a note.
    pub fn new(value: CellValue) -> Cell {
        Cell::with_note(value, None)
    }

    /// A cell with its note, if it has one.
    pub fn with_note(value: CellValue, note: Option<Text>) -> Cell {
        let inline = match (&value, &note) {
            (CellValue::Number(literal), None) if literal.unit.is_none() => {
                Cell::plain(literal.text.clone(), literal.span)
            }
            (CellValue::Blank(span), None) => Cell::marked(*span, 1).map(CellRepr::Blank),
            (CellValue::Unknown(span), None) => Cell::marked(*span, 1).map(CellRepr::Unknown),
            (CellValue::Auto(span), None) => Cell::marked(*span, 4).map(CellRepr::Auto),
            _ => None,
        };
        Cell(inline.unwrap_or_else(|| CellRepr::Full(Box::new(FullCell { value, note }))))
    }

    /// A number without unit or note, `text` written at `span`.
    pub fn number(text: &str, span: Span) -> Cell {
        if span.end as usize == span.start as usize + text.len() {
            Cell(CellRepr::Plain {
                text: Str::from(text),
                start: span.start,
            })
        } else {
            Cell::new(CellValue::Number(Literal::new(text, None, span)))
        }
    }

    /// `text` inline, if its span is its length.
    fn plain(text: Str, span: Span) -> Option<CellRepr> {
        (span.end as usize == span.start as usize + text.len()).then_some(CellRepr::Plain {
            text,
            start: span.start,
        })
    }

    /// The start of `span`, if it is `len` bytes long.
    fn marked(span: Span, len: u32) -> Option<u32> {
        (span.end.checked_sub(span.start) == Some(len)).then_some(span.start)
    }

    /// The cell's value, with its span.
    pub fn value(&self) -> CellValue {
        match &self.0 {
            CellRepr::Plain { text, start } => CellValue::Number(Literal {
                text: text.clone(),
                unit: None,
                span: Span {
                    start: *start,
                    end: start + text.len() as u32,
                },
            }),
            CellRepr::Blank(start) => CellValue::Blank(Span {
                start: *start,
                end: start + 1,
            }),
            CellRepr::Unknown(start) => CellValue::Unknown(Span {
                start: *start,
                end: start + 1,
            }),
            CellRepr::Auto(start) => CellValue::Auto(Span {
                start: *start,
                end: start + 4,
            }),
            CellRepr::Full(full) => full.value.clone(),
        }
    }

    /// The number as written (sign and digits, without its unit), if the
    /// cell is a number, and whether it has a unit of its own: the checker
    /// reads most cells by it, without building their [`Literal`].
    pub fn number_text(&self) -> Option<(&str, bool)> {
        match &self.0 {
            CellRepr::Plain { text, .. } => Some((text, false)),
            CellRepr::Full(full) => match &full.value {
                CellValue::Number(literal) => Some((&literal.text, literal.unit.is_some())),
                _ => None,
            },
            CellRepr::Blank(_) | CellRepr::Unknown(_) | CellRepr::Auto(_) => None,
        }
    }

    /// Whether it is `auto`.
    pub fn is_auto(&self) -> bool {
        match &self.0 {
            CellRepr::Auto(_) => true,
            CellRepr::Full(full) => matches!(full.value, CellValue::Auto(_)),
            _ => false,
        }
    }

    /// The note written after the value.
    pub fn note(&self) -> Option<&Text> {
        match &self.0 {
            CellRepr::Full(full) => full.note.as_ref(),
            _ => None,
        }
    }

    /// Where the cell's value is written (its note not included).
    pub fn span(&self) -> Span {
        match &self.0 {
            CellRepr::Plain { text, start } => Span {
                start: *start,
                end: start + text.len() as u32,
            },
            CellRepr::Blank(start) | CellRepr::Unknown(start) => Span {
                start: *start,
                end: start + 1,
            },
            CellRepr::Auto(start) => Span {
                start: *start,
                end: start + 4,
            },
            CellRepr::Full(full) => full.value.span(),
        }
    }
}

/// Two cells are equal when their values and notes are, however they are
/// held.
impl PartialEq for Cell {
    fn eq(&self, other: &Cell) -> bool {
        self.value() == other.value() && self.note() == other.note()
    }
}

/// As the fields it had when it held its value, note and span: the tree
/// snapshots show them.
impl std::fmt::Debug for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cell")
            .field("value", &self.value())
            .field("note", &self.note())
            .field("span", &self.span())
            .finish()
    }
}

/// A cell's value, with the span it is written at.
#[derive(Clone, PartialEq)]
pub enum CellValue {
    Number(Literal),
    /// `-`
    Blank(Span),
    /// `?`
    Unknown(Span),
    /// `auto`
    Auto(Span),
    /// A token that starts with a digit but is not a number, as written
    /// (without a unit after it), and the span of the whole token (with
    /// that unit).
    Malformed(Spanned<Str>),
}

impl CellValue {
    pub fn span(&self) -> Span {
        match self {
            CellValue::Number(literal) => literal.span,
            CellValue::Blank(span) | CellValue::Unknown(span) | CellValue::Auto(span) => *span,
            CellValue::Malformed(written) => written.span,
        }
    }
}

/// As the variants were written when they did not hold the span.
impl std::fmt::Debug for CellValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellValue::Number(literal) => f.debug_tuple("Number").field(literal).finish(),
            CellValue::Blank(_) => f.write_str("Blank"),
            CellValue::Unknown(_) => f.write_str("Unknown"),
            CellValue::Auto(_) => f.write_str("Auto"),
            CellValue::Malformed(written) => {
                f.debug_tuple("Malformed").field(&written.value).finish()
            }
        }
    }
}

/// A number as written, with its optional sign and unit: `-77180.86万元`.
/// 40 bytes: its sign and the span of the number alone are read off its
/// text and span ([`Literal::negative`], [`Literal::number_span`]).
#[derive(Clone, PartialEq)]
pub struct Literal {
    /// The source text of the number itself: its sign (written in a cell),
    /// its digits (`_` kept), without its unit. It starts where the
    /// literal's span starts.
    pub text: Str,
    /// Boxed: most cells and numbers take their unit from the column or the
    /// context.
    pub unit: Option<Box<Ident>>,
    pub span: Span,
}

impl Literal {
    /// The number `text` (sign and digits as written), in `unit` if it has
    /// one, written at `span`.
    pub fn new(text: impl Into<Str>, unit: Option<Ident>, span: Span) -> Literal {
        Literal {
            text: text.into(),
            unit: unit.map(Box::new),
            span,
        }
    }

    /// Whether it is written with a minus sign.
    pub fn negative(&self) -> bool {
        self.text.starts_with('-')
    }

    /// The number without its sign and unit.
    pub fn number_span(&self) -> Span {
        let start = self.span.start as usize;
        let sign = usize::from(self.text.starts_with(['-', '+']));
        Span::new(start + sign, start + self.text.len())
    }
}

/// As the fields it had when its sign and the span of its number were
/// stored: the tree snapshots show them.
impl std::fmt::Debug for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Literal")
            .field("text", &self.text)
            .field("negative", &self.negative())
            .field("unit", &self.unit)
            .field("number_span", &self.number_span())
            .field("span", &self.span)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// An expression. Operator chains are flat so that a long sum is not a
/// deep tree; only parentheses and `sum(…)` nest.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Literal),
    Reference(Reference),
    /// `sum(a, b, …)`
    Sum {
        args: Vec<Expr>,
        span: Span,
    },
    /// `-x`
    Neg {
        op: Span,
        operand: Box<Expr>,
        span: Span,
    },
    /// `first op operand op operand …`, left-associative.
    Chain {
        first: Box<Expr>,
        rest: Vec<(Spanned<BinOp>, Expr)>,
        span: Span,
    },
    /// `(expr)`
    Paren {
        inner: Box<Expr>,
        span: Span,
    },
    /// A malformed number as written (already reported as E0103).
    Malformed(Spanned<Str>),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Literal(literal) => literal.span,
            Expr::Reference(reference) => reference.span,
            Expr::Sum { span, .. }
            | Expr::Neg { span, .. }
            | Expr::Chain { span, .. }
            | Expr::Paren { span, .. } => *span,
            Expr::Malformed(written) => written.span,
        }
    }
}

/// `a`, `申请.新收`, `新收[自然人]`, `申请.新收[法人或其他组织.其他]`
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub path: Path,
    /// Boxed: an expression is no larger than with the path alone.
    pub column: Option<Box<Path>>,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    /// The nodes a large report holds by the hundred thousand stay as
    /// small as they were made (on a 64-bit target): a name holds its text
    /// inline, an item is not as large as its largest kind.
    #[test]
    fn the_numerous_nodes_stay_small() {
        assert!(size_of::<Ident>() <= 32);
        assert!(size_of::<Literal>() <= 40);
        assert!(size_of::<Cell>() <= 32);
        assert!(size_of::<Cells>() <= 24);
        // One name inline, and `None` or `Some` path in the same room.
        assert!(size_of::<Path>() <= 32);
        assert!(size_of::<Option<Path>>() <= 32);
        assert!(size_of::<Reference>() <= 48);
        assert!(size_of::<Piece>() <= 24);
        assert!(size_of::<Interpolation>() <= 80);
        assert!(size_of::<Expr>() <= 56);
        assert!(size_of::<Check>() <= 152);
        assert!(size_of::<Item>() <= 104);
        assert!(size_of::<RowEntry>() <= 112);
        assert!(size_of::<ColumnEntry>() <= 96);
        // Eight CJK characters, 24 bytes: no allocation.
        assert!(!Str::from("行政复议结果维持").is_heap_allocated());
    }

    /// A path is its names, however it holds them.
    #[test]
    fn paths_are_their_names() {
        let name = |text: &str, at: usize| Ident::new(Str::from(text), Span::new(at, at + 1));
        let one = Path::one(name("a", 0));
        assert_eq!(one, Path::from(vec![name("a", 0)]));
        assert_eq!(one, [name("a", 0)].into_iter().collect::<Path>());
        assert_eq!(one.len(), 1);
        let two = Path::from(vec![name("a", 0), name("b", 2)]);
        assert_eq!(
            two.iter().map(|n| n.value.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_ne!(one, two);
        assert_eq!(format!("{one:?}"), format!("{:?}", [name("a", 0)]));
        assert!(Path::default().is_empty());
    }

    /// A cell is the same cell however it is held.
    #[test]
    fn cells_inline_or_boxed_are_their_values() {
        let number = |text: &str, span: Span| CellValue::Number(Literal::new(text, None, span));
        let cases = [
            number("-12", Span::new(5, 8)),
            number("1234567890123456", Span::new(5, 21)),
            number("0", Span::default()),
            number("٣", Span::new(0, 2)),
            CellValue::Number(Literal::new(
                "3",
                Some(Ident::new(Str::from("件"), Span::new(7, 10))),
                Span::new(5, 10),
            )),
            CellValue::Blank(Span::new(3, 4)),
            CellValue::Blank(Span::default()),
            CellValue::Unknown(Span::new(3, 4)),
            CellValue::Auto(Span::new(3, 7)),
            CellValue::Auto(Span::default()),
            CellValue::Malformed(Spanned::new(Str::from("1_"), Span::new(0, 2))),
        ];
        for value in cases {
            let cell = Cell::new(value.clone());
            assert_eq!(cell.value(), value);
            assert_eq!(cell.span(), value.span());
            assert_eq!(cell.is_auto(), matches!(value, CellValue::Auto(_)));
            assert!(cell.note().is_none());
            let note = Text {
                value: Str::from("注"),
                span: Span::new(30, 35),
            };
            let noted = Cell::with_note(value.clone(), Some(note.clone()));
            assert_eq!(noted.value(), value);
            assert_eq!(noted.note(), Some(&note));
            assert_ne!(noted, cell);
        }
        assert_eq!(
            Cell::number("60", Span::new(0, 2)),
            Cell::new(number("60", Span::new(0, 2)))
        );
    }

    #[test]
    fn a_literal_reads_its_sign_and_number_off_its_text() {
        let literal = Literal::new("-1_000", None, Span::new(10, 18));
        assert!(literal.negative());
        assert_eq!(literal.number_span(), Span::new(11, 16));
        let literal = Literal::new("7", None, Span::new(3, 4));
        assert!(!literal.negative());
        assert_eq!(literal.number_span(), Span::new(3, 4));
    }
}
