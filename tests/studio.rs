//! `gdr serve`, the report studio: the safety rules over plain HTTP (std
//! `TcpStream`, no browser), then the page as a person uses it, in Debian's
//! Chromium driven by playwright-core (`tests/studio/studio.mjs`).
//!
//! The browser test is skipped, with a message, where `node`, Chromium or
//! `tests/studio/node_modules` is missing, unless `GDR_REQUIRE_TOOLS=1`
//! (as `.ci/run` sets, after installing them) makes that a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const HOSTILE: &str = r#"report {
  title     "<script>parent.document.body.dataset.pwned = 'title'</script>"
  agency    "</title><script>parent.document.body.dataset.pwned = 'agency'</script>"
  year      2020
  published 2021-01-25
}

section "<img src=x onerror=\"parent.document.body.dataset.pwned = 'section'\">" {
  """
  <script>parent.document.body.dataset.pwned = 'paragraph'</script><img src=x onerror="parent.document.body.dataset.pwned = 'img'">
  """
}
"#;

/// A fresh copy of the examples, with a hostile report, a file outside
/// the folder and links that lead out of it.
fn studio_dir(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("gdr-studio-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("reports");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for entry in std::fs::read_dir(examples).expect("examples") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    std::fs::write(dir.join("hostile.gdr"), HOSTILE).expect("write");
    std::fs::write(dir.join("<img src=x onerror=alert(1)>.gdr"), HOSTILE).expect("write");
    std::fs::write(base.join("outside.gdr"), "secret").expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(base.join("outside.gdr"), dir.join("link-out.gdr"))
            .expect("symlink");
        std::os::unix::fs::symlink(&base, dir.join("up")).expect("symlink");
    }
    dir
}

