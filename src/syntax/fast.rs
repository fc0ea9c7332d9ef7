//! The fast parser: hand-written recursive descent from one chunk of
//! top-level items straight to `ast`, for the well-formed case.
//!
//! `grammar/gdr.pest` is the language's definition; this module is a second
//! reading of it, for speed. Each function is named after the rule it
//! implements, quotes that rule, and leaves the position where pest's rule
//! would end, trailing white space included: pest's implicit skip runs
//! between the elements of a sequence even before an optional element that
//! is absent, so a rule that ends with one (`let … = EXPR`, a column
//! without formula) spans the white space and comments after it, and the
//! AST's spans show it. [`Parser::skip`] stands for that implicit skip, and
//! it stands exactly where pest's generator puts it.
//!
//! At the first thing it does not accept, [`parse_items`] returns `None`
//! and the chunk goes to pest, which parses it again and reports what is
//! wrong: the fast parser makes no diagnostic of its own but those of
//! `literal.rs` (escapes, interpolations, E0103), which lowering pest's tree
//! makes too, in the same order. The inside of a `{…}` that it does not
//! accept goes to pest's `interpolation` rule the same way, through the
//! `fallback` the caller passes. `tests/parse.rs` and the fuzz test hold the
//! two parsers to the same trees and diagnostics, chunk by chunk.

use super::ast::*;
use super::grammar::{xid_continue, xid_start};
use super::literal::{self, RawString};
use crate::diagnostics::Diagnostic;
use crate::span::{Span, Spanned};

/// Parses the inside of `{…}` when the fast parser does not accept it: the
/// text, its global offset, the span of the whole `{…}` (see
/// [`literal::Interpolate`]).
pub(super) type Fallback = fn(&str, usize, Span, &mut Vec<Diagnostic>) -> Option<Interpolation>;

/// Parses `text`, which holds whole top-level items and starts at global
/// byte `base`: the items and the diagnostics that lowering pest's tree of
/// it would give, or `None` if the fast parser does not accept it.
pub(super) fn parse_items(
    text: &str,
    base: usize,
    fallback: Fallback,
) -> Option<(Vec<Item>, Vec<Diagnostic>)> {
    let mut parser = Parser::new(text, base, fallback);
    parser.scratch = SCRATCH.take();
    // The scan bounds nesting, so the recursion stays shallow; grow the
    // stack anyway for callers on small thread stacks, as for pest.
    let items = stacker::maybe_grow(256 * 1024, 8 * 1024 * 1024, || parser.file());
    SCRATCH.set(parser.scratch);
    Some((items?, parser.diagnostics))
}

/// The inside of `{…}` (`inner`, at global byte `offset`; `span` is the
/// whole `{…}`), by the fast parser if it accepts it, else by `fallback`.
fn interpolate(
    inner: &str,
    offset: usize,
    span: Span,
    fallback: Fallback,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Interpolation> {
    let mut parser = Parser::new(inner, offset, fallback);
    match parser.interpolation(span) {
        Some(interpolation) => {
            diagnostics.append(&mut parser.diagnostics);
            Some(interpolation)
        }
        None => fallback(inner, offset, span, diagnostics),
    }
}

/// The CJK Unified Ideographs that every Unicode version since 11 assigns,
/// all of them `XID_START` (and so `XID_CONTINUE`): most characters of a
/// name, tested without a table look-up (a unit test holds the range to
/// pest's tables).
const IDEOGRAPHS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FEF}';

/// The length of the common ideograph (in [`IDEOGRAPHS`]) that starts at
/// `at` in valid UTF-8, read without decoding in general: 3, or 0.
fn ideograph_at(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at..at + 3) {
        Some(&[lead @ 0xE4..=0xE9, second, third]) => {
            let c = (u32::from(lead & 0x0F) << 12)
                | (u32::from(second & 0x3F) << 6)
                | u32::from(third & 0x3F);
            if (*IDEOGRAPHS.start() as u32..=*IDEOGRAPHS.end() as u32).contains(&c) {
                3
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// `XID_START`, for a non-ASCII character.
fn starts(c: char) -> bool {
    IDEOGRAPHS.contains(&c) || xid_start(c)
}

/// `XID_CONTINUE`, for a non-ASCII character.
fn continues(c: char) -> bool {
    IDEOGRAPHS.contains(&c) || xid_continue(c)
}

/// The keywords of rule `keyword`: no name may be one.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "report"
            | "section"
            | "table"
            | "form"
            | "use"
            | "as"
            | "let"
            | "check"
            | "expect"
            | "within"
            | "sum"
            | "auto"
            | "rest"
            | "unit"
            | "note"
            | "allow"
    )
}

/// A place to come back to: the position and how many diagnostics there
/// were.
#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    diagnostics: usize,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The global byte offset of `text`.
    base: usize,
    diagnostics: Vec<Diagnostic>,
    fallback: Fallback,
    /// Buffers of the lists being read.
    scratch: Scratch,
}

/// The lists being read, each moved out into one allocation of its
/// length when it is complete: no regrowth and no spare capacity in the
/// tree, which lives as long as the check. Empty between items, and kept
/// by each thread from one chunk to the next ([`SCRATCH`]).
#[derive(Default)]
struct Scratch {
    /// The cells of the row being read (see [`Parser::cells`]).
    row: Vec<Cell>,
    /// Stacks of the entries, items and arguments being read (see
    /// [`Parser::repeat_on`]): lists of the same kind nested in one are
    /// read on top of it.
    row_entries: Vec<RowEntry>,
    column_entries: Vec<ColumnEntry>,
    items: Vec<Item>,
    sum_args: Vec<Expr>,
}

