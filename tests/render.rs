//! The four output formats: snapshots of every example that builds, the
//! JSON schema, escaping of hostile text, and (where the tools are
//! installed) a real Typst → PDF run.
//!
//! Tests that need outside tools (Python's `typst` package, `pdftotext`,
//! `pdffonts`) say plainly that they skipped when a tool is missing, unless
//! `GDR_REQUIRE_TOOLS=1` is set (as `.ci/run` does): then a missing tool
//! fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use gdr::SourceFile;
use gdr::render::{self, Format};

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/tools.rs"]
mod tools;

use hostile::{HOSTILE, hostile_report};
use tools::{require_tools, run};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The examples that build (no errors), with their reports.
fn buildable_examples() -> Vec<(String, gdr::model::Report)> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gdr"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let compilation = compile_example(&path);
        if !compilation.has_errors() {
            out.push((name, compilation.report));
        }
    }
    assert!(!out.is_empty(), "no example builds");
    out
}

fn compile_example(path: &Path) -> gdr::Compilation {
    let source = SourceFile::new(
        path.display().to_string(),
        std::fs::read_to_string(path).expect("readable"),
    );
    gdr::compile_with(&source, &gdr::project::FileLoader::for_input(path))
}

fn compile(text: &str) -> gdr::model::Report {
    let compilation = gdr::compile(&SourceFile::new("test.gdr", text));
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    compilation.report
}

/// The report as `gdr-report/1` JSON, parsed.
fn json_of(report: &gdr::model::Report) -> serde_json::Value {
    serde_json::from_str(&render::render(report, Format::Json)).expect("JSON")
}

#[test]
fn snapshots_of_every_buildable_example() {
    for (name, report) in buildable_examples() {
        for format in Format::ALL {
            let mut text = render::render(&report, format);
            if format == Format::Json {
                text = text.replace(
                    concat!("\"gdr ", env!("CARGO_PKG_VERSION"), "\""),
                    "\"gdr [version]\"",
                );
            }
            insta::assert_snapshot!(format!("{name}.{}", format.extension()), text);
        }
    }
}

#[test]
fn json_follows_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/gdr-report-1.schema.json")).expect("schema"),
    )
    .expect("the schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("gdr-report-1.schema.json", schema)
        .expect("schema resource");
    let index = compiler
        .compile("gdr-report-1.schema.json", &mut schemas)
        .expect("the schema compiles");
    let mut reports = buildable_examples();
    reports.push(("hostile".into(), compile(&hostile_report())));
    for (name, report) in reports {
        let json: serde_json::Value =
            serde_json::from_str(&render::render(&report, Format::Json)).expect("JSON");
        if let Err(error) = schemas.validate(&json, index) {
            panic!("{name}: the JSON output does not follow the schema: {error}");
        }
        assert_eq!(json["format"], "gdr-report/1");
    }
}

#[test]
fn json_cells_are_exact_decimal_strings() {
    let report = compile(
        "report { title \"t\" agency \"a\" year 2020 }\ntable t { columns { a unit 元 b unit 元 c unit 元 = a + b } rows { r [0.1, 0.2, auto] s [77180.86万元, -, ?] } }\n",
    );
    let json = json_of(&report);
    let r = &json["tables"][0]["rows"][0]["cells"];
    assert_eq!(r[2]["value"], "0.3", "0.1 + 0.2 is exactly 0.3");
    assert_eq!(r[2]["state"], "derived");
    assert_eq!(r[2]["derived"], true);
    let s = &json["tables"][0]["rows"][1]["cells"];
    assert_eq!(s[0]["value"], "77180.86");
    assert_eq!(
        s[0]["unit"], "万元",
        "a money cell keeps the unit it was written in"
    );
    assert_eq!(s[0]["text"], "77180.86万元");
    assert_eq!(s[1]["value"], serde_json::Value::Null);
    assert_eq!(s[1]["state"], "blank");
    assert_eq!(
        s[2]["state"], "derived",
        "a `?` under a formula takes the derived value"
    );
    assert_eq!(s[2]["value"], "771808600");
}

