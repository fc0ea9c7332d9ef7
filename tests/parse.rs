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

#[path = "support/properties.rs"]
#[allow(dead_code)]
mod properties;

/// The fast parser (`src/syntax/fast.rs`) and pest agree on every chunk of
/// every fixture, example and form library: where pest accepts a chunk, the
/// fast parser accepts it too (valid input never pays for pest), with the
/// same tree, spans included, and the same diagnostics; where the fast
/// parser accepts one, pest does. The fuzz test holds generated and mutated
/// reports to the same.
#[test]
fn fast_parser_agrees_with_pest() {
    let mut accepted = 0;
    for path in sources() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // a fixture of invalid UTF-8
        };
        match properties::parsers_agree(&text) {
            Ok(chunks) => accepted += chunks,
            Err(problem) => panic!("{}: {problem}", path.display()),
        }
    }
    assert!(accepted > 500, "only {accepted} chunks parsed");
}

/// The `.gdr` files of the fixtures, the examples and the form libraries.
fn sources() -> Vec<std::path::PathBuf> {
    let mut paths = Vec::new();
    for dir in [
        "tests/parse",
        "tests/ui",
        "tests/ui/aux",
        "examples",
        "src/libraries",
    ] {
        for entry in std::fs::read_dir(dir).expect("directory exists") {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|extension| extension == "gdr") {
                paths.push(path);
            }
        }
    }
    paths
}

/// Every fixture, example and form library prints to text that parses to
/// the same tree (the fuzz test holds generated and mutated reports to the
/// same).
#[test]
fn printed_trees_parse_back_to_themselves() {
    let mut checked = 0;
    for path in sources() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // a fixture of invalid UTF-8
        };
        if let Err(problem) = properties::print_round_trips(&text) {
            panic!("{}: {problem}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files");
}
