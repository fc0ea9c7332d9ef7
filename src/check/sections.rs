//! W0104: the sections that a used library requires of a report, by the
//! numeral of their titles and in order.

use crate::tr;

use super::Checker;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast;

impl Checker<'_> {
    /// W0104: the sections a used library requires, by numeral prefix and
    /// in order; one warning per missing or misplaced section, on the header.
    pub(super) fn check_required_sections(&mut self, document: &ast::Document) {
        let Some(required) = self.libraries.iter().find_map(|library| {
            let titles = library.required_sections();
            (!titles.is_empty()).then_some((library.name.as_str(), titles))
        }) else {
            return;
        };
        let (library, required) = required;
        let present: Vec<&str> = crate::modules::section_titles(document)
            .into_iter()
            .map(numeral)
            .collect();
        let anchor = document
            .items
            .iter()
            .find_map(|item| match item {
                ast::Item::Header(header) => Some(header.keyword),
                _ => None,
            })
            .unwrap_or_default();
        let mut position = 0;
        for title in required {
            let prefix = numeral(title);
            match present[position..]
                .iter()
                .position(|found| *found == prefix)
            {
                Some(offset) => position += offset + 1,
                None => {
                    let misplaced = present.contains(&prefix);
                    let message = if misplaced {
                        tr!("section `{title}` is out of order", title = title)
                    } else {
                        tr!("section `{title}` is missing", title = title)
                    };
                    self.diagnostics.push(
                        Diagnostic::new(Code::MissingSection, message)
                            .primary(anchor, tr!("`{library}` requires the six sections in order", library = library))
                            .help(tr!("add `section \"{title}\" { … }` in its place; a title matches by its numeral (`{prefix}`)", title = title, prefix = prefix)),
                    );
                }
            }
        }
    }
}

/// The numeral prefix of a section title: `一、` of `一、总体情况`.
fn numeral(title: &str) -> &str {
    match title.find('、') {
        Some(index) => &title[..index + '、'.len_utf8()],
        None => title,
    }
}
