//! Go to definition: where the name under the cursor is defined (lets,
//! tables, rows, columns, the column of `表.行[列]`, the form of an
//! instance and its rows), in the report or in a library it `use`s (a
//! built-in library is a file of its own in [`Compilation::sources`],
//! named `<gdr>/…`, with no file on disk); and the file a `use "…"` names.

use crate::Compilation;
use crate::span::Span;
use crate::syntax::ast;

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

/// The path written in the `use "…"` of the report at the global byte
/// offset `offset`, as written (relative to the report): the file to open.
/// A built-in library (`use gov_disclosure_2021`) has no file.
pub fn used_path(compilation: &Compilation, offset: usize) -> Option<String> {
    let parsed = crate::syntax::parse(compilation.sources.main());
    parsed.document.items.iter().find_map(|item| match item {
        ast::Item::Use(ast::Use {
            target: ast::UseTarget::Path(path),
            ..
        }) if (path.span.start as usize) <= offset && offset <= path.span.end as usize => {
            Some(path.value.to_string())
        }
        _ => None,
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

    const INSTANCE: &str = "report { title \"t\" agency \"a\" year 2020 }\n\
        use gov_disclosure_2019\n\
        use \"other.gdr\"\n\
        table 申请 = 申请处理情况 {\n  新收 [10, 2, 0, 0, 0, 0, auto]\n  rest 0\n}\n\
        let 甲 = 申请.新收[法人或其他组织]\n";

    fn instance() -> Compilation {
        crate::compile_for_editor(
            &SourceFile::new("r.gdr", INSTANCE),
            &crate::modules::NoFiles,
        )
    }

    /// The definition at the `nth` `needle`, as its file and its text.
    fn defined_at(compilation: &Compilation, needle: &str, nth: usize) -> (usize, String) {
        let offset = INSTANCE
            .match_indices(needle)
            .nth(nth)
            .expect("the needle")
            .0;
        let found = definition(compilation, offset).expect("a definition");
        let text = compilation.sources.slice(found.span).to_string();
        (found.file, text)
    }

    #[test]
    fn the_column_part_of_a_reference_goes_to_the_column_group() {
        let compilation = instance();
        let (file, text) = defined_at(&compilation, "法人或其他组织", 0);
        assert_ne!(file, 0, "in the library");
        assert_eq!(text, "法人或其他组织");
        // The row part still goes to the row, in the library's form.
        let (_, text) = defined_at(&compilation, "新收", 1);
        assert_eq!(text, "新收");
        // A group alone, in a formula of the report's own.
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                    table 表 \"表\" {\n  columns {\n    组 { 甲 乙 }\n    和 = sum(组)\n  }\n\
                    rows {\n    一 [1, 2, auto]\n  }\n}\n";
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", text), &crate::modules::NoFiles);
        let found = definition(&compilation, text.rfind("组").unwrap()).expect("a definition");
        assert_eq!(found.span.start as usize, text.find("组").unwrap());
    }

    #[test]
    fn an_instance_goes_to_its_form_and_its_rows_in_the_library() {
        let compilation = instance();
        let (file, text) = defined_at(&compilation, "申请处理情况", 0);
        assert_ne!(file, 0);
        assert_eq!(text, "申请处理情况");
        assert!(
            compilation.sources.get(file).name.starts_with("<gdr>/"),
            "a built-in library"
        );
        let (file, text) = defined_at(&compilation, "新收", 0);
        assert_ne!(file, 0);
        assert_eq!(text, "新收");
        // The table of `申请.新收`: its form.
        let (_, text) = defined_at(&compilation, "申请", 1);
        assert_eq!(text, "申请处理情况");
    }

    #[test]
    fn a_use_path_names_its_file() {
        let compilation = instance();
        let offset = INSTANCE.find("other.gdr").unwrap();
        assert_eq!(
            used_path(&compilation, offset).as_deref(),
            Some("other.gdr")
        );
        assert_eq!(used_path(&compilation, 0), None);
    }
}
