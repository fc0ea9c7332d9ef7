//! A report whose every piece of user text is text no renderer may let
//! through as markup or code: shared by tests/render.rs (every format) and
//! tests/pdf.rs (`gdr build -f pdf`).

/// Text no renderer may let through as markup or code.
pub const HOSTILE: &str = r#"<script>alert(1)</script> | *b* _i_ [l](u) # \ " ` $x$ @ref <lbl> // /* ] #panic("x") &amp;"#;

/// The `.gdr` source of a report with [`HOSTILE`] in its title, agency,
/// section, paragraph, table title, note, column and row labels.
pub fn hostile_report() -> String {
    let quoted = HOSTILE
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('{', "\\{")
        .replace('}', "\\}");
    format!(
        r#"report {{ title "{quoted}" agency "{quoted}" year 2020 published 2021-01-10 }}
section "{quoted}" {{
  "{quoted}"
  table t "{quoted}" {{
    unit 件
    note "{quoted}"
    columns {{ a "{quoted}" b {{ c "{quoted}" }} 总计 = sum(a, b) }}
    rows {{
      r "{quoted}" [1 "{quoted}", 2, auto]
      g "{quoted}" {{ s "{quoted}" [3, 4, auto] }}
    }}
  }}
}}
"#
    )
}
