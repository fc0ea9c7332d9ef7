//! The page: `web/dist/`, built from `web/src/` by `web/build.sh` and
//! committed, embedded here so that building gdr needs no Node.

use super::api::Reply;

const INDEX: &[u8] = include_bytes!("../../../../web/dist/index.html");
const SCRIPT: &[u8] = include_bytes!("../../../../web/dist/app.js");
const STYLE: &[u8] = include_bytes!("../../../../web/dist/app.css");

fn asset(content_type: &'static str, body: &[u8]) -> Reply {
    Reply {
        status: 200,
        content_type,
        body: body.to_vec(),
        headers: Vec::new(),
    }
}

/// The studio's page.
pub fn page() -> Reply {
    asset("text/html; charset=utf-8", INDEX)
}

/// A script or style sheet of the page.
pub fn get(path: &str) -> Option<Reply> {
    match path {
        "/app.js" => Some(asset("text/javascript; charset=utf-8", SCRIPT)),
        "/app.css" => Some(asset("text/css; charset=utf-8", STYLE)),
        _ => None,
    }
}