#[test]
fn html_is_standalone_escaped_and_merges_headers() {
    let report = compile(&hostile_report());
    let html = render::render(&report, Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(!html.contains("<script>"), "user text must be escaped");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(html.contains("colspan="));
    assert!(html.contains("rowspan="));
    assert!(html.contains("size: A4"));
}

#[test]
fn derived_cells_are_shaded_only_in_drafts() {
    let draft = render::Options { draft: true };
    let mut shaded = false;
    for (name, report) in buildable_examples() {
        let public = render::render(&report, Format::Html);
        assert!(
            !public.contains("derived"),
            "{name}: the public page shows the tool"
        );
        assert!(!public.contains("gdr 按公式计算"), "{name}");
        let html = render::render_with(&report, Format::Html, draft);
        if html.contains("<td class=\"num derived\" title=\"由 gdr 按公式计算\">") {
            assert!(html.contains("td.derived { background:"), "{name}");
            shaded = true;
        }
        for format in [Format::Markdown, Format::Json, Format::Typst] {
            assert_eq!(
                render::render_with(&report, format, draft),
                render::render(&report, format),
                "{name}: only the HTML has a draft"
            );
        }
    }
    assert!(shaded, "no example has a derived cell to shade");
}

/// The CSS rules of an HTML page whose selector names `class` on `tag`:
/// `(selector, declarations)`.
fn css_rules<'a>(html: &'a str, tag: &str, class: &str) -> Vec<(&'a str, &'a str)> {
    let style = &html[html.find("<style>").expect("style")..html.find("</style>").expect("/style")];
    style
        .split('}')
        .filter_map(|rule| rule.rsplit_once('{'))
        .map(|(selector, body)| (selector.trim(), body))
        .filter(|(selector, _)| {
            selector.split(',').any(|one| {
                let one = one.trim();
                one == format!("{tag}.{class}") || one == format!(".{class}") || one == tag
            })
        })
        .collect()
}

/// Whether a CSS rule for `class` on `tag` declares `declaration`.
fn css_declares(html: &str, tag: &str, class: &str, declaration: &str) -> bool {
    css_rules(html, tag, class)
        .iter()
        .any(|(_, body)| body.contains(declaration))
}

#[test]
fn html_numbers_never_wrap_and_tables_scroll_in_their_own_box() {
    for (name, report) in buildable_examples() {
        let html = render::render(&report, Format::Html);
        let cells = html.matches("<td").count();
        assert!(cells > 0);
        assert_eq!(
            html.matches("<td class=\"num").count(),
            cells,
            "{name}: every value cell is a number cell"
        );
        assert!(
            css_declares(&html, "td", "num", "white-space: nowrap"),
            "{name}: numbers must not wrap"
        );
        for (selector, body) in css_rules(&html, "td", "num")
            .into_iter()
            .chain(css_rules(&html, "table", "x"))
            .chain(css_rules(&html, "td", "x"))
        {
            assert!(
                !body.contains("overflow-wrap: anywhere") && !body.contains("word-break"),
                "{name}: `{selector}` lets a number break"
            );
        }
        let tables = html.matches("<table").count();
        assert_eq!(
            html.matches("<div class=\"scroll\">\n<table style=\"min-width: ")
                .count(),
            tables,
            "{name}: every table scrolls in its own box, with a minimum width"
        );
        assert!(
            css_declares(&html, "div", "scroll", "overflow-x: auto"),
            "{name}"
        );
    }
}

/// The report of `examples/county-2021.gdr`, on the 2021 format library.
fn county_2021() -> gdr::model::Report {
    let compilation = compile_example(&root().join("examples/county-2021.gdr"));
    assert!(!compilation.has_errors(), "county-2021 builds");
    compilation.report
}

