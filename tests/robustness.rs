//! Hostile and huge inputs: each must end in diagnostics (or none), never a
//! panic, a stack overflow or a hang.

use gdr::{Code, SourceFile};

const HEADER: &str = "report { title \"t\" agency \"a\" year 2020 }\n";

fn codes(text: &str) -> Vec<Code> {
    let source = SourceFile::new("input.gdr", text);
    let compilation = gdr::compile(&source);
    for diagnostic in &compilation.diagnostics {
        for label in &diagnostic.labels {
            assert!(
                label.span.end as usize <= source.text.len() && label.span.start <= label.span.end,
                "label outside the source: {diagnostic:?}"
            );
        }
    }
    // Rendering must not fail either.
    let _ = gdr::diagnostics::emit::human(
        &compilation.sources,
        &compilation.diagnostics,
        false,
        gdr::diagnostics::Lang::En,
    );
    let _ = gdr::diagnostics::emit::json(
        &compilation.sources,
        &compilation.diagnostics,
        gdr::diagnostics::Lang::Zh,
    );
    compilation.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn empty_file_is_a_missing_header() {
    assert_eq!(codes(""), [Code::Header]);
    assert_eq!(codes("\u{feff}"), [Code::Header]);
    assert_eq!(codes("  \n// only a comment\n"), [Code::Header]);
}

#[test]
fn binary_garbage_gives_diagnostics() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..200 {
        let bytes: Vec<u8> = (0..(round * 7 + 50))
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let (source, _) = SourceFile::from_bytes("garbage", &bytes);
        assert!(!codes(&source.text).is_empty());
    }
}

#[test]
fn deeply_nested_sections_are_one_error() {
    let depth = 20_000;
    let text = format!(
        "{HEADER}{}{}",
        "section \"s\" {\n".repeat(depth),
        "}\n".repeat(depth)
    );
    assert_eq!(codes(&text), [Code::TooLarge]);
}

#[test]
fn deeply_nested_parentheses_are_one_error() {
    let depth = 50_000;
    let text = format!(
        "{HEADER}let x = {}1{}\n\"{{x}}\"",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert_eq!(codes(&text), [Code::TooLarge]);
}

#[test]
fn many_negations_and_a_long_sum_do_not_recurse() {
    let text = format!(
        "{HEADER}let x = {}1 件\nlet y = 0 件{}\ncheck x + y == 100001 件\n",
        "- - ".repeat(25_000),
        " + 1 件".repeat(100_000)
    );
    assert_eq!(codes(&text), Vec::<Code>::new());
}

#[test]
fn a_two_megabyte_line() {
    let text = format!(
        "{HEADER}section \"s\" {{ \"{}\" }}\n",
        "很长的文字".repeat(140_000)
    );
    assert!(text.len() > 2_000_000);
    assert_eq!(codes(&text), Vec::<Code>::new());
    let garbage = format!("{HEADER}{}", "@#".repeat(1_000_000));
    assert_eq!(codes(&garbage), [Code::SyntaxError]);
}

#[test]
fn fifty_thousand_rows() {
    let rows = 50_000;
    let mut text =
        format!("{HEADER}table t {{\n  unit 件\n  columns {{ a b 总计 = sum(a, b) }}\n  rows {{\n");
    for index in 0..rows {
        text.push_str(&format!("    r{index} [{index}, 1, auto]\n"));
    }
    text.push_str("    合计 = sum(明细)\n  }\n}\n");
    // `明细` does not exist: one error, after all rows are read.
    assert_eq!(codes(&text), [Code::UnknownName]);
    let text = text.replace("sum(明细)", "r0 + r1");
    assert_eq!(codes(&text), Vec::<Code>::new());
}

#[test]
fn a_long_chain_of_derived_cells() {
    // Each row is derived from the one before: evaluation recurses 20,000
    // cells deep and must not overflow the stack.
    let rows = 20_000;
    let mut text =
        format!("{HEADER}table t {{\n  unit 件\n  columns {{ a }}\n  rows {{\n    r0 [1]\n");
    for index in 1..rows {
        text.push_str(&format!("    r{index} = r{} + r0\n", index - 1));
    }
    text.push_str(&format!("  }}\n  check r{} == {rows} 件\n}}\n", rows - 1));
    assert_eq!(codes(&text), Vec::<Code>::new());
}

#[test]
fn unbalanced_brackets_everywhere() {
    for text in [
        "}",
        "]]]",
        "((((",
        "{[(",
        "report {",
        "section \"a\" { table t { rows { x [1, 2",
        "\"\"\"",
        "\"abc",
    ] {
        let found = codes(text);
        assert!(
            found
                .iter()
                .any(|code| matches!(code, Code::SyntaxError | Code::Unterminated)),
            "{text:?}: {found:?}"
        );
    }
}

#[test]
fn three_broken_items_give_three_diagnostics() {
    let text = format!(
        "{HEADER}section \"一\" {{\n  let x = 1 件 +\n}}\ntable t {{ columns {{ a, b }} rows {{ r [1, 2] }} }}\nsection \"二\" {{\n  check 1 件 == == 1 件\n}}\n"
    );
    assert_eq!(
        codes(&text),
        [Code::SyntaxError, Code::SyntaxError, Code::SyntaxError]
    );
}

#[test]
fn a_syntax_error_does_not_hide_a_failed_check_elsewhere() {
    let text = format!("{HEADER}section \"一\" {{ let x = }}\ncheck 1 件 == 2 件\n");
    assert_eq!(codes(&text), [Code::SyntaxError, Code::CheckFailed]);
}

#[test]
fn a_table_beyond_the_cell_limit_is_one_error() {
    // 1,001 rows × 2,000 columns: two million and two thousand cells from a
    // few kilobytes of source, most of them derived.
    let columns: Vec<String> = (0..2_000).map(|index| format!("c{index}")).collect();
    let mut text = format!(
        "{HEADER}table t {{\n  unit 件\n  columns {{ {} }}\n  rows {{\n    r0 [{}]\n",
        columns.join(" "),
        vec!["1"; columns.len()].join(", ")
    );
    for index in 1..1_001 {
        text.push_str(&format!("    r{index} = r0\n"));
    }
    text.push_str("  }\n}\n");
    assert!(text.len() < 100_000);
    assert_eq!(codes(&text), [Code::TooLarge]);
    // One row fewer is within the limit, and checks.
    let within = text.replace("    r1000 = r0\n", "");
    assert_eq!(codes(&within), Vec::<Code>::new());
}

#[test]
fn a_file_beyond_the_size_limit_is_one_error() {
    let padding = gdr::limits::MAX_FILE_BYTES;
    let text = format!("{HEADER}// {}\n", "x".repeat(padding));
    assert_eq!(codes(&text), [Code::TooLarge]);
}

#[test]
fn only_the_first_hundred_unknown_names_get_a_suggestion() {
    // A suggestion compares with every name in scope; bounding how many are
    // searched keeps a file of many unknown names linear.
    let mut text = format!("{HEADER}let 数量 = 1 件\n");
    for _ in 0..150 {
        text.push_str("check 数两 == 1 件\n");
    }
    let compilation = gdr::compile(&SourceFile::new("input.gdr", text));
    let helped = compilation
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownName)
        .map(|d| !d.help.is_empty())
        .collect::<Vec<_>>();
    assert_eq!(helped.len(), 150);
    assert!(helped[..100].iter().all(|&h| h) && helped[100..].iter().all(|&h| !h));
}

