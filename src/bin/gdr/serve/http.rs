//! The HTTP side of the studio: who may ask (the `Host`, the token, the
//! origin of a write), how big a body may be, the headers every response
//! carries, and which handler answers which path.

use std::io::Read;

use tiny_http::{Header, Method, Request, Response};

use super::BODY_LIMIT;
use super::api::{Reply, Studio};
use super::assets;

/// The page's policy: its own scripts and styles only (CodeMirror writes
/// its styles into `<style>` elements, hence `'unsafe-inline'` for styles,
/// never for scripts); the preview's `srcdoc` frame inherits it, so a
/// report's text cannot run as script there either.
const APP_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Who may ask: requests for this port only, and with the token when the
/// studio listens beyond this machine.
pub struct Guard {
    pub port: u16,
    pub token: Option<String>,
}

/// A token of 128 random bits, in hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let random =
        std::fs::File::open("/dev/urandom").and_then(|mut file| file.read_exact(&mut bytes));
    if random.is_err() {
        // No /dev/urandom (Windows): the standard library's random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |time| time.as_nanos()),
            );
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|header| header.field.equiv(name))
        .map(|header| header.value.as_str())
}

/// The value of `name` in a query string, percent-decoded; `None` when
/// missing or when it holds an encoded `/`, `\` or invalid UTF-8.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let raw = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })?;
    percent_decode(raw)
}

/// Percent-decodes `raw`; an encoded separator (`%2F`, `%5C`) or NUL is
/// refused rather than decoded, and so is invalid UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let byte = raw
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())?;
            if matches!(byte, b'/' | b'\\' | 0) {
                return None;
            }
            out.push(byte);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why a request was turned away before any handler saw it.
fn refuse(guard: &Guard, request: &Request) -> Option<(u16, &'static str)> {
    let host = header(request, "Host").unwrap_or("");
    let port = guard.port;
    match &guard.token {
        None => {
            let local = [
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ];
            if !local.iter().any(|name| name.eq_ignore_ascii_case(host)) {
                return Some((421, "unknown host"));
            }
        }
        Some(token) => {
            let given =
                query_param(request.url(), "token").or_else(|| cookie(request, "gdr_token"));
            if given.as_deref() != Some(token.as_str()) {
                return Some((403, "a token is needed: use the address printed at start"));
            }
        }
    }
    // Writes come from the page itself: JSON (which a form on another site
    // cannot send without a preflight this server never answers), and from
    // this origin when the browser names one.
    if *request.method() != Method::Get {
        let origin_ok = header(request, "Origin")
            .is_none_or(|origin| origin.strip_prefix("http://") == Some(host));
        let site_ok = header(request, "Sec-Fetch-Site")
            .is_none_or(|site| site == "same-origin" || site == "none");
        let json = header(request, "Content-Type")
            .is_some_and(|kind| kind.starts_with("application/json"));
        if !origin_ok || !site_ok {
            return Some((403, "cross-origin requests are refused"));
        }
        if !json {
            return Some((415, "the body must be JSON"));
        }
    }
    if request
        .body_length()
        .is_some_and(|length| length > BODY_LIMIT)
    {
        return Some((413, "the request body is too large"));
    }
    None
}

fn cookie(request: &Request, name: &str) -> Option<String> {
    header(request, "Cookie")?.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

/// Reads the body, at most [`BODY_LIMIT`] bytes.
fn body(request: &mut Request) -> Result<Vec<u8>, (u16, &'static str)> {
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(BODY_LIMIT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| (400, "the request body could not be read"))?;
    if bytes.len() > BODY_LIMIT {
        return Err((413, "the request body is too large"));
    }
    Ok(bytes)
}

/// Answers one request.
pub fn handle(mut request: Request, guard: &Guard, studio: &mut Studio) {
    let reply = match refuse(guard, &request) {
        Some((status, message)) => Reply::plain(status, message),
        None => route(&mut request, guard, studio),
    };
    let _ = request.respond(response(reply));
}

fn route(request: &mut Request, guard: &Guard, studio: &mut Studio) -> Reply {
    let url = request.url().to_string();
    let path = url.split_once('?').map_or(url.as_str(), |(path, _)| path);
    let method = request.method().clone();
    let query = |name: &str| query_param(&url, name);
    let lang = studio.lang_of(query("lang").as_deref());
    match (&method, path) {
        (Method::Get, "/") => {
            let mut reply = assets::page();
            // The token, once given in the address, goes on in a cookie that
            // only this site's requests carry.
            if let (Some(token), Some(_)) = (&guard.token, query("token")) {
                reply.headers.push((
                    "Set-Cookie",
                    format!("gdr_token={token}; Path=/; HttpOnly; SameSite=Strict"),
                ));
            }
            reply
        }
        (Method::Get, asset) if assets::get(asset).is_some() => {
            assets::get(asset).unwrap_or_else(|| Reply::plain(404, "not found"))
        }
        // No icon: an empty answer rather than a 404 in the console.
        (Method::Get, "/favicon.ico") => Reply {
            status: 204,
            content_type: "image/x-icon",
            body: Vec::new(),
            headers: Vec::new(),
        },
        (Method::Get, "/api/strings") => studio.strings(lang),
        (Method::Get, "/api/files") => studio.files(),
        (Method::Get, "/api/file") => studio.open(query("path").as_deref(), lang),
        (Method::Put, "/api/file") => match body(request) {
            Ok(bytes) => studio.save(query("path").as_deref(), &bytes, lang),
            Err((status, message)) => Reply::plain(status, message),
        },
        (Method::Post, endpoint) => {
            let bytes = match body(request) {
                Ok(bytes) => bytes,
                Err((status, message)) => return Reply::plain(status, message),
            };
            match endpoint {
                "/api/check" => studio.check(&bytes, lang),
                "/api/hover" => studio.hover(&bytes, lang),
                "/api/complete" => studio.complete(&bytes, lang),
                "/api/definition" => studio.definition(&bytes, lang),
                "/api/download" => studio.download(&bytes, lang),
                "/api/new" => studio.create(&bytes, lang),
                "/api/import" => studio.import(&bytes, lang),
                _ => Reply::plain(404, "not found"),
            }
        }
        _ => Reply::plain(404, "not found"),
    }
}

/// The reply with the headers every response carries.
fn response(reply: Reply) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    let mut headers: Vec<(&str, String)> = vec![
        ("Content-Type", reply.content_type.to_string()),
        ("Content-Security-Policy", APP_POLICY.to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("X-Frame-Options", "DENY".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        ("Cross-Origin-Opener-Policy", "same-origin".to_string()),
        ("Cross-Origin-Resource-Policy", "same-origin".to_string()),
        ("Cache-Control", "no-store".to_string()),
    ];
    headers.extend(reply.headers);
    for (name, value) in headers {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_separators_are_refused() {
        assert_eq!(
            query_param("/api/file?path=%E6%8A%A5.gdr", "path").as_deref(),
            Some("报.gdr")
        );
        assert_eq!(
            query_param("/api/file?x=1&path=sub/a.gdr", "path").as_deref(),
            Some("sub/a.gdr")
        );
        for bad in [
            "..%2Fa.gdr",
            "..%2fa.gdr",
            "..%5Ca.gdr",
            "a%00.gdr",
            "%FF.gdr",
            "%2",
        ] {
            assert_eq!(query_param(&format!("/?path={bad}"), "path"), None, "{bad}");
        }
    }

    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
