//! The TextMate grammar for editors: valid JSON, and it knows every
//! keyword of the language.

#[test]
fn the_textmate_grammar_knows_every_keyword() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/gdr.tmLanguage.json");
    let grammar: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable"))
            .expect("the grammar is JSON");
    assert_eq!(grammar["scopeName"], "source.gdr");
    let keywords = grammar["repository"]["keyword"]["patterns"][0]["match"]
        .as_str()
        .expect("keywords");
    // LANGUAGE.md §1.
    for keyword in [
        "report", "section", "table", "form", "use", "as", "let", "check", "expect", "within",
        "sum", "auto", "rest", "unit", "note", "allow",
    ] {
        assert!(
            keywords.contains(&format!("|{keyword}|"))
                || keywords.contains(&format!("({keyword}|"))
                || keywords.contains(&format!("|{keyword})")),
            "{keyword}"
        );
    }
    let pest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/gdr.pest"))
        .expect("pest");
    let reserved = pest
        .split("keyword = @{")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("keyword rule");
    for keyword in reserved.split('"').skip(1).step_by(2) {
        assert!(
            keywords.contains(keyword),
            "the TextMate grammar lacks `{keyword}`"
        );
    }
}