#[test]
fn print_keeps_a_row_group_with_its_label() {
    let report = county_2021();
    // HTML: the rows of 「三、本年度办理结果」 are one `tbody` (its label
    // spans them); print keeps each row of a group with the next one of the
    // same group, so a group breaks from the page only as a whole.
    let html = render::render(&report, Format::Html);
    let group = html
        .split("<tbody>")
        .find(|section| section.contains("三、本年度办理结果"))
        .expect("the group");
    let group = &group[..group.find("</tbody>").expect("its end")];
    assert!(group.contains("rowspan=\"22\""));
    let rows: Vec<&str> = group.split("<tr").skip(1).collect();
    assert_eq!(rows.len(), 22);
    let kept: Vec<bool> = rows
        .iter()
        .map(|row| row.starts_with(" class=\"with-next\""))
        .collect();
    // （一）（二）, then （三） 8 rows, （四） 3, （五） 5, （六） 3, （七）.
    let mut expected = vec![true, true];
    for size in [8, 3, 5, 3] {
        expected.extend(std::iter::repeat_n(true, size - 1));
        expected.push(false);
    }
    expected[1] = false;
    expected.push(false);
    assert_eq!(kept, expected);
    assert!(css_declares(&html, "tr", "with-next", "break-after: avoid"));
    assert!(html.contains("@bottom-center { content: counter(page)"));
    // Typst: every label spanning rows in the body (a row group) is
    // unbreakable, so the rows it spans share a page.
    let typst = render::render(&report, Format::Typst);
    let body: Vec<&str> = typst
        .lines()
        .filter(|line| line.starts_with("    table.cell("))
        .collect();
    let groups: Vec<&&str> = body
        .iter()
        .filter(|line| !line.contains("rowspan: 1,"))
        .collect();
    assert_eq!(groups.len(), 5, "三 and its four groups: {groups:#?}");
    for line in groups {
        assert!(line.contains("breakable: false"), "{line}");
    }
    assert_eq!(typst.matches("breakable: false, align").count(), 5);
}

#[test]
fn a_web_address_breaks_anywhere_and_stays_text() {
    let report = compile(
        "report { title \"t\" agency \"a\" year 2020 }\nsection \"s\" { \"见网站 https://x.cn/a\\\"b<i>{1}</i>，或致电。\" }\n",
    );
    let html = render::render(&report, Format::Html);
    assert!(html.contains(
        "见网站 <a class=\"url\" href=\"https://x.cn/a&#34;b&#60;i&#62;1&#60;/i&#62;\">https://x.cn/a&#34;b&#60;i&#62;1&#60;/i&#62;</a>，或致电。"
    ), "{html}");
    assert!(!html.contains("<i>"));
    assert!(css_declares(&html, "a", "url", "overflow-wrap: anywhere"));
    let typst = render::render(&report, Format::Typst);
    assert!(typst.contains(
        "#\"见网站 \"#link(\"https://x.cn/a\\\"b<i>1</i>\", \"https://x.cn/a\\\"b<i>1</i>\")#\"，或致电。\""
    ), "{typst}");
}

/// The rows spanned by each unbreakable cell labelled `label` in Typst.
fn label_parts(typst: &str, label: &str) -> Vec<usize> {
    typst
        .lines()
        .filter(|line| line.ends_with(&format!("[#text(\"{label}\")],")))
        .map(|line| {
            assert!(line.contains("breakable: false"), "{line}");
            let span = line.split("rowspan: ").nth(1).expect("a rowspan");
            span[..span.find(',').expect(",")]
                .parse()
                .expect("a number")
        })
        .collect()
}

