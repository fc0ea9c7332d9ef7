//! `gdr import` binds the prose to the tables: a figure the prose restates
//! becomes an `expect` on its cell, and a total followed by its breakdown
//! an `expect` that the total is the sum, each below its paragraph with
//! the sentence quoted. A disagreement is a warning (W0105), never an
//! error: the error set of the import is the same with and without them.

use std::collections::BTreeSet;

use gdr::SourceFile;
use gdr::diagnostics::{Code, Diagnostic, Lang, Severity};

const SEED: &str = include_str!("import/pingyuan-2020.txt");

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    gdr::compile(&SourceFile::new("imported.gdr", text.to_string())).diagnostics
}

/// The errors by code and message (which names the cell), not by line.
fn errors(text: &str) -> BTreeSet<(String, String)> {
    diagnostics(text)
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

/// The lines (trimmed) of the `expect`s that failed.
fn failed_expects(text: &str) -> Vec<String> {
    diagnostics(text)
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::ExpectFailed)
        .map(|diagnostic| {
            let label = diagnostic
                .labels
                .iter()
                .find(|label| label.primary)
                .expect("a primary label");
            let start = label.span.range().start;
            let line_start = text[..start].rfind('\n').map_or(0, |k| k + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |k| start + k);
            text[line_start..line_end].trim().to_string()
        })
        .collect()
}

/// The import of `text` without the prose bound, and with it.
fn both(text: &str) -> (String, String) {
    let unbound = gdr::import::map::to_gdr(&gdr::import::text::read(text), None)
        .expect("imports")
        .source;
    let bound = gdr::import::import_text(text, None)
        .expect("imports")
        .source;
    assert_eq!(gdr::import::prose::bind(&unbound), bound);
    assert_eq!(gdr::format::format(&bound), bound, "in fmt form");
    (unbound, bound)
}

#[test]
fn the_seed_breakdown_is_an_expect_that_catches_1624() {
    let (unbound, bound) = both(SEED);
    assert!(
        bound.contains(
            "救助资金17.5万元。\"\n  // 原文：“围绕推进精准脱贫公开信息1624条。其中上墙公示扶贫信息1599条，网上公示扶贫信息24条。”\n  expect 1624 条 == 1599 条 + 24 条\n}\n"
        ),
        "{bound}"
    );
    // 共计5345余次 is approximate: no expect.
    assert_eq!(bound.matches("expect").count(), 1, "{bound}");
    assert_eq!(
        failed_expects(&bound),
        vec!["expect 1624 条 == 1599 条 + 24 条"]
    );
    let failed = diagnostics(&bound)
        .into_iter()
        .find(|diagnostic| diagnostic.code == Code::ExpectFailed)
        .expect("W0105");
    assert_eq!(failed.severity, Severity::Warning);
    assert!(
        failed
            .notes
            .iter()
            .any(|note| note.render(Lang::En).contains("1624 == 1623")),
        "{failed:?}"
    );
    assert_eq!(errors(&bound), errors(&unbound));
    assert_eq!(errors(&bound).len(), 9);
}

#[test]
fn restated_figures_are_tied_to_their_cells() {
    // The seed, with the prose many reports have in sections 三 and 四.
    let text = SEED
        .replacen(
            "三、收到和处理政府信息公开申请情况\n",
            "三、收到和处理政府信息公开申请情况\n本年度共收到政府信息公开申请16件，其中予以公开13件，部分公开1件，结转下年度继续办理1件。\n",
            1,
        )
        .replacen(
            "四、政府信息公开行政复议、行政诉讼情况\n",
            "四、政府信息公开行政复议、行政诉讼情况\n本年度发生政府信息公开行政复议3件，行政诉讼2件。\n",
            1,
        );
    let (unbound, bound) = both(&text);
    for expect in [
        "  // 原文：“本年度共收到政府信息公开申请16件，其中予以公开13件，部分公开1件，结转下年度继续办理1件。”\n  expect 申请.新收[总计] == 16 件\n  expect 申请.办理.予以公开[总计] == 13 件\n  expect 申请.办理.部分公开[总计] == 1 件\n  expect 申请.结转下年[总计] == 1 件\n",
        "  // 原文：“本年度发生政府信息公开行政复议3件，行政诉讼2件。”\n  expect 复议诉讼.件数[行政复议.总计] == 3 件\n  expect 复议诉讼.件数[行政诉讼.未经复议直接起诉.总计] + 复议诉讼.件数[行政诉讼.复议后起诉.总计] == 2 件\n",
    ] {
        assert!(bound.contains(expect), "{expect}\n{bound}");
    }
    // The page left the 总计 column at 0, so the prose disagrees with every
    // 总计 of 申请; 行政复议 agrees (3); the table has no 行政诉讼 (0, not 2).
    assert_eq!(
        failed_expects(&bound),
        vec![
            "expect 1624 条 == 1599 条 + 24 条",
            "expect 申请.新收[总计] == 16 件",
            "expect 申请.办理.予以公开[总计] == 13 件",
            "expect 申请.办理.部分公开[总计] == 1 件",
            "expect 申请.结转下年[总计] == 1 件",
            "expect 复议诉讼.件数[行政诉讼.未经复议直接起诉.总计] + 复议诉讼.件数[行政诉讼.复议后起诉.总计] == 2 件",
        ]
    );
    assert_eq!(errors(&bound), errors(&unbound));
}

