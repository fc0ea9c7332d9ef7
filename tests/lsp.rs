//! `gdr lsp`, driven over stdio as an editor would: initialize → didOpen →
//! publishDiagnostics → hover → definition → formatting → completion →
//! didChange → shutdown → exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gdr"))
            .args(["lsp", "--lang", "en"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gdr lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Client {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    fn send(&mut self, message: serde_json::Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn receive(&mut self) -> serde_json::Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).expect("read a header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("read the body");
        serde_json::from_slice(&body).expect("JSON")
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.request_collecting(method, params).0
    }

    /// A request's response, and the diagnostics published before it (the
    /// server answers in order, so these are all that came before).
    fn request_collecting(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> (serde_json::Value, Vec<serde_json::Value>) {
        let id = self.next_id;
        self.next_id += 1;
        self.send(
            serde_json::json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
        );
        let mut published = Vec::new();
        loop {
            let message = self.receive();
            if message["id"] == id {
                return (message, published);
            }
            if message["method"] == "textDocument/publishDiagnostics" {
                published.push(message["params"].clone());
            }
        }
    }

    fn notify(&mut self, method: &str, params: serde_json::Value) {
        self.send(serde_json::json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next diagnostics published.
    fn diagnostics(&mut self) -> serde_json::Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }
}

/// The position of the first `needle` on 0-based `line`, in UTF-16 units.
fn at(text: &str, line: usize, needle: &str) -> serde_json::Value {
    let line_text = text.lines().nth(line).expect("a line");
    let byte = line_text.find(needle).expect("the needle");
    let character: usize = line_text[..byte].chars().map(char::len_utf16).sum();
    serde_json::json!({ "line": line, "character": character + 1 })
}

#[test]
fn an_editor_session() {
    let path = format!("{}/examples/pingyuan-2020.gdr", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the seed example");
    let uri = format!("file://{path}");
    let document = serde_json::json!({ "uri": uri });
    let mut client = Client::start();

    let initialized = client.request(
        "initialize",
        serde_json::json!({ "capabilities": {}, "processId": null }),
    );
    let capabilities = &initialized["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    assert_eq!(capabilities["documentFormattingProvider"], true);
    assert_eq!(capabilities["codeActionProvider"], true);
    assert_eq!(
        capabilities["completionProvider"]["triggerCharacters"],
        serde_json::json!([".", "[", "{"])
    );
    client.notify("initialized", serde_json::json!({}));

    client.notify(
        "textDocument/didOpen",
        serde_json::json!({ "textDocument": { "uri": uri, "languageId": "gdr", "version": 1, "text": text } }),
    );
    let published = client.diagnostics();
    let diagnostics = published["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(
        diagnostics.len(),
        10,
        "the same ten errors `gdr check` reports"
    );
    let check = diagnostics
        .iter()
        .find(|d| d["code"] == "E0401" && d["range"]["start"]["line"] == 316)
        .expect("the E0401 of line 317");
    assert!(
        check["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("check failed in column 自然人"))
    );
    assert_eq!(
        check["range"]["start"]["character"], 10,
        "columns are UTF-16 units"
    );

    // Hover on 上墙公示 in `check 脱贫信息 == 上墙公示 + 网上公示` (line 147).
    let hover = client.request(
        "textDocument/hover",
        serde_json::json!({ "textDocument": document, "position": at(&text, 146, "上墙公示") }),
    );
    let contents = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(contents.contains("`上墙公示` = 1599条"), "{contents}");

    // Hover on the row 总计 in the table's check shows its values.
    let hover = client.request(
        "textDocument/hover",
        serde_json::json!({ "textDocument": document, "position": at(&text, 316, "总计") }),
    );
    let contents = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(
        contents.contains("（七）总计") && contents.contains("自然人 17件"),
        "{contents}"
    );

    // Go to the definition of the let.
    let definition = client.request(
        "textDocument/definition",
        serde_json::json!({ "textDocument": document, "position": at(&text, 146, "上墙公示") }),
    );
    let definition_line = definition["result"]["range"]["start"]["line"]
        .as_u64()
        .expect("a location");
    assert!(
        text.lines()
            .nth(definition_line as usize)
            .is_some_and(|line| line.contains("let 上墙公示"))
    );

    // Formatting answers with edits (the example is not in canonical form).
    let formatting = client.request(
        "textDocument/formatting",
        serde_json::json!({ "textDocument": document, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(formatting["result"].is_array());

    let completion = client.request(
        "textDocument/completion",
        serde_json::json!({ "textDocument": document, "position": { "line": 0, "character": 0 } }),
    );
    let labels = completion_labels(&completion);
    assert!(labels.contains(&"上墙公示") && labels.contains(&"申请") && labels.contains(&"check"));

    // After `申请.`: that table's rows, and nothing else.
    let probe = format!("{text}check 申请.");
    client.notify(
        "textDocument/didChange",
        serde_json::json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": probe }] }),
    );
    let _ = client.diagnostics();
    let line = probe.lines().count() - 1;
    let character = "check 申请.".encode_utf16().count();
    let completion = client.request(
        "textDocument/completion",
        serde_json::json!({ "textDocument": document, "position": { "line": line, "character": character } }),
    );
    let labels = completion_labels(&completion);
    assert!(
        labels.contains(&"结转下年") && !labels.contains(&"上墙公示"),
        "{labels:?}"
    );

    // Fix the wrong total (七)总计 and the check; diagnostics follow, fast.
    let fixed = text.replace(
        "[17, 0, 0, 0, 0, 0, 0] = sum(办理)",
        "[16, 0, 0, 0, 0, 0, 0] = sum(办理)",
    );
    assert_ne!(fixed, text);
    let started = Instant::now();
    client.notify(
        "textDocument/didChange",
        serde_json::json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": fixed }] }),
    );
    let published = client.diagnostics();
    let elapsed = started.elapsed();
    eprintln!("re-check of the seed report after an edit: {elapsed:?} (debug build)");
    let codes = codes_of(&published);
    assert!(
        !codes.is_empty() && codes.len() < 10,
        "fixing one number removes errors: {codes:?}"
    );

    let shutdown = client.request("shutdown", serde_json::Value::Null);
    assert!(shutdown["error"].is_null());
    client.notify("exit", serde_json::Value::Null);
    let status = client.child.wait().expect("the server exits");
    assert!(status.success());
}

/// A line that does not parse costs only itself (issue 14): a let after it
/// in the same section still has its hover, and the failed check before
/// it is still published.
#[test]
fn hover_works_after_a_broken_line_in_the_same_section() {
    let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                section \"一、总体情况\" {\n\
                \x20 let 信箱 = 155 次\n\
                \x20 check 信箱 == 154 次\n\
                \x20 ，，另外\n\
                \x20 let 留言 = 信箱 + 1 次\n\
                \x20 \"共{留言}。\"\n\
                }\n";
    let uri = format!(
        "file://{}/gdr-lsp-recovery.gdr",
        std::env::temp_dir().display()
    );
    let document = serde_json::json!({ "uri": uri });
    let (mut client, published) = open(&uri, text);
    let codes = codes_of(&published);
    assert_eq!(codes, ["E0401", "E0101"], "{published}");
    let position = at(text, 5, "留言");
    let hover = client.request(
        "textDocument/hover",
        serde_json::json!({ "textDocument": document, "position": position }),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|contents| contents.contains("`留言` = 156次")),
        "hover after the broken line: {hover}"
    );
    close(client);
}

/// A client that keeps the byte order mark in the text counts it as a
/// character of the first line; the compiler drops it. Hover and
/// definition land on the name under the cursor all the same, and their
/// ranges, like the diagnostics', are in the client's coordinates.
#[test]
fn a_byte_order_mark_does_not_shift_hover_or_definition() {
    let text = "\u{feff}let 上墙公示 = 1599 条\n\
                report { title \"t\" agency \"a\" year 2020 }\n\
                check 上墙公示 == 1599 条\n";
    let uri = format!("file://{}/gdr-lsp-bom.gdr", std::env::temp_dir().display());
    let document = serde_json::json!({ "uri": uri });
    let (mut client, published) = open(&uri, text);
    assert_eq!(published["diagnostics"], serde_json::json!([]));
    let range = |line: u32, start: u32, end: u32| {
        serde_json::json!({
            "start": { "line": line, "character": start },
            "end": { "line": line, "character": end },
        })
    };

    let hover = client.request(
        "textDocument/hover",
        serde_json::json!({ "textDocument": document, "position": at(text, 2, "上墙公示") }),
    );
    let contents = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(contents.contains("`上墙公示` = 1599条"), "{contents}");
    assert_eq!(hover["result"]["range"], range(2, 6, 10));

    let definition = client.request(
        "textDocument/definition",
        serde_json::json!({ "textDocument": document, "position": at(text, 2, "上墙公示") }),
    );
    assert_eq!(definition["result"]["uri"], uri);
    // After the mark (one UTF-16 unit) and `let `.
    assert_eq!(definition["result"]["range"], range(0, 5, 9));

    // Diagnostics count the mark too: rename the let on line 0, unused now.
    let renamed = text.replacen("上墙公示 = 1599", "甲 = 1599", 1);
    client.notify(
        "textDocument/didChange",
        serde_json::json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": renamed }] }),
    );
    let published = client.diagnostics();
    let on_line_0: Vec<&serde_json::Value> = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["range"]["start"]["line"] == 0)
        .collect();
    assert_eq!(on_line_0.len(), 1, "{published}");
    assert_eq!(on_line_0[0]["range"], range(0, 5, 6));

    let shutdown = client.request("shutdown", serde_json::Value::Null);
    assert!(shutdown["error"].is_null());
    client.notify("exit", serde_json::Value::Null);
    assert!(client.child.wait().expect("the server exits").success());
}

/// The labels of a completion response.
fn completion_labels(completion: &serde_json::Value) -> Vec<&str> {
    completion["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["label"].as_str())
        .collect()
}

/// The outline, the values of `auto` cells, versions on diagnostics, and a
/// report checked again when a file it uses changes in the editor.
#[test]
fn outline_inlay_hints_versions_and_users_of_a_changed_file() {
    let dir = std::env::temp_dir().join(format!("gdr-lsp-use-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let units = dir.join("units.gdr");
    let report = dir.join("report.gdr");
    let units_text = "unit 篇\n";
    let report_text = "report { title \"t\" agency \"a\" year 2020 }\nuse \"units.gdr\"\n\
        section \"一、概述\" {\n  let 稿件 = 3 篇\n  \"共{稿件}。\"\n  table t {\n    unit 篇\n    columns { a b 总 = a + b }\n    rows { r [1, 2, auto] }\n  }\n}\n";
    std::fs::write(&units, units_text).expect("write");
    std::fs::write(&report, report_text).expect("write");
    let uri = |path: &std::path::Path| format!("file://{}", path.display());
    let mut client = Client::start();
    client.request(
        "initialize",
        serde_json::json!({ "capabilities": {}, "processId": null }),
    );
    client.notify("initialized", serde_json::json!({}));
    for (path, text) in [(&units, units_text), (&report, report_text)] {
        client.notify(
            "textDocument/didOpen",
            serde_json::json!({ "textDocument": { "uri": uri(path), "languageId": "gdr", "version": 7, "text": text } }),
        );
        let published = client.diagnostics();
        assert_eq!(published["version"], 7);
        // (The library file has no header: gdr checks it as a report.)
        if path == &report {
            assert_eq!(
                published["diagnostics"],
                serde_json::json!([]),
                "{published}"
            );
        }
    }
    let report_document = serde_json::json!({ "uri": uri(&report) });

    let symbols = client.request(
        "textDocument/documentSymbol",
        serde_json::json!({ "textDocument": report_document }),
    );
    let section = &symbols["result"][1];
    assert_eq!(section["name"], "一、概述", "{symbols}");
    let children: Vec<&str> = section["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|child| child["name"].as_str())
        .collect();
    assert_eq!(children, ["稿件", "t"]);

    let hints = client.request(
        "textDocument/inlayHint",
        serde_json::json!({ "textDocument": report_document, "range": {
            "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } } }),
    );
    assert_eq!(hints["result"][0]["label"], "= 3", "{hints}");
    assert_eq!(hints["result"][0]["position"]["line"], 8);

    // The unit's file changes in the editor, unsaved: the report that uses
    // it is checked again against the editor's text.
    client.notify(
        "textDocument/didChange",
        serde_json::json!({ "textDocument": { "uri": uri(&units), "version": 8 }, "contentChanges": [{ "text": "unit 页\n" }] }),
    );
    let (_, published) = client.request_collecting(
        "textDocument/documentSymbol",
        serde_json::json!({ "textDocument": report_document }),
    );
    let find = |file: &std::path::Path| {
        published
            .iter()
            .find(|params| params["uri"] == uri(file))
            .unwrap_or_else(|| panic!("no diagnostics for {}: {published:?}", file.display()))
    };
    let (units_published, report_published) = (find(&units), find(&report));
    assert_eq!(units_published["version"], 8);
    assert_eq!(report_published["uri"], uri(&report));
    let codes: Vec<&str> = report_published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"E0204"), "{report_published}");

    let shutdown = client.request("shutdown", serde_json::Value::Null);
    assert!(shutdown["error"].is_null());
    client.notify("exit", serde_json::Value::Null);
    assert!(client.child.wait().expect("the server exits").success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Opens the seed example (pingyuan-2020.gdr, with its stated 17 where the
/// rows add up to 16) and returns the client, its text and its document.
fn open_pingyuan() -> (Client, String, serde_json::Value) {
    let path = format!("{}/examples/pingyuan-2020.gdr", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the seed example");
    let uri = format!("file://{path}");
    let (client, _) = open(&uri, &text);
    (client, text, serde_json::json!({ "uri": uri }))
}

/// Starts a server, opens `text` as `uri`, and returns the client and the
/// diagnostics first published.
fn open(uri: &str, text: &str) -> (Client, serde_json::Value) {
    let mut client = Client::start();
    client.request(
        "initialize",
        serde_json::json!({ "capabilities": {}, "processId": null }),
    );
    client.notify("initialized", serde_json::json!({}));
    client.notify(
        "textDocument/didOpen",
        serde_json::json!({ "textDocument": { "uri": uri, "languageId": "gdr", "version": 1, "text": text } }),
    );
    let published = client.diagnostics();
    (client, published)
}

/// The codes of published diagnostics, in order.
fn codes_of(published: &serde_json::Value) -> Vec<&str> {
    published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

fn close(mut client: Client) {
    let shutdown = client.request("shutdown", serde_json::Value::Null);
    assert!(shutdown["error"].is_null());
    client.notify("exit", serde_json::Value::Null);
    assert!(client.child.wait().expect("the server exits").success());
}

#[test]
fn hover_on_a_stated_cell_says_what_disputes_it() {
    let (mut client, text, document) = open_pingyuan();
    let line = text
        .lines()
        .position(|line| line.contains("[17, 0, 0, 0, 0, 0, 0] = sum(办理)"))
        .expect("the line of the 17");
    let hover = client.request(
        "textDocument/hover",
        serde_json::json!({ "textDocument": document, "position": at(&text, line, "17") }),
    );
    let contents = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    assert!(
        contents.starts_with("`申请.办理.总计[自然人]` = 17"),
        "{contents}"
    );
    assert!(
        contents.contains("disputed: `sum(办理)` gives 16"),
        "{contents}"
    );
    close(client);
}

/// The line (trimmed) of the definition at the first `needle` of `line`.
fn defined_line<'a>(
    client: &mut Client,
    text: &'a str,
    document: &serde_json::Value,
    line: usize,
    needle: &str,
) -> &'a str {
    let definition = client.request(
        "textDocument/definition",
        serde_json::json!({ "textDocument": document, "position": at(text, line, needle) }),
    );
    let start = definition["result"]["range"]["start"]["line"]
        .as_u64()
        .expect("a definition");
    let start = usize::try_from(start).expect("a line");
    text.lines().nth(start).expect("the line").trim_start()
}

#[test]
fn the_column_of_a_reference_goes_to_the_column() {
    let (mut client, text, document) = open_pingyuan();
    let line = text
        .lines()
        .position(|line| line.contains("expect 规章[本年新公开数量]"))
        .expect("the expect");
    let declared = defined_line(&mut client, &text, &document, line, "本年新公开数量");
    assert!(declared.starts_with("本年新公开数量"), "{declared}");
    // The row part still goes to the row.
    let declared = defined_line(&mut client, &text, &document, line, "规章");
    assert!(declared.starts_with("规章"), "{declared}");
    close(client);
}

#[test]
fn a_form_of_a_library_file_and_a_use_path_open_the_library() {
    let directory = std::env::temp_dir().join(format!("gdr-lsp-library-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("a directory");
    let library = directory.join("库.gdr");
    std::fs::write(
        &library,
        // Saved by an editor that writes a byte order mark.
        "\u{feff}form 表式 \"表\" {\n  unit 件\n  columns {\n    甲\n  }\n  rows {\n    一\n  }\n}\n",
    )
    .expect("the library");
    let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                use \"库.gdr\"\n\
                table 表 = 表式 {\n  一 [1]\n}\n";
    let uri = format!("file://{}", directory.join("r.gdr").display());
    let (mut client, _) = open(&uri, text);
    let library_uri = format!("file://{}/%E5%BA%93.gdr", directory.display());

    let definition = client.request(
        "textDocument/definition",
        serde_json::json!({ "textDocument": { "uri": uri }, "position": at(text, 2, "表式") }),
    );
    assert_eq!(definition["result"]["uri"], library_uri, "{definition}");
    // Line 0 after the mark, which the editor counts, and `form `.
    assert_eq!(
        definition["result"]["range"]["start"],
        serde_json::json!({ "line": 0, "character": 6 })
    );

    let definition = client.request(
        "textDocument/definition",
        serde_json::json!({ "textDocument": { "uri": uri }, "position": at(text, 1, "库") }),
    );
    assert_eq!(definition["result"]["uri"], library_uri, "{definition}");
    close(client);
    std::fs::remove_dir_all(&directory).expect("cleaned up");
}

#[test]
fn a_quick_fix_changes_17_to_16() {
    let (mut client, text, document) = open_pingyuan();
    let line = text
        .lines()
        .position(|line| line.contains("[17, 0, 0, 0, 0, 0, 0] = sum(办理)"))
        .expect("the line of the 17");
    let position = at(&text, line, "17");
    let actions = client.request(
        "textDocument/codeAction",
        serde_json::json!({
            "textDocument": document,
            "range": { "start": position, "end": position },
            "context": { "diagnostics": [] },
        }),
    );
    let actions = actions["result"].as_array().expect("code actions");
    let uri = document["uri"].as_str().expect("a URI");
    let change = actions
        .iter()
        .find(|action| {
            action["title"]
                .as_str()
                .is_some_and(|title| title.contains("from 17 to 16"))
        })
        .unwrap_or_else(|| panic!("a fix to 16: {actions:?}"));
    assert_eq!(change["kind"], "quickfix");
    let edits = &change["edit"]["changes"][uri];
    assert_eq!(edits[0]["newText"], "16");
    let start = &edits[0]["range"]["start"];
    assert_eq!(start["line"], line);
    let column = text
        .lines()
        .nth(line)
        .expect("the line")
        .find("17")
        .expect("17");
    let character = text.lines().nth(line).expect("the line")[..column]
        .chars()
        .count();
    assert_eq!(start["character"], character);
    assert_eq!(edits[0]["range"]["end"]["character"], character + 2);
    assert!(
        actions
            .iter()
            .any(|action| action["edit"]["changes"][uri][0]["newText"] == "auto"),
        "{actions:?}"
    );
    close(client);
}