#[test]
fn typst_cuts_a_group_too_long_for_a_page_and_repeats_its_label() {
    // 80 rows in one group: parts that fit on a page, each under the label.
    let rows: String = (0..80).map(|i| format!("r{i} [{i}]\n")).collect();
    let report = compile(&format!(
        "report {{ title \"t\" agency \"a\" year 2020 }}\nsection \"s\" {{ table t {{ columns {{ a }} rows {{ g \"组\" {{ {rows} }} h \"短组\" {{ x [1] y [2] }} }} }} }}\n"
    ));
    let typst = render::render(&report, Format::Typst);
    let parts = label_parts(&typst, "组");
    assert!(parts.len() >= 2, "{typst}");
    assert_eq!(parts.iter().sum::<usize>(), 80);
    assert!(typst.contains("rowspan: 2, breakable: false, align"));
    // Subgroups are never cut: 40 groups of 3 rows under one label.
    let groups: String = (0..40)
        .map(|i| format!("s{i} \"（{i}）\" {{ a{i} [1] b{i} [2] c{i} [3] }}\n"))
        .collect();
    let report = compile(&format!(
        "report {{ title \"t\" agency \"a\" year 2020 }}\nsection \"s\" {{ table t {{ columns {{ a }} rows {{ g \"组\" {{ {groups} }} }} }} }}\n"
    ));
    let typst = render::render(&report, Format::Typst);
    let parts = label_parts(&typst, "组");
    assert!(parts.len() >= 2, "{typst}");
    assert!(parts.iter().all(|rows| rows % 3 == 0), "{parts:?}");
    assert_eq!(parts.iter().sum::<usize>(), 120);
}

#[test]
fn the_official_header_rows() {
    let report = county_2021();
    let html = render::render(&report, Format::Html);
    // 三: the corner spans three header rows, 「申请人情况」 the seven columns.
    assert!(html.contains("<th class=\"corner\" colspan=\"3\" rowspan=\"3\">"));
    assert!(html.contains("<th class=\"head\" colspan=\"7\">申请人情况</th>"));
    // 四: no row-label column; its one row holds the fifteen numbers only.
    let tables: Vec<&str> = html
        .split("<table")
        .skip(1)
        .map(|table| &table[..table.find("</table>").expect("its end")])
        .collect();
    let review = tables
        .iter()
        .find(|table| table.contains("行政复议"))
        .expect("四");
    assert!(!review.contains("corner"));
    assert!(review.contains("<tbody class=\"keep\">\n<tr><td"));
    // 二: one grid, a row across it before each item, 「信息内容」 heads.
    let items = tables
        .iter()
        .find(|table| table.contains("第二十条第（一）项"))
        .expect("二");
    for item in ["（一）", "（五）", "（六）", "（八）"] {
        assert!(items.contains(&format!(
            "<th class=\"item\" colspan=\"4\">第二十条第{item}项</th>"
        )));
    }
    assert_eq!(items.matches(">信息内容</th>").count(), 4);
    assert!(items.contains("<th class=\"head\" colspan=\"3\">本年处理决定数量</th>"));
    assert!(!html.contains("<figcaption>第二十条"));

    let typst = render::render(&report, Format::Typst);
    assert!(typst.contains("table.cell(colspan: 3, rowspan: 3, align: left + horizon"));
    assert!(typst.contains("table.cell(colspan: 7, rowspan: 1, align: center + horizon, text(weight: \"bold\", \"申请人情况\"))"));
    assert!(typst.contains("table.cell(colspan: 4, rowspan: 1, align: left + horizon)[#text(weight: \"bold\", \"第二十条第（八）项\")]"));
    assert_eq!(typst.matches("\"信息内容\"").count(), 4);

    let markdown = render::render(&report, Format::Markdown);
    assert!(
        markdown
            .contains("| 项目 | 申请人情况 / 自然人 | 申请人情况 / 法人或其他组织 / 商业企业 |")
    );
    assert!(
        markdown.contains("\n| 行政复议 / 结果维持 |"),
        "四 has no label column"
    );
    assert!(markdown.contains("| **第二十条第（一）项** |  |  |  |\n| --- | ---: | ---: | ---: |\n| **信息内容** | **本年制发件数** |"));
    assert!(!markdown.contains("| 项目 | 本年"));
}

