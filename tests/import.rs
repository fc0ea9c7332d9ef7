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
    // 2019 has 规范性文件 where 2021 has 行政规范性文件: the row is read as
    // 2019's, and said so; the 2021 columns are read in 2019's order.
    let messages: Vec<String> = forced
        .warnings
        .iter()
        .map(|w| w.message.render(Lang::En))
        .collect();
    assert!(
        messages.iter().any(|m| m.contains(
            "prints the row label “行政规范性文件” of the other version of 第二十条第（一）项; it is read as this form's row “规范性文件”"
        )),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("本年新制作数量")),
        "{messages:?}"
    );
    assert!(
        forced.source.contains(
            "// 页面印的是另一版表式的行标签“行政规范性文件”，按本表式的“规范性文件”导入"
        ),
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

// HTML pages.
//
// tests/import/shuyang-fagaiju-2023.html is a real page as saved from a
// county portal: the 2023 政府信息公开年度报告 of 沭阳县发展和改革局
// (公开日期 2024-01-17, 索引号 014314799/2024-00002), a public government
// document, with the whole page around it (metadata table, menus, scripts,
// prose pasted from Word, tables with colspan/rowspan headers and blank
// cells). A faithful import gives: the 2021 form, although the page prints
// the 2019 row label 规范性文件 in 第二十条第（一）项 (read as
// 行政规范性文件, with a W0603); title 沭阳县发展和改革局2023年政府信息公开
// 年度报告, agency 沭阳县发展和改革局, year 2023, published 2024-01-17, a
// department; every cell as printed (shuyang-fagaiju-2023.expected.json:
// tables by the form's identifier, rows by printed label, columns by
// printed label path, `null` a blank cell); and no error when checked.
// shuyang-fagaiju-2023.gbk.html is the same page in GBK (its <meta charset>
// says gb2312), made with Python's codec.

const COUNTY_PAGE: &[u8] = include_bytes!("import/shuyang-fagaiju-2023.html");

/// A leaf cell of a compiled report: its table's title, its row's and its
/// column's label paths, and the cell as printed (`None` for a blank).
type LeafCell = (String, Vec<String>, Vec<String>, Option<String>);

/// Every leaf cell of a compiled report.
fn cells_of(report: &gdr::model::Report) -> Vec<LeafCell> {
    fn columns(entries: &[gdr::model::Column], path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        for column in entries {
            path.push(column.label.clone());
            if column.children.is_empty() {
                out.push(path.clone());
            } else {
                columns(&column.children, path, out);
            }
            path.pop();
        }
    }
    fn rows(
        entries: &[gdr::model::Row],
        path: &mut Vec<String>,
        out: &mut Vec<(Vec<String>, Vec<gdr::model::Cell>)>,
    ) {
        for row in entries {
            // A row without a label shows its name.
            path.push(if row.label.is_empty() {
                row.name.clone()
            } else {
                row.label.clone()
            });
            if row.children.is_empty() {
                out.push((path.clone(), row.cells.clone()));
            } else {
                rows(&row.children, path, out);
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    for table in &report.tables {
        let mut leaf_columns = Vec::new();
        columns(&table.columns, &mut Vec::new(), &mut leaf_columns);
        let mut leaf_rows = Vec::new();
        rows(&table.rows, &mut Vec::new(), &mut leaf_rows);
        for (row, cells) in leaf_rows {
            for (column, cell) in leaf_columns.iter().zip(cells) {
                let value = match cell.state {
                    gdr::model::CellState::Blank => None,
                    gdr::model::CellState::Unknown => Some("?".to_string()),
                    _ => cell.value().map(str::to_string),
                };
                out.push((
                    table.title.clone().unwrap_or_default(),
                    row.clone(),
                    column.clone(),
                    value,
                ));
            }
        }
    }
    out
}

fn compiled(name: &str, source: &str) -> gdr::Compilation {
    let compilation = gdr::compile(&SourceFile::new(name, source.to_string()));
    let errors: Vec<String> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| diagnostic.message.render(Lang::En))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{source}");
    compilation
}

fn same(a: &str, b: &str) -> bool {
    gdr::import::label::same(a, b)
}

#[test]
fn the_county_page_imports_as_its_readme_says() {
    let imported =
        gdr::import::import(COUNTY_PAGE, "shuyang-fagaiju-2023.html", None).expect("imports");
    assert_eq!(imported.library, "gov_disclosure_2021");
    let out = &imported.source;
    assert_eq!(&gdr::format::format(out), out, "in fmt form");
    insta::assert_snapshot!("import-shuyang-fagaiju-2023", out);
    // One warning: the 2019 label, read as the 2021 row.
    let warnings: Vec<(gdr::diagnostics::Code, Option<usize>, String)> = imported
        .warnings
        .iter()
        .map(|warning| (warning.code, warning.line, warning.message.render(Lang::En)))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].0, gdr::diagnostics::Code::ImportGuess);
    assert_eq!(warnings[0].1, Some(281), "the line of the row on the page");
    assert_eq!(
        imported.warnings[0].column,
        Some(7),
        "the column of the row's first cell, `<td`, on that line"
    );
    assert!(
        warnings[0].2.contains("“规范性文件”") && warnings[0].2.contains("“行政规范性文件”"),
        "{warnings:?}"
    );
    assert!(
        out.contains("// 页面印的是另一版表式的行标签“规范性文件”"),
        "{out}"
    );

    let compilation = compiled("imported.gdr", out);
    let header = &compilation.report.header;
    assert_eq!(header.title, "沭阳县发展和改革局2023年政府信息公开年度报告");
    assert_eq!(header.agency, "沭阳县发展和改革局");
    assert_eq!(header.year, 2023);
    assert_eq!(header.published.as_deref(), Some("2024-01-17"));
    assert_eq!(header.issuer, "department");

    // Every cell as printed, and no other.
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("import/shuyang-fagaiju-2023.expected.json"))
            .expect("json");
    assert_eq!(expected["form"], "gov_disclosure_2021");
    let forms = gdr::import::forms::load("gov_disclosure_2021").expect("library");
    let cells = cells_of(&compilation.report);
    let mut compared = 0;
    for (form_name, rows) in expected["tables"].as_object().expect("tables") {
        let form = forms
            .iter()
            .find(|form| &form.name == form_name)
            .expect("a form of the library");
        for (row_label, columns) in rows.as_object().expect("rows") {
            // The page's 2019 label is the 2021 form's 行政规范性文件.
            let row_label = match row_label.as_str() {
                "规范性文件" => "行政规范性文件",
                // The row without a label (复议诉讼情况's) by its name.
                "" => "件数",
                label => label,
            };
            for (column_path, value) in columns.as_object().expect("columns") {
                let column_path: Vec<&str> = column_path.split('/').collect();
                let found: Vec<&Option<String>> = cells
                    .iter()
                    .filter(|(title, row, column, _)| {
                        title == &form.title
                            && row.last().is_some_and(|label| same(label, row_label))
                            && column.len() >= column_path.len()
                            && column[column.len() - column_path.len()..]
                                .iter()
                                .zip(&column_path)
                                .all(|(a, b)| same(a, b))
                    })
                    .map(|(_, _, _, value)| value)
                    .collect();
                assert_eq!(found.len(), 1, "{form_name} {row_label} {column_path:?}");
                assert_eq!(
                    found[0].as_deref(),
                    value.as_str(),
                    "{form_name} {row_label} {column_path:?}"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(
        compared,
        cells.len(),
        "the imported report has no other cell"
    );
    // The prose restates 本年新收 总计 (26) and breaks its 249 pieces of
    // information down: both are bound, and both hold.
    assert!(out.contains("expect 申请.新收[总计] == 26 件"), "{out}");
    assert!(
        out.contains("expect 249 条 == 9 条 + 7 条 + 39 条"),
        "{out}"
    );
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        compilation.diagnostics
    );
}

#[test]
fn a_gbk_copy_of_the_page_imports_identically() {
    let utf8 = gdr::import::import(COUNTY_PAGE, "page.html", None).expect("imports");
    let gbk = gdr::import::import(
        include_bytes!("import/shuyang-fagaiju-2023.gbk.html"),
        "page.html",
        None,
    )
    .expect("imports");
    assert_eq!(gbk, utf8);
}

#[test]
fn a_page_pasted_from_word_imports_cell_by_cell() {
    let imported = gdr::import::import(
        include_bytes!("import/county-2019-word.gbk.html"),
        "county-2019-word.gbk.html",
        None,
    )
    .expect("imports");
    assert_eq!(imported.library, "gov_disclosure_2019");
    let out = &imported.source;
    assert_eq!(&gdr::format::format(out), out, "in fmt form");
    insta::assert_snapshot!("import-county-2019-word", out);
    compiled("imported.gdr", out);
    // The header: the metadata's date, a government's office.
    assert!(out.contains("published 2020-01-21"), "{out}");
    assert!(out.contains("issuer    government"), "{out}");
    // Quotes and braces of the prose, escaped.
    assert!(out.contains(r#"\{占位\} 与 \"引号\""#), "{out}");
    // A remark is the cell's note, a unit stays, a sign too.
    assert!(out.contains(r#"[22 "其中修订16件", 20, 135]"#), "{out}");
    assert!(out.contains("77180.86 万元"), "{out}");
    assert!(out.contains("[1203, -12, 45678]"), "{out}");
    assert!(
        out.contains("?] // 页面原文：上一年项目数量“/”，本年增/减“—”，处理决定数量“无”"),
        "{out}"
    );
    // Rows numbered otherwise (1、, (一)) or not at all are found. The row
    // the form lacks is reported, not dropped silently; the table split in
    // two with its header repeated is one table.
    let warnings: Vec<(gdr::diagnostics::Code, String)> = imported
        .warnings
        .iter()
        .map(|warning| (warning.code, warning.message.render(Lang::En)))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].0, gdr::diagnostics::Code::ImportExtra);
    assert!(warnings[0].1.contains("行政检查"), "{warnings:?}");
    assert_eq!(out.matches("= 申请处理情况").count(), 1, "{out}");
}

/// `gdr build -f html` of every example, imported again, gives the same
/// cells (a formula's value is imported as the number it printed).
#[test]
fn every_example_built_as_html_imports_back_to_its_cells() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut round_trips = 0;
    for entry in std::fs::read_dir(&dir).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|extension| extension != "gdr") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("readable");
        let original = gdr::compile_with(
            &SourceFile::new(path.to_string_lossy(), source),
            &gdr::project::FileLoader::for_input(&path),
        );
        if original
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
        {
            continue; // `gdr build` refuses it
        }
        let html = gdr::render::render(&original.report, gdr::render::Format::Html);
        let imported = gdr::import::import(html.as_bytes(), "built.html", None)
            .unwrap_or_else(|failure| panic!("{}: {failure:?}", path.display()));
        let again = gdr::compile(&SourceFile::new("again.gdr", imported.source.clone()));
        let before = cells_of(&original.report);
        let after = cells_of(&again.report);
        let differ: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(before, after)| before != after)
            .collect();
        assert!(
            differ.is_empty() && before.len() == after.len(),
            "{}: {differ:#?}\n{}",
            path.display(),
            imported.source
        );
        assert_eq!(again.report.header.title, original.report.header.title);
        assert_eq!(again.report.header.agency, original.report.header.agency);
        round_trips += 1;
    }
    assert!(round_trips >= 3, "{round_trips} examples");
}

#[test]
fn bad_pages_are_clear_errors_and_write_nothing() {
    let dir = std::env::temp_dir().join(format!("gdr-import-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import");
    // The county page, cut off in the middle of its second table (a save
    // interrupted).
    let text = std::str::from_utf8(COUNTY_PAGE).expect("UTF-8");
    let cut = text.find("国家秘密").expect("in the page");
    std::fs::write(dir.join("cut_off_page.html"), &text[..cut]).expect("written");
    std::fs::copy(
        fixtures.join("e0602_news_page.html"),
        dir.join("e0602_news_page.html"),
    )
    .expect("copied");
    for (name, says) in [
        ("cut_off_page.html", "error[E0601]"),
        ("e0602_news_page.html", "error[E0602]"),
    ] {
        let output = gdr(&["import", name, "-o", "x.gdr"], &dir);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(!dir.join("x.gdr").exists(), "{name}: nothing is written");
    }
    // The cut-off page says where the unfinished table starts.
    let output = gdr(&["import", "cut_off_page.html", "-o", "-"], &dir);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cut_off_page.html:372:"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Any bytes an HTML page could hold import or fail cleanly.
#[test]
fn broken_pages_never_panic() {
    let page = String::from_utf8_lossy(COUNTY_PAGE).into_owned();
    let mut rng = fastrand::Rng::with_seed(12);
    for _ in 0..200 {
        let mut text = page.clone().into_bytes();
        for _ in 0..rng.usize(1..20) {
            let at = rng.usize(..text.len());
            match rng.u8(..4) {
                0 => text.truncate(at),
                1 => text.insert(at, b'<'),
                2 => text.insert(at, b'>'),
                _ => {
                    let end = (at + rng.usize(..400)).min(text.len());
                    text.drain(at..end);
                }
            }
            if text.is_empty() {
                break;
            }
        }
        let _ = gdr::import::import(&text, "page.html", None);
    }
    for text in [
        "<html>",
        "<html><table><tr><td colspan=999999 rowspan=99999>第二十条第（一）项</td></tr></table>",
        "<html><p>&#xFFFFFF;&#0;&amp</p><!--",
        "<html><script>",
        "<html><td><td></tr></table></table><p>",
        &"<div><font>".repeat(100_000),
    ] {
        let _ = gdr::import::import(text.as_bytes(), "page.html", None);
    }
}

/// An import problem points at the line and column of the input where the
/// input has them: the row's first cell, after its tab, in pasted text.
#[test]
fn a_warning_points_at_the_line_and_column_of_its_row() {
    let text = include_bytes!("import/w0602_own_row.txt");
    let imported = gdr::import::import(text, "w0602_own_row.txt", None).expect("imports");
    let extra = imported
        .warnings
        .iter()
        .find(|warning| warning.code == gdr::diagnostics::Code::ImportExtra)
        .expect("the row the form lacks");
    assert_eq!((extra.line, extra.column), (Some(20), Some(2)));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args([
            "import",
            "--lang",
            "en",
            "tests/import/w0602_own_row.txt",
            "-o",
            "-",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("gdr runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning[W0602]: tests/import/w0602_own_row.txt:20:2: a row of the table"),
        "{stderr}"
    );
}
