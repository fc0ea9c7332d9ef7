//! `gdr fmt`: for every example and UI fixture, formatting is idempotent
//! and keeps the meaning — the checked JSON of `fmt(x)` equals that of `x`
//! (but for the line numbers that a moved blank line changes) — and keeps
//! every comment.

use std::path::{Path, PathBuf};

use gdr::SourceFile;
use gdr::render::{self, Format};

fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["examples", "tests/ui", "tests/ui/aux"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("readable") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|ext| ext == "gdr") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(paths.len() > 50);
    paths
}

/// The checked report as JSON, without the line numbers.
fn meaning(path: &Path, text: &str) -> (serde_json::Value, Vec<String>) {
    let loader = gdr::project::FileLoader::for_input(path);
    let compilation =
        gdr::compile_with(&SourceFile::new(path.display().to_string(), text), &loader);
    let mut json: serde_json::Value =
        serde_json::from_str(&render::render(&compilation.report, Format::Json)).expect("JSON");
    strip_lines(&mut json);
    let codes = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    (json, codes)
}

fn strip_lines(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("line");
            map.values_mut().for_each(strip_lines);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_lines),
        _ => {}
    }
}

fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.find("//").map(|at| line[at..].trim_end()))
        .collect()
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_and_comments() {
    for path in inputs() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let formatted = gdr::format::format(&text);
        assert_eq!(
            gdr::format::format(&formatted),
            formatted,
            "{}: fmt(fmt(x)) != fmt(x)",
            path.display()
        );
        let (before, before_codes) = meaning(&path, &text);
        let (after, after_codes) = meaning(&path, &formatted);
        assert_eq!(
            before,
            after,
            "{}: formatting changed the checked report",
            path.display()
        );
        assert_eq!(
            before_codes,
            after_codes,
            "{}: formatting changed the diagnostics",
            path.display()
        );
        assert_eq!(
            comments(&text),
            comments(&formatted),
            "{}: a comment moved or was lost",
            path.display()
        );
    }
}

#[test]
fn fmt_check_reports_a_diff_and_fmt_writes_the_file() {
    let dir = std::env::temp_dir().join(format!("gdr-fmt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("r.gdr");
    std::fs::write(
        &path,
        "report { title \"t\" agency \"a\" year 2020 }\nsection \"一\" {\n\"段落\"   \n}\n",
    )
    .expect("write");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gdr"))
            .args(args)
            .arg(&path)
            .output()
            .expect("gdr runs")
    };
    let check = run(&["fmt", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("+  \"段落\""));
    assert_eq!(run(&["fmt"]).status.code(), Some(0));
    assert_eq!(run(&["fmt", "--check"]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "report { title \"t\" agency \"a\" year 2020 }\nsection \"一\" {\n  \"段落\"\n}\n"
    );
}

/// Every example is in `gdr fmt` form, as everything gdr writes is
/// (`gdr fmt --check examples/` exits 0).
#[test]
fn every_example_is_in_fmt_form() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(["fmt", "--check", "examples/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("gdr runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}
