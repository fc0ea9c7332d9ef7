//! `gdr import`: the seed report's text (tests/import/pingyuan-2020.txt, as
//! pasted from a browser) imports in fmt form onto the 2019 library, and
//! gdr finds in it the same table errors as in the hand transcription,
//! examples/pingyuan-2020-forms.gdr.

use std::collections::BTreeSet;

use gdr::SourceFile;
use gdr::diagnostics::{Lang, Severity};

const SEED: &str = include_str!("import/pingyuan-2020.txt");

/// The errors of a report by code and message (which names the cell), not
/// by line.
fn errors(name: &str, text: &str) -> BTreeSet<(String, String)> {
    gdr::compile(&SourceFile::new(name, text.to_string()))
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| {
            (
                diagnostic.code.as_str().to_string(),
                diagnostic.message.render(Lang::En),
            )
        })
        .collect()
}

#[test]
fn the_seed_imports_with_the_table_errors_of_the_hand_transcription() {
    let imported = gdr::import::import_text(SEED, None).expect("imports");
    assert_eq!(imported.library, "gov_disclosure_2019");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let out = &imported.source;
    assert_eq!(&gdr::format::format(out), out, "in fmt form");
    insta::assert_snapshot!("import-pingyuan-2020", out);

    let imported = errors("imported.gdr", out);
    let hand = errors(
        "pingyuan-2020-forms.gdr",
        include_str!("../examples/pingyuan-2020-forms.gdr"),
    );
    // The hand transcription also checks a sum stated in the prose, which
    // the import binds as an `expect`, a warning (tests/import_prose.rs);
    // every other error is a table's.
    let prose: BTreeSet<_> = hand.difference(&imported).cloned().collect();
    assert_eq!(prose.len(), 1, "{prose:?}");
    assert!(prose.iter().all(|(code, _)| code == "E0401"), "{prose:?}");
    assert!(
        imported.is_subset(&hand),
        "{:?}",
        imported.difference(&hand)
    );
    assert_eq!(imported.len(), 9, "{imported:#?}");
}

#[test]
fn the_form_is_chosen_by_labels_and_can_be_forced() {
    let text = "某局2021年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n\t第二十条第（一）项\n\n\t信息内容\n\t本年制发件数\n\t本年废止件数\n\t现行有效件数\n\n\t规章\n\t0\n\t\n\t约3\n\n\t行政规范性文件\n\t2\n\t0\n\t5\n";
    let imported = gdr::import::import_text(text, None).expect("imports");
    assert_eq!(imported.library, "gov_disclosure_2021");
    let out = &imported.source;
    assert!(
        out.contains("[0, -, ?] // 页面原文：现行有效件数“约3”"),
        "{out}"
    );
    assert!(out.contains("agency \"某局\""), "{out}");
    assert!(!out.contains("published"), "{out}");
    // The other tables of the form are not on the page: nothing is invented.
    assert!(!out.contains("申请处理情况"), "{out}");
    assert!(
        imported.warnings.iter().any(|warning| warning
            .message
            .render(Lang::En)
            .contains("no table 三、收到和处理政府信息公开申请情况")),
        "{:?}",
        imported.warnings
    );
    let forced = gdr::import::import_text(text, Some("gov_disclosure_2019")).expect("imports");
    assert_eq!(forced.library, "gov_disclosure_2019");
    // 2019 has 规范性文件, not 行政规范性文件: the row is reported, and the
    // row 规范性文件 the page lacks too.
    let messages: Vec<String> = forced
        .warnings
        .iter()
        .map(|w| w.message.render(Lang::En))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("lacks the row(s) 规范性文件")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("本年新制作数量")),
        "{messages:?}"
    );
    assert!(
        forced
            .source
            .contains("// 页面缺少以下各行，未填写：规范性文件"),
        "{}",
        forced.source
    );
    assert!(gdr::import::import_text(text, Some("gov_disclosure_2012")).is_err());
}

fn gdr(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(args)
        .args(["--lang", "en"])
        .current_dir(dir)
        .output()
        .expect("gdr runs")
}

#[test]
fn the_cli_writes_a_new_file_refuses_binaries_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("gdr-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("seed.txt"), SEED).expect("seed");
    let first = gdr(&["import", "seed.txt", "-o", "out.gdr"], &dir);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let written = std::fs::read_to_string(dir.join("out.gdr")).expect("written");
    assert_eq!(
        gdr(&["import", "seed.txt", "-o", "out.gdr"], &dir)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out.gdr")).expect("kept"),
        written
    );
    let stdout = gdr(&["import", "seed.txt", "-o", "-"], &dir);
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), written);
    // Without -o: FILE with the extension .gdr.
    assert_eq!(gdr(&["import", "seed.txt"], &dir).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("seed.gdr")).expect("written"),
        written
    );

    for (name, bytes, says) in [
        ("report.pdf", &b"%PDF-1.7\n\x00\x01"[..], "error[E0601]"),
        ("report.docx", &b"PK\x03\x04\x00\x00"[..], "error[E0601]"),
        ("page.png", &b"\x89PNG\r\n\x1a\n\x00"[..], "error[E0601]"),
    ] {
        std::fs::write(dir.join(name), bytes).expect("input");
        let output = gdr(&["import", name, "-o", "x.gdr"], &dir);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(!dir.join("x.gdr").exists(), "{name}: nothing is written");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each of `gdr import`'s codes has a fixture `tests/import/CODE_*` that
/// raises it (as the failure or among the warnings).
#[test]
fn every_import_code_has_a_fixture_that_raises_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/import exists")
        .map(|entry| {
            entry
                .expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for code in gdr::diagnostics::Code::ALL
        .iter()
        .filter(|code| code.is_import())
    {
        let prefix = format!("{}_", code.as_str().to_lowercase());
        let fixtures: Vec<&String> = names
            .iter()
            .filter(|name| name.starts_with(&prefix))
            .collect();
        assert!(
            !fixtures.is_empty(),
            "{} has no fixture tests/import/{prefix}*",
            code.as_str()
        );
        for name in fixtures {
            let bytes = std::fs::read(dir.join(name)).expect("readable");
            let codes: Vec<gdr::diagnostics::Code> = match gdr::import::import(&bytes, name, None) {
                Ok(imported) => imported
                    .warnings
                    .iter()
                    .map(|warning| warning.code)
                    .collect(),
                Err(failure) => vec![failure.code],
            };
            assert!(
                codes.contains(code),
                "{name} raises {codes:?}, not {}",
                code.as_str()
            );
        }
    }
}
