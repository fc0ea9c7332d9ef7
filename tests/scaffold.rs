//! `gdr new`: the scaffold of each form library checks clean, builds, and
//! is snapshotted.

use gdr::SourceFile;
use gdr::render::{self, Format};

#[test]
fn every_library_scaffolds_a_report_that_checks_clean_and_builds() {
    for (library, year) in [("gov_disclosure_2019", 2020), ("gov_disclosure_2021", 2025)] {
        let text = gdr::scaffold::new_report(library, year).expect("a built-in library");
        let compilation = gdr::compile(&SourceFile::new(format!("{library}.gdr"), text.clone()));
        assert!(
            compilation.diagnostics.is_empty(),
            "{library}: {}",
            gdr::diagnostics::emit::human(
                &compilation.sources,
                &compilation.diagnostics,
                false,
                gdr::diagnostics::Lang::En
            )
        );
        // Every form of the library is instantiated, in the section its title names.
        let tables: Vec<&str> = compilation
            .report
            .tables
            .iter()
            .map(|table| table.name.as_str())
            .collect();
        assert!(
            tables.contains(&"申请") && tables.contains(&"复议诉讼") && tables.contains(&"第一项"),
            "{tables:?}"
        );
        assert!(compilation.report.tables.iter().all(|table| table.placed));
        for format in Format::ALL {
            assert!(!render::render(&compilation.report, format).is_empty());
        }
        // Everything gdr writes is in `gdr fmt` form.
        assert_eq!(gdr::format::format(&text), text, "{library}");
        insta::assert_snapshot!(format!("new-{library}"), text);
    }
}

#[test]
fn an_unknown_library_is_refused() {
    let error = gdr::scaffold::new_report("gov_disclosure_2012", 2020).expect_err("unknown");
    assert!(error.to_string().contains("gov_disclosure_2021"));
}

#[test]
fn the_cli_writes_a_new_file_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("gdr-new-{}", std::process::id()));
    // A directory left by an earlier run whose process had the same id.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("report.gdr");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_gdr"))
            .args(["new", "--form", "gov_disclosure_2019", "--year", "2020"])
            .arg(&path)
            .output()
            .expect("gdr runs")
    };
    assert_eq!(run().status.code(), Some(0));
    let written = std::fs::read_to_string(&path).expect("written");
    assert!(written.contains("use gov_disclosure_2019"));
    assert_eq!(
        run().status.code(),
        Some(2),
        "an existing file is not overwritten"
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_gdr"))
        .arg("check")
        .arg(&path)
        .output()
        .expect("gdr runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The comment above each instance names its columns as a reference writes
/// them: every one resolves, in the instance's first row. The publication
/// date and issuer are left as comments for the author to fill in.
#[test]
fn the_scaffold_comments_name_columns_as_references_do() {
    for library in ["gov_disclosure_2019", "gov_disclosure_2021"] {
        let text = gdr::scaffold::new_report(library, 2025).expect("a built-in library");
        assert!(text.contains("\n  // published 2026-01-31\n"), "{text}");
        assert!(!text.contains("\n  published"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let mut checks = String::new();
        for (index, line) in lines.iter().enumerate() {
            let Some(head) = line.trim().strip_prefix("table ") else {
                continue;
            };
            let table = head.split(' ').next().expect("a name");
            let columns = lines[index - 1].trim().trim_start_matches("// ");
            let row = lines[index + 1].split_whitespace().next().expect("a row");
            for column in columns.split(", ") {
                checks.push_str(&format!(
                    "check {table}.{row}[{column}] == {table}.{row}[{column}]\n"
                ));
            }
        }
        assert!(checks.lines().count() > 20, "{checks}");
        let with_checks = format!("{text}\n{checks}");
        let compilation = gdr::compile(&SourceFile::new("new.gdr", with_checks));
        assert!(
            compilation.diagnostics.is_empty(),
            "{library}: {:?}",
            compilation.diagnostics
        );
    }
}
