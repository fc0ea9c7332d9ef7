//! The `report { … }` header: E0501, E0502, E0202 on keys, E0103 on dates,
//! W0102 for a late publication.

use crate::diagnostics::{Code, Diagnostic};
use crate::model;
use crate::span::Span;
use crate::syntax::ast;
use crate::tr;

use crate::diagnostics::suggest::suggest;

const KEYS: [&str; 5] = ["title", "agency", "year", "published", "issuer"];
const REQUIRED: [&str; 3] = ["title", "agency", "year"];

/// A validated calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` and rejects impossible dates such as `2021-02-30`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&month) {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Checks the headers of a document and returns the header of the report
/// (defaults where it is missing or broken).
/// Checks the header; `broken` says that a `report { … }` did not parse
/// (its syntax error is reported), so that a missing header is not.
pub fn check_header(
    headers: &[&ast::Header],
    broken: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> model::Header {
    let mut header = model::Header {
        issuer: "department".to_string(),
        ..model::Header::default()
    };
    let Some((first, rest)) = headers.split_first() else {
        if broken {
            return header;
        }
        diagnostics.push(
            Diagnostic::new(Code::Header, tr!("missing `report` header"))
                .primary(Span::at(0), tr!("the report header belongs here"))
                .help(tr!(
                    "start the file with `report { title \"…\" agency \"…\" year 2020 }`"
                )),
        );
        return header;
    };
    for repeated in rest {
        diagnostics.push(
            Diagnostic::new(Code::Header, tr!("repeated `report` header"))
                .primary(repeated.keyword, tr!("a second header"))
                .secondary(first.keyword, tr!("the header is here"))
                .help(tr!("a report file has exactly one `report { … }` header")),
        );
    }
    let mut seen: Vec<&ast::HeaderField> = Vec::new();
    for field in &first.fields {
        let key = field.key.value.as_str();
        if let Some(earlier) = seen.iter().find(|earlier| earlier.key.value == key) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    tr!("header field `{key}` is given twice", key = key),
                )
                .primary(field.key.span, tr!("given again here"))
                .secondary(earlier.key.span, tr!("first given here")),
            );
            continue;
        }
        if !KEYS.contains(&key) {
            let mut diagnostic = Diagnostic::new(
                Code::HeaderField,
                tr!("unknown header field `{key}`", key = key),
            )
            .primary(field.key.span, tr!("not a header field"));
            diagnostic = match suggest(key, KEYS.iter().copied()) {
                Some(name) => diagnostic.help(tr!("did you mean `{name}`?", name = name)),
                None => diagnostic.help(tr!(
                    "the header fields are `{KEYS}`",
                    KEYS = KEYS.join("`, `")
                )),
            };
            diagnostics.push(diagnostic);
            continue;
        }
        seen.push(field);
        check_field(field, &mut header, diagnostics);
    }
    for key in REQUIRED {
        if !seen.iter().any(|field| field.key.value == key) {
            diagnostics.push(
                Diagnostic::new(
                    Code::HeaderField,
                    tr!("the header has no `{key}`", key = key),
                )
                .primary(first.keyword, tr!("`{key}` is required", key = key))
                .help(match key {
                    "title" => tr!("add `title \"…\"`, the report's full title"),
                    "agency" => tr!("add `agency \"…\"`, the agency that publishes the report"),
                    _ => tr!("add `year 2020`, the year the report covers"),
                }),
            );
        }
    }
    check_deadline(first, &header, diagnostics);
    header
}

fn check_field(
    field: &ast::HeaderField,
    header: &mut model::Header,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let key = field.key.value.as_str();
    let bad = |expected: crate::diagnostics::Text| {
        Diagnostic::new(
            Code::HeaderField,
            tr!("`{key}` must be {expected}", key = key, expected = expected),
        )
        .primary(
            field.value.span(),
            tr!("expected {expected}", expected = expected),
        )
    };
    match (key, &field.value) {
        (_, ast::HeaderValue::Malformed(_)) => {} // E0103 already reported
        ("title", ast::HeaderValue::Text(text)) => header.title = text.value.to_string(),
        ("agency", ast::HeaderValue::Text(text)) => header.agency = text.value.to_string(),
        ("title" | "agency", _) => diagnostics.push(bad(tr!("a string"))),
        ("year", ast::HeaderValue::Number(number)) => match number.value.replace('_', "").parse::<i32>() {
            Ok(year) if (1000..=9999).contains(&year) => header.year = year,
            _ => diagnostics.push(bad(tr!("a four-digit year such as `2020`"))),
        },
        ("year", _) => diagnostics.push(bad(tr!("a four-digit year such as `2020`"))),
        ("published", ast::HeaderValue::Date(date)) => match Date::parse(&date.value) {
            Some(parsed) => header.published = Some(parsed.to_string()),
            None => diagnostics.push(
                Diagnostic::new(Code::MalformedLiteral, tr!("`{date}` is not a date", date = date.value))
                    .primary(date.span, tr!("no such day"))
                    .help(tr!("write dates as `YYYY-MM-DD`, e.g. `2021-01-10`")),
            ),
        },
        ("published", _) => diagnostics.push(bad(tr!("a date such as `2021-01-10`"))),
        ("issuer", ast::HeaderValue::Name(name)) if matches!(name.value.as_str(), "department" | "government") => {
            header.issuer = name.value.to_string();
        }
        ("issuer", _) => diagnostics.push(
            bad(tr!("`department` or `government`"))
                .help(tr!("`department` publishes by 31 January, `government` by 31 March (《政府信息公开条例》第四十九条)")),
        ),
        _ => {}
    }
}

/// W0102: 《政府信息公开条例》第四十九条. The deadline is inclusive.
fn check_deadline(
    header_ast: &ast::Header,
    header: &model::Header,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(published) = header.published.as_deref().and_then(Date::parse) else {
        return;
    };
    if header.year == 0 {
        return;
    }
    let government = header.issuer == "government";
    let deadline = Date {
        year: header.year + 1,
        month: if government { 3 } else { 1 },
        day: 31,
    };
    if published > deadline {
        let span = header_ast
            .fields
            .iter()
            .find(|field| field.key.value == "published")
            .map_or(header_ast.keyword, |field| field.value.span());
        let (published, deadline) = (published.to_string(), deadline.to_string());
        let who = if government {
            tr!("a people's government")
        } else {
            tr!("a department")
        };
        diagnostics.push(
            Diagnostic::new(
                Code::LatePublication,
                tr!("published {published}, after the statutory deadline {deadline}", published = published, deadline = deadline),
            )
            .primary(span, tr!("later than {deadline}", deadline = deadline))
            .note(tr!("《政府信息公开条例》第四十九条: {who} publishes its report for {year} by {deadline}", who = who, year = header.year, deadline = deadline))
            .help(if government {
                tr!("publish by 31 March of the following year")
            } else {
                tr!("publish by 31 January of the following year, or set `issuer government` if a people's government issues the report")
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(Date::parse("2021-02-30").is_none());
        assert!(Date::parse("2021-13-01").is_none());
        assert!(Date::parse("2020-02-29").is_some());
        assert!(Date::parse("2100-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
    }
}
