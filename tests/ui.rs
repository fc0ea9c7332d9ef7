//! UI tests in the manner of rustc's: every `tests/ui/*.gdr` is compiled,
//! its diagnostics are compared with the `//~ CODE` annotations in the file
//! (by code and line), and the source followed by the human-readable
//! diagnostics is snapshotted.
//!
//! Each fixture is also checked by `gdr::check_with` (what `gdr check`
//! runs, without the report model), which must report the same.
//!
//! `//~ E0401` expects a diagnostic whose primary label starts on that line;
//! `//~^ E0401` on the line above. Several codes may follow one marker, and a
//! fixture must produce exactly its annotated diagnostics.

use std::path::Path;

use gdr::{Code, SourceFile};

/// (code, 1-based line) of every annotation in `text`.
fn annotations(text: &str) -> Vec<(String, usize)> {
    let mut expected = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(position) = line.find("//~") else {
            continue;
        };
        let mut rest = &line[position + 3..];
        let mut target = index + 1;
        while let Some(stripped) = rest.strip_prefix('^') {
            target -= 1;
            rest = stripped;
        }
        for code in rest.split_whitespace() {
            expected.push((code.to_string(), target));
        }
    }
    expected.sort();
    expected
}

fn actual(source: &SourceFile, diagnostics: &[gdr::Diagnostic]) -> Vec<(String, usize)> {
    let mut found: Vec<(String, usize)> = diagnostics
        .iter()
        .map(|d| {
            let line = source
                .line_col(d.span().unwrap_or_default().start as usize)
                .line;
            (d.code.as_str().to_string(), line)
        })
        .collect();
    found.sort();
    found
}

/// The fixture compiled with its model, and its diagnostics from
/// `check_with`.
fn compile(path: &Path) -> (gdr::Sources, Vec<gdr::Diagnostic>, Vec<gdr::Diagnostic>) {
    let text = std::fs::read_to_string(path).expect("fixture is readable UTF-8");
    let name = format!(
        "tests/ui/{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let loader = gdr::project::FileLoader::for_input(Path::new(&name));
    let source = SourceFile::new(name, text);
    let compilation = gdr::compile_with(&source, &loader);
    let (checked, _) = gdr::check_with(&source, &loader);
    (compilation.sources, compilation.diagnostics, checked)
}

#[test]
fn ui_fixtures() {
    insta::glob!("ui", "*.gdr", |path| {
        let (sources, diagnostics, checked) = compile(path);
        let source = sources.main();
        let human = |diagnostics: &[gdr::Diagnostic]| {
            gdr::diagnostics::emit::human(&sources, diagnostics, false, gdr::diagnostics::Lang::En)
        };
        let rendered = human(&diagnostics);
        assert_eq!(
            human(&checked),
            rendered,
            "check_with differs from compile_with on {}",
            path.display()
        );
        assert_eq!(
            actual(source, &diagnostics),
            annotations(&source.text),
            "diagnostics of {} differ from its //~ annotations:\n{rendered}",
            path.display()
        );
        insta::assert_snapshot!(format!(
            "----- SOURCE\n{}\n----- DIAGNOSTICS\n{rendered}",
            source.text
        ));
        // The same diagnostics in Chinese.
        let chinese = gdr::diagnostics::emit::human(
            &sources,
            &diagnostics,
            false,
            gdr::diagnostics::Lang::Zh,
        );
        insta::assert_snapshot!("zh", chinese);
    });
}

#[test]
fn every_code_has_a_fixture_and_an_explanation() {
    let fixtures: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui"))
            .expect("tests/ui exists")
            .map(|entry| {
                entry
                    .expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
    // `gdr import`'s codes are about input pages: their fixtures are in
    // tests/import/ (tests/import.rs).
    for code in Code::ALL.iter().filter(|code| !code.is_import()) {
        let prefix = format!("{}_", code.as_str().to_lowercase());
        assert!(
            fixtures.iter().any(|name| name.starts_with(&prefix)),
            "{} has no fixture tests/ui/{prefix}*.gdr",
            code.as_str()
        );
        let explanation = code.explanation();
        assert!(
            explanation.lines().count() >= 10 && explanation.contains("```gdr"),
            "{} has no real explanation in src/diagnostics/explain/",
            code.as_str()
        );
    }
}

#[test]
fn annotations_are_parsed() {
    let text = "a //~ E0401 E0402\nb\n//~^ W0101\n";
    assert_eq!(
        annotations(text),
        [
            ("E0401".into(), 1),
            ("E0402".into(), 1),
            ("W0101".into(), 2)
        ]
    );
}
