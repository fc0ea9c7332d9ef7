//! Every example states in its header comment what `gdr check` reports for
//! it (`//   error[E0401] line 147: …`, one line per diagnostic); this test
//! holds each example to its comment, so that the examples cannot rot.

use std::path::Path;

use gdr::SourceFile;

fn examples() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gdr"))
        .collect();
    paths.sort();
    paths
}

/// `(severity, code, line)` from the lines after `// gdr check reports:`.
fn stated(text: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        let comment = comment.trim();
        if comment == "gdr check reports:" {
            in_block = true;
            continue;
        }
        if !in_block {
            continue;
        }
        let Some((head, _)) = comment.split_once(':') else {
            continue;
        };
        let Some((diagnostic, line_number)) = head.split_once(" line ") else {
            continue;
        };
        let Some((severity, code)) = diagnostic.trim_end_matches(']').split_once('[') else {
            continue;
        };
        let line_number = line_number.trim().parse().expect("a line number");
        out.push((severity.to_string(), code.to_string(), line_number));
    }
    out.sort();
    out
}

#[test]
fn examples_report_what_their_header_says() {
    let paths = examples();
    assert!(paths.len() >= 2, "the examples are missing");
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(
            text.contains("// gdr check reports:"),
            "{} has no `// gdr check reports:` block",
            path.display()
        );
        let source = SourceFile::new(path.display().to_string(), text);
        let compilation = gdr::compile_with(&source, &gdr::project::FileLoader::for_input(&path));
        let mut actual: Vec<(String, String, usize)> = compilation
            .diagnostics
            .iter()
            .map(|d| {
                let line = source
                    .line_col(d.span().unwrap_or_default().start as usize)
                    .line;
                (
                    d.severity.as_str().to_string(),
                    d.code.as_str().to_string(),
                    line,
                )
            })
            .collect();
        actual.sort();
        assert_eq!(
            actual,
            stated(&source.text),
            "{} does not report what its header comment says:\n{}",
            path.display(),
            gdr::diagnostics::emit::human(
                &compilation.sources,
                &compilation.diagnostics,
                false,
                gdr::diagnostics::Lang::En
            )
        );
    }
}

/// The published report breaks its own arithmetic; the transcription must
/// show the wrong (七)总计 as the one number behind two failures.
#[test]
fn seed_transcription_names_the_one_wrong_total() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pingyuan-2020.gdr");
    let source = SourceFile::new(
        "pingyuan-2020.gdr",
        std::fs::read_to_string(path).expect("readable"),
    );
    let diagnostics = gdr::compile(&source).diagnostics;
    let hinted: Vec<&gdr::Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            d.help.iter().any(|h| {
                h.render(gdr::diagnostics::Lang::En)
                    .contains("`申请.办理.总计[自然人]` from 17 to 16")
            })
        })
        .collect();
    let codes: Vec<&str> = hinted.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0402", "E0401"]);
    let check = hinted[1];
    let en = gdr::diagnostics::Lang::En;
    assert_eq!(check.message.render(en), "check failed in column 自然人");
    let labels: Vec<String> = check.labels.iter().map(|l| l.message.render(en)).collect();
    assert_eq!(labels, ["16 + 1 = 17", "17 + 1 = 18"]);
    assert!(check.notes.iter().any(|n| {
        n.render(gdr::diagnostics::Lang::En)
            .contains("is stated as 17 but its row formula gives 16")
    }));
}

/// The reports shown in the README check clean.
#[test]
fn readme_reports_check_clean() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let blocks: Vec<&str> = readme
        .split("```gdr\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    assert!(
        blocks.len() >= 2,
        "the README shows a report and a report on a form library"
    );
    for block in blocks {
        let compilation = gdr::compile(&SourceFile::new("README.md", block));
        assert!(
            compilation.diagnostics.is_empty(),
            "{}",
            gdr::diagnostics::emit::human(
                &compilation.sources,
                &compilation.diagnostics,
                false,
                gdr::diagnostics::Lang::En
            )
        );
    }
}
