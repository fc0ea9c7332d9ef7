//! Labels compared as printed: white space (any, including U+00A0 and the
//! ideographic space) and line breaks ignored, full-width ASCII forms
//! folded to half-width, and the usual pairs of Chinese and ASCII
//! punctuation made equal.

/// The form of a label that two printings of it share.
pub fn normalize(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}')
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '、' => ',',
            '。' => '.',
            '“' | '”' | '「' | '」' => '"',
            '‘' | '’' => '\'',
            '—' | '–' | '\u{2212}' => '-',
            c => c,
        })
        .collect()
}

/// Whether two labels are the same as printed.
pub fn same(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

/// A normalized label without its numbering: `一、`, `(一)`, `1.`, `1,`
/// (`1、`), `(1)`, `1)` at its start. Pages number the rows differently,
/// or not at all.
pub fn without_numbering(normalized: &str) -> &str {
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral = |c: char| c.is_ascii_digit() || NUMERALS.contains(c);
    if let Some(rest) = normalized.strip_prefix('(') {
        let inner = rest.trim_start_matches(numeral);
        if inner.len() < rest.len()
            && let Some(rest) = inner.strip_prefix(')')
        {
            return rest;
        }
        return normalized;
    }
    let rest = normalized.trim_start_matches(numeral);
    if rest.len() < normalized.len()
        && let Some(rest) = rest.strip_prefix(['.', ',', ')'])
    {
        return rest;
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_half_width_punctuation_are_the_same() {
        assert!(same("第二十条第（一）项", "第二十条第(一)项"));
        assert!(same("1.属于国家秘密", "1．属于国家秘密"));
        assert!(same("本年增/减", "本年增／减"));
        assert!(same("3.危及“三安全一稳定”", "3.危及\"三安全一稳定\""));
        assert!(same("\u{2212}2", "-2"));
    }

    #[test]
    fn numbering_variants() {
        let bare = |label: &str| without_numbering(&normalize(label)).to_string();
        assert_eq!(bare("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(bare("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(bare("（一）予以公开"), "予以公开");
        assert_eq!(
            bare("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(bare("(1)其他"), "其他");
        assert_eq!(bare("2023年"), "2023年");
        assert_eq!(bare("(本列数据)"), "(本列数据)");
    }

    #[test]
    fn white_space_and_line_breaks_are_ignored() {
        assert!(same("本年新\n制作数量", "本年新制作数量"));
        assert!(same(" 规章\u{a0}", "规章"));
        assert!(same("行政\u{3000}许可", "行政许可"));
        assert!(!same("规范性文件", "行政规范性文件"));
    }
}
