//! The outline of a report, for an editor's document symbols: its header,
//! sections (nested), tables, forms and lets, read from the syntax tree.

use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax::{self, ast};

/// What an outline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineKind {
    Header,
    Section,
    Table,
    Form,
    Let,
}

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineItem {
    /// A section's title, a table's, form's or let's name, `report`.
    pub name: String,
    /// A table's title, an instance's form.
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The whole item.
    pub span: Span,
    /// Its name (or title).
    pub selection: Span,
    pub children: Vec<OutlineItem>,
}

/// The outline of `source`, in the order of the text. Items that do not
/// parse are left out.
pub fn outline(source: &SourceFile) -> Vec<OutlineItem> {
    items(&syntax::parse(source).document.items)
}

fn items(items: &[ast::Item]) -> Vec<OutlineItem> {
    items.iter().filter_map(item).collect()
}

fn item(item: &ast::Item) -> Option<OutlineItem> {
    let entry = |name: &str, detail: Option<&str>, kind, span: Span, selection: Span| OutlineItem {
        name: name.to_string(),
        detail: detail.map(str::to_string),
        kind,
        // An editor wants the selection inside the whole.
        span: span.to(selection),
        selection,
        children: Vec::new(),
    };
    Some(match item {
        ast::Item::Header(header) => entry(
            "report",
            None,
            OutlineKind::Header,
            header.span,
            header.keyword,
        ),
        ast::Item::Section(section) => OutlineItem {
            children: items(&section.items),
            ..entry(
                &section.title.value,
                None,
                OutlineKind::Section,
                section.span,
                section.title.span,
            )
        },
        ast::Item::Table(table) => entry(
            &table.name.value,
            table.title.as_ref().map(|title| title.value.as_str()),
            OutlineKind::Table,
            table.span,
            table.name.span,
        ),
        ast::Item::Form(form) => entry(
            &form.name.value,
            form.title.as_ref().map(|title| title.value.as_str()),
            OutlineKind::Form,
            form.span,
            form.name.span,
        ),
        ast::Item::Instance(instance) => entry(
            &instance.name.value,
            Some(&instance.form.value),
            OutlineKind::Table,
            instance.span,
            instance.name.span,
        ),
        ast::Item::Let(statement) => entry(
            &statement.name.value,
            None,
            OutlineKind::Let,
            statement.span,
            statement.name.span,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_nest_and_hold_their_tables_and_lets() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                    section \"一、概述\" { let 甲 = 1 次\n section \"（一）\" { \"x\" } }\n\
                    section \"三\" { table 申请 = 申请处理情况 { rest 0 } }\n";
        let outline = outline(&SourceFile::new("r.gdr", text));
        let names: Vec<(&str, OutlineKind, usize)> = outline
            .iter()
            .map(|item| (item.name.as_str(), item.kind, item.children.len()))
            .collect();
        assert_eq!(
            names,
            [
                ("report", OutlineKind::Header, 0),
                ("一、概述", OutlineKind::Section, 2),
                ("三", OutlineKind::Section, 1),
            ]
        );
        let instance = &outline[2].children[0];
        assert_eq!(instance.name, "申请");
        assert_eq!(instance.detail.as_deref(), Some("申请处理情况"));
        assert_eq!(&text[instance.selection.range()], "申请");
        assert!(instance.span.start <= instance.selection.start);
    }
}
