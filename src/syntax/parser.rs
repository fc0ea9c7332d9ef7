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
            "`report`, `use`, `section`, `table`, `form`, `let`, `check`, `expect` or `unit`"
        }
        Rule::use_stmt => "`use`",
        Rule::form => "a form",
        Rule::instance => "`= FORM { … }`",
        Rule::instance_item | Rule::instance_row | Rule::row_path => "a row of the form",
        Rule::rest_stmt => "`rest`",
        Rule::kw_use => "`use`",
        Rule::kw_form => "`form`",
        Rule::kw_rest => "`rest`",
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
    let block = enclosing_block(text, position);
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let description = match (rule, block) {
                // An entry starts with a name; say which kind of entry.
                (Rule::name, Some("rows")) => "a row",
                (Rule::name, Some("columns")) => "a column",
                (Rule::name, Some("report")) => "a header field",
                _ => describe(*rule),
            };
            if !expected.contains(&description) {
                expected.push(description);
            }
        }
    }
    const CELL: &str = "a cell: a number, `-`, `?` or `auto`";
    if expected.contains(&CELL) {
        // `]` is only possible after a trailing comma; a cell is what is missing.
        expected.retain(|description| *description != "`]`");
    }
    if expected.contains(&"`section`")
        && let Some(text) = expected
            .iter_mut()
            .find(|description| **description == "a string")
    {
        *text = "a paragraph `\"…\"`";
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
    if expected.contains(&"a paragraph `\"…\"`")
        && found_len > 0
        && text[position..].starts_with(|c: char| c.is_alphabetic())
    {
        diagnostic = diagnostic
            .help("text is written in quotes: `\"…\"`, or `\"\"\"…\"\"\"` for several lines");
    }
    if found == "`=`"
        && expected
            .iter()
            .any(|description| description.starts_with("a comparison operator"))
    {
        diagnostic = diagnostic.help("compare with `==`");
    }
    if found == "`,`" && !expected.contains(&"`,`") {
        diagnostic = diagnostic.help(
            "entries of `columns`, `rows` and the header are separated by white space, not commas",
        );
    }
    diagnostic
}

/// The innermost of `rows`, `columns` and `report` whose `{` is still open
/// at `position`: the kind of entry expected there.
fn enclosing_block(text: &str, position: usize) -> Option<&'static str> {
    let mut stack: Vec<Option<&'static str>> = Vec::new();
    let mut last_word: Option<&'static str> = None;
    let mut chars = text
        .get(..position)
        .unwrap_or(text)
        .char_indices()
        .peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '/' if chars.peek().is_some_and(|&(_, next)| next == '/') => {
                while chars.next_if(|&(_, next)| next != '\n').is_some() {}
            }
            '"' => {
                // Skip the string (a block string's quotes pair up too).
                while let Some((_, next)) = chars.next() {
                    match next {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '{' => stack.push(last_word.take()),
            '}' => {
                stack.pop();
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = index + c.len_utf8();
                while let Some((next_index, next)) =
                    chars.next_if(|&(_, next)| next.is_alphanumeric() || next == '_')
                {
                    end = next_index + next.len_utf8();
                }
                last_word = ["rows", "columns", "report"]
                    .into_iter()
                    .find(|word| *word == &text[index..end]);
            }
            _ => {}
        }
    }
    stack.into_iter().rev().flatten().next()
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
