//! The pest parser, and the words that describe its rules in errors.
//!
//! Only this module and `lower.rs` name pest types.

use pest::error::{ErrorVariant, InputLocation};

use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/gdr.pest"]
pub(crate) struct GdrParser;

/// What a rule is, in the words of an error message ("expected …").
/// The match has no wildcard arm, so a new rule forces a description.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::WHITESPACE | Rule::COMMENT => "white space",
        Rule::file | Rule::item => {
            "`report`, `section`, `table`, `let`, `check`, `expect` or `unit`"
        }
        Rule::header => "a `report { … }` header",
        Rule::header_field => "a header field such as `title \"…\"`",
        Rule::header_value => "a value: a string, a number, a date or a name",
        Rule::date | Rule::bad_date => "a date such as `2021-01-10`",
        Rule::unit_decl => "a unit declaration",
        Rule::section => "a section",
        Rule::section_item | Rule::paragraph => {
            "a paragraph, `section`, `table`, `let`, `check` or `expect`"
        }
        Rule::let_stmt => "`let`",
        Rule::check_stmt => "`check`",
        Rule::expect_stmt => "`expect`",
        Rule::comparison => "a comparison",
        Rule::cmp_op => "a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::table => "a table",
        Rule::table_item => "`unit`, `note`, `columns`, `rows`, `check` or `expect`",
        Rule::table_unit => "`unit`",
        Rule::table_note => "`note`",
        Rule::columns => "`columns`",
        Rule::column_entry | Rule::column_group | Rule::column => "a column",
        Rule::rows => "`rows`",
        Rule::row_entry | Rule::row_group | Rule::row => "a row",
        Rule::cells => "the row's cells `[…]`",
        Rule::cell | Rule::signed_quantity | Rule::blank | Rule::unknown => {
            "a cell: a number, `-`, `?` or `auto`"
        }
        Rule::sign => "a sign",
        Rule::expr | Rule::term | Rule::factor | Rule::atom | Rule::paren => "an expression",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::neg => "`-`",
        Rule::sum_call => "`sum(…)`",
        Rule::reference => "a name",
        Rule::column_ref | Rule::column_path => "a column name",
        Rule::quantity | Rule::number | Rule::digits | Rule::bad_number => "a number",
        Rule::unit_name => "a unit",
        Rule::inline_space => "a space",
        Rule::interpolation => "an expression",
        Rule::format_spec => "a format: `num` or `%` followed by the number of decimals",
        Rule::text | Rule::line_string | Rule::block_string => "a string",
        Rule::line_chars | Rule::block_chars => "the rest of the string",
        Rule::keyword => "a keyword",
        Rule::name => "a name",
        Rule::kw_report => "`report`",
        Rule::kw_section => "`section`",
        Rule::kw_table => "`table`",
        Rule::kw_let => "`let`",
        Rule::kw_check => "`check`",
        Rule::kw_expect => "`expect`",
        Rule::kw_within => "`within`",
        Rule::kw_sum => "`sum`",
        Rule::kw_auto => "`auto`",
        Rule::kw_unit => "`unit`",
        Rule::kw_note => "`note`",
        Rule::kw_as => "`as`",
        Rule::kw_columns => "`columns`",
        Rule::kw_rows => "`rows`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
        Rule::eq => "`=`",
    }
}

/// Turns a pest error on `text` (a slice of the source starting at byte
/// `base`) into an E0101 diagnostic that says in words what was expected.
pub(crate) fn syntax_error(
    error: &pest::error::Error<Rule>,
    text: &str,
    base: usize,
) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let (found, found_len) = token_at(text, position);
    let span = Span::new(base + position, base + position + found_len);
    let mut expected: Vec<&'static str> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let description = describe(*rule);
            if !expected.contains(&description) {
                expected.push(description);
            }
        }
    }
    let message = match expected.as_slice() {
        [] => format!("unexpected {found}"),
        [only] => format!("expected {only}, found {found}"),
        [init @ .., last] => format!("expected {} or {last}, found {found}", init.join(", ")),
    };
    let label = if found_len == 0 {
        "expected something here".to_string()
    } else {
        format!("unexpected {found}")
    };
    let mut diagnostic = Diagnostic::new(Code::SyntaxError, message).primary(span, label);
    if found == "`,`" && !expected.contains(&"`,`") {
        diagnostic = diagnostic.help(
            "entries of `columns`, `rows` and the header are separated by white space, not commas",
        );
    }
    diagnostic
}

/// A description of the token at `position` and its length in bytes.
fn token_at(text: &str, position: usize) -> (String, usize) {
    let rest = text.get(position..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".to_string(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("the end of the line".to_string(), 0);
    }
    let word_len = if first.is_alphanumeric() || first == '_' {
        rest.char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(rest.len(), |(i, _)| i)
    } else {
        first.len_utf8()
    };
    (format!("`{}`", &rest[..word_len]), word_len)
}
