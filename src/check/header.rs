//! The `report { … }` header: E0501, E0502, E0202 on keys, E0103 on dates,
//! W0102 for a late publication.

use crate::diagnostics::{Code, Diagnostic};
use crate::model;
use crate::span::Span;
use crate::syntax::ast;

use super::suggest;

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
pub fn check_header(headers: &[&ast::Header], diagnostics: &mut Vec<Diagnostic>) -> model::Header {
    let mut header = model::Header {
        issuer: "department".to_string(),
        ..model::Header::default()
    };
    let Some((first, rest)) = headers.split_first() else {
        diagnostics.push(
            Diagnostic::new(Code::Header, "missing `report` header")
                .primary(Span::at(0), "the report header belongs here")
                .help("start the file with `report { title \"…\" agency \"…\" year 2020 }`"),
        );
        return header;
    };
    for repeated in rest {
        diagnostics.push(
            Diagnostic::new(Code::Header, "repeated `report` header")
                .primary(repeated.keyword, "a second header")
                .secondary(first.keyword, "the header is here")
                .help("a report file has exactly one `report { … }` header"),
        );
    }
    let mut seen: Vec<&ast::HeaderField> = Vec::new();
    for field in &first.fields {
        let key = field.key.value.as_str();
        if let Some(earlier) = seen.iter().find(|earlier| earlier.key.value == key) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("header field `{key}` is given twice"),
                )
                .primary(field.key.span, "given again here")
                .secondary(earlier.key.span, "first given here"),
            );
            continue;
        }
        if !KEYS.contains(&key) {
            let mut diagnostic =
                Diagnostic::new(Code::HeaderField, format!("unknown header field `{key}`"))
                    .primary(field.key.span, "not a header field");
            diagnostic = match suggest(key, KEYS.iter().copied()) {
                Some(name) => diagnostic.help(format!("did you mean `{name}`?")),
                None => diagnostic.help(format!("the header fields are `{}`", KEYS.join("`, `"))),
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
                Diagnostic::new(Code::HeaderField, format!("the header has no `{key}`"))
                    .primary(first.keyword, format!("`{key}` is required"))
                    .help(match key {
                        "title" => "add `title \"…\"`, the report's full title",
                        "agency" => "add `agency \"…\"`, the agency that publishes the report",
                        _ => "add `year 2020`, the year the report covers",
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
    let bad = |expected: &str| {
        Diagnostic::new(Code::HeaderField, format!("`{key}` must be {expected}"))
            .primary(field.value.span(), format!("expected {expected}"))
    };
    match (key, &field.value) {
        (_, ast::HeaderValue::Malformed(_)) => {} // E0103 already reported
        ("title", ast::HeaderValue::Text(text)) => header.title = text.value.clone(),
        ("agency", ast::HeaderValue::Text(text)) => header.agency = text.value.clone(),
        ("title" | "agency", _) => diagnostics.push(bad("a string")),
        ("year", ast::HeaderValue::Number(number)) => match number.value.replace('_', "").parse::<i32>() {
            Ok(year) if (1000..=9999).contains(&year) => header.year = year,
            _ => diagnostics.push(bad("a four-digit year such as `2020`")),
        },
        ("year", _) => diagnostics.push(bad("a four-digit year such as `2020`")),
        ("published", ast::HeaderValue::Date(date)) => match Date::parse(&date.value) {
            Some(parsed) => header.published = Some(parsed.to_string()),
            None => diagnostics.push(
                Diagnostic::new(Code::MalformedLiteral, format!("`{}` is not a date", date.value))
                    .primary(date.span, "no such day")
                    .help("write dates as `YYYY-MM-DD`, e.g. `2021-01-10`"),
            ),
        },
        ("published", _) => diagnostics.push(bad("a date such as `2021-01-10`")),
        ("issuer", ast::HeaderValue::Name(name)) if matches!(name.value.as_str(), "department" | "government") => {
            header.issuer = name.value.clone();
        }
        ("issuer", _) => diagnostics.push(
            bad("`department` or `government`")
                .help("`department` publishes by 31 January, `government` by 31 March (《政府信息公开条例》第四十九条)"),
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
        let who = if government {
            "a people's government"
        } else {
            "a department"
        };
        diagnostics.push(
            Diagnostic::new(
                Code::LatePublication,
                format!("published {published}, after the statutory deadline {deadline}"),
            )
            .primary(span, format!("later than {deadline}"))
            .note(format!(
                "《政府信息公开条例》第四十九条: {who} publishes its report for {} by {deadline}",
                header.year
            ))
            .help(if government {
                "publish by 31 March of the following year"
            } else {
                "publish by 31 January of the following year, or set `issuer government` if a people's government issues the report"
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
