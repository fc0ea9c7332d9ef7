//! The pest parser: parses a chunk of whole items and the inside of an
//! interpolation, and turns pest's errors into E0101 with the words that
//! describe its rules.
//!
//! Only this module, `grammar.rs` and `lower.rs` name pest types.

use crate::tr;
use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};

use super::ast;
use super::grammar::{GdrParser, Rule};
use super::lex;
use super::lower::Lowerer;
use crate::diagnostics::{Arg, Code, Diagnostic, Text};
use crate::span::Span;

/// Parses `text`, which holds whole top-level items and starts at global
/// byte `base`: the items and the diagnostics of lowering them, or the
/// syntax error.
pub(super) fn parse_items(
    text: &str,
    base: usize,
) -> Result<(Vec<ast::Item>, Vec<Diagnostic>), Diagnostic> {
    // Deeply nested input is rejected by the scan, so the recursion in
    // pest and in lowering stays shallow; grow the stack anyway for callers
    // on small thread stacks.
    let parsed = stacker::maybe_grow(256 * 1024, 8 * 1024 * 1024, || {
        GdrParser::parse(Rule::file, text)
    });
    match parsed {
        Ok(pairs) => {
            let mut lowerer = Lowerer {
                base,
                diagnostics: Vec::new(),
                interpolate: parse_interpolation,
            };
            let items = lowerer.lower_file(pairs);
            Ok((items, lowerer.diagnostics))
        }
        Err(error) => Err(syntax_error(&error, text, base)),
    }
}