/// `gdr serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    url: String,
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gdr"))
            .args(["serve", "--port", "0", "--lang", "en"])
            .args(extra)
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("gdr serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the address line");
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let port = url["http://".len()..]
            .split(['/', ':'])
            .nth(1)
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {url}"));
        Server { child, port, url }
    }

    /// Sends a raw request; returns the status, the headers and the body.
    fn raw(&self, request: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.write_all(request.as_bytes()).expect("send");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let split = response
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .unwrap_or(response.len());
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let mut body = response.get(split + 4..).unwrap_or_default().to_vec();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|status| status.parse().ok())
            .unwrap_or(0);
        (status, head, body)
    }

    fn request(&self, method: &str, target: &str, body: Option<&str>) -> (u16, String, String) {
        let port = self.port;
        let mut request = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        );
        if let Some(body) = body {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(body.unwrap_or(""));
        self.raw(&request)
    }

    fn get(&self, target: &str) -> (u16, String, String) {
        self.request("GET", target, None)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A body sent in chunks (as tiny_http sends a large one), joined.
fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = chunked.windows(2).position(|window| window == b"\r\n") else {
            return body;
        };
        let size = std::str::from_utf8(&chunked[..end])
            .ok()
            .and_then(|size| usize::from_str_radix(size.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            return body;
        }
        let data = &chunked[end + 2..];
        body.extend_from_slice(&data[..size.min(data.len())]);
        chunked = data.get(size + 2..).unwrap_or_default();
    }
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

#[test]
fn paths_outside_the_folder_are_refused() {
    let dir = studio_dir("paths");
    let server = Server::start(&dir, &[]);
    let (status, _, body) = server.get("/api/files");
    assert_eq!(status, 200);
    let files = json(&body)["files"].clone();
    let names: Vec<&str> = files
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|name| name.as_str())
        .collect();
    assert!(names.contains(&"pingyuan-2020.gdr"), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|name| name.contains("outside") || name.contains("link-out")),
        "{names:?}"
    );
    let (status, _, body) = server.get("/api/file?path=county-2020.gdr");
    assert_eq!(status, 200, "{body}");
    assert!(
        json(&body)["text"]
            .as_str()
            .expect("text")
            .contains("示例县交通运输局")
    );
    for path in [
        "../outside.gdr",
        "..%2Foutside.gdr",
        "..%2foutside.gdr",
        "..%5Coutside.gdr",
        "%2E%2E/outside.gdr",
        "sub/../../outside.gdr",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "/tmp/outside.gdr",
        "link-out.gdr",
        "up/outside.gdr",
        "up/reports/county-2020.gdr/../../outside.gdr",
        "county-2020.gdr%00.txt",
        "..\\outside.gdr",
        "C:/outside.gdr",
        "",
    ] {
        for (method, body) in [
            ("GET", None),
            ("PUT", Some(r#"{"text": "x", "version": "0"}"#)),
            ("POST", Some(r#"{"path": "PATH", "text": "x"}"#)),
        ] {
            let target = match method {
                "POST" => "/api/check".to_string(),
                _ => format!("/api/file?path={path}"),
            };
            let body = body.map(|body| body.replace("PATH", &path.replace('\\', "\\\\")));
            let (status, _, answer) = server.request(method, &target, body.as_deref());
            assert!(
                (400..500).contains(&status),
                "{method} {path:?}: {status} {answer}"
            );
            assert!(!answer.contains("secret"), "{method} {path:?}: {answer}");
        }
    }
    assert_eq!(
        std::fs::read_to_string(dir.parent().expect("base").join("outside.gdr")).expect("read"),
        "secret"
    );
    // A new or imported report cannot be created outside either, nor over
    // a file.
    for path in [
        "../new.gdr",
        "up/new.gdr",
        "/tmp/new.gdr",
        "county-2020.gdr",
        "new.txt",
    ] {
        let body = format!(r#"{{"path": "{path}", "form": "gov_disclosure_2021", "year": 2025}}"#);
        let (status, _, answer) = server.request("POST", "/api/new", Some(&body));
        assert!(
            (400..500).contains(&status),
            "new {path}: {status} {answer}"
        );
        let body = serde_json::json!({ "path": path, "text": "一、总体情况" }).to_string();
        let (status, _, answer) = server.request("POST", "/api/import", Some(&body));
        assert!(
            (400..500).contains(&status),
            "import {path}: {status} {answer}"
        );
    }
    assert!(!dir.parent().expect("base").join("new.gdr").exists());
}

#[test]
fn only_this_origin_may_ask() {
    let dir = studio_dir("origin");
    let server = Server::start(&dir, &[]);
    let port = server.port;
    let check = r#"{"path": "county-2020.gdr", "text": ""}"#;
    // Another host name (DNS rebinding) is refused.
    let (status, _, _) = server.raw(&format!(
        "GET /api/files HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 421);
    let (status, _, _) = server.raw("GET /api/files HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 421);
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, _, _) = server.raw(&format!(
            "GET /api/files HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(status, 200, "{host}");
    }
    // A write from another site, or one a plain form could send, is refused.
    let (status, _, _) = server.raw(&format!(
        "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://attacker.example\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{check}",
        check.len()
    ));
    assert_eq!(status, 403);
    let (status, _, _) = server.raw(&format!(
        "POST /api/new HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{check}",
        check.len()
    ));
    assert_eq!(status, 415);
    let (status, _, _) = server.raw(&format!(
        "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{check}",
        check.len()
    ));
    assert_eq!(status, 200);
    // A body over the limit is refused before it is read.
    let (status, _, _) = server.raw(&format!(
        "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        (16 << 20) + 1
    ));
    assert_eq!(status, 413);
}

#[test]
fn every_response_carries_the_policy() {
    let dir = studio_dir("headers");
    let server = Server::start(&dir, &[]);
    for target in [
        "/",
        "/app.js",
        "/app.css",
        "/api/files",
        "/api/file?path=../x.gdr",
        "/nothing",
    ] {
        let (_, head, _) = server.get(target);
        let head = head.to_ascii_lowercase();
        assert!(
            head.contains("content-security-policy: default-src 'none'; script-src 'self';"),
            "{target}: {head}"
        );
        assert!(head.contains("x-content-type-options: nosniff"), "{target}");
        assert!(!head.contains("access-control-allow"), "{target}");
    }
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"));
    // The preview's frame is sandboxed without scripts.
    assert!(
        body.contains(r#"<iframe id="preview" sandbox="allow-same-origin""#),
        "{body}"
    );
    // The preview is the report's HTML, escaped.
    let text = std::fs::read_to_string(dir.join("hostile.gdr")).expect("read");
    let body = serde_json::json!({ "path": "hostile.gdr", "text": text }).to_string();
    let (status, _, answer) = server.request("POST", "/api/check", Some(&body));
    assert_eq!(status, 200);
    let preview = json(&answer)["preview"]
        .as_str()
        .expect("preview")
        .to_string();
    assert!(!preview.contains("<script>parent"), "{preview}");
    assert!(!preview.contains("<img src=x"), "{preview}");
    assert!(preview.contains("&#60;script&#62;parent"), "{preview}");
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten() {
    let dir = studio_dir("conflict");
    let server = Server::start(&dir, &[]);
    let (_, _, body) = server.get("/api/file?path=county-2020.gdr");
    let opened = json(&body);
    let version = opened["version"].as_str().expect("version").to_string();
    let original = opened["text"].as_str().expect("text").to_string();
    // Saved while nothing changed.
    let edited = original.replace("2021-01-25", "2021-01-26");
    let save = serde_json::json!({ "text": edited, "version": version }).to_string();
    let (status, _, body) = server.request("PUT", "/api/file?path=county-2020.gdr", Some(&save));
    assert_eq!(status, 200, "{body}");
    let version = json(&body)["version"]
        .as_str()
        .expect("version")
        .to_string();
    assert_eq!(
        std::fs::read_to_string(dir.join("county-2020.gdr")).expect("read"),
        edited
    );
    // Changed on disk: 409, with the text on disk; the file stays as it is.
    let on_disk = format!("{edited}// by someone else\n");
    std::fs::write(dir.join("county-2020.gdr"), &on_disk).expect("write");
    let save = serde_json::json!({ "text": original, "version": version }).to_string();
    let (status, _, body) = server.request("PUT", "/api/file?path=county-2020.gdr", Some(&save));
    assert_eq!(status, 409, "{body}");
    let conflict = json(&body);
    assert_eq!(conflict["text"].as_str(), Some(on_disk.as_str()));
    assert_eq!(
        std::fs::read_to_string(dir.join("county-2020.gdr")).expect("read"),
        on_disk
    );
    // With the version on disk, the person's choice to overwrite is saved.
    let save = serde_json::json!({ "text": original, "version": conflict["version"] }).to_string();
    let (status, _, _) = server.request("PUT", "/api/file?path=county-2020.gdr", Some(&save));
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read_to_string(dir.join("county-2020.gdr")).expect("read"),
        original
    );
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn listening_beyond_this_machine_needs_the_token() {
    let dir = studio_dir("token");
    // On the loopback address still, but as `--listen` sets it up.
    let server = Server::start(&dir, &["--listen", "127.0.0.1"]);
    let token = server
        .url
        .split("token=")
        .nth(1)
        .expect("a token in the address");
    assert_eq!(token.len(), 32, "{}", server.url);
    let (status, _, _) = server.get("/api/files");
    assert_eq!(status, 403);
    let (status, _, _) = server.get("/api/files?token=wrong");
    assert_eq!(status, 403);
    let (status, head, _) = server.get(&format!("/?token={token}"));
    assert_eq!(status, 200);
    assert!(
        head.contains(&format!(
            "gdr_token={token}; Path=/; HttpOnly; SameSite=Strict"
        )),
        "{head}"
    );
    let port = server.port;
    let (status, _, _) = server.raw(&format!(
        "GET /api/files HTTP/1.1\r\nHost: 192.0.2.1:{port}\r\nCookie: gdr_token={token}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 200);
}

#[test]
fn the_studio_as_a_person_uses_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scripts = root.join("tests/studio");
    let chromium = std::env::var_os("GDR_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let node = Command::new("node").arg("--version").output();
    let missing = if node.is_err() {
        Some("`node`".to_string())
    } else if !chromium.exists() {
        Some(format!("Chromium ({})", chromium.display()))
    } else if !scripts.join("node_modules/playwright-core").exists() {
        Some("playwright-core (`npm ci` in tests/studio)".to_string())
    } else {
        None
    };
    if let Some(missing) = missing {
        assert!(
            !std::env::var("GDR_REQUIRE_TOOLS").is_ok_and(|value| value == "1"),
            "GDR_REQUIRE_TOOLS=1 but {missing} is missing"
        );
        eprintln!("skipped: {missing} is missing");
        return;
    }
    let dir = studio_dir("browser");
    let server = Server::start(&dir, &[]);
    let output = Command::new("node")
        .arg(scripts.join("studio.mjs"))
        .arg(&server.url)
        .arg(&dir)
        .env("GDR_CHROMIUM", &chromium)
        .current_dir(&scripts)
        .output()
        .expect("node runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("studio: all steps passed"), "{printed}");
}

/// Standard base64 with padding, as the page's `btoa` writes it.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |group, (index, &byte)| {
                group | u32::from(byte) << (16 - 8 * index)
            });
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(char::from(
                    ALPHABET[(group >> (18 - 6 * index)) as usize & 63],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/import")
            .join(name),
    )
    .expect("fixture")
}

fn import_body(path: &str, name: &str, bytes: &[u8]) -> String {
    serde_json::json!({ "path": path, "name": name, "data": base64(bytes) }).to_string()
}

#[test]
fn a_dropped_page_or_word_file_becomes_a_report() {
    let dir = studio_dir("import");
    let server = Server::start(&dir, &[]);
    // A page saved from a portal, in UTF-8 and in GBK, and a Word file:
    // the importer tells each by its content.
    for (path, name, library) in [
        (
            "沭阳.gdr",
            "shuyang-fagaiju-2023.html",
            "gov_disclosure_2021",
        ),
        (
            "沭阳-gbk.gdr",
            "shuyang-fagaiju-2023.gbk.html",
            "gov_disclosure_2021",
        ),
        ("平原.gdr", "pingyuan-2020.docx", "gov_disclosure_2019"),
    ] {
        let body = import_body(path, name, &fixture(name));
        let (status, _, answer) = server.request("POST", "/api/import?lang=en", Some(&body));
        assert_eq!(status, 200, "{name}: {answer}");
        let answer = json(&answer);
        assert_eq!(answer["path"], path);
        assert_eq!(answer["library"], library, "{name}");
        let written = std::fs::read_to_string(dir.join(path)).expect("written");
        assert!(written.contains(&format!("use {library}")), "{name}");
        if name.ends_with(".html") {
            // The page prints a row label of the other version of the form.
            let warning = &answer["warnings"][0];
            assert_eq!(warning["code"], "W0603", "{answer}");
            assert_eq!(warning["line"], 281, "{answer}");
            let human = warning["human"].as_str().expect("human");
            assert!(
                human.starts_with(&format!("warning[W0603]: {name}:281:7: ")),
                "{human}"
            );
        }
    }
    // The two encodings of one page give one report.
    assert_eq!(
        std::fs::read_to_string(dir.join("沭阳.gdr")).expect("read"),
        std::fs::read_to_string(dir.join("沭阳-gbk.gdr")).expect("read")
    );
    // A scanned PDF, an old Word file and a page that is not a report are
    // refused, in the page's language, with their codes; nothing is written.
    for (name, code, words) in [
        ("e0601_scanned.pdf", "E0601", "是 PDF"),
        ("e0601_old_word.doc", "E0601", ".docx"),
        (
            "e0602_news_page.html",
            "E0602",
            "不是政府信息公开工作年度报告",
        ),
    ] {
        let body = import_body("refused.gdr", name, &fixture(name));
        let (status, _, answer) = server.request("POST", "/api/import?lang=zh", Some(&body));
        assert_eq!(status, 422, "{name}: {answer}");
        let answer = json(&answer);
        assert_eq!(answer["code"], code, "{name}");
        let error = answer["error"].as_str().expect("error");
        assert!(
            error.starts_with(&format!("错误[{code}]: {name}: ")),
            "{error}"
        );
        assert!(error.contains(words), "{error}");
        assert!(!dir.join("refused.gdr").exists(), "{name}");
    }
    // Bytes that are not base64, or both kinds of body, are refused.
    for body in [
        r#"{"path": "bad.gdr", "name": "a.html", "data": "PGh0bWw+!!"}"#,
        r#"{"path": "bad.gdr", "name": "a.html", "data": "PGh0bWw"}"#,
        r#"{"path": "bad.gdr", "name": "a.html", "data": "PGh0bWw=PGh0"}"#,
        r#"{"path": "bad.gdr", "name": "a.txt", "data": "", "text": "x"}"#,
        r#"{"path": "bad.gdr", "name": "a.txt"}"#,
    ] {
        let (status, _, answer) = server.request("POST", "/api/import", Some(body));
        assert_eq!(status, 400, "{body}: {answer}");
    }
    assert!(!dir.join("bad.gdr").exists());
    // The upload obeys the rules of every write: its size, JSON, this origin.
    let port = server.port;
    let body = import_body(
        "other.gdr",
        "pingyuan-2020.docx",
        &fixture("pingyuan-2020.docx"),
    );
    let length = body.len();
    let (status, _, _) = server.raw(&format!(
        "POST /api/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        (16 << 20) + 1
    ));
    assert_eq!(status, 413);
    for headers in [
        "Origin: http://attacker.example\r\nContent-Type: application/json",
        "Sec-Fetch-Site: cross-site\r\nContent-Type: application/json",
        "Content-Type: application/octet-stream",
        "Content-Type: multipart/form-data; boundary=x",
    ] {
        let (status, _, _) = server.raw(&format!(
            "POST /api/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}"
        ));
        assert!(status == 403 || status == 415, "{headers}: {status}");
    }
    assert!(!dir.join("other.gdr").exists());
    // The page is told how large a file it may send: its base64 fits.
    let (_, _, listing) = server.get("/api/files");
    let limit = json(&listing)["upload_limit"].as_u64().expect("limit");
    assert!(
        limit > 12_000_000 && limit.div_ceil(3) * 4 < 16 << 20,
        "{limit}"
    );
}

/// The text of the report that checks, to download.
fn derived_download(format: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pingyuan-2020-derived.gdr"),
    )
    .expect("read");
    serde_json::json!({ "path": "pingyuan-2020-derived.gdr", "text": text, "format": format })
        .to_string()
}

#[cfg(feature = "pdf")]
#[test]
fn a_pdf_is_typeset_on_the_server() {
    let dir = studio_dir("pdf");
    let server = Server::start(&dir, &[]);
    let (_, _, listing) = server.get("/api/files");
    assert_eq!(json(&listing)["pdf"], true);
    let (status, head, body) =
        server.request("POST", "/api/download", Some(&derived_download("pdf")));
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("Content-Type: application/pdf"), "{head}");
    assert!(
        head.contains("filename*=UTF-8''pingyuan-2020-derived.pdf"),
        "{head}"
    );
    assert!(body.starts_with("%PDF-"), "{}", &body[..body.len().min(40)]);
    // With no Chinese font, the page is told so rather than given boxes.
    let empty = dir.parent().expect("base").join("no-fonts");
    std::fs::create_dir_all(&empty).expect("dir");
    let empty = empty.display().to_string();
    let server = Server::start(&dir, &["--ignore-system-fonts", "--font-path", &empty]);
    let (status, _, body) = server.request(
        "POST",
        "/api/download?lang=zh",
        Some(&derived_download("pdf")),
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .expect("error")
            .contains("fonts-noto-cjk"),
        "{body}"
    );
}

#[cfg(not(feature = "pdf"))]
#[test]
fn without_pdf_support_the_page_says_what_a_pdf_needs() {
    let dir = studio_dir("no-pdf");
    let server = Server::start(&dir, &[]);
    let (_, _, listing) = server.get("/api/files");
    assert_eq!(json(&listing)["pdf"], false);
    let (status, _, body) = server.request("POST", "/api/download", Some(&derived_download("pdf")));
    assert_eq!(status, 422, "{body}");
    let error = json(&body)["error"].as_str().expect("error").to_string();
    assert!(
        error.starts_with("PDF needs a gdr built with PDF support"),
        "{error}"
    );
    let (_, _, strings) = server.get("/api/strings?lang=en");
    assert_eq!(json(&strings)["no_pdf"], error.as_str());
}

#[test]
fn a_report_uses_the_reports_of_the_folder_and_nothing_outside() {
    let dir = studio_dir("use");
    let server = Server::start(&dir, &[]);
    // county-2021.gdr uses county-2020.gdr as 去年: it checks clean, as
    // `gdr check` finds it, whatever the server's working directory.
    let text = std::fs::read_to_string(dir.join("county-2021.gdr")).expect("read");
    let body = serde_json::json!({ "path": "county-2021.gdr", "text": text }).to_string();
    let (status, _, answer) = server.request("POST", "/api/check", Some(&body));
    assert_eq!(status, 200);
    assert_eq!(json(&answer)["errors"], 0, "{answer}");
    // `use "…"` goes to the report it names.
    let line = text
        .lines()
        .position(|line| line.starts_with("use \"county-2020.gdr\""))
        .expect("the use");
    let character = 8;
    let body = serde_json::json!({
        "path": "county-2021.gdr", "text": text, "line": line, "character": character
    })
    .to_string();
    let (status, _, answer) = server.request("POST", "/api/definition", Some(&body));
    assert_eq!(status, 200);
    assert_eq!(json(&answer)["path"], "county-2020.gdr", "{answer}");
    // A used file reached through a link out of the folder is not read.
    let text = "use \"up/outside.gdr\" as 外\n";
    let body = serde_json::json!({ "path": "county-2020.gdr", "text": text }).to_string();
    let (status, _, answer) = server.request("POST", "/api/check", Some(&body));
    assert_eq!(status, 200);
    assert!(answer.contains("E0208"), "{answer}");
    assert!(!answer.contains("secret"), "{answer}");
}
