//! Go to definition: where the name under the cursor is defined (lets,
//! tables, rows, columns), in the report or in a file it `use`s.

use crate::Compilation;
use crate::span::Span;

/// Where a name is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definition {
    /// The index in [`Compilation::sources`] of the file that holds it: 0
    /// for the report itself.
    pub file: usize,
    /// The definition's span (global offsets).
    pub span: Span,
}

/// The definition of the innermost name at the global byte offset
/// `offset`.
pub fn definition(compilation: &Compilation, offset: usize) -> Option<Definition> {
    let span = super::symbol_at(compilation, offset)?.definition?;
    Some(Definition {
        file: compilation.sources.index_of(span.start as usize),
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    #[test]
    fn a_let_is_defined_where_it_is_written() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                    let 甲 = 1 次\ncheck 甲 == 1 次\n";
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", text), &crate::modules::NoFiles);
        let found = definition(&compilation, text.rfind('甲').unwrap()).expect("a definition");
        assert_eq!(found.file, 0);
        let defined = text.find('甲').unwrap();
        assert!(found.span.range().contains(&defined), "{found:?}");
    }
}
