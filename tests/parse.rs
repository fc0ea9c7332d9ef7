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

/// The corners of the grammar where the two parsers could part: pest's
/// ordered choices and lookaheads, its white-space skip before an absent
/// optional element, keywords as names, Unicode names, every kind of
/// string, escape and interpolation, line ends, and inputs just off the
/// grammar. Both must accept the same of them, with the same trees.
#[test]
fn fast_parser_agrees_with_pest_in_the_corners() {
    let corners = [
        "let a = b * c // note\nlet d = -(a) + - - 1 件\n",
        "let a = b\r\n  - c\rlet e = 1_000.5万元 / 2 %",
        "let rows = columns + 总计.新收[自然人] + 表.行[ 组 . 列 ]",
        "let ａ = x·y + _a",
        "let auto = 1",
        "let a = 1__0 + 1.2.3 + 1. + 2_",
        "let a = sum(a, b) + sum(c)",
        "let a = sum(a, b,)",
        "let a = sum",
        "let a = b [c]",
        "let a = b.",
        "unit 千元 = 1000 元\nunit %\nunit 篇 // c\n",
        "unit 千元 = 元",
        "report { title \"t\" year 2020 published 2021-01-10 n 1_0 a 标识 }",
        "report { bad 2021-1-5 worse 1__0 }",
        "report { d 2021-01-10x }",
        "report { d 2021-01-10_1 }",
        "report { a b c }",
        "use gov_disclosure_2019\nuse \"./x.gdr\" as 去年\n",
        "use x as",
        "allow E0401 \"r\"\nallow W01011 \"r\"",
        "check a == b within 1 件 allow E0401 \"why\"\nexpect a != b\n",
        "check a = b",
        "check a <= b >= c",
        "section \"s\" { \"p {a as 万元:2} {b:num} {c:%1} {d :num0} {e:3}\" check a < b\n allow E0401 \"next line\" }",
        "section \"s\" { \"{ a // c}\" \"{}\" \"{a:%}\" \"{1__0}\" \"{a as}\" \"\\q \\{\\} }\" }",
        "section \"s\" { \"\"\"\n  一段 {a}\n\n  二段 \\\"\"\"\n  \"\"\"\n  \"\"\"\"\"\" }",
        "section \"s\" { section \"t\" { let a = 1 } table x { } }",
        "section \"s\" { 正文 }",
        "table t \"标题\" { unit 件 note \"n {a}\" columns { a \"A\" unit 元 = b + c  g { x y } } rows { r [1, -2 件 \"注\", +3, -, ?, auto, 1.2.3, 4 %,] = 2  g \"G\" { s [] } } check r == 1 allow E0401 \"x\" }",
        "table t { rows { r [1, , 2] } }",
        "table t { rows { r [16auto] } }",
        "table t { rows { r [16 auto] } }",
        "table t { rows { r [- 1] } }",
        "table t { columns { a, b } }",
        "table t { rows { g { r [1] } = 1 } }",
        "table x = 申请处理情况 { 新收 [1, 0] 办理.总计 [auto] rest - note \"n\" check a == b allow E0401 \"r\" }",
        "table x = 申请处理情况 { rest 1__0 }",
        "table x = 申请处理情况 { rest auto }",
        "table x == y { }",
        "form f \"F\" { columns { a } rows { r = a } }",
        "// only a comment\n",
        "",
    ];
    let (mut accepted, mut rejected) = (0, 0);
    for text in corners {
        match properties::parsers_agree(text) {
            Ok(0) => rejected += 1,
            Ok(_) => accepted += 1,
            Err(problem) => panic!("{text:?}: {problem}"),
        }
    }
    assert!(
        accepted > 15 && rejected > 15,
        "{accepted} accepted, {rejected} rejected"
    );
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
