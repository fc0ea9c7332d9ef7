//! The properties every input must have, whatever it is: shared by the
//! bounded fuzz run in `cargo test` (tests/fuzz.rs) and the `cargo fuzz`
//! target (fuzz/fuzz_targets/compile.rs).

use gdr::SourceFile;
use gdr::diagnostics::{Lang, emit};
use gdr::render::{self, Format};

/// Compiles and renders `text`; `Err` describes a broken property (a
/// panic is one too, for the caller to catch or report).
pub fn check(text: &str) -> Result<(), String> {
    let source = SourceFile::new("fuzz.gdr", text);
    let compilation = gdr::compile(&source);
    // `gdr check` skips the report model; it must not miss a diagnostic.
    let (checked, _) = gdr::check_with(&source, &gdr::modules::NoFiles);
    if checked != compilation.diagnostics {
        return Err(format!(
            "check_with reports {checked:?}, compile reports {:?}",
            compilation.diagnostics
        ));
    }
    for diagnostic in &compilation.diagnostics {
        for label in &diagnostic.labels {
            let file = compilation.sources.file_of(label.span.start as usize);
            if label.span.start > label.span.end || (label.span.end as usize) > file.end() {
                return Err(format!("label outside its file: {diagnostic:?}"));
            }
        }
    }
    for lang in [Lang::En, Lang::Zh] {
        let _ = emit::human(&compilation.sources, &compilation.diagnostics, false, lang);
        let _ = emit::json(&compilation.sources, &compilation.diagnostics, lang);
    }
    if !compilation.has_errors() {
        for format in Format::ALL {
            let _ = render::render(&compilation.report, format);
        }
    }
    // The formatter is idempotent on any input. On input that parses it
    // keeps the codes of the diagnostics (it changes only white space);
    // where a bracket or string is left open, re-indenting may move
    // what the parser's recovery skips, so there only idempotence holds.
    let formatted = gdr::format::format(text);
    if gdr::format::format(&formatted) != formatted {
        return Err(format!("fmt is not idempotent; fmt(x) =\n{formatted}"));
    }
    let parses = |c: &gdr::Compilation| {
        !c.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                gdr::Code::SyntaxError | gdr::Code::Unterminated | gdr::Code::MalformedLiteral
            )
        })
    };
    if !parses(&compilation) {
        return Ok(());
    }
    let codes = |c: &gdr::Compilation| {
        let mut codes: Vec<_> = c.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes
    };
    let reformatted = gdr::compile(&SourceFile::new("fuzz.gdr", formatted.as_str()));
    if codes(&reformatted) != codes(&compilation) {
        return Err(format!(
            "fmt changed the diagnostics from {:?} to {:?}; fmt(x) =\n{formatted}",
            codes(&compilation),
            codes(&reformatted)
        ));
    }
    Ok(())
}
