//! Syntax-tree snapshots, in the manner of Ruff's parser tests: every
//! `tests/parse/*.gdr` is parsed, and its tree (spans included, as byte
//! ranges) and its syntax diagnostics are snapshotted. A change to the
//! grammar or the lowering shows up here as a tree diff, and a second
//! parser can be held to the same trees.

use gdr::SourceFile;
use gdr::diagnostics::Lang;

#[test]
fn syntax_trees() {
    insta::glob!("parse", "*.gdr", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable UTF-8");
        let parsed = gdr::syntax::parse(&SourceFile::new("input.gdr", text.as_str()));
        let mut out = format!("{:#?}\n", parsed.document);
        for diagnostic in &parsed.diagnostics {
            out.push_str(&format!(
                "{} {:?} {}\n",
                diagnostic.code.as_str(),
                diagnostic.span().unwrap_or_default(),
                diagnostic.message.render(Lang::En)
            ));
        }
        insta::assert_snapshot!(out);
    });
}

/// What parses is what the fixtures say: the broken fixture loses exactly
/// its broken items, the others parse without a diagnostic.
#[test]
fn fixtures_parse_as_intended() {
    for entry in std::fs::read_dir("tests/parse").expect("tests/parse exists") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|extension| extension != "gdr") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("fixture is readable UTF-8");
        let parsed = gdr::syntax::parse(&SourceFile::new("input.gdr", text.as_str()));
        let broken = path.ends_with("broken_items.gdr");
        assert_eq!(
            parsed.diagnostics.is_empty(),
            !broken,
            "{}: {:?}",
            path.display(),
            parsed.diagnostics
        );
    }
}