#[test]
fn a_derived_count_is_shown_as_written() {
    let report = compile(
        "report { title \"t\" agency \"a\" year 2020 }\nunit 万人次 = 10000 人次\nsection \"一、总体情况\" {\n  let 访问 = 45.9 万人次\n  let 合计 = 访问 + 3 人次\n  \"访问{访问}，合计{合计}。\"\n}\n",
    );
    let markdown = render::render(&report, Format::Markdown);
    assert!(
        markdown.contains("访问45.9万人次，合计45.9003万人次。"),
        "{markdown}"
    );
}

#[test]
fn decimals_round_half_away_from_zero_and_are_all_shown() {
    let report = compile(
        "report { title \"t\" agency \"a\" year 2020 }\nsection \"一、总体情况\" {\n  let 经费 = 123.45675 万元\n  let 整数 = 25 万元\n  let 差 = 0 - 0.125\n  let 微 = 0 - 0.001\n  \"{经费:2}|{经费 as 元:num0}|{经费 as 元:1}|{整数:2}|{差:2}|{差:num1}|{微:num2}|{经费:0}\"\n}\n",
    );
    let json = json_of(&report);
    assert_eq!(
        json["body"][0]["body"][0]["text"],
        "123.46万元|1234568|1234567.5元|25.00万元|-0.13|-0.1|0.00|123万元",
        "{json}"
    );
}

#[test]
fn json_shows_a_percentage_check_as_percentages() {
    let report = compile(
        "report { title \"t\" agency \"a\" year 2020 }\nsection \"一、总体情况\" {\n  let 占比 = 1.68 %\n  expect 占比 == 70 件 / 3970 件\n  \"{占比}\"\n}\n",
    );
    let json = json_of(&report);
    let result = &json["checks"][0]["results"][0];
    assert_eq!(result["lhs"], "1.68%");
    assert_eq!(result["rhs"], "1.76%", "the ratio as the reader sees it");
    assert_eq!(result["holds"], false);
}

#[test]
fn json_names_the_file_of_a_form_check_and_reports_it_at_the_instance() {
    let json = json_of(&county_2021());
    let check = json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|check| !check["form"].is_null())
        .expect("a check from the form");
    assert_eq!(check["form"]["file"], "<gdr>/gov_disclosure_2021.gdr");
    let text = std::fs::read_to_string(root().join("examples/county-2021.gdr")).expect("example");
    let line = check["line"].as_u64().expect("line") as usize;
    let reported = text.lines().nth(line - 1).expect("a line of the report");
    assert!(
        reported.contains("table 申请 = 申请处理情况"),
        "reported at the instance, not at line {line} of the library: {reported}"
    );
}

#[test]
fn an_instance_carries_its_note_after_the_form_s() {
    let report = compile(
        "report { title \"t\" agency \"a\" year 2020 }\nform 经费 { unit 万元 note \"表式注\" columns { 金额 } rows { 合计 } }\nsection \"一、总体情况\" {\n  let 合计 = 12.5 万元\n  table 本年经费 = 经费 {\n    合计 [12.5]\n    note \"注：含{合计}。\"\n  }\n}\n",
    );
    assert_eq!(report.tables[0].notes, ["表式注", "注：含12.5万元。"]);
    let markdown = render::render(&report, Format::Markdown);
    assert!(markdown.contains("注：含12.5万元。"), "{markdown}");
}

