//! `gdr audit` on a folder of reports as a supervisor keeps them: `.gdr`
//! files, pages pasted as text, a PDF, a page that is not a report, a
//! truncated one; in each format, with its exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gdr(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(args)
        .current_dir(dir)
        .env_remove("GDR_LANG")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .output()
        .expect("gdr runs")
}

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A fresh folder `reports/` under a directory of its own, named `name`.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gdr-audit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let reports = dir.join("reports");
    std::fs::create_dir_all(reports.join("pages")).expect("temp dir");
    for example in [
        "county-2020.gdr",
        "county-2021.gdr",
        "pingyuan-2020.gdr",
        "pingyuan-2020-derived.gdr",
    ] {
        std::fs::copy(
            manifest(&format!("examples/{example}")),
            reports.join(example),
        )
        .expect("copy");
    }
    let page = std::fs::read_to_string(manifest("tests/import/pingyuan-2020.txt")).expect("page");
    std::fs::write(reports.join("pages/pingyuan-2020.txt"), &page).expect("write");
    // The page cut in the middle of table 三.
    let cut: String = page
        .lines()
        .take(250)
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(reports.join("pages/cut.txt"), cut).expect("write");
    std::fs::copy(
        manifest("tests/import/e0601_scanned.pdf"),
        reports.join("pages/scanned.pdf"),
    )
    .expect("copy");
    std::fs::copy(
        manifest("tests/import/e0602_news_page.txt"),
        reports.join("pages/news, 2020.txt"),
    )
    .expect("copy");
    // Neither a hidden folder nor another kind of file is audited.
    std::fs::create_dir_all(reports.join(".cache")).expect("temp dir");
    std::fs::write(reports.join(".cache/old.gdr"), "garbage").expect("write");
    std::fs::write(reports.join("list.json"), "{}").expect("write");
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