thread_local! {
    /// Each parsing thread's [`Scratch`], lent to one parser at a time.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, base: usize, fallback: Fallback) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            base,
            diagnostics: Vec::new(),
            fallback,
            scratch: Scratch::default(),
        }
    }

    // ------------------------------------------------------------ machinery

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn digit(&self, at: usize) -> bool {
        self.byte(at).is_some_and(|byte| byte.is_ascii_digit())
    }

    fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            diagnostics: self.diagnostics.len(),
        }
    }

    fn reset(&mut self, mark: Mark) {
        self.pos = mark.pos;
        self.diagnostics.truncate(mark.diagnostics);
    }

    /// `rule?`: the rule, or nothing and back to where it started.
    fn optional<T>(&mut self, rule: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let mark = self.mark();
        let result = rule(self);
        if result.is_none() {
            self.reset(mark);
        }
        result
    }

    /// `rule*` in a non-atomic rule: as pest generates it, the implicit
    /// skip runs between repetitions, not after the last. Without spare
    /// capacity: the tree lives as long as the check.
    fn repeat<T>(&mut self, rule: impl FnMut(&mut Self) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        self.repeat_into(&mut out, rule);
        out.shrink_to_fit();
        out
    }

    /// [`Parser::repeat`] on the parser's own `stack` (nested lists of
    /// the same kind are read on top of it): the list is moved out into one
    /// allocation of its length.
    fn repeat_on<T>(
        &mut self,
        stack: fn(&mut Self) -> &mut Vec<T>,
        rule: impl FnMut(&mut Self) -> Option<T>,
    ) -> Vec<T> {
        let base = stack(self).len();
        self.repeat_on_from(stack, base, rule)
    }

    /// [`Parser::repeat_on`], for a list whose first elements are already
    /// on the stack from `base`.
    fn repeat_on_from<T>(
        &mut self,
        stack: fn(&mut Self) -> &mut Vec<T>,
        base: usize,
        mut rule: impl FnMut(&mut Self) -> Option<T>,
    ) -> Vec<T> {
        if let Some(first) = self.optional(&mut rule) {
            stack(self).push(first);
            loop {
                let mark = self.mark();
                self.skip();
                match rule(self) {
                    Some(next) => stack(self).push(next),
                    None => {
                        self.reset(mark);
                        break;
                    }
                }
            }
        }
        stack(self).drain(base..).collect()
    }

    /// [`Parser::repeat`], with room for `capacity` elements at first: an
    /// operator chain mostly has one operator after its first operand.
    fn repeat_from<T>(
        &mut self,
        capacity: usize,
        mut rule: impl FnMut(&mut Self) -> Option<T>,
    ) -> Vec<T> {
        let Some(first) = self.optional(&mut rule) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(capacity);
        out.push(first);
        self.repeat_more(&mut out, rule);
        out.shrink_to_fit();
        out
    }

    /// [`Parser::repeat`], onto the end of `out`.
    fn repeat_into<T>(&mut self, out: &mut Vec<T>, mut rule: impl FnMut(&mut Self) -> Option<T>) {
        let Some(first) = self.optional(&mut rule) else {
            return;
        };
        out.push(first);
        self.repeat_more(out, rule);
    }

    /// The repetitions after the first, each after the implicit skip.
    fn repeat_more<T>(&mut self, out: &mut Vec<T>, mut rule: impl FnMut(&mut Self) -> Option<T>) {
        loop {
            let mark = self.mark();
            self.skip();
            match rule(self) {
                Some(next) => out.push(next),
                None => {
                    self.reset(mark);
                    return;
                }
            }
        }
    }

    /// The implicit skip between the elements of a non-atomic rule:
    /// `(WHITESPACE | COMMENT)*`, with
    /// `WHITESPACE = _{ (" " | '\t'..'\n' | "\r")+ }` and
    /// `COMMENT = _{ "//" ~ (!("\n" | "\r") ~ ANY)* }`.
    fn skip(&mut self) {
        while let Some(byte) = self.byte(self.pos) {
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.byte(self.pos + 1) == Some(b'/') => {
                    self.pos = self.bytes[self.pos..]
                        .iter()
                        .position(|&byte| byte == b'\n' || byte == b'\r')
                        .map_or(self.bytes.len(), |offset| self.pos + offset);
                }
                _ => return,
            }
        }
    }

    /// A one-character token (`lbrace`, `comma`, …).
    fn punct(&mut self, byte: u8) -> Option<()> {
        if self.byte(self.pos) == Some(byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// `eq = @{ "=" ~ !"=" }`
    fn eq(&mut self) -> Option<()> {
        if self.byte(self.pos) == Some(b'=') && self.byte(self.pos + 1) != Some(b'=') {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..)?.chars().next()
    }

    /// Whether the character at `at` is `XID_CONTINUE`.
    fn continues_word(&self, at: usize) -> bool {
        match self.byte(at) {
            None => false,
            Some(byte) if byte.is_ascii() => byte.is_ascii_alphanumeric() || byte == b'_',
            Some(_) => self.char_at(at).is_some_and(continues),
        }
    }

    /// The end of the run of `XID_CONTINUE` characters from `from`.
    fn word_end(&self, from: usize) -> usize {
        let mut at = from;
        while let Some(byte) = self.byte(at) {
            if byte.is_ascii() {
                if byte.is_ascii_alphanumeric() || byte == b'_' {
                    at += 1;
                } else {
                    break;
                }
            } else {
                let ideograph = ideograph_at(self.bytes, at);
                if ideograph > 0 {
                    at += ideograph;
                    continue;
                }
                match self.char_at(at) {
                    Some(c) if continues(c) => at += c.len_utf8(),
                    _ => break,
                }
            }
        }
        at
    }

    /// The word at the position, for choosing among keywords: every
    /// keyword rule is `"word" ~ !XID_CONTINUE`, and no keyword is the
    /// start of another, so the keyword that matches is the whole word.
    fn word(&self) -> &'a str {
        &self.text[self.pos..self.word_end(self.pos)]
    }

    /// `kw_WORD = @{ "WORD" ~ !XID_CONTINUE }`: its span.
    fn kw(&mut self, word: &str) -> Option<Span> {
        let start = self.pos;
        let end = start + word.len();
        if self.bytes[start..].starts_with(word.as_bytes()) && !self.continues_word(end) {
            self.pos = end;
            Some(self.span(start, end))
        } else {
            None
        }
    }

    // ------------------------------------------------------------ items

    /// `file = { SOI ~ item* ~ EOI }`
    fn file(&mut self) -> Option<Vec<Item>> {
        self.skip();
        let items = self.items(false);
        self.skip();
        (self.pos == self.bytes.len()).then_some(items)
    }

    /// `item*` (`in_section` false) or `section_item*`: one item may give
    /// several nodes (a block of paragraphs, a check and the `allow` after
    /// it). They are read on the parser's stack of items (sections nest)
    /// and moved out at their number.
    fn items(&mut self, in_section: bool) -> Vec<Item> {
        let base = self.scratch.items.len();
        let mut mark = self.mark();
        let mut length = base;
        while self.item(in_section).is_some() {
            mark = self.mark();
            length = self.scratch.items.len();
            self.skip();
        }
        self.reset(mark);
        self.scratch.items.truncate(length);
        self.scratch.items.drain(base..).collect()
    }

    /// `item = _{ header | use_stmt | unit_decl | form | section | let_stmt
    /// | check_stmt | expect_stmt | table | allow_stmt }` and, `in_section`,
    /// `section_item = _{ paragraph | let_stmt | check_stmt | expect_stmt |
    /// table | section | allow_stmt }`, with `paragraph = { text }`. Each
    /// alternative but a paragraph starts with its own keyword. Its nodes
    /// go onto the stack of items.
    fn item(&mut self, in_section: bool) -> Option<()> {
        let item = match self.word() {
            "" if in_section && self.byte(self.pos) == Some(b'"') => {
                let (raw, span) = self.text()?;
                let paragraphs = self.paragraphs(raw, span);
                let items = &mut self.scratch.items;
                items.extend(paragraphs.into_iter().map(Item::Paragraph));
                return Some(());
            }
            "report" if !in_section => Item::Header(self.header()?),
            "use" if !in_section => Item::Use(self.use_stmt()?),
            "unit" if !in_section => Item::Unit(self.unit_decl()?),
            "form" if !in_section => Item::Form(Box::new(self.form()?)),
            "section" => Item::Section(self.section()?),
            "let" => Item::Let(self.let_stmt()?),
            "check" | "expect" => {
                let (check, waiver) = self.check_stmt()?;
                let items = &mut self.scratch.items;
                items.push(Item::Check(Box::new(check)));
                items.extend(waiver.map(Item::Allow));
                return Some(());
            }
            "table" => self.table()?,
            "allow" => Item::Allow(self.allow_stmt()?),
            _ => return None,
        };
        self.scratch.items.push(item);
        Some(())
    }

    /// `header = { kw_report ~ lbrace ~ header_field* ~ rbrace }`
    fn header(&mut self) -> Option<Header> {
        let start = self.pos;
        let keyword = self.kw("report")?;
        self.skip();
        self.punct(b'{')?;
        self.skip();
        let fields = self.repeat(Self::header_field);
        self.skip();
        self.punct(b'}')?;
        Some(Header {
            keyword,
            fields,
            span: self.span(start, self.pos),
        })
    }

    /// `header_field = { name ~ header_value }`
    fn header_field(&mut self) -> Option<HeaderField> {
        let key = self.name()?;
        self.skip();
        let value = self.header_value()?;
        Some(HeaderField { key, value })
    }

    /// `header_value = _{ date | bad_date | number | bad_number | text | name }`
    fn header_value(&mut self) -> Option<HeaderValue> {
        let start = self.pos;
        if let Some(end) = self.date(start) {
            self.pos = end;
            return Some(HeaderValue::Date(self.ident(start, end)));
        }
        if let Some(end) = self.bad_date(start) {
            self.pos = end;
            return Some(HeaderValue::Malformed(self.malformed(start, end)));
        }
        if let Some(end) = self.number(start) {
            self.pos = end;
            return Some(HeaderValue::Number(self.ident(start, end)));
        }
        if let Some(end) = self.bad_number(start) {
            self.pos = end;
            return Some(HeaderValue::Malformed(self.malformed(start, end)));
        }
        if self.byte(start) == Some(b'"') {
            return Some(HeaderValue::Text(self.lower_text()?));
        }
        self.name().map(HeaderValue::Name)
    }

    /// `unit_decl = { kw_unit ~ unit_name ~ (eq ~ quantity)? }`
    fn unit_decl(&mut self) -> Option<UnitDecl> {
        let start = self.pos;
        self.kw("unit")?;
        self.skip();
        let name = self.unit_name()?;
        self.skip();
        let definition = self.optional(|p| {
            p.eq()?;
            p.skip();
            p.quantity()
        });
        Some(UnitDecl {
            name,
            definition,
            span: self.span(start, self.pos),
        })
    }

    /// `section = { kw_section ~ text ~ lbrace ~ section_item* ~ rbrace }`
    fn section(&mut self) -> Option<Section> {
        let start = self.pos;
        self.kw("section")?;
        self.skip();
        let title = self.lower_text()?;
        self.skip();
        self.punct(b'{')?;
        self.skip();
        let items = self.items(true);
        self.skip();
        self.punct(b'}')?;
        Some(Section {
            title,
            items,
            span: self.span(start, self.pos),
        })
    }

    /// `let_stmt = { kw_let ~ name ~ eq ~ expr }`
    fn let_stmt(&mut self) -> Option<Let> {
        let start = self.pos;
        self.kw("let")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        self.eq()?;
        self.skip();
        let expr = self.expr()?;
        Some(Let {
            name,
            expr,
            span: self.span(start, self.pos),
        })
    }

    /// `check_stmt = { kw_check ~ comparison ~ allow_stmt? }` and
    /// `expect_stmt = { kw_expect ~ comparison ~ allow_stmt? }`, with
    /// `comparison = _{ expr ~ cmp_op ~ expr ~ (kw_within ~ expr)? }`: the
    /// check, and the `allow` after it when that starts on a later line
    /// (then it is a statement of the enclosing block, as `lower.rs` has it).
    fn check_stmt(&mut self) -> Option<(Check, Option<Waiver>)> {
        let start = self.pos;
        let severity = if self.kw("check").is_some() {
            CheckSeverity::Check
        } else {
            self.kw("expect")?;
            CheckSeverity::Expect
        };
        self.skip();
        let lhs = self.expr()?;
        self.skip();
        let op = self.cmp_op()?;
        self.skip();
        let rhs = self.expr()?;
        self.skip();
        let within = self.optional(|p| {
            p.kw("within")?;
            p.skip();
            p.expr()
        });
        self.skip();
        let waiver = self.optional(Self::allow_stmt);
        let span = self.span(start, self.pos);
        let end = within.as_ref().unwrap_or(&rhs).span().end as usize - self.base;
        let (waiver, block_waiver) = match waiver {
            Some(waiver)
                if self
                    .text
                    .get(end..waiver.span.start as usize - self.base)
                    .unwrap_or_default()
                    .contains('\n') =>
            {
                (None, Some(waiver))
            }
            waiver => (waiver, None),
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
        Some((check, block_waiver))
    }

    /// `cmp_op = @{ "==" | "!=" | "<=" | ">=" | "<" | ">" }`
    fn cmp_op(&mut self) -> Option<Spanned<CmpOp>> {
        let start = self.pos;
        let next = self.byte(start + 1);
        let (op, len) = match (self.byte(start)?, next) {
            (b'=', Some(b'=')) => (CmpOp::Eq, 2),
            (b'!', Some(b'=')) => (CmpOp::Ne, 2),
            (b'<', Some(b'=')) => (CmpOp::Le, 2),
            (b'>', Some(b'=')) => (CmpOp::Ge, 2),
            (b'<', _) => (CmpOp::Lt, 1),
            (b'>', _) => (CmpOp::Gt, 1),
            _ => return None,
        };
        self.pos += len;
        Some(Spanned::new(op, self.span(start, self.pos)))
    }

    /// `allow_stmt = { kw_allow ~ code ~ text }`
    fn allow_stmt(&mut self) -> Option<Waiver> {
        let start = self.pos;
        self.kw("allow")?;
        self.skip();
        let code = self.code()?;
        self.skip();
        let reason = self.lower_text()?;
        Some(Waiver {
            code,
            reason,
            span: self.span(start, self.pos),
        })
    }

    /// `code = @{ ("E" | "W") ~ ASCII_DIGIT{4} ~ !XID_CONTINUE }`
    fn code(&mut self) -> Option<Spanned<Str>> {
        let start = self.pos;
        let end = start + 5;
        if matches!(self.byte(start), Some(b'E' | b'W'))
            && (start + 1..end).all(|at| self.digit(at))
            && !self.continues_word(end)
        {
            self.pos = end;
            Some(Spanned::new(
                Str::from(&self.text[start..end]),
                self.span(start, end),
            ))
        } else {
            None
        }
    }

    /// `use_stmt = { kw_use ~ (text | name) ~ (kw_as ~ name)? }`
    fn use_stmt(&mut self) -> Option<Use> {
        let start = self.pos;
        self.kw("use")?;
        self.skip();
        let target = if self.byte(self.pos) == Some(b'"') {
            UseTarget::Path(self.lower_text()?)
        } else {
            UseTarget::Builtin(self.name()?)
        };
        self.skip();
        let alias = self.optional(|p| {
            p.kw("as")?;
            p.skip();
            p.name()
        });
        Some(Use {
            target,
            alias,
            span: self.span(start, self.pos),
        })
    }

    // ------------------------------------------------------------ tables

    /// `table = { kw_table ~ name ~ (instance | text? ~ lbrace ~
    /// table_item* ~ rbrace) }`
    fn table(&mut self) -> Option<Item> {
        let start = self.pos;
        let keyword = self.kw("table")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        if self.byte(self.pos) == Some(b'=') {
            return self
                .instance(start, keyword, name)
                .map(|instance| Item::Instance(Box::new(instance)));
        }
        self.table_body(start, name)
            .map(|table| Item::Table(Box::new(table)))
    }

    /// `form = { kw_form ~ name ~ text? ~ lbrace ~ table_item* ~ rbrace }`
    fn form(&mut self) -> Option<Table> {
        let start = self.pos;
        self.kw("form")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        self.table_body(start, name)
    }

    /// `text? ~ lbrace ~ table_item* ~ rbrace`, of a table or a form that
    /// starts at `start`.
    fn table_body(&mut self, start: usize, name: Ident) -> Option<Table> {
        let mut table = Table::empty(name, Span::default());
        table.title = self.optional(Self::lower_text);
        self.skip();
        self.punct(b'{')?;
        self.skip();
        let mut mark = self.mark();
        let mut sizes = table_sizes(&table);
        while self.table_item(&mut table).is_some() {
            mark = self.mark();
            sizes = table_sizes(&table);
            self.skip();
        }
        self.reset(mark);
        truncate_table(&mut table, sizes);
        self.skip();
        self.punct(b'}')?;
        table.span = self.span(start, self.pos);
        Some(table)
    }

    /// `table_item = _{ table_unit | table_note | columns | rows |
    /// check_stmt | expect_stmt | allow_stmt }`
    fn table_item(&mut self, table: &mut Table) -> Option<()> {
        match self.word() {
            "unit" => {
                // table_unit = { kw_unit ~ unit_name }
                self.kw("unit")?;
                self.skip();
                let unit = self.unit_name()?;
                push_one(&mut table.units, unit);
            }
            "note" => {
                let notes = self.table_note()?;
                append(&mut table.notes, notes);
            }
            "columns" => {
                // columns = { kw_columns ~ lbrace ~ column_entry* ~ rbrace }
                let start = self.pos;
                self.kw("columns")?;
                self.skip();
                self.punct(b'{')?;
                self.skip();
                let entries = self.repeat_on(|p| &mut p.scratch.column_entries, Self::column_entry);
                self.skip();
                self.punct(b'}')?;
                push_one(&mut table.columns, (self.span(start, self.pos), entries));
            }
            "rows" => {
                // rows = { kw_rows ~ lbrace ~ row_entry* ~ rbrace }
                let start = self.pos;
                self.kw("rows")?;
                self.skip();
                self.punct(b'{')?;
                self.skip();
                let entries = self.repeat_on(|p| &mut p.scratch.row_entries, Self::row_entry);
                self.skip();
                self.punct(b'}')?;
                push_one(&mut table.rows, (self.span(start, self.pos), entries));
            }
            "check" | "expect" => {
                let (check, waiver) = self.check_stmt()?;
                push_one(&mut table.checks, check);
                table.waivers.extend(waiver);
            }
            "allow" => {
                let waiver = self.allow_stmt()?;
                table.waivers.push(waiver);
            }
            _ => return None,
        }
        Some(())
    }

    /// `table_note = { kw_note ~ text }`: its paragraphs.
    fn table_note(&mut self) -> Option<Vec<Paragraph>> {
        self.kw("note")?;
        self.skip();
        let (raw, span) = self.text()?;
        Some(self.paragraphs(raw, span))
    }

    /// `instance = { eq ~ name ~ lbrace ~ instance_item* ~ rbrace }`, after
    /// `table NAME` from `start`.
    fn instance(&mut self, start: usize, keyword: Span, name: Ident) -> Option<Instance> {
        self.eq()?;
        self.skip();
        let form = self.name()?;
        self.skip();
        self.punct(b'{')?;
        self.skip();
        let mut instance = Instance {
            head: keyword.to(form.span),
            name,
            form,
            rows: Vec::new(),
            rests: Vec::new(),
            notes: Vec::new(),
            checks: Vec::new(),
            waivers: Vec::new(),
            span: Span::default(),
        };
        let mut mark = self.mark();
        let mut sizes = instance_sizes(&instance);
        while self.instance_item(&mut instance).is_some() {
            mark = self.mark();
            sizes = instance_sizes(&instance);
            self.skip();
        }
        self.reset(mark);
        truncate_instance(&mut instance, sizes);
        self.skip();
        self.punct(b'}')?;
        instance.span = self.span(start, self.pos);
        Some(instance)
    }

    /// `instance_item = _{ rest_stmt | table_note | check_stmt |
    /// expect_stmt | allow_stmt | instance_row }`
    fn instance_item(&mut self, instance: &mut Instance) -> Option<()> {
        match self.word() {
            "rest" => {
                // rest_stmt = { kw_rest ~ (signed_quantity | blank | unknown) }
                self.kw("rest")?;
                self.skip();
                let value = self.cell_value(false)?;
                instance.rests.push(value);
            }
            "note" => {
                let notes = self.table_note()?;
                instance.notes.extend(notes);
            }
            "check" | "expect" => {
                let (check, waiver) = self.check_stmt()?;
                instance.checks.push(check);
                instance.waivers.extend(waiver);
            }
            "allow" => {
                let waiver = self.allow_stmt()?;
                instance.waivers.push(waiver);
            }
            _ => {
                // instance_row = { row_path ~ cells }
                let start = self.pos;
                let path = self.row_path()?;
                self.skip();
                let cells = self.cells()?;
                instance.rows.push(InstanceRow {
                    path,
                    cells,
                    span: self.span(start, self.pos),
                });
            }
        }
        Some(())
    }

    /// `column_entry = _{ column_group | column }`, with
    /// `column_group = { name ~ text? ~ lbrace ~ column_entry* ~ rbrace }`
    /// and `column = { name ~ text? ~ (kw_unit ~ unit_name)? ~ (eq ~ expr)? }`.
    /// Both start alike; a `{` after the label makes a group (where
    /// `column_group` fails after its `{`, pest's `column` stops before the
    /// `{`, which nothing can follow, so the chunk fails either way).
    fn column_entry(&mut self) -> Option<ColumnEntry> {
        let start = self.pos;
        let name = self.name()?;
        self.skip();
        let label = self.optional(Self::lower_text);
        self.skip();
        let kind = if self.byte(self.pos) == Some(b'{') {
            self.pos += 1;
            self.skip();
            let children = self.repeat_on(|p| &mut p.scratch.column_entries, Self::column_entry);
            self.skip();
            self.punct(b'}')?;
            ColumnKind::Group(children)
        } else {
            let unit = self.optional(|p| {
                p.kw("unit")?;
                p.skip();
                p.unit_name()
            });
            self.skip();
            let formula = self.optional(|p| {
                p.eq()?;
                p.skip();
                p.expr().map(Box::new)
            });
            ColumnKind::Leaf {
                unit: unit.map(Box::new),
                formula,
            }
        };
        Some(ColumnEntry {
            name,
            label,
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// `row_entry = _{ row_group | row }`, with
    /// `row_group = { name ~ text? ~ lbrace ~ row_entry* ~ rbrace }` and
    /// `row = { name ~ text? ~ cells? ~ (eq ~ expr)? }`; as for columns.
    fn row_entry(&mut self) -> Option<RowEntry> {
        let start = self.pos;
        let name = self.name()?;
        self.skip();
        let label = self.optional(Self::lower_text);
        self.skip();
        let kind = if self.byte(self.pos) == Some(b'{') {
            self.pos += 1;
            self.skip();
            let children = self.repeat_on(|p| &mut p.scratch.row_entries, Self::row_entry);
            self.skip();
            self.punct(b'}')?;
            RowKind::Group(children)
        } else {
            let cells = if self.byte(self.pos) == Some(b'[') {
                self.optional(Self::cells)
            } else {
                None
            };
            self.skip();
            let formula = self.optional(|p| {
                p.eq()?;
                p.skip();
                p.expr().map(Box::new)
            });
            RowKind::Leaf { cells, formula }
        };
        Some(RowEntry {
            name,
            label,
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// `row_path = ${ name ~ ("." ~ name)* }`, and `column_path` alike.
    fn row_path(&mut self) -> Option<Path> {
        let first = self.name()?;
        if self.byte(self.pos) != Some(b'.') {
            return Some(Path::one(first));
        }
        // Most paths of more than one name have two.
        let mut path = Vec::with_capacity(2);
        path.push(first);
        while self.byte(self.pos) == Some(b'.') {
            let start = self.pos + 1;
            let Some(end) = self.name_end(start) else {
                break;
            };
            path.push(self.ident(start, end));
            self.pos = end;
        }
        Some(Path::from(path))
    }

    /// `cells = { lbracket ~ (cell ~ (comma ~ cell)* ~ comma?)? ~ rbracket }`
    fn cells(&mut self) -> Option<Cells> {
        let start = self.pos;
        self.punct(b'[')?;
        self.skip();
        // The cells are read into the parser's buffer and moved out into
        // one allocation of their number: no spare capacity, no regrowth.
        let mut cells = std::mem::take(&mut self.scratch.row);
        cells.clear();
        let mark = self.mark();
        if let Some(first) = self.cell() {
            cells.push(first);
            self.skip();
            // `(comma ~ cell)*`, each after the implicit skip.
            loop {
                let mark = self.mark();
                if self.punct(b',').is_some() {
                    self.skip();
                    if let Some(cell) = self.cell() {
                        cells.push(cell);
                        self.skip();
                        continue;
                    }
                }
                self.reset(mark);
                break;
            }
            self.punct(b',');
            self.skip();
        } else {
            self.reset(mark);
        }
        let span_end = self.punct(b']').map(|()| self.pos);
        let boxed: Box<[Cell]> = cells.drain(..).collect();
        self.scratch.row = cells;
        Some(Cells {
            cells: boxed,
            span: self.span(start, span_end?),
        })
    }

    /// `cell = { (signed_quantity | bad_number | blank | unknown | kw_auto) ~ text? }`
    fn cell(&mut self) -> Option<Cell> {
        let cell = self.cell_value(true)?;
        self.skip();
        if self.byte(self.pos) == Some(b'"')
            && let Some(note) = self.optional(Self::lower_text)
        {
            return Some(Cell::with_note(cell.value(), Some(note)));
        }
        Some(cell)
    }

    /// A cell's value: `signed_quantity | bad_number | blank | unknown |
    /// kw_auto` in a cell, `signed_quantity | blank | unknown` after
    /// `rest` (`in_cell` false), with `signed_quantity = ${ sign? ~ number
    /// ~ (inline_space* ~ unit_name)? }`, `sign = { "-" | "+" }`,
    /// `blank = { "-" }`, `unknown = { "?" }`. The first byte chooses: only
    /// a digit or a sign before a digit can start a number, and only a
    /// digit a bad number.
    fn cell_value(&mut self, in_cell: bool) -> Option<Cell> {
        let start = self.pos;
        let value = match self.byte(start)? {
            b'0'..=b'9' => {
                // Most cells are plain digits before `,` or `]`: a number
                // without fraction or unit (`number` allows no `_` or `.`
                // after it, nor a unit a `,` or `]`).
                let end = self.bytes[start..]
                    .iter()
                    .position(|byte| !byte.is_ascii_digit())
                    .map_or(self.bytes.len(), |offset| start + offset);
                if matches!(self.byte(end), Some(b',' | b']')) {
                    self.pos = end;
                    let span = self.span(start, end);
                    return Some(Cell::number(&self.text[start..end], span));
                }
                self.number_cell(start, in_cell)?
            }
            b'-' | b'+' => match self.quantity_from(start, start + 1) {
                Some(literal) => CellValue::Number(literal),
                None if self.byte(start) == Some(b'-') => {
                    self.pos = start + 1;
                    CellValue::Blank(self.span(start, start + 1))
                }
                None => return None,
            },
            b'?' => {
                self.pos = start + 1;
                CellValue::Unknown(self.span(start, start + 1))
            }
            b'a' if in_cell => CellValue::Auto(self.kw("auto")?),
            _ => return None,
        };
        Some(Cell::new(value))
    }

    /// A cell's value that starts with a digit: `signed_quantity`, or else
    /// `bad_number` in a cell.
    fn number_cell(&mut self, start: usize, in_cell: bool) -> Option<CellValue> {
        match self.quantity_from(start, start) {
            Some(literal) => Some(CellValue::Number(literal)),
            None if in_cell => {
                let (number_end, end) = self.bad_quantity(start)?;
                self.pos = end;
                let written = self.malformed(start, number_end).value;
                Some(CellValue::Malformed(Spanned::new(
                    written,
                    self.span(start, end),
                )))
            }
            None => None,
        }
    }

    // ------------------------------------------------------------ expressions

    /// `expr = { term ~ (add_op ~ term)* }`, `add_op = { "+" | "-" }`
    fn expr(&mut self) -> Option<Expr> {
        let first = self.term()?;
        self.skip();
        let rest = self.repeat_from(1, |p| {
            let op = match p.byte(p.pos)? {
                b'+' => BinOp::Add,
                b'-' => BinOp::Sub,
                _ => return None,
            };
            p.pos += 1;
            let op = Spanned::new(op, p.span(p.pos - 1, p.pos));
            p.skip();
            Some((op, p.term()?))
        });
        Some(chain(first, rest))
    }

    /// `term = { factor ~ (mul_op ~ factor)* }`, `mul_op = { "*" | "/" }`
    fn term(&mut self) -> Option<Expr> {
        let first = self.factor()?;
        self.skip();
        let rest = self.repeat_from(1, |p| {
            let op = match p.byte(p.pos)? {
                b'*' => BinOp::Mul,
                b'/' => BinOp::Div,
                _ => return None,
            };
            p.pos += 1;
            let op = Spanned::new(op, p.span(p.pos - 1, p.pos));
            p.skip();
            Some((op, p.factor()?))
        });
        Some(chain(first, rest))
    }

    /// `factor = { neg* ~ atom }`, `neg = { "-" }`: an odd number of signs
    /// is one `Neg`, as `lower.rs` has it.
    fn factor(&mut self) -> Option<Expr> {
        let mut negs = 0;
        let first = self.pos;
        if self.punct(b'-').is_some() {
            negs = 1;
            loop {
                let mark = self.mark();
                self.skip();
                if self.punct(b'-').is_some() {
                    negs += 1;
                } else {
                    self.reset(mark);
                    break;
                }
            }
        }
        self.skip();
        let atom = self.atom()?;
        Some(if negs % 2 == 1 {
            Expr::Neg {
                op: self.span(first, first + 1),
                operand: Box::new(atom),
                span: self.span(first, self.pos),
            }
        } else {
            atom
        })
    }

    /// `atom = _{ quantity | bad_number | sum_call | paren | reference }`
    fn atom(&mut self) -> Option<Expr> {
        let start = self.pos;
        if let Some(literal) = self.quantity() {
            return Some(Expr::Literal(literal));
        }
        if let Some((number_end, end)) = self.bad_quantity(start) {
            self.pos = end;
            return Some(Expr::Malformed(self.malformed(start, number_end)));
        }
        match self.byte(start)? {
            b'(' => self.paren(),
            b's' if self.word() == "sum" => self.sum_call(),
            _ => self.reference(),
        }
    }

    /// `paren = { lparen ~ expr ~ rparen }`
    fn paren(&mut self) -> Option<Expr> {
        let start = self.pos;
        self.punct(b'(')?;
        self.skip();
        let inner = self.expr()?;
        self.skip();
        self.punct(b')')?;
        Some(Expr::Paren {
            inner: Box::new(inner),
            span: self.span(start, self.pos),
        })
    }

    /// `sum_call = { kw_sum ~ lparen ~ expr ~ (comma ~ expr)* ~ rparen }`
    fn sum_call(&mut self) -> Option<Expr> {
        let start = self.pos;
        self.kw("sum")?;
        self.skip();
        self.punct(b'(')?;
        self.skip();
        let first = self.expr()?;
        self.skip();
        let base = self.scratch.sum_args.len();
        self.scratch.sum_args.push(first);
        let args = self.repeat_on_from(
            |p| &mut p.scratch.sum_args,
            base,
            |p| {
                p.punct(b',')?;
                p.skip();
                p.expr()
            },
        );
        self.skip();
        self.punct(b')')?;
        Some(Expr::Sum {
            args,
            span: self.span(start, self.pos),
        })
    }

    /// `reference = ${ name ~ ("." ~ name)* ~ column_ref? }`, with
    /// `column_ref = !{ "[" ~ column_path ~ "]" }` (white space allowed
    /// inside the brackets, not before them).
    fn reference(&mut self) -> Option<Expr> {
        let start = self.pos;
        let path = self.row_path()?;
        let column = if self.byte(self.pos) == Some(b'[') {
            self.optional(|p| {
                p.pos += 1;
                p.skip();
                let column = p.row_path()?;
                p.skip();
                p.punct(b']')?;
                Some(Box::new(column))
            })
        } else {
            None
        };
        Some(Expr::Reference(Reference {
            path,
            column,
            span: self.span(start, self.pos),
        }))
    }

    /// `quantity = ${ number ~ (inline_space* ~ unit_name)? }`
    fn quantity(&mut self) -> Option<Literal> {
        let start = self.pos;
        self.quantity_from(start, start)
    }

    /// A `number ~ (inline_space* ~ unit_name)?` at `number_start`, in a
    /// token that starts at `start` (before its sign); `inline_space = _{ " " | "\t" }`.
    /// Its text is the sign and the number, as `lower.rs` has it.
    fn quantity_from(&mut self, start: usize, number_start: usize) -> Option<Literal> {
        let number_end = self.number(number_start)?;
        // Most numbers (in a row of cells) are followed by `,` or `]`: no unit.
        let unit = match self.byte(number_end) {
            Some(b',' | b']') | None => None,
            _ => self.unit_after(number_end),
        };
        let (unit, end) = match unit {
            Some((unit_start, unit_end)) => (Some(self.ident(unit_start, unit_end)), unit_end),
            None => (None, number_end),
        };
        self.pos = end;
        Some(Literal::new(
            &self.text[start..number_end],
            unit,
            self.span(start, end),
        ))
    }

    /// `unit_name = @{ "%" | name }`
    fn unit_name(&mut self) -> Option<Ident> {
        if self.byte(self.pos) == Some(b'%') {
            self.pos += 1;
            return Some(self.ident(self.pos - 1, self.pos));
        }
        self.name()
    }

    /// `interpolation = { SOI ~ expr ~ (kw_as ~ unit_name)? ~ (colon ~
    /// format_spec)? ~ EOI }`, the whole `{…}` being at `span`.
    fn interpolation(&mut self, span: Span) -> Option<Interpolation> {
        self.skip();
        let expr = self.expr()?;
        self.skip();
        let as_unit = self.optional(|p| {
            p.kw("as")?;
            p.skip();
            p.unit_name()
        });
        self.skip();
        let format = self
            .optional(|p| {
                p.punct(b':')?;
                p.skip();
                let start = p.pos;
                let end = p.format_spec(start)?;
                p.pos = end;
                let spec_span = p.span(start, end);
                Some(literal::format_spec(
                    &p.text[start..end],
                    spec_span,
                    &mut p.diagnostics,
                ))
            })
            .unwrap_or(Format::WithUnit);
        self.skip();
        (self.pos == self.bytes.len()).then_some(Interpolation {
            expr,
            as_unit: as_unit.map(Box::new),
            format,
            span,
        })
    }

    // ------------------------------------------------------------ tokens

    /// `format_spec = @{ ("num" ~ ASCII_DIGIT* | "%" ~ ASCII_DIGIT+ |
    /// ASCII_DIGIT+) ~ !XID_CONTINUE }`: its end.
    fn format_spec(&self, from: usize) -> Option<usize> {
        let digits_from = |at: usize| {
            let mut end = at;
            while self.digit(end) {
                end += 1;
            }
            end
        };
        let end = if self.bytes[from..].starts_with(b"num") {
            digits_from(from + 3)
        } else if self.byte(from) == Some(b'%') {
            let end = digits_from(from + 1);
            if end == from + 1 {
                return None;
            }
            end
        } else {
            let end = digits_from(from);
            if end == from {
                return None;
            }
            end
        };
        (!self.continues_word(end)).then_some(end)
    }

    /// `date = @{ ASCII_DIGIT{4} ~ "-" ~ ASCII_DIGIT{2} ~ "-" ~
    /// ASCII_DIGIT{2} ~ !(ASCII_DIGIT | "-" | "_" | ".") }`: its end.
    fn date(&self, from: usize) -> Option<usize> {
        let shape = b"dddd-dd-dd";
        let fits = shape.iter().enumerate().all(|(offset, &want)| {
            let at = from + offset;
            if want == b'd' {
                self.digit(at)
            } else {
                self.byte(at) == Some(b'-')
            }
        });
        let end = from + shape.len();
        (fits && !matches!(self.byte(end), Some(b'0'..=b'9' | b'-' | b'_' | b'.'))).then_some(end)
    }

    /// `bad_date = @{ ASCII_DIGIT+ ~ ("-" ~ ASCII_DIGIT+)+ }`: its end.
    fn bad_date(&self, from: usize) -> Option<usize> {
        let run = |at: usize| {
            let mut end = at;
            while self.digit(end) {
                end += 1;
            }
            (end > at).then_some(end)
        };
        let mut end = run(from)?;
        let mut dashes = 0;
        while self.byte(end) == Some(b'-') {
            match run(end + 1) {
                Some(next) => {
                    end = next;
                    dashes += 1;
                }
                None => break,
            }
        }
        (dashes > 0).then_some(end)
    }

    /// `number = @{ digits ~ ("." ~ digits)? ~ !("_" | ".") }`: its end.
    fn number(&self, from: usize) -> Option<usize> {
        let mut end = self.digits(from)?;
        if self.byte(end) == Some(b'.')
            && let Some(fraction) = self.digits(end + 1)
        {
            end = fraction;
        }
        (!matches!(self.byte(end), Some(b'_' | b'.'))).then_some(end)
    }

    /// `digits = _{ ASCII_DIGIT ~ ("_"? ~ ASCII_DIGIT)* }`: its end.
    fn digits(&self, from: usize) -> Option<usize> {
        if !self.digit(from) {
            return None;
        }
        let mut end = from + 1;
        loop {
            if self.digit(end) {
                end += 1;
            } else if self.byte(end) == Some(b'_') && self.digit(end + 1) {
                end += 2;
            } else {
                return Some(end);
            }
        }
    }

    /// `bad_number = @{ ASCII_DIGIT ~ (ASCII_DIGIT | "_" | ".")* }`: its end.
    fn bad_number(&self, from: usize) -> Option<usize> {
        if !self.digit(from) {
            return None;
        }
        let mut end = from + 1;
        while matches!(self.byte(end), Some(b'0'..=b'9' | b'_' | b'.')) {
            end += 1;
        }
        Some(end)
    }

    /// `bad_quantity = ${ bad_number ~ (inline_space* ~ unit_name)? }`:
    /// the end of its number and its own end.
    fn bad_quantity(&self, from: usize) -> Option<(usize, usize)> {
        let number_end = self.bad_number(from)?;
        let end = self
            .unit_after(number_end)
            .map_or(number_end, |(_, end)| end);
        Some((number_end, end))
    }

    /// `(inline_space* ~ unit_name)?` after a number that ends at `from`,
    /// with `unit_name = @{ "%" | name }`: where the unit starts and ends.
    fn unit_after(&self, from: usize) -> Option<(usize, usize)> {
        let mut unit_start = from;
        while matches!(self.byte(unit_start), Some(b' ' | b'\t')) {
            unit_start += 1;
        }
        let unit_end = if self.byte(unit_start) == Some(b'%') {
            Some(unit_start + 1)
        } else {
            self.name_end(unit_start)
        };
        unit_end.map(|unit_end| (unit_start, unit_end))
    }

    /// `name = @{ &XID_START ~ !keyword ~ XID_CONTINUE+ }`: its end.
    fn name_end(&self, from: usize) -> Option<usize> {
        let byte = self.byte(from)?;
        let starts = if byte.is_ascii() {
            byte.is_ascii_alphabetic()
        } else {
            ideograph_at(self.bytes, from) > 0 || self.char_at(from).is_some_and(starts)
        };
        if !starts {
            return None;
        }
        let end = self.word_end(from);
        // Every keyword starts with a lower-case ASCII letter.
        (!byte.is_ascii_lowercase() || !is_keyword(&self.text[from..end])).then_some(end)
    }

    /// `name`, as an identifier.
    fn name(&mut self) -> Option<Ident> {
        let start = self.pos;
        let end = self.name_end(start)?;
        self.pos = end;
        Some(self.ident(start, end))
    }

    fn ident(&self, start: usize, end: usize) -> Ident {
        Spanned::new(Str::from(&self.text[start..end]), self.span(start, end))
    }

    /// `text = ${ block_string | line_string }`: the characters between
    /// the quotes, and the span of the whole string.
    fn text(&mut self) -> Option<(RawString<'a>, Span)> {
        let start = self.pos;
        if self.bytes[start..].starts_with(b"\"\"\"")
            && let Some(end) = self.block_string(start)
        {
            return Some(self.raw_string(start, end, 3));
        }
        let end = self.line_string(start)?;
        Some(self.raw_string(start, end, 1))
    }

    fn raw_string(&mut self, start: usize, end: usize, quotes: usize) -> (RawString<'a>, Span) {
        self.pos = end;
        let raw = RawString {
            raw: &self.text[start + quotes..end - quotes],
            offset: self.base + start + quotes,
            block: quotes == 3,
        };
        (raw, self.span(start, end))
    }

    /// `block_string = ${ "\"\"\"" ~ block_chars ~ "\"\"\"" }`, with
    /// `block_chars = @{ (!"\"\"\"" ~ ("\\" ~ ANY | ANY))* }`: its end.
    fn block_string(&self, from: usize) -> Option<usize> {
        let mut at = from + 3;
        while at < self.bytes.len() {
            match self.bytes[at] {
                b'"' if self.bytes[at..].starts_with(b"\"\"\"") => return Some(at + 3),
                // A UTF-8 continuation byte is never `"` or `\`: stepping
                // by bytes finds what stepping by characters finds.
                b'\\' if at + 1 < self.bytes.len() => at += 2,
                _ => at += 1,
            }
        }
        None
    }

    /// `line_string = ${ "\"" ~ line_chars ~ "\"" }`, with
    /// `line_chars = @{ (!("\"" | "\\" | NEWLINE) ~ ANY | "\\" ~ (!NEWLINE ~ ANY))* }`:
    /// its end.
    fn line_string(&self, from: usize) -> Option<usize> {
        if self.byte(from) != Some(b'"') {
            return None;
        }
        let mut at = from + 1;
        loop {
            match self.byte(at)? {
                b'"' => return Some(at + 1),
                b'\\' => match self.byte(at + 1)? {
                    b'\n' | b'\r' => return None,
                    _ => at += 2,
                },
                b'\n' | b'\r' => return None,
                _ => at += 1,
            }
        }
    }

    /// A title, label, note or reason.
    fn lower_text(&mut self) -> Option<Text> {
        let (raw, span) = self.text()?;
        let value = literal::text_value(raw, &mut self.diagnostics);
        Some(Text { value, span })
    }

    /// The paragraphs of a paragraph string or a note.
    fn paragraphs(&mut self, raw: RawString<'_>, span: Span) -> Vec<Paragraph> {
        let fallback = self.fallback;
        literal::paragraphs(
            raw,
            span,
            &mut self.diagnostics,
            &mut |inner, offset, span, diagnostics| {
                interpolate(inner, offset, span, fallback, diagnostics)
            },
        )
    }

    /// Reports a malformed number or date (E0103) and keeps it as written.
    fn malformed(&mut self, start: usize, end: usize) -> Spanned<Str> {
        let span = self.span(start, end);
        let text = &self.text[start..end];
        self.diagnostics.push(literal::malformed(span, text));
        Spanned::new(Str::from(text), span)
    }
}

/// `first (op operand)*` as `lower.rs` makes it: flat, its span from the
/// operands (pest's would include trailing white space).
fn chain(first: Expr, rest: Vec<(Spanned<BinOp>, Expr)>) -> Expr {
    match rest.last() {
        None => first,
        Some((_, last)) => {
            let span = first.span().to(last.span());
            Expr::Chain {
                first: Box::new(first),
                rest,
                span,
            }
        }
    }
}

/// How many of each a table holds, to undo a `table_item` that failed.
fn table_sizes(table: &Table) -> [usize; 6] {
    [
        table.units.len(),
        table.notes.len(),
        table.columns.len(),
        table.rows.len(),
        table.checks.len(),
        table.waivers.len(),
    ]
}

/// Undoes the `table_item` that failed, and drops the spare capacity: the
/// tree lives as long as the check.
fn truncate_table(table: &mut Table, sizes: [usize; 6]) {
    fit(&mut table.units, sizes[0]);
    fit(&mut table.notes, sizes[1]);
    fit(&mut table.columns, sizes[2]);
    fit(&mut table.rows, sizes[3]);
    fit(&mut table.checks, sizes[4]);
    fit(&mut table.waivers, sizes[5]);
}

/// Pushes `item`, making room for it alone if `items` has none: most
/// tables have one `unit`, one `columns`, one `rows`, one check.
fn push_one<T>(items: &mut Vec<T>, item: T) {
    if items.capacity() == 0 {
        items.reserve_exact(1);
    }
    items.push(item);
}

/// Appends `more` to `items`, taking it whole if `items` is empty.
fn append<T>(items: &mut Vec<T>, mut more: Vec<T>) {
    if items.is_empty() {
        *items = more;
    } else {
        items.append(&mut more);
    }
}

/// Truncates `items` to `length` and drops its spare capacity.
fn fit<T>(items: &mut Vec<T>, length: usize) {
    items.truncate(length);
    items.shrink_to_fit();
}

fn instance_sizes(instance: &Instance) -> [usize; 5] {
    [
        instance.rows.len(),
        instance.rests.len(),
        instance.notes.len(),
        instance.checks.len(),
        instance.waivers.len(),
    ]
}

/// [`truncate_table`], for an instance.
fn truncate_instance(instance: &mut Instance, sizes: [usize; 5]) {
    fit(&mut instance.rows, sizes[0]);
    fit(&mut instance.rests, sizes[1]);
    fit(&mut instance.notes, sizes[2]);
    fit(&mut instance.checks, sizes[3]);
    fit(&mut instance.waivers, sizes[4]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of the grammar's `keyword` rule are the words
    /// `is_keyword` knows, the other `kw_` rules' words (`columns`,
    /// `rows`) stay names, and no keyword starts another, which choosing
    /// by the whole word (`Parser::word`) relies on.
    #[test]
    fn ideographs_start_names_in_pests_tables() {
        for c in IDEOGRAPHS {
            assert!(xid_start(c) && xid_continue(c), "{c:?}");
        }
    }

    /// `ideograph_at` finds exactly the characters of `IDEOGRAPHS`.
    #[test]
    fn ideographs_are_read_by_their_bytes() {
        for c in ('\u{800}'..='\u{FFFF}').filter(|c| c.len_utf8() == 3) {
            let mut buffer = [0; 4];
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            let expected = if IDEOGRAPHS.contains(&c) { 3 } else { 0 };
            assert_eq!(ideograph_at(bytes, 0), expected, "{c:?}");
        }
    }

    #[test]
    fn keywords_are_the_grammars() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/gdr.pest");
        let grammar = std::fs::read_to_string(path).expect("the grammar is readable");
        let rule = grammar
            .split("keyword = @{")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .expect("the grammar has a keyword rule");
        let words: Vec<&str> = rule.split('"').skip(1).step_by(2).collect();
        assert_eq!(words.len(), 16, "{words:?}");
        for word in &words {
            assert!(is_keyword(word), "{word}");
            // `name_end` asks only such words whether they are keywords.
            assert!(word.as_bytes()[0].is_ascii_lowercase(), "{word}");
            for other in &words {
                assert!(word == other || !other.starts_with(word), "{word}, {other}");
            }
        }
        let kw_words: Vec<&str> = grammar
            .lines()
            .filter(|line| line.starts_with("kw_"))
            .filter_map(|line| line.split('"').nth(1))
            .collect();
        assert_eq!(kw_words.len(), 18, "{kw_words:?}");
        for word in kw_words {
            assert_eq!(is_keyword(word), words.contains(&word), "{word}");
        }
    }
}