/// A 2021 report whose prose agrees with its tables: the expects hold.
const REPORT_2021: &str = r#"report {
  title  "某局2023年政府信息公开年度报告"
  agency "某局"
  year   2023
}

use gov_disclosure_2021

section "一、总体情况" {
  "2023年度我局共收到依申请信息公开26件，及时回复申请人。本年度制发规章0件、行政规范性文件3件。"
  "全年共审核发布各类公开政府信息249条，其中：发布行政公文和政策解读信息9条；机构设置和人事任免信息7条；重点工作39条；财政预决算信息6条；信息公开年度报告1条；政府信息公开指南1条；政府网站信息185条；政府信息公开制度1条。全年受理网络问政182件。"
}

section "二、主动公开政府信息情况" {
  table 第一项 = 第二十条第一项 {
    规章           [0, 0, 0]
    行政规范性文件 [3, 0, 5]
  }
}

section "三、收到和处理政府信息公开申请情况" {
  table 申请 = 申请处理情况 {
    新收          [26, 0, 0, 0, 0, 0, 26]
    办理.予以公开 [26, 0, 0, 0, 0, 0, 26]
    办理.总计     [26, 0, 0, 0, 0, 0, 26]
    rest 0
  }
}
"#;

#[test]
fn a_2021_report_binds_by_the_2021_names_and_its_year() {
    let bound = gdr::import::prose::bind(REPORT_2021);
    assert!(
        bound.contains(
            "  \"2023年度我局共收到依申请信息公开26件，及时回复申请人。本年度制发规章0件、行政规范性文件3件。\"\n  // 原文：“2023年度我局共收到依申请信息公开26件，及时回复申请人。”\n  expect 申请.新收[总计] == 26 件\n  // 原文：“本年度制发规章0件、行政规范性文件3件。”\n  expect 第一项.规章[本年制发件数] == 0 件\n  expect 第一项.行政规范性文件[本年制发件数] == 3 件\n\n  \"全年"
        ),
        "{bound}"
    );
    // The prose of 沭阳县发展和改革局's 2023 report breaks 249 down, rightly.
    assert!(
        bound.contains(
            "\n  expect 249 条 == 9 条 + 7 条 + 39 条 + 6 条 + 1 条 + 1 条 + 185 条 + 1 条\n}\n"
        ),
        "{bound}"
    );
    assert_eq!(gdr::format::format(&bound), bound, "in fmt form");
    assert_eq!(errors(&bound), BTreeSet::new());
    assert_eq!(failed_expects(&bound), Vec::<String>::new());

    // Where the prose says otherwise, the expect fails, as a warning.
    let wrong = REPORT_2021.replace("共收到依申请信息公开26件", "共收到依申请信息公开27件");
    let bound = gdr::import::prose::bind(&wrong);
    assert_eq!(
        failed_expects(&bound),
        vec!["expect 申请.新收[总计] == 27 件"]
    );
    assert_eq!(errors(&bound), BTreeSet::new());
}

#[test]
fn a_figure_whose_table_is_missing_binds_nothing() {
    // No 复议诉讼 table: the sentence stays without an expect.
    let text = REPORT_2021.replace(
        "及时回复申请人。",
        "及时回复申请人。本年度发生政府信息公开行政复议1件。",
    );
    let bound = gdr::import::prose::bind(&text);
    assert!(!bound.contains("行政复议.总计"), "{bound}");
    assert_eq!(errors(&bound), BTreeSet::new());
}