/// Parses the inside of `{…}` in a paragraph: `inner`, at global byte
/// `offset`; `span` is the whole interpolation with its braces.
pub(super) fn parse_interpolation(
    inner: &str,
    offset: usize,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ast::Interpolation> {
    match GdrParser::parse(Rule::interpolation, inner) {
        Ok(pairs) => {
            let mut lowerer = Lowerer {
                base: offset,
                diagnostics: Vec::new(),
                interpolate: parse_interpolation,
            };
            let interpolation = lowerer.lower_interpolation(pairs, span);
            diagnostics.append(&mut lowerer.diagnostics);
            interpolation
        }
        Err(error) => {
            let mut diagnostic = syntax_error(&error, inner, offset);
            if inner.trim().is_empty() {
                diagnostic = diagnostic.help(tr!("write `\\{` and `\\}` for literal braces"));
            }
            diagnostics.push(diagnostic);
            None
        }
    }
}

/// What a rule is, in the words of an error message ("expected …").
/// The match has no wildcard arm, so a new rule forces a description.
fn describe(rule: Rule) -> Text {
    match rule {
        Rule::EOI => tr!("the end of the file"),
        Rule::WHITESPACE | Rule::COMMENT => tr!("white space"),
        Rule::file | Rule::item => {
            tr!("`report`, `use`, `section`, `table`, `form`, `let`, `check`, `expect` or `unit`")
        }
        Rule::use_stmt => tr!("`use`"),
        Rule::form => tr!("a form"),
        Rule::instance => tr!("`= FORM { … }`"),
        Rule::instance_item | Rule::instance_row | Rule::row_path => tr!("a row of the form"),
        Rule::rest_stmt => tr!("`rest`"),
        Rule::kw_use => tr!("`use`"),
        Rule::kw_form => tr!("`form`"),
        Rule::kw_rest => tr!("`rest`"),
        Rule::allow_stmt | Rule::kw_allow => tr!("`allow`"),
        Rule::code => tr!("a diagnostic code such as `E0401`"),
        Rule::header => tr!("a `report { … }` header"),
        Rule::header_field => tr!("a header field such as `title \"…\"`"),
        Rule::header_value => tr!("a value: a string, a number, a date or a name"),
        Rule::date | Rule::bad_date => tr!("a date such as `2021-01-10`"),
        Rule::unit_decl => tr!("a unit declaration"),
        Rule::section => tr!("a section"),
        Rule::section_item | Rule::paragraph => {
            tr!("a paragraph, `section`, `table`, `let`, `check` or `expect`")
        }
        Rule::let_stmt => tr!("`let`"),
        Rule::check_stmt => tr!("`check`"),
        Rule::expect_stmt => tr!("`expect`"),
        Rule::comparison => tr!("a comparison"),
        Rule::cmp_op => tr!("a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`)"),
        Rule::table => tr!("a table"),
        Rule::table_item => tr!("`unit`, `note`, `columns`, `rows`, `check` or `expect`"),
        Rule::table_unit => tr!("`unit`"),
        Rule::table_note => tr!("`note`"),
        Rule::columns => tr!("`columns`"),
        Rule::column_entry | Rule::column_group | Rule::column => tr!("a column"),
        Rule::rows => tr!("`rows`"),
        Rule::row_entry | Rule::row_group | Rule::row => tr!("a row"),
        Rule::cells => tr!("the row's cells `[…]`"),
        Rule::cell | Rule::signed_quantity | Rule::blank | Rule::unknown => {
            tr!("a cell: a number, `-`, `?` or `auto`")
        }
        Rule::sign => tr!("a sign"),
        Rule::expr | Rule::term | Rule::factor | Rule::atom | Rule::paren => tr!("an expression"),
        Rule::add_op | Rule::mul_op => tr!("an operator"),
        Rule::neg => tr!("`-`"),
        Rule::sum_call => tr!("`sum(…)`"),
        Rule::reference => tr!("a name"),
        Rule::column_ref | Rule::column_path => tr!("a column name"),
        Rule::quantity | Rule::number | Rule::digits | Rule::bad_number | Rule::bad_quantity => {
            tr!("a number")
        }
        Rule::unit_name => tr!("a unit"),
        Rule::inline_space => tr!("a space"),
        Rule::interpolation => tr!("an expression"),
        Rule::format_spec => tr!("a format: `num`, `%N`, `numN` or `N` (N decimals)"),
        Rule::text | Rule::line_string | Rule::block_string => tr!("a string"),
        Rule::line_chars | Rule::block_chars => tr!("the rest of the string"),
        Rule::keyword => tr!("a keyword"),
        Rule::name => tr!("a name"),
        Rule::kw_report => tr!("`report`"),
        Rule::kw_section => tr!("`section`"),
        Rule::kw_table => tr!("`table`"),
        Rule::kw_let => tr!("`let`"),
        Rule::kw_check => tr!("`check`"),
        Rule::kw_expect => tr!("`expect`"),
        Rule::kw_within => tr!("`within`"),
        Rule::kw_sum => tr!("`sum`"),
        Rule::kw_auto => tr!("`auto`"),
        Rule::kw_unit => tr!("`unit`"),
        Rule::kw_note => tr!("`note`"),
        Rule::kw_as => tr!("`as`"),
        Rule::kw_columns => tr!("`columns`"),
        Rule::kw_rows => tr!("`rows`"),
        Rule::lbrace => tr!("`{`"),
        Rule::rbrace => tr!("`}`"),
        Rule::lbracket => tr!("`[`"),
        Rule::rbracket => tr!("`]`"),
        Rule::lparen => tr!("`(`"),
        Rule::rparen => tr!("`)`"),
        Rule::comma => tr!("`,`"),
        Rule::colon => tr!("`:`"),
        Rule::eq => tr!("`=`"),
    }
}

/// Turns a pest error on `text` (a slice of the source starting at byte
/// `base`) into an E0101 diagnostic that says in words what was expected.
fn syntax_error(error: &pest::error::Error<Rule>, text: &str, base: usize) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let (found, found_len) = token_at(text, position);
    let span = Span::new(base + position, base + position + found_len);
    let mut expected: Vec<Text> = Vec::new();
    let block = enclosing_block(text, position);
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let description = match (rule, block) {
                // An entry starts with a name; say which kind of entry.
                (Rule::name, Some("rows")) => tr!("a row"),
                (Rule::name, Some("columns")) => tr!("a column"),
                (Rule::name, Some("report")) => tr!("a header field"),
                _ => describe(*rule),
            };
            if !expected
                .iter()
                .any(|known| known.template == description.template)
            {
                expected.push(description);
            }
        }
    }
    let expects =
        |expected: &[Text], template: &str| expected.iter().any(|known| known.template == template);
    if expects(&expected, describe(Rule::cell).template) {
        // `]` is only possible after a trailing comma; a cell is what is missing.
        expected.retain(|known| known.template != "`]`");
    }
    let paragraph = expects(&expected, "`section`") && expects(&expected, "a string");
    if paragraph {
        for known in &mut expected {
            if known.template == "a string" {
                *known = tr!("a paragraph `\"…\"`");
            }
        }
    }
    let comparison = expects(&expected, describe(Rule::cmp_op).template);
    let comma_expected = expects(&expected, "`,`");
    let message = match expected.len() {
        0 => tr!("unexpected {found}", found = found),
        _ => tr!(
            "expected {expected}, found {found}",
            expected = Arg::OneOf(expected),
            found = found
        ),
    };
    let label = if found_len == 0 {
        tr!("expected something here")
    } else {
        tr!("unexpected {found}", found = found)
    };
    let mut diagnostic = Diagnostic::new(Code::SyntaxError, message).primary(span, label);
    let found_word = &text[position..position + found_len];
    if paragraph && found_len > 0 && found_word.starts_with(|c: char| c.is_alphabetic()) {
        diagnostic = diagnostic.help(tr!(
            "text is written in quotes: `\"…\"`, or `\"\"\"…\"\"\"` for several lines"
        ));
    }
    if found_word == "=" && comparison {
        diagnostic = diagnostic.help(tr!("compare with `==`"));
    }
    if found_word == "," && !comma_expected {
        diagnostic = diagnostic.help(tr!(
            "entries of `columns`, `rows` and the header are separated by white space, not commas"
        ));
    }
    diagnostic
}

/// The innermost of `rows`, `columns` and `report` whose `{` is still open
/// at `position`: the kind of entry expected there.
fn enclosing_block(text: &str, position: usize) -> Option<&'static str> {
    let before = text.get(..position).unwrap_or(text);
    let mut stack: Vec<Option<&'static str>> = Vec::new();
    let mut last_word: Option<&'static str> = None;
    for token in lex::tokens(before) {
        match token.kind {
            lex::Kind::Open('{') => stack.push(last_word.take()),
            lex::Kind::Close('}') => {
                stack.pop();
            }
            lex::Kind::Word => {
                last_word = ["rows", "columns", "report"]
                    .into_iter()
                    .find(|word| *word == &before[token.start..token.end]);
            }
            _ => {}
        }
    }
    stack.into_iter().rev().flatten().next()
}

/// A description of the token at `position` and its length in bytes.
fn token_at(text: &str, position: usize) -> (Text, usize) {
    let rest = text.get(position..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return (tr!("the end of the file"), 0);
    };
    if first == '\n' || first == '\r' {
        return (tr!("the end of the line"), 0);
    }
    let word_len = if first.is_alphanumeric() || first == '_' {
        rest.char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(rest.len(), |(i, _)| i)
    } else {
        first.len_utf8()
    };
    (Text::plain(format!("`{}`", &rest[..word_len])), word_len)
}