#[test]
fn nesting_at_the_limit_parses() {
    // pest runs without its stack probe (docs/performance.md): the scan's
    // bound on nesting is what keeps its recursion shallow. The deepest
    // nesting allowed must compile, in a debug build, on half of a thread's
    // default stack.
    let depth = gdr::limits::MAX_NESTING;
    let parentheses = format!(
        "{HEADER}let x = {}1 件{}\ncheck x == 1 件\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let sections = format!(
        "{HEADER}{}\"深\"\n{}",
        "section \"s\" {\n".repeat(depth),
        "}\n".repeat(depth)
    );
    let mixed = format!(
        "{HEADER}section \"s\" {{\n{}let y = {}1 件{}\n\"{{y}}\"\n{}}}\n",
        "section \"t\" {\n".repeat(depth / 2 - 1),
        "(".repeat(depth / 2),
        ")".repeat(depth / 2),
        "}\n".repeat(depth / 2 - 1)
    );
    for text in [parentheses, sections, mixed] {
        // Half of a Rust thread's default stack.
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || codes(&text))
            .expect("thread");
        assert_eq!(handle.join().expect("no panic"), Vec::<Code>::new());
    }
}

/// A chain of library files longer than a compilation may read: one E0104
/// where the limit is reached, nothing lost before it, no panic.
#[test]
fn a_report_reads_at_most_the_file_limit() {
    struct Chain;
    impl gdr::modules::Loader for Chain {
        fn load(
            &self,
            _from: &str,
            path: &str,
        ) -> Result<(String, String), gdr::modules::LoadError> {
            let number: usize = path
                .trim_start_matches("lib")
                .trim_end_matches(".gdr")
                .parse()
                .expect("a library number");
            Ok((
                path.to_string(),
                format!("use \"lib{}.gdr\"\nunit 单位{number}\n", number + 1),
            ))
        }
    }
    let text = "report { title \"t\" agency \"a\" year 2020 }\nuse \"lib1.gdr\"\nlet x = 1 单位60\ncheck x == 1 单位60\n";
    let compilation = gdr::compile_with(&SourceFile::new("r.gdr", text), &Chain);
    let codes: Vec<Code> = compilation.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::TooLarge], "{:?}", compilation.diagnostics);
    assert_eq!(
        compilation.sources.files().len(),
        gdr::limits::MAX_FILES - 2,
        "the report and every file but the two built-in libraries' places"
    );
}
