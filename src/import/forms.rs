//! The shapes of a built-in library's forms, read from its source: each
//! form's title, and its leaf columns and rows with their printed labels.

use crate::modules;
use crate::syntax::ast;

/// A form as the importer matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub name: String,
    /// The printed title (`第二十条第（一）项`), or the name.
    pub title: String,
    /// The leaf columns, in the form's order.
    pub columns: Vec<Entry>,
    /// The leaf rows, in the form's order.
    pub rows: Vec<Entry>,
}

/// A leaf row or column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The names from the outermost group down, as a reference writes them.
    pub path: Vec<String>,
    /// The printed label (the name where the form gives none).
    pub label: String,
    /// The labels of the groups it is in, outermost first.
    pub groups: Vec<String>,
}

/// The forms of the built-in `library`, or `None` if there is no such library.
pub fn load(library: &str) -> Option<Vec<Form>> {
    let document = modules::builtin_document(library)?;
    Some(
        document
            .items
            .iter()
            .filter_map(|item| match item {
                ast::Item::Form(form) => Some(shape(form)),
                _ => None,
            })
            .collect(),
    )
}

fn shape(form: &ast::Table) -> Form {
    let mut columns = Vec::new();
    for (_, entries) in &form.columns {
        leaves(entries, &mut Vec::new(), &mut Vec::new(), &mut columns);
    }
    let mut rows = Vec::new();
    for (_, entries) in &form.rows {
        leaves(entries, &mut Vec::new(), &mut Vec::new(), &mut rows);
    }
    Form {
        name: form.name.value.to_string(),
        title: form.title.as_ref().map_or_else(
            || form.name.value.to_string(),
            |title| title.value.to_string(),
        ),
        columns,
        rows,
    }
}

fn label_of(name: &ast::Ident, label: Option<&ast::Text>) -> String {
    label.map_or_else(|| name.value.to_string(), |label| label.value.to_string())
}

/// A row or column entry of a form: its name, label and children (none
/// for a leaf).
trait Node {
    fn name(&self) -> &ast::Ident;
    fn label(&self) -> Option<&ast::Text>;
    fn children(&self) -> Option<&[Self]>
    where
        Self: Sized;
}

impl Node for ast::ColumnEntry {
    fn name(&self) -> &ast::Ident {
        &self.name
    }
    fn label(&self) -> Option<&ast::Text> {
        self.label.as_ref()
    }
    fn children(&self) -> Option<&[Self]> {
        match &self.kind {
            ast::ColumnKind::Leaf { .. } => None,
            ast::ColumnKind::Group(children) => Some(children),
        }
    }
}

impl Node for ast::RowEntry {
    fn name(&self) -> &ast::Ident {
        &self.name
    }
    fn label(&self) -> Option<&ast::Text> {
        self.label.as_ref()
    }
    fn children(&self) -> Option<&[Self]> {
        match &self.kind {
            ast::RowKind::Leaf { .. } => None,
            ast::RowKind::Group(children) => Some(children),
        }
    }
}

/// The leaves under `entries`, in order.
fn leaves<T: Node>(
    entries: &[T],
    path: &mut Vec<String>,
    groups: &mut Vec<String>,
    out: &mut Vec<Entry>,
) {
    for entry in entries {
        let label = label_of(entry.name(), entry.label());
        path.push(entry.name().value.to_string());
        match entry.children() {
            None => out.push(Entry {
                path: path.clone(),
                label,
                groups: groups.clone(),
            }),
            Some(children) => {
                groups.push(label);
                leaves(children, path, groups, out);
                groups.pop();
            }
        }
        path.pop();
    }
}