#[test]
fn markdown_escapes_user_text() {
    let markdown = render::render(&compile(&hostile_report()), Format::Markdown);
    assert!(!markdown.contains("<script>"));
    assert!(markdown.contains(r"\<script\>alert(1)\</script\> \| \*b\* \_i\_ \[l\](u)"));
    // Every table row has exactly the columns of its header.
    for line in markdown.lines().filter(|line| line.starts_with('|')) {
        let separators = line.replace("\\|", "").matches('|').count();
        assert_eq!(separators, 5, "{line}");
    }
    assert!(markdown.contains("| 项目 | "));
    assert!(
        markdown.contains(r"| b / \<script\>"),
        "nested column heads are flattened"
    );
}

#[test]
fn typst_user_text_is_only_in_string_literals() {
    let typst = render::render(&compile(&hostile_report()), Format::Typst);
    // The hostile text appears only escaped, inside quotes.
    let escaped = gdr::render::typst::escape(HOSTILE);
    assert!(!typst.contains(HOSTILE));
    assert!(typst.contains(&format!("\"{escaped}\"")));
    assert!(!typst.contains("#panic(\"x\")"), "{typst}");
}

/// Typesets `typ` to a PDF with the PyPI `typst` package.
fn typeset(typ: &Path, pdf: &Path) -> Option<()> {
    let script = "import sys, typst\n\
                  pdf, warnings = typst.compile_with_warnings(sys.argv[1], output=sys.argv[2])\n\
                  bad = [w for w in warnings if 'unknown font family' not in str(w)]\n\
                  print('\\n'.join(str(w) for w in bad))\n";
    let probe = Command::new("python3")
        .args(["-c", "import typst"])
        .output();
    if !probe.as_ref().is_ok_and(|output| output.status.success()) {
        assert!(
            !require_tools(),
            "GDR_REQUIRE_TOOLS=1 but Python's `typst` package is missing"
        );
        eprintln!(
            "SKIPPED: Python's `typst` package is not installed (pip install typst); set GDR_REQUIRE_TOOLS=1 to require it"
        );
        return None;
    }
    let warnings = run(
        "python3",
        &["-c", script, &typ.to_string_lossy(), &pdf.to_string_lossy()],
    )?;
    assert!(warnings.trim().is_empty(), "typst warned: {warnings}");
    Some(())
}

#[test]
fn typst_typesets_to_a_pdf_with_cjk_text() {
    let dir = std::env::temp_dir().join(format!("gdr-typst-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, report) in buildable_examples() {
        let typ = dir.join(format!("{name}.typ"));
        let pdf = dir.join(format!("{name}.pdf"));
        std::fs::write(&typ, render::render(&report, Format::Typst)).expect("write");
        if typeset(&typ, &pdf).is_none() {
            return;
        }
        let Some(text) = run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"]) else {
            return;
        };
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            squeezed.contains(&report.header.title),
            "{name}: the title is not in the PDF"
        );
        let table = report
            .tables
            .iter()
            .find(|table| table.placed)
            .expect("a table");
        let label = &table.rows[0].label;
        assert!(
            squeezed.contains(label.as_str()),
            "{name}: the row label {label} is not in the PDF"
        );
        let derived = report
            .tables
            .iter()
            .flat_map(|table| table.rows.iter())
            .flat_map(|row| {
                row.cells
                    .iter()
                    .chain(row.children.iter().flat_map(|child| child.cells.iter()))
            })
            .find(|cell| cell.state == gdr::model::CellState::Derived && cell.text().len() > 1)
            .expect("a derived number of two digits");
        assert!(
            text.contains(&*derived.text()),
            "{name}: the derived number {} is not in the PDF",
            derived.text()
        );
        let Some(fonts) = run("pdffonts", &[&pdf.to_string_lossy()]) else {
            return;
        };
        assert!(
            fonts
                .lines()
                .any(|line| line.contains("CJK") || line.contains("WenQuanYi")),
            "{name}: no CJK font is embedded:\n{fonts}"
        );
    }
}

