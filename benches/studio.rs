//! From a keystroke to updated diagnostics, on the server side of `gdr
//! serve`: the seed report (`examples/pingyuan-2020.gdr`, 20 KB, ten errors)
//! is changed by one character and sent to `POST /api/check` as the page
//! does after each pause in typing, 200 times; the server measures itself
//! and says so in its `Server-Timing` header (`check`: compiling for the
//! editor and building the diagnostics' JSON with their `gdr check` text;
//! `total`: that and the preview's HTML). The round trip over loopback is
//! printed too. Figures, not pass/fail: docs/performance.md.
//!
//! ```sh
//! cargo bench --bench studio
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const ROUNDS: usize = 200;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("gdr-studio-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let seed = std::fs::read_to_string(root.join("examples/pingyuan-2020.gdr")).expect("seed");
    std::fs::write(dir.join("seed.gdr"), &seed).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(["serve", "--port", "0", "--lang", "zh"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("gdr serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|port| port.parse().ok())
        .expect("port");

    // Keystrokes: the number of 上墙公示 typed digit by digit, and back.
    let at = seed.find("let 上墙公示 = 1599").expect("the line") + "let 上墙公示 = ".len();
    let (mut check, mut total, mut round) = (Vec::new(), Vec::new(), Vec::new());
    for round_index in 0..ROUNDS {
        let digit = char::from(b'0' + (round_index % 10) as u8);
        let text = format!("{}{digit}{}", &seed[..at], &seed[at + 1..]);
        let body = serde_json::json!({ "path": "seed.gdr", "text": text }).to_string();
        let started = Instant::now();
        let head = post(port, "/api/check", &body);
        round.push(started.elapsed().as_secs_f64() * 1000.0);
        let timing = head
            .lines()
            .find_map(|line| line.strip_prefix("Server-Timing: "))
            .expect("Server-Timing");
        let figure = |name: &str| -> f64 {
            timing
                .split(", ")
                .find_map(|part| part.strip_prefix(&format!("{name};dur=")))
                .and_then(|value| value.parse().ok())
                .expect("a figure")
        };
        check.push(figure("check"));
        total.push(figure("total"));
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "gdr serve, POST /api/check of the seed report (20 KB) after a one-character edit, {ROUNDS} times (ms):"
    );
    println!("{:<44} {:>8} {:>8} {:>8}", "", "median", "p90", "max");
    for (name, figures) in [
        ("server: check (diagnostics, gdr check text)", &mut check),
        ("server: check + preview HTML", &mut total),
        ("round trip over loopback", &mut round),
    ] {
        figures.sort_by(f64::total_cmp);
        let at = |q: f64| figures[((figures.len() - 1) as f64 * q).round() as usize];
        println!(
            "{name:<44} {:>8.2} {:>8.2} {:>8.2}",
            at(0.5),
            at(0.9),
            at(1.0)
        );
    }
}

/// Sends a JSON POST; returns the response's head.
fn post(port: u16, target: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "POST {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split_whitespace().nth(1).unwrap_or("");
    assert_eq!(status, "200", "{response}");
    response
        .split_once("\r\n\r\n")
        .map_or(response.clone(), |(head, _)| head.to_string())
}
