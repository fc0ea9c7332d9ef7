//! The page's bytes as text. The encoding is, in this order: the BOM's;
//! UTF-8 if the bytes are UTF-8 (portals that moved to UTF-8 often keep
//! their old `charset=gb2312`); the one `<meta charset>` (or `http-equiv`
//! `content="…; charset=…"`) declares in the first 4 KB, if it reads the
//! page without error; else the one `chardetng` detects (a W0603, since it
//! is a guess). A page no encoding reads without error is refused
//! rather than imported garbled.

use encoding_rs::{Encoding, UTF_8};

use super::super::Warning;
use crate::diagnostics::Code;
use crate::import::Failure;
use crate::tr;

pub fn decode(bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<String, Failure> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom..]).ok_or_else(super::unreadable_encoding);
    }
    // Chinese text in GBK is practically never valid UTF-8, while a GBK
    // decoder reads most UTF-8 without error, as garbage: pages that are
    // UTF-8 whatever they declare are read as UTF-8.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    if let Some(declared) = declared(bytes)
        && let Some(text) = strict(declared, bytes)
    {
        return Ok(text);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(None, true);
    let text = strict(guessed, bytes).ok_or_else(super::unreadable_encoding)?;
    warnings.push(Warning {
        code: Code::ImportGuess,
        line: None,
        column: None,
        message: tr!(
            "the page does not say its encoding (no BOM, no <meta charset> that reads it); it is read as {encoding}, which its bytes look like",
            encoding = guessed.name()
        ),
    });
    Ok(text)
}

/// The text in `encoding`, if every byte reads.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

/// The encoding `<meta charset>` declares in the first 4 KB. As browsers
/// do, a declared UTF-16 is read as UTF-8 (the bytes are ASCII-compatible,
/// or the meta could not have been read).
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"charset") {
        let mut at = from + at + b"charset".len();
        from = at;
        while lower.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        if lower.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while lower
            .get(at)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            at += 1;
        }
        let end = lower[at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'>' | b'/'))
            .map_or(lower.len(), |end| at + end);
        if let Some(encoding) = Encoding::for_label(&lower[at..end]) {
            return Some(if encoding.name().starts_with("UTF-16") {
                UTF_8
            } else {
                encoding
            });
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    #[test]
    fn by_bom_meta_utf8_or_detection() {
        let mut warnings = Vec::new();
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>年度报告</body></html>";
        assert_eq!(decode(&gbk(page), &mut warnings).unwrap(), page);
        assert!(warnings.is_empty());
        let page = "<meta charset=utf-8><p>年度报告</p>";
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend(page.as_bytes());
        assert_eq!(decode(&bom, &mut warnings).unwrap(), page);
        // A page that says GBK but is UTF-8 is read as UTF-8.
        let page = "<meta charset=\"GBK\"><p>沭阳县发展和改革局政府信息公开年度报告</p>";
        assert_eq!(decode(page.as_bytes(), &mut warnings).unwrap(), page);
        assert!(warnings.is_empty());
        // Undeclared GBK is detected, with a warning.
        let page = "<p>沭阳县发展和改革局2023年政府信息公开年度报告：本年新收政府信息公开申请数量，予以公开。</p>";
        assert_eq!(decode(&gbk(page), &mut warnings).unwrap(), page);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, Code::ImportGuess);
    }
}