/// A report with a negative value in prose, a table's notes and a cell.
const NEGATIVE: &str = "report { title \"t\" agency \"a\" year 2021 }
section \"一、总体情况\" {
  let 经费 = 123.45675 万元
  let 去年 = 130 万元
  let 差 = 经费 - 去年
  \"本年经费{经费:2}，即增加{差:2}，2020-2021年。\"
  table 费 \"费用\" {
    unit 万元
    note \"差额{差:2}\"
    note \"差额{差 as 元:num0}元\"
    columns { 本年 上年 差 = 本年 - 上年 }
    rows { 合计 \"合计\" [123.4, 130, auto] }
  }
}
";

#[test]
fn a_value_keeps_its_unit_and_shows_a_true_minus() {
    let report = compile(NEGATIVE);
    let html = render::render(&report, Format::Html);
    assert!(
        html.contains(
            "本年经费<span class=\"value\">123.46万元</span>，即增加<span class=\"value\">\u{2212}6.54万元</span>，2020-2021年。"
        ),
        "{html}"
    );
    assert!(
        css_declares(&html, "span", "value", "white-space: nowrap"),
        "a value must not wrap"
    );
    assert!(
        html.contains("差额\u{2212}6.54万元</th>"),
        "the corner: {html}"
    );
    assert!(
        html.contains("注：差额<span class=\"value\">\u{2212}65433</span>元</p>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"num\">\u{2212}6.6</td>"),
        "{html}"
    );

    let typst = render::render(&report, Format::Typst);
    assert!(
        typst.contains("#\"本年经费\"#box(\"123.46万元\")#\"，即增加\"#box(\"\u{2212}6.54万元\")#\"，2020-2021年。\""),
        "{typst}"
    );
    assert!(
        typst.contains("#\"差额\"#box(\"\u{2212}65433\")#\"元\""),
        "{typst}"
    );
    assert!(typst.contains("\"\u{2212}6.6\""), "{typst}");

    let markdown = render::render(&report, Format::Markdown);
    assert!(
        markdown.contains("即增加\u{2212}6.54万元，2020-2021年。"),
        "{markdown}"
    );
    assert!(markdown.contains("| \u{2212}6.6 |"), "{markdown}");

    // JSON keeps the machine's minus.
    let json = render::render(&report, Format::Json);
    assert!(!json.contains('\u{2212}'), "{json}");
    assert!(json.contains("即增加-6.54万元"), "{json}");
}

#[test]
fn a_value_never_breaks_across_lines_in_the_pdf() {
    let values = "经费{差:2}，".repeat(40);
    let source = NEGATIVE.replace("2020-2021年。", &values);
    let report = compile(&source);
    let dir = std::env::temp_dir().join(format!("gdr-typst-values-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let typ = dir.join("values.typ");
    let pdf = dir.join("values.pdf");
    std::fs::write(&typ, render::render(&report, Format::Typst)).expect("write");
    if typeset(&typ, &pdf).is_none() {
        return;
    }
    let Some(text) = run("pdftotext", &[&pdf.to_string_lossy(), "-"]) else {
        return;
    };
    let value = "\u{2212}6.54万元";
    let whole = text
        .lines()
        .map(|line| line.replace(' ', "").matches(value).count())
        .sum::<usize>();
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(whole > 40, "{text}");
    assert_eq!(
        whole,
        squeezed.matches(value).count(),
        "a value broke across lines:\n{text}"
    );
}

#[test]
fn hostile_text_typesets_literally() {
    let dir = std::env::temp_dir().join(format!("gdr-typst-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let typ = dir.join("hostile.typ");
    let pdf = dir.join("hostile.pdf");
    std::fs::write(
        &typ,
        render::render(&compile(&hostile_report()), Format::Typst),
    )
    .expect("write");
    if typeset(&typ, &pdf).is_none() {
        return;
    }
    let Some(text) = run("pdftotext", &[&pdf.to_string_lossy(), "-"]) else {
        return;
    };
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let expected: String = HOSTILE.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed.contains(&expected),
        "the hostile text is not shown literally:\n{text}"
    );
}
