//! `gdr serve [DIR]`: the report studio, a page in the browser where the
//! people who write reports open, edit, check, preview, save and download
//! the `.gdr` files of one directory.
//!
//! The server is tiny_http, synchronous, on one thread: it serves one
//! person on their own machine, and a check of a report takes
//! milliseconds. The page (`web/`, built into `web/dist/` and embedded
//! here) talks to a small JSON API; the checking is the library's, the same
//! as `gdr lsp`'s (`gdr::compile_for_editor`, `gdr::ide`).
//!
//! Safe to leave running: it listens on 127.0.0.1 unless `--listen` says
//! otherwise, and then wants the token printed at start; it answers only
//! requests whose `Host` is its own address (against DNS rebinding), only
//! same-origin JSON writes, bodies up to [`BODY_LIMIT`], and only for
//! `.gdr` files inside the directory (`serve/paths.rs`). Every response
//! carries a Content-Security-Policy; the preview is shown in a sandboxed
//! frame where no script runs.

mod api;
mod assets;
mod http;
mod paths;
mod ui;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use gdr::diagnostics::Lang;
use gdr::tr;

use crate::options::FontOptions;
use crate::output::fail;

/// The largest request body: the studio refuses more with 413.
pub const BODY_LIMIT: usize = 16 << 20;

/// The arguments of `gdr serve` (its description is the doc comment of `Command::Serve`).
#[derive(clap::Args)]
pub struct Args {
    /// The directory whose `.gdr` files the studio shows (default: the
    /// current directory). Nothing outside it is read or written.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8421)]
    port: u16,
    /// Open the studio in the web browser.
    #[arg(long)]
    open: bool,
    /// Listen on this address (e.g. 0.0.0.0) instead of 127.0.0.1; the
    /// address printed at start then holds a token that every visitor needs.
    #[arg(long, value_name = "ADDRESS")]
    listen: Option<IpAddr>,
    /// Where the PDF download finds its fonts, as for `gdr build -f pdf`.
    #[command(flatten)]
    fonts: FontOptions,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let root = match paths::Root::new(&args.dir) {
        Ok(root) => root,
        Err(error) => {
            let message = tr!(
                "cannot serve `{path}`: {error}",
                path = args.dir.display().to_string(),
                error = error.to_string()
            );
            return fail(&message, lang);
        }
    };
    let address = SocketAddr::new(
        args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        args.port,
    );
    let server = match tiny_http::Server::http(address) {
        Ok(server) => server,
        Err(error) => {
            let message = tr!(
                "cannot listen on {address}: {error}",
                address = address.to_string(),
                error = error.to_string()
            );
            return fail(&message, lang);
        }
    };
    let port = server
        .server_addr()
        .to_ip()
        .map_or(args.port, |address| address.port());
    let token = args.listen.map(|_| http::new_token());
    let shown_host = match args.listen {
        Some(ip) if !ip.is_unspecified() => SocketAddr::new(ip, port).to_string(),
        _ => format!("127.0.0.1:{port}"),
    };
    let url = match &token {
        Some(token) => format!("http://{shown_host}/?token={token}"),
        None => format!("http://{shown_host}/"),
    };
    let message = tr!(
        "the studio of {dir} is at {url} (Ctrl+C stops it)",
        dir = root.dir().display().to_string(),
        url = url.clone()
    );
    println!("{}", message.render(lang));
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url, lang);
    }
    let mut studio = api::Studio::new(root, lang, args.fonts.clone());
    let guard = http::Guard { port, token };
    for request in server.incoming_requests() {
        http::handle(request, &guard, &mut studio);
    }
    ExitCode::SUCCESS
}

/// Opens `url` in the system's browser; says so when it cannot.
fn open_browser(url: &str, lang: Lang) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if command.is_err() {
        let message = tr!("cannot open a browser: open {url} yourself", url = url);
        eprintln!("{}", message.render(lang));
    }
}
