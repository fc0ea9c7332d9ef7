//! `gdr import` of Word `.docx` files and Markdown: the seed report
//! (tests/import/pingyuan-2020.txt) made into a .docx with the official
//! merged headers and into Markdown as a PDF-to-text tool gives it
//! (tests/import/make_docx.py) imports with the same prose and the same
//! table errors as the text; a .docx gdr cannot read is refused (E0601)
//! and nothing is written.

use std::collections::BTreeSet;

use gdr::SourceFile;
use gdr::diagnostics::{Lang, Severity};
use gdr::import::document::{Block, Cell, Document, Table};

const SEED: &str = include_str!("import/pingyuan-2020.txt");
const DOCX: &[u8] = include_bytes!("import/pingyuan-2020.docx");
const MARKDOWN: &str = include_str!("import/pingyuan-2020.md");

/// The errors `gdr check` finds in a report, by code and message.
fn errors(source: &str) -> BTreeSet<(String, String)> {
    gdr::compile(&SourceFile::new("imported.gdr", source.to_string()))
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

/// The imported report, checked against the import of the seed's text.
fn imports_like_the_text(bytes: &[u8], name: &str) -> gdr::import::Imported {
    let text = gdr::import::import_text(SEED, None).expect("the text imports");
    let text_errors = errors(&text.source);
    assert_eq!(text_errors.len(), 9, "{text_errors:#?}");
    for library in [None, Some("gov_disclosure_2019")] {
        let imported = gdr::import::import(bytes, name, library).expect("imports");
        assert_eq!(imported.library, "gov_disclosure_2019");
        let out = &imported.source;
        assert_eq!(&gdr::format::format(out), out, "in fmt form");
        for header in [
            ["title", "\"平原示范区2020年度政府信息公开工作年度报告\""],
            ["agency", "\"新乡市平原城乡一体化示范区管理委员会\""],
            ["year", "2020"],
            ["published", "2021-01-10"],
        ] {
            assert!(
                out.lines()
                    .any(|line| line.split_whitespace().eq(header.iter().copied())),
                "{header:?}: {out}"
            );
        }
        assert_eq!(errors(out), text_errors, "{name}");
    }
    gdr::import::import(bytes, name, None).expect("imports")
}

/// The headings and paragraphs of a document, in order.
fn prose(document: &Document) -> Vec<(Option<u8>, String)> {
    document
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { level, text, .. } => Some((Some(*level), text.clone())),
            Block::Paragraph { text, .. } => Some((None, text.clone())),
            Block::Table(_) => None,
        })
        .collect()
}

fn tables(document: &Document) -> Vec<&Table> {
    document
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(table),
            _ => None,
        })
        .collect()
}

fn find<'t>(table: &'t Table, text: &str) -> &'t Cell {
    table
        .rows
        .iter()
        .flatten()
        .find(|cell| cell.text == text)
        .unwrap_or_else(|| panic!("no cell {text}"))
}