#[test]
fn the_table_has_a_line_per_report_then_the_totals() {
    let dir = folder("table");
    let output = gdr(&dir, &["audit", "reports"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let table = stdout(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 1 + 8 + 2, "{table}");
    assert!(lines[0].starts_with("FILE") && lines[0].ends_with("FIRST FINDING"));
    let row = |file: &str| {
        *lines
            .iter()
            .find(|line| line.starts_with(file))
            .unwrap_or_else(|| panic!("no line for {file} in\n{table}"))
    };
    let counts = |file: &str| -> Vec<String> {
        row(file)
            .split_whitespace()
            .filter(|word| word.chars().all(|c| c.is_ascii_digit()))
            .take(3)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(counts("reports/county-2021.gdr"), ["2021", "0", "0"]);
    assert_eq!(counts("reports/pingyuan-2020.gdr "), ["2020", "10", "0"]);
    assert_eq!(
        counts("reports/pingyuan-2020-derived.gdr"),
        ["2020", "0", "1"]
    );
    assert_eq!(
        counts("reports/pages/pingyuan-2020.txt"),
        // W0104 (no section 六) and W0105 (the prose's 1624 ≠ 1599 + 24).
        ["2020", "9", "2"]
    );
    assert!(row("reports/pages/scanned.pdf").contains("E0601"));
    assert!(row("reports/pages/scanned.pdf").contains("is a PDF"));
    assert!(row("reports/pages/news, 2020.txt").contains("E0602"));
    assert!(row("reports/pages/cut.txt").contains("E0503"), "{table}");
    assert!(row("reports/pingyuan-2020.gdr ").contains(
        "E0401 check failed: `脱贫信息 == 上墙公示 + 网上公示`, left 1624, right 1599 + 24 = 1623"
    ));
    assert!(!table.contains("old.gdr") && !table.contains("list.json"));
    // The columns line up, counting a Chinese character as two columns.
    let year_column = |line: &str| {
        let at = line.find("  2020  ").or_else(|| line.find("  2021  "))?;
        Some(unicode_width::UnicodeWidthStr::width(&line[..at]))
    };
    let with_year: Vec<usize> = lines[1..9]
        .iter()
        .filter_map(|line| year_column(line))
        .collect();
    assert_eq!(with_year.len(), 6);
    assert!(
        with_year.windows(2).all(|pair| pair[0] == pair[1]),
        "{table}"
    );
    insta::assert_snapshot!(table);
}

#[test]
fn json_has_every_finding_with_its_cell() {
    let dir = folder("json");
    let output = gdr(&dir, &["audit", "--format", "json", "reports"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["format"], "gdr-audit/1");
    let reports = json["reports"].as_array().expect("reports");
    let files: Vec<&str> = reports
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "reports/county-2020.gdr",
            "reports/county-2021.gdr",
            "reports/pages/cut.txt",
            "reports/pages/news, 2020.txt",
            "reports/pages/pingyuan-2020.txt",
            "reports/pages/scanned.pdf",
            "reports/pingyuan-2020-derived.gdr",
            "reports/pingyuan-2020.gdr",
        ],
        "sorted"
    );
    assert_eq!(
        json["totals"],
        serde_json::json!({"reports": 8, "failing": 5, "errors": 35, "warnings": 10})
    );
    let report = |file: &str| reports.iter().find(|r| r["file"] == file).unwrap();
    let pingyuan = report("reports/pingyuan-2020.gdr");
    assert_eq!(pingyuan["input"], "gdr");
    assert_eq!(pingyuan["agency"], "新乡市平原城乡一体化示范区管理委员会");
    assert_eq!(pingyuan["year"], 2020);
    assert_eq!(pingyuan["form"], serde_json::Value::Null);
    let findings = pingyuan["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 10);
    assert_eq!(
        findings[1],
        serde_json::json!({
            "severity": "error",
            "code": "E0402",
            "line": 283,
            "column": 53,
            "message": "`申请.新收[总计]` is stated as 0, but its column formula gives 16",
            "place": {"table": "申请", "row": ["新收"], "column": "总计"}
        })
    );
    // A check of the table, not of one cell.
    assert_eq!(findings[9]["place"], serde_json::json!({"table": "申请"}));
    // An imported page: its check's findings have no line (its .gdr is
    // only in memory), its import's findings the page's line.
    let page = report("reports/pages/pingyuan-2020.txt");
    assert_eq!(page["input"], "text");
    assert_eq!(page["form"], "gov_disclosure_2019");
    let cell = page["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "E0402")
        .unwrap();
    assert_eq!(cell["line"], serde_json::Value::Null);
    assert_eq!(cell["column"], serde_json::Value::Null);
    assert_eq!(
        cell["place"],
        serde_json::json!({"table": "申请", "row": ["新收"], "column": "总计"})
    );
    let pdf = report("reports/pages/scanned.pdf");
    assert_eq!(pdf["input"], "pdf");
    assert_eq!(pdf["errors"], 1);
    assert_eq!(pdf["findings"][0]["code"], "E0601");
    assert_eq!(pdf["agency"], serde_json::Value::Null);
}

/// An import problem of a saved page points at the line and column of the
/// page, as `gdr import` prints it.
#[test]
fn a_page_finding_has_the_line_and_column_of_the_page() {
    let output = gdr(
        &manifest("tests/import"),
        &["audit", "shuyang-fagaiju-2023.html", "-f", "json"],
    );
    let audit: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let finding = &audit["reports"][0]["findings"][0];
    assert_eq!(finding["code"], "W0603", "{audit}");
    assert_eq!(
        (&finding["line"], &finding["column"]),
        (&281.into(), &7.into())
    );
}

#[test]
fn csv_quotes_what_needs_quoting() {
    let dir = folder("csv");
    let output = gdr(&dir, &["audit", "-f", "csv", "reports"]);
    assert_eq!(output.status.code(), Some(1));
    let csv = stdout(&output);
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 1 + 8);
    assert_eq!(
        lines[0],
        "file,input,agency,year,form,errors,warnings,code,line,finding"
    );
    assert!(
        lines.contains(
            &"\"reports/pages/news, 2020.txt\",text,,,,1,0,E0602,,no table of the annual report's form (gov_disclosure_2019) was found: this does not look like a government information disclosure annual report"
        ),
        "{csv}"
    );
    let pingyuan = "reports/pingyuan-2020.gdr,gdr,新乡市平原城乡一体化示范区管理委员会,2020,,10,0,E0401,147,\"check failed: `脱贫信息 == 上墙公示 + 网上公示`, left 1624, right 1599 + 24 = 1623\"";
    assert!(lines.contains(&pingyuan), "{csv}");
}

const HTML: [&str; 6] = [
    "audit",
    "--format",
    "html",
    "-o",
    "reports/audit.html",
    "reports",
];

#[test]
fn the_html_page_shows_each_report_with_its_failing_cells_marked() {
    let dir = folder("html");
    let output = gdr(&dir, &HTML);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    // The table is printed all the same.
    assert!(stdout(&output).contains("reports/pingyuan-2020.gdr"));
    let page = std::fs::read_to_string(dir.join("reports/audit.html")).expect("the page");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("<section class=\"report").count(), 8);
    assert_eq!(page.matches("<iframe").count(), 6, "one per report read");
    assert!(page.contains("reports/pages/news, 2020.txt"));
    // A rendered report is a page for its frame, as a JSON string.
    assert!(page.contains(r#"\u003ctd class=\"num marked\""#));
    assert!(page.contains("`申请.新收[总计]` is stated as 0"));
    // Self-contained: nothing to fetch.
    assert!(!page.contains("src=\"http") && !page.contains("<link"));
    // Its own output is not audited the next time.
    let again = gdr(&dir, &HTML);
    assert_eq!(stdout(&again).lines().count(), 1 + 8 + 2);
}

#[test]
fn exit_status_and_bad_input() {
    let dir = folder("status");
    assert_eq!(
        gdr(&dir, &["audit", "reports/county-2021.gdr"])
            .status
            .code(),
        Some(0)
    );
    // A warning is not an error.
    assert_eq!(
        gdr(&dir, &["audit", "reports/pingyuan-2020-derived.gdr"])
            .status
            .code(),
        Some(0)
    );
    // A file named is audited whatever its extension.
    let pdf = gdr(&dir, &["audit", "reports/pages/scanned.pdf"]);
    assert_eq!(pdf.status.code(), Some(1));
    assert!(stdout(&pdf).contains("E0601"));
    let missing = gdr(&dir, &["audit", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read `nowhere`"));
    std::fs::create_dir_all(dir.join("empty")).expect("dir");
    let empty = gdr(&dir, &["audit", "empty"]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("no reports found"));
    assert_eq!(gdr(&dir, &["audit"]).status.code(), Some(2));
    assert_eq!(
        gdr(&dir, &["audit", "-f", "xml", "reports"]).status.code(),
        Some(2)
    );
}

#[test]
fn chinese_words_in_chinese() {
    let dir = folder("zh");
    let output = gdr(&dir, &["--lang", "zh", "audit", "reports"]);
    let table = stdout(&output);
    assert!(table.starts_with("文件"), "{table}");
    assert!(
        table.ends_with("8 份报告，其中 5 份有错误：35 个错误，10 个警告\n"),
        "{table}"
    );
}