#[test]
fn the_docx_imports_with_the_prose_and_table_errors_of_the_text() {
    let imported = imports_like_the_text(DOCX, "pingyuan-2020.docx");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn the_docx_keeps_the_paragraphs_verbatim_and_the_merges_as_html_has_them() {
    let document = gdr::import::read(DOCX, "pingyuan-2020.docx").expect("reads");
    let text = gdr::import::read(SEED.as_bytes(), "pingyuan-2020.txt").expect("reads");
    assert_eq!(prose(&document), prose(&text));

    let tables = tables(&document);
    assert_eq!(tables.len(), 3);
    // 二: a form's title spans the four columns; 本年增/减 of (八) two.
    let title = find(tables[0], "第二十条第（一）项");
    assert_eq!((title.colspan, title.rowspan), (4, 1));
    assert_eq!(find(tables[0], "本年新\n制作数量").colspan, 1);
    let fee = tables[0]
        .rows
        .iter()
        .find(|row| row[0].text == "行政事业性收费")
        .expect("the row 行政事业性收费");
    let cells: Vec<(&str, u32)> = fee
        .iter()
        .map(|cell| (cell.text.as_str(), cell.colspan))
        .collect();
    assert_eq!(cells, vec![("行政事业性收费", 1), ("", 1), ("1", 2)]);

    // 三: the official header, each merged cell listed once, where it starts.
    let three = tables[1];
    let rule = &three.rows[0][0];
    assert!(rule.text.starts_with("（本列数据的勾稽关系"));
    assert_eq!((rule.colspan, rule.rowspan), (3, 3));
    let header: Vec<Vec<(&str, u32, u32)>> = three.rows[..3]
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| (cell.text.as_str(), cell.colspan, cell.rowspan))
                .collect()
        })
        .collect();
    assert_eq!(header[0][1], ("申请人情况", 7, 1));
    assert_eq!(
        header[1],
        vec![("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)]
    );
    assert_eq!(header[2].len(), 5);
    assert_eq!(find(three, "三、本年度办理结果").rowspan, 20);
    assert_eq!(find(three, "（三）不予公开").rowspan, 8);
    assert_eq!(find(three, "（四）无法提供").rowspan, 3);
    assert_eq!(find(three, "（六）其他处理").colspan, 2);
    assert_eq!(find(three, "一、本年新收政府信息公开申请数量").colspan, 3);
    // Every row covers the ten grid columns once the merges are expanded.
    let mut covered = vec![0u32; three.rows.len()];
    for (index, row) in three.rows.iter().enumerate() {
        for cell in row {
            for below in &mut covered[index..index + cell.rowspan as usize] {
                *below += cell.colspan;
            }
        }
    }
    assert!(covered.iter().all(|columns| *columns == 10), "{covered:?}");

    // 四: 行政复议's outcomes span the two lower header rows.
    let four = tables[2];
    assert_eq!(
        (four.rows[0][1].text.as_str(), four.rows[0][1].colspan),
        ("行政诉讼", 10)
    );
    assert!(four.rows[1][..5].iter().all(|cell| cell.rowspan == 2));
    assert_eq!(four.rows[2].len(), 10);
    assert_eq!(four.rows[3].len(), 15);

    // Lines are paragraph indices: increasing, those of cells included.
    let lines: Vec<usize> = document
        .blocks
        .iter()
        .flat_map(|block| match block {
            Block::Heading { line, .. } | Block::Paragraph { line, .. } => vec![*line],
            Block::Table(table) => table
                .rows
                .iter()
                .flatten()
                .filter(|cell| !cell.text.is_empty())
                .map(|cell| cell.line)
                .collect(),
        })
        .collect();
    assert!(lines.windows(2).all(|pair| pair[0] < pair[1]), "{lines:?}");
}

#[test]
fn the_markdown_imports_with_the_prose_and_table_errors_of_the_text() {
    imports_like_the_text(MARKDOWN.as_bytes(), "pingyuan-2020.md");
    let document = gdr::import::read(MARKDOWN.as_bytes(), "pingyuan-2020.md").expect("reads");
    let text = gdr::import::read(SEED.as_bytes(), "pingyuan-2020.txt").expect("reads");
    // The title printed on one line; every line of prose else the same,
    // but for the spaces a PDF loses where it breaks a line.
    let squeeze = |prose: Vec<(Option<u8>, String)>| -> Vec<(Option<u8>, String)> {
        prose
            .into_iter()
            .map(|(level, text)| (level, text.split_whitespace().collect()))
            .collect()
    };
    let mut expected = squeeze(prose(&text));
    let second = expected.remove(1);
    expected[0].1.push_str(&second.1);
    assert_eq!(squeeze(prose(&document)), expected);
    // 二 printed as one table per item, then 三 and 四.
    let tables = tables(&document);
    assert_eq!(tables.len(), 7);
    assert!(
        tables
            .iter()
            .flat_map(|table| table.rows.iter().flatten())
            .all(|cell| cell.colspan == 1 && cell.rowspan == 1)
    );
    // Each a rectangular grid, so that a header's labels stand over the
    // values they name.
    assert!(tables.iter().all(|table| {
        table
            .rows
            .iter()
            .all(|row| row.len() == table.rows[0].len())
    }));
    assert_eq!(tables[5].rows[0].len(), 10);
    assert_eq!(find(tables[0], "本年新\n制作数量").line, 98);
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
fn a_docx_gdr_cannot_read_is_refused_and_nothing_is_written() {
    let dir = std::env::temp_dir().join(format!("gdr-import-docx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let fixture = |name: &str| {
        std::fs::read(format!(
            "{}/tests/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
    };
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(4096, 0);
    for (name, bytes, says) in [
        ("truncated.docx", DOCX[..DOCX.len() / 2].to_vec(), "damaged"),
        (
            "not-word.docx",
            fixture("e0601_not_word.docx").expect("fixture"),
            "not a Word document",
        ),
        (
            "bomb.docx",
            fixture("e0601_zip_bomb.docx").expect("fixture"),
            "more than 64 MiB",
        ),
        ("encrypted.docx", encrypted, "encrypted"),
    ] {
        std::fs::write(dir.join(name), bytes).expect("input");
        let output = gdr(&["import", name, "-o", "x.gdr"], &dir);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains("error[E0601]"), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(!dir.join("x.gdr").exists(), "{name}: nothing is written");
    }
    // The fixture itself imports through the command line.
    std::fs::write(dir.join("report.docx"), DOCX).expect("input");
    let output = gdr(&["import", "report.docx", "-o", "-"], &dir);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("use gov_disclosure_2019"));
    let _ = std::fs::remove_dir_all(&dir);
}
