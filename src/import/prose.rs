//! Prose bound to the tables: where a paragraph of an imported report
//! restates a figure of its tables in one of the common wordings
//! (共收到政府信息公开申请16件, 予以公开13件, 行政复议1件, 制发规章0件, …),
//! or states a total followed by its breakdown (…信息1624条。其中…1599条，
//! …24条。), an `expect` after the paragraph ties the figure to its cell, or
//! the total to the sum of its parts, with the sentence quoted in a comment
//! above it. A failing `expect` is a warning (W0105), never an error: prose
//! may count differently.
//!
//! A post-pass over the imported source, whatever the reader: [`bind`]
//! parses it, reads each paragraph ([`claims`]) and inserts the
//! expectations, in `gdr fmt` form. Only unambiguous wordings are bound; a
//! sentence that could mean two things is left alone:
//!
//! - a count is digits directly followed by a built-in count unit
//!   (`16件`, `1624条`); digits in a date, a URL, a decimal, a number with
//!   thousands separators, an ordinal (`第3次`) or an approximate count
//!   (`约`, `近`, `超过`, `余`, `多`, `左右`, `以上`) are not counts;
//! - a figure is a count in 件 directly after its wording, in a sentence
//!   that, up to the count, compares with no other year (`同比`, `去年`, a
//!   year other than the report's);
//! - 共收到/受理政府信息公开申请 N件 is 本年新收 unless the sentence counts
//!   上年结转 in it (含上年结转, 其中上年结转, in brackets) or says 新收
//!   apart: some reports count the carried-over requests in their total;
//! - a breakdown is a count, then 其中, then at least two counts in the same
//!   unit, each ending a clause, up to the end of the sentence (a clause
//!   without a number ends the list early); one that lists the outcomes of
//!   requests (予以公开, 结转, 办结, …) is left to the table's own checks,
//!   since prose often mixes new and carried-over requests there.

use super::Imported;
use super::forms::{self, Form};
use crate::source::SourceFile;
use crate::syntax::{self, ast};

/// The import with its prose bound to its tables ([`bind`]).
pub fn bound(mut imported: Imported) -> Imported {
    imported.source = bind(&imported.source);
    imported
}

/// The imported report `source` with an `expect` after each paragraph that
/// restates a figure of its tables or breaks a total down, in `gdr fmt`
/// form. A source that does not parse is returned as it is.
pub fn bind(source: &str) -> String {
    let file = SourceFile::new("imported.gdr", source);
    let parsed = syntax::parse(&file);
    if !parsed.diagnostics.is_empty() {
        return source.to_string();
    }
    let tables = Tables::of(&parsed.document);
    let mut insertions: Vec<(usize, String)> = Vec::new();
    let mut titles = Vec::new();
    paragraphs(
        &parsed.document.items,
        &mut titles,
        &mut |paragraph, titles| {
            let Some(text) = plain_text(paragraph) else {
                return;
            };
            let context = Context {
                year: tables.year,
                review_section: titles
                    .iter()
                    .any(|title| title.contains("复议") || title.contains("诉讼")),
            };
            let mut lines = Vec::new();
            for group in claims(&text, &context) {
                let expects: Vec<String> = group
                    .claims
                    .iter()
                    .filter_map(|claim| tables.expect(claim))
                    .collect();
                if expects.is_empty() {
                    continue;
                }
                lines.push(format!("// 原文：“{}”", group.quote));
                lines.extend(expects);
            }
            if !lines.is_empty() {
                let end = paragraph.span.range().end;
                insertions.push(insertion_point(source, end, lines));
            }
        },
    );
    if insertions.is_empty() {
        return source.to_string();
    }
    insertions.sort_by_key(|(offset, _)| *offset);
    let mut text = String::with_capacity(source.len() + insertions.len() * 128);
    let mut from = 0;
    for (offset, insertion) in insertions {
        text.push_str(&source[from..offset]);
        text.push_str(&insertion);
        from = offset;
    }
    text.push_str(&source[from..]);
    crate::format::format(&text)
}

/// Where the lines go after a paragraph that ends at `end`: at the end of
/// its line when only white space or a comment follows it there, else
/// right after it; and the text to insert, a blank line after it.
fn insertion_point(source: &str, end: usize, lines: Vec<String>) -> (usize, String) {
    let line_end = source[end..].find('\n').map_or(source.len(), |k| end + k);
    let rest = source[end..line_end].trim();
    let at = if rest.is_empty() || rest.starts_with("//") {
        line_end
    } else {
        end
    };
    (at, format!("\n{}\n", lines.join("\n")))
}

/// Calls `visit` on every paragraph, with the titles of its sections.
fn paragraphs<'a>(
    items: &'a [ast::Item],
    titles: &mut Vec<&'a str>,
    visit: &mut dyn FnMut(&'a ast::Paragraph, &[&'a str]),
) {
    for item in items {
        match item {
            ast::Item::Paragraph(paragraph) => visit(paragraph, titles),
            ast::Item::Section(section) => {
                titles.push(&section.title.value);
                paragraphs(&section.items, titles, visit);
                titles.pop();
            }
            _ => {}
        }
    }
}

/// A paragraph's text, if it interpolates nothing (an import never does).
fn plain_text(paragraph: &ast::Paragraph) -> Option<String> {
    paragraph
        .pieces
        .iter()
        .map(|piece| match piece {
            ast::Piece::Text(text) => Some(text.as_str()),
            ast::Piece::Interpolation(_) => None,
        })
        .collect()
}

/// What is known of the paragraph's place in the report.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The report's year: a figure after another year in its sentence
    /// binds nothing.
    pub year: Option<u32>,
    /// The paragraph is in a section about 行政复议 or 行政诉讼, so that
    /// those words mean the cases about information disclosure.
    pub review_section: bool,
}

/// A figure of the official tables that prose restates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// 本年新收 (申请处理情况, column 总计).
    New,
    /// 上年结转.
    Carried,
    /// A row or group of 本年度办理结果: 予以公开, 部分公开, 不予公开,
    /// 无法提供, 不予处理 or 其他处理.
    Outcome(&'static str),
    /// 结转下年度继续办理.
    Forward,
    /// 行政复议, 总计.
    Review,
    /// 行政诉讼: both 总计 columns added.
    Litigation,
    /// 第二十条第（一）项: a row and a column.
    Normative(Normative, Measure),
}

/// A row of 第二十条第（一）项.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normative {
    /// 规章.
    Rules,
    /// 规范性文件 (2019) or 行政规范性文件 (2021).
    Documents,
}

/// A column of 第二十条第（一）项.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// 本年新制作数量 (2019) or 本年制发件数 (2021): 制发, 制定, 印发, …
    Made,
    /// 本年废止件数 (2021).
    Repealed,
    /// 现行有效件数 (2021).
    InForce,
}

/// What a sentence claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// A figure of the tables is `value` 件.
    Figure(Figure, String),
    /// `total` is the sum of `parts`, all in `unit`.
    Sum {
        total: String,
        parts: Vec<String>,
        unit: &'static str,
    },
}

/// The claims of one passage, with the passage quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The sentence (or sentences) as written.
    pub quote: String,
    pub claims: Vec<Claim>,
}

/// The claims of a paragraph's `text`, grouped by the sentences that make
/// them, in order.
pub fn claims(text: &str, context: &Context) -> Vec<Group> {
    let chars: Vec<char> = text.chars().collect();
    let counts = counts(&chars);
    // (the quoted range, where the claim is made, the claim)
    let mut found: Vec<(usize, usize, usize, Claim)> = Vec::new();
    let mut previous: Option<(Figure, usize)> = None;
    for count in &counts {
        let figure = figure_of(&chars, count, previous, context);
        previous = figure.map(|figure| (figure, count.end));
        if let Some(figure) = figure
            && let Some((start, end)) = sentence(&chars, count.start)
        {
            found.push((
                start,
                end,
                count.start,
                Claim::Figure(figure, count.value()),
            ));
        }
    }
    for (start, end, at, claim) in breakdowns(&chars, &counts) {
        found.push((start, end, at, claim));
    }
    found.sort_by_key(|(start, _, at, _)| (*start, *at));
    let mut groups: Vec<(usize, usize, Vec<Claim>)> = Vec::new();
    for (start, end, _, claim) in found {
        match groups.last_mut() {
            Some((_, last_end, claims)) if start < *last_end => {
                *last_end = (*last_end).max(end);
                claims.push(claim);
            }
            _ => groups.push((start, end, vec![claim])),
        }
    }
    groups
        .into_iter()
        .map(|(start, end, claims)| Group {
            quote: chars[start..end]
                .iter()
                .map(|&c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect::<String>()
                .trim()
                .to_string(),
            claims,
        })
        .collect()
}

/// The built-in count units, the longer first where one begins another.
const COUNT_UNITS: [&str; 13] = [
    "人次", "件", "条", "项", "次", "人", "个", "家", "户", "名", "份", "类", "天",
];

/// Where sentences end.
const TERMINATORS: &[char] = &['。', '！', '？', '!', '?', '\n'];

/// Where clauses end.
const DELIMITERS: &[char] = &[
    '。', '！', '？', '!', '?', '\n', '，', ',', '；', ';', '：', ':', '、', '（', '）', '(', ')',
];

/// A count as the prose writes it: `1624条`, in characters of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Count {
    /// The digits, ASCII, as written.
    digits: String,
    unit: &'static str,
    /// The first digit.
    start: usize,
    /// Just past the unit.
    end: usize,
    /// `约16件`, `16件以上`: not a figure to compare.
    approximate: bool,
}

impl Count {
    /// The number as a literal: no leading zeros.
    fn value(&self) -> String {
        let value = self.digits.trim_start_matches('0');
        if value.is_empty() {
            "0".to_string()
        } else {
            value.to_string()
        }
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn ascii_digit(c: char) -> char {
    if c.is_ascii_digit() {
        c
    } else {
        char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
    }
}

/// Whether `word` is written at `at`.
fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

/// Whether `word` is written just before `at`.
fn ends_with(chars: &[char], at: usize, word: &str) -> bool {
    let length = word.chars().count();
    at >= length && starts_with(chars, at - length, word)
}

/// Every count of the text, in order.
fn counts(chars: &[char]) -> Vec<Count> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if !is_digit(chars[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && is_digit(chars[k]) {
            k += 1;
        }
        out.extend(count_at(chars, start, k));
    }
    out
}

/// The count whose digits are `chars[start..digits_end]`, if they are one.
fn count_at(chars: &[char], start: usize, digits_end: usize) -> Option<Count> {
    if digits_end - start > 15 {
        return None;
    }
    if let Some(&before) = start.checked_sub(1).and_then(|k| chars.get(k)) {
        // Part of a word, a URL, a decimal, a date or an ordinal.
        if before.is_ascii_alphabetic() || "./_-:#%@=?&~第．·".contains(before) {
            return None;
        }
        // 1,624: thousands separators are not read.
        if (before == ',' || before == '，')
            && start
                .checked_sub(2)
                .is_some_and(|k| chars.get(k).is_some_and(|&c| is_digit(c)))
        {
            return None;
        }
    }
    let mut k = digits_end;
    if matches!(chars.get(k), Some('.' | '．' | ',' | '-' | '/' | ':'))
        && chars.get(k + 1).is_some_and(|&c| is_digit(c))
    {
        return None;
    }
    if chars.get(k) == Some(&' ') {
        k += 1;
    }
    let unit = COUNT_UNITS
        .into_iter()
        .find(|unit| starts_with(chars, k, unit))?;
    let end = k + unit.chars().count();
    // 件次, 个月, 个工作日, 个百分点: another measure.
    let next = chars.get(end).copied();
    if next == Some('次') || unit == "个" && matches!(next, Some('月' | '工' | '百' | '小' | '季'))
    {
        return None;
    }
    let approximate = [
        "约", "近", "逾", "超", "超过", "多于", "不足", "不到", "将近", "大约",
    ]
    .iter()
    .any(|word| ends_with(chars, start, word))
        || ["左右", "以上", "以下", "余", "多"]
            .iter()
            .any(|word| starts_with(chars, end, word));
    Some(Count {
        digits: chars[start..digits_end]
            .iter()
            .map(|&c| ascii_digit(c))
            .collect(),
        unit,
        start,
        end,
        approximate,
    })
}

/// The longest sentence read, in characters on either side of a count: a
/// longer one is no sentence a reader would compare (and the passes stay
/// linear in the length of the text).
const LONGEST: usize = 600;

/// The sentence around `at`: from just after the previous terminator to
/// just past the next one (or the end of the text); `None` if it is longer
/// than [`LONGEST`] on either side.
fn sentence(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let from = at.saturating_sub(LONGEST);
    let start = match chars[from..at]
        .iter()
        .rposition(|c| TERMINATORS.contains(c))
    {
        Some(k) => from + k + 1,
        None if from == 0 => 0,
        None => return None,
    };
    let to = (at + LONGEST).min(chars.len());
    let end = match chars[at..to].iter().position(|c| TERMINATORS.contains(c)) {
        Some(k) => at + k + 1,
        None if to == chars.len() => to,
        None => return None,
    };
    Some((start, end))
}

/// Where the clause that holds `at` starts, at `sentence_start` or after.
fn clause_start(chars: &[char], sentence_start: usize, at: usize) -> usize {
    chars[sentence_start..at]
        .iter()
        .rposition(|c| DELIMITERS.contains(c))
        .map_or(sentence_start, |k| sentence_start + k + 1)
}

/// The count that ends at `end` (counts are in order and do not overlap).
fn count_ending(counts: &[Count], end: usize) -> Option<&Count> {
    counts
        .binary_search_by_key(&end, |count| count.end)
        .ok()
        .map(|index| &counts[index])
}

/// The years (`2020年`) written in `chars`, in order.
fn years(chars: &[char]) -> Vec<u32> {
    let mut out = Vec::new();
    for k in 0..chars.len().saturating_sub(4) {
        let digits = &chars[k..k + 4];
        if chars[k + 4] == '年'
            && digits.iter().all(|&c| is_digit(c))
            && (k == 0 || !is_digit(chars[k - 1]))
        {
            let year: String = digits.iter().map(|&c| ascii_digit(c)).collect();
            out.extend(year.parse::<u32>().ok());
        }
    }
    out
}

/// Words that make a clause a comparison with another year.
const COMPARISONS: [&str; 5] = ["同比", "去年", "较上年", "比上年", "环比"];

/// Words that make an object other than a request for information.
const OTHER_OBJECTS: [&str; 13] = [
    "复议", "诉讼", "举报", "投诉", "信访", "建议", "提案", "热线", "留言", "来信", "咨询", "问政",
    "信箱",
];

/// The figure `count` restates, if its wording is unambiguous. `previous`
/// is the figure of the count just before, and where it ends: in
/// 制发规章0件、行政规范性文件3件 the verb carries over.
fn figure_of(
    chars: &[char],
    count: &Count,
    previous: Option<(Figure, usize)>,
    context: &Context,
) -> Option<Figure> {
    if count.unit != "件" || count.approximate {
        return None;
    }
    let (sentence_start, sentence_end) = sentence(chars, count.start)?;
    let clause = clause_start(chars, sentence_start, count.start);
    let before: String = chars[clause..count.start].iter().collect();
    let before = before.trim();
    let said: String = chars[sentence_start..count.start].iter().collect();
    if COMPARISONS.iter().any(|word| said.contains(word)) {
        return None;
    }
    if let Some(year) = context.year
        && years(&chars[sentence_start..count.start])
            .last()
            .is_some_and(|&written| written != year)
    {
        return None;
    }
    let sentence: String = chars[sentence_start..sentence_end].iter().collect();
    let figure = wording(before, &sentence, context);
    if figure.is_some() {
        return figure;
    }
    // 制发规章0件、行政规范性文件3件: the verb of the clause before.
    let (Figure::Normative(_, measure), previous_end) = previous? else {
        return None;
    };
    let row = match before {
        "规章" => Normative::Rules,
        "规范性文件" | "行政规范性文件" => Normative::Documents,
        _ => return None,
    };
    (clause == previous_end + 1 && matches!(chars[previous_end], '、' | '，' | ','))
        .then_some(Figure::Normative(row, measure))
}

/// The figure that the clause `before` a count in 件 names, within its
/// `sentence`.
fn wording(before: &str, sentence: &str, context: &Context) -> Option<Figure> {
    // 结转下年度继续办理 N件, 上年结转 N件.
    if let Some(k) = before.rfind("结转") {
        let rest = before[k + "结转".len()..].trim_start_matches(['至', '到']);
        const FORWARD: [&str; 8] = [
            "下年度继续办理",
            "下年度办理",
            "下年度",
            "下一年度继续办理",
            "下一年度办理",
            "下一年度",
            "下年继续办理",
            "下年",
        ];
        if FORWARD.contains(&rest) {
            return Some(Figure::Forward);
        }
        let head = &before[..k];
        if ["上年", "上年度", "上一年度"]
            .iter()
            .any(|word| head.ends_with(word))
            && request(rest, true)
        {
            return Some(Figure::Carried);
        }
    }
    // 本年新收政府信息公开申请 N件.
    if let Some(k) = before.rfind("新收") {
        let rest = before[k + "新收".len()..].trim_start_matches('到');
        if request(rest, true) {
            return Some(Figure::New);
        }
    }
    // 共收到/受理政府信息公开申请 N件, unless it may count 上年结转.
    if let Some((k, verb)) = ["收到", "受理", "接收", "接到"]
        .iter()
        .filter_map(|verb| before.rfind(verb).map(|k| (k, *verb)))
        .max()
    {
        let negated = before[..k].ends_with(['未', '没', '不']);
        let rest = before[k + verb.len()..].trim_start_matches('了');
        if !negated && request(rest, false) && rest.contains("公开") {
            return (!counts_carried(sentence)).then_some(Figure::New);
        }
    }
    // 予以公开 N件, …
    if let Some(outcome) = OUTCOMES.into_iter().find(|word| before.ends_with(word)) {
        let head = &before[..before.len() - outcome.len()];
        // 不予以公开, 部分予以公开.
        let other = outcome == "予以公开" && (head.ends_with('不') || head.ends_with("部分"));
        return (!other).then_some(Figure::Outcome(outcome));
    }
    // 行政复议 N件, 行政诉讼 N件: about information disclosure.
    let about_disclosure = context.review_section || sentence.contains("信息公开");
    if ["行政复议", "行政复议案件", "行政复议申请"]
        .iter()
        .any(|word| before.ends_with(word))
    {
        return about_disclosure.then_some(Figure::Review);
    }
    if ["行政诉讼", "行政诉讼案件"]
        .iter()
        .any(|word| before.ends_with(word))
    {
        return about_disclosure.then_some(Figure::Litigation);
    }
    // 制发规章 N件, 制定行政规范性文件 N件, 废止…, 现行有效…
    let (row, head) = [
        ("行政规范性文件", Normative::Documents),
        ("规范性文件", Normative::Documents),
        ("规章", Normative::Rules),
    ]
    .into_iter()
    .find_map(|(word, row)| {
        before
            .strip_suffix(word)
            .map(|head| (row, head.trim_end_matches('的')))
    })?;
    let measure = if ["制作", "制发", "制定", "出台", "印发"]
        .iter()
        .any(|verb| head.ends_with(verb))
    {
        Measure::Made
    } else if head.ends_with("废止") {
        Measure::Repealed
    } else if head.ends_with("现行有效") {
        Measure::InForce
    } else {
        return None;
    };
    Some(Figure::Normative(row, measure))
}

/// Whether a total of requests in `sentence` may count the requests
/// carried over from last year: 共受理申请17件（含上年结转1件）, …，其中上年
/// 结转1件, or a sentence that says 新收 apart. 共收到申请5件，上年结转0件
/// states both apart.
fn counts_carried(sentence: &str) -> bool {
    if sentence.contains("新收") {
        return true;
    }
    let chars: Vec<char> = sentence.chars().collect();
    (0..chars.len()).any(|k| {
        if !starts_with(&chars, k, "结转") {
            return false;
        }
        let mut after = k + 2;
        while matches!(chars.get(after), Some('至' | '到')) {
            after += 1;
        }
        if chars.get(after) == Some(&'下') {
            return false;
        }
        let clause = clause_start(&chars, 0, k);
        let lead: String = chars[clause..k].iter().collect();
        ["含", "其中", "包括"]
            .iter()
            .any(|word| lead.contains(word))
            || clause > 0 && matches!(chars[clause - 1], '（' | '(')
    })
}

/// Whether `object` (what comes between the verb and the count) names
/// requests for information: it says 申请 (or nothing, where `bare` may),
/// briefly, with no number and no other kind of case.
fn request(object: &str, bare: bool) -> bool {
    let object = object.trim_start_matches('的');
    if object.is_empty() {
        return bare;
    }
    object.contains("申请")
        && object.chars().count() <= 16
        && !object.chars().any(is_digit)
        && !OTHER_OBJECTS.iter().any(|word| object.contains(word))
}

/// The outcomes of requests, as the prose names them: the rows (or groups)
/// of 本年度办理结果 of the same names.
const OUTCOMES: [&str; 6] = [
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
];

/// Words that, besides [`OUTCOMES`], make a breakdown one of how requests
/// were handled.
const HANDLING: [&str; 6] = ["结转", "办结", "答复", "已办理", "正在办理", "办理中"];

/// Every total followed by its breakdown: (the quoted range, where the
/// total is, the claim).
fn breakdowns(chars: &[char], counts: &[Count]) -> Vec<(usize, usize, usize, Claim)> {
    let mut out = Vec::new();
    for at in 0..chars.len() {
        if !starts_with(chars, at, "其中") || sentence(chars, at).is_none() {
            continue;
        }
        // The total ends just before 其中, or before one mark.
        let mut end = at;
        while end > 0 && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if end > 0 && "，,。；;（(：:".contains(chars[end - 1]) {
            end -= 1;
        }
        while end > 0 && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        let Some(total) = count_ending(counts, end) else {
            continue;
        };
        if total.approximate {
            continue;
        }
        let Some((parts, last)) = parts(chars, counts, at + "其中".chars().count(), total.unit)
        else {
            continue;
        };
        let listed: String = chars[at..last].iter().collect();
        if OUTCOMES
            .iter()
            .chain(&HANDLING)
            .any(|word| listed.contains(word))
        {
            continue;
        }
        let (Some((start, _)), Some((_, end))) = (
            sentence(chars, total.start),
            sentence(chars, last.saturating_sub(1)),
        ) else {
            continue;
        };
        out.push((
            start,
            end,
            total.start,
            Claim::Sum {
                total: total.value(),
                parts: parts.iter().map(|part| part.value()).collect(),
                unit: total.unit,
            },
        ));
    }
    out
}

/// The parts of a breakdown that starts at `from` (just after 其中), each
/// a clause that ends with a count in `unit`, and where the last ends; at
/// least two, else `None`.
fn parts<'a>(
    chars: &[char],
    counts: &'a [Count],
    from: usize,
    unit: &str,
) -> Option<(Vec<&'a Count>, usize)> {
    let mut k = from;
    while k < chars.len() && chars[k].is_whitespace() {
        k += 1;
    }
    if k < chars.len() && "：:，,".contains(chars[k]) {
        k += 1;
    }
    let mut parts: Vec<&Count> = Vec::new();
    let mut last = k;
    loop {
        let start = k;
        while k < chars.len() && !"，,、；;。！？!?\n）)".contains(chars[k]) {
            k += 1;
        }
        let mut end = k;
        while end > start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        match count_ending(counts, end).filter(|count| count.start >= start) {
            Some(count) if count.unit == unit && !count.approximate => {
                parts.push(count);
                last = end;
            }
            Some(_) => return None,
            None => {
                // A clause with no number ends the list; one with a number
                // that is not a count in the unit cannot be told.
                let clause: String = chars[start..end].iter().collect();
                if parts.is_empty() || clause.chars().any(is_digit) || clause.contains(unit) {
                    return None;
                }
                break;
            }
        }
        if k >= chars.len() || !"，,、；;".contains(chars[k]) {
            break;
        }
        k += 1;
    }
    (parts.len() >= 2).then_some((parts, last))
}

/// The tables of the imported report, to name the cells a figure is in.
struct Tables {
    forms: Vec<Form>,
    /// (form, instance), in order.
    instances: Vec<(String, String)>,
    year: Option<u32>,
}

impl Tables {
    fn of(document: &ast::Document) -> Tables {
        let mut tables = Tables {
            forms: Vec::new(),
            instances: Vec::new(),
            year: None,
        };
        tables.collect(&document.items);
        tables
    }

    fn collect(&mut self, items: &[ast::Item]) {
        for item in items {
            match item {
                ast::Item::Use(ast::Use {
                    target: ast::UseTarget::Builtin(name),
                    alias: None,
                    ..
                }) => {
                    if let Some(forms) = forms::load(&name.value) {
                        self.forms.extend(forms);
                    }
                }
                ast::Item::Header(header) => {
                    for field in &header.fields {
                        let written = match &field.value {
                            ast::HeaderValue::Number(number) => &number.value,
                            ast::HeaderValue::Text(text) => &text.value,
                            _ => continue,
                        };
                        if field.key.value == "year" {
                            self.year = written.trim().parse().ok();
                        }
                    }
                }
                ast::Item::Instance(instance) => self.instances.push((
                    instance.form.value.to_string(),
                    instance.name.value.to_string(),
                )),
                ast::Item::Section(section) => self.collect(&section.items),
                _ => {}
            }
        }
    }

    /// The one instance of `form`, and the form.
    fn instance(&self, form: &str) -> Option<(&str, &Form)> {
        let mut names = self.instances.iter().filter(|(of, _)| of == form);
        let (_, name) = names.next()?;
        if names.next().is_some() {
            return None;
        }
        let shape = self.forms.iter().find(|shape| shape.name == form)?;
        Some((name, shape))
    }

    /// `表.行[列]`: the row named `row` (a leaf or a group, qualified by
    /// its groups) in the column at `column`, if the report has the table
    /// and its form both.
    fn cell(&self, form: &str, row: &str, column: &[&str]) -> Option<String> {
        let (table, shape) = self.instance(form)?;
        let row = shape.rows.iter().find_map(|entry| {
            let depth = entry.path.iter().position(|name| name == row)?;
            Some(entry.path[..=depth].join("."))
        })?;
        shape
            .columns
            .iter()
            .any(|entry| {
                entry.path.len() >= column.len()
                    && entry.path.iter().zip(column).all(|(a, b)| a == b)
            })
            .then(|| format!("{table}.{row}[{}]", column.join(".")))
    }

    /// The first of `names` that is a row (or column) of `form`.
    fn first_of<'a>(&self, form: &str, names: &[&'a str], columns: bool) -> Option<&'a str> {
        let (_, shape) = self.instance(form)?;
        let entries = if columns { &shape.columns } else { &shape.rows };
        names.iter().copied().find(|name| {
            entries
                .iter()
                .any(|entry| entry.path.iter().any(|part| part == name))
        })
    }

    /// The expression of the cells that hold `figure`.
    fn figure(&self, figure: Figure) -> Option<String> {
        const REQUESTS: &str = "申请处理情况";
        const CASES: &str = "复议诉讼情况";
        const ARTICLE: &str = "第二十条第一项";
        match figure {
            Figure::New => self.cell(REQUESTS, "新收", &["总计"]),
            Figure::Carried => self.cell(REQUESTS, "上年结转", &["总计"]),
            Figure::Forward => self.cell(REQUESTS, "结转下年", &["总计"]),
            Figure::Outcome(row) => self.cell(REQUESTS, row, &["总计"]),
            Figure::Review => self.cell(CASES, "件数", &["行政复议", "总计"]),
            Figure::Litigation => {
                let direct = self.cell(CASES, "件数", &["行政诉讼", "未经复议直接起诉", "总计"])?;
                let after = self.cell(CASES, "件数", &["行政诉讼", "复议后起诉", "总计"])?;
                Some(format!("{direct} + {after}"))
            }
            Figure::Normative(row, measure) => {
                let row = match row {
                    Normative::Rules => "规章",
                    Normative::Documents => {
                        self.first_of(ARTICLE, &["行政规范性文件", "规范性文件"], false)?
                    }
                };
                let column = match measure {
                    Measure::Made => {
                        self.first_of(ARTICLE, &["本年制发件数", "本年新制作数量"], true)?
                    }
                    Measure::Repealed => "本年废止件数",
                    Measure::InForce => "现行有效件数",
                };
                self.cell(ARTICLE, row, &[column])
            }
        }
    }

    /// The `expect` of a claim, if the report has the cells it needs.
    fn expect(&self, claim: &Claim) -> Option<String> {
        match claim {
            Claim::Figure(figure, value) => {
                Some(format!("expect {} == {value} 件", self.figure(*figure)?))
            }
            Claim::Sum { total, parts, unit } => {
                let parts: Vec<String> =
                    parts.iter().map(|part| format!("{part} {unit}")).collect();
                Some(format!("expect {total} {unit} == {}", parts.join(" + ")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            year: Some(2020),
            review_section: false,
        }
    }

    fn figures(text: &str) -> Vec<(Figure, String)> {
        claims(text, &context())
            .into_iter()
            .flat_map(|group| group.claims)
            .filter_map(|claim| match claim {
                Claim::Figure(figure, value) => Some((figure, value)),
                Claim::Sum { .. } => None,
            })
            .collect()
    }

    fn sums(text: &str) -> Vec<(String, Vec<String>, &'static str)> {
        claims(text, &context())
            .into_iter()
            .flat_map(|group| group.claims)
            .filter_map(|claim| match claim {
                Claim::Sum { total, parts, unit } => Some((total, parts, unit)),
                Claim::Figure(..) => None,
            })
            .collect()
    }

    fn figure(figure: Figure, value: &str) -> Vec<(Figure, String)> {
        vec![(figure, value.to_string())]
    }

    #[test]
    fn the_seed_breakdown_is_a_sum_quoted_with_both_sentences() {
        let text = "确保牢牢守住底线。围绕推进精准脱贫公开信息1624条。其中上墙公示扶贫信息1599条，网上公示扶贫信息24条。持续开展环境污染防治攻坚战。";
        assert_eq!(
            claims(text, &context()),
            vec![Group {
                quote: "围绕推进精准脱贫公开信息1624条。其中上墙公示扶贫信息1599条，网上公示扶贫信息24条。".into(),
                claims: vec![Claim::Sum {
                    total: "1624".into(),
                    parts: vec!["1599".into(), "24".into()],
                    unit: "条",
                }],
            }]
        );
    }

    #[test]
    fn a_breakdown_after_a_comma_and_a_colon_with_semicolons() {
        let text = "全年共审核发布各类公开政府信息249条，其中：发布行政公文和政策解读信息9条；机构设置和人事任免信息7条；重点工作39条；财政预决算信息6条；信息公开年度报告1条；政府信息公开指南1条；政府网站信息185条；政府信息公开制度1条。全年受理网络问政182件。";
        let parts = ["9", "7", "39", "6", "1", "1", "185", "1"]
            .map(String::from)
            .to_vec();
        assert_eq!(sums(text), vec![("249".into(), parts, "条")]);
        // 受理网络问政 is no request for information.
        assert_eq!(figures(text), vec![]);
    }

    #[test]
    fn a_breakdown_with_enumeration_commas_and_a_closing_clause() {
        let text = "共收到申请16件，其中自然人申请15件、法人或其他组织申请1件，均已按时答复。";
        assert_eq!(
            sums(text),
            vec![("16".into(), vec!["15".into(), "1".into()], "件")]
        );
    }

    #[test]
    fn breakdowns_that_cannot_be_told_bind_nothing() {
        for text in [
            // 余: the total is approximate; 一次 is not a count in digits.
            "共计5345余次，其中市长信箱155次，网民留言329次，12345服务热线4861次,主要领导参与“面对面”问政一次。",
            // Different units.
            "累计公开城乡低保14480人次，其中资金859.347万元，特困供养1906人次。",
            "公开信息30条，其中网站20条，微信10篇。",
            // One part is no breakdown.
            "共受理申请17件（其中上年结转1件）。",
            // A part that ends in 等, and a part in another unit.
            "公开信息30条，其中网站20条，微信10条等。",
            "公开信息30条，其中网站20条，微信10件。",
            // The first clause has no count.
            "公开信息30条，其中网站和微信共30条。",
            // Approximate parts.
            "公开信息30条，其中网站约20条，微信10条。",
            // Thousands separators and decimals are not read.
            "公开信息1,624条，其中网站1,599条，微信24条。",
        ] {
            assert_eq!(sums(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_breakdown_into_outcomes_is_left_to_the_tables() {
        let text =
            "共收到政府信息公开申请16件，其中予以公开13件，部分公开1件，结转下年度继续办理1件。";
        assert_eq!(sums(text), vec![]);
        assert_eq!(
            figures(text),
            vec![
                (Figure::New, "16".into()),
                (Figure::Outcome("予以公开"), "13".into()),
                (Figure::Outcome("部分公开"), "1".into()),
                (Figure::Forward, "1".into()),
            ]
        );
        // One sentence, one quote.
        assert_eq!(claims(text, &context()).len(), 1);
    }

    #[test]
    fn new_requests_in_the_common_wordings() {
        for text in [
            "2023年度我局共收到依申请信息公开26件，及时回复申请人",
            "本年度共受理政府信息公开申请26件。",
            "全年共收到政府信息公开申请26件。",
            "本年新收政府信息公开申请26件。",
            "全年接到依申请公开政府信息申请26件。",
        ] {
            let context = Context {
                year: Some(2023),
                review_section: false,
            };
            let found: Vec<_> = claims(text, &context)
                .into_iter()
                .flat_map(|group| group.claims)
                .collect();
            assert_eq!(
                found,
                vec![Claim::Figure(Figure::New, "26".into())],
                "{text}"
            );
        }
    }

    #[test]
    fn requests_that_may_count_the_carried_over_ones_bind_nothing() {
        for text in [
            // The sentence speaks of 结转: 17 may be 新收 + 上年结转.
            // Not received: no figure.
            "本年度未收到政府信息公开申请。",
            // Other objects.
            "共收到行政复议申请2件。",
            "共收到人大建议和政协提案12件。",
            "受理网络问政182件。",
            // Another year.
            "2019年共收到政府信息公开申请12件。",
            "与去年相比，收到政府信息公开申请16件。",
            // Approximate, and 件次.
            "共收到政府信息公开申请约16件。",
            "共收到政府信息公开申请16件次。",
        ] {
            assert_eq!(figures(text), vec![], "{text}");
        }
        // 上年结转 is not ambiguous.
        assert_eq!(
            figures("共受理政府信息公开申请17件（含上年结转1件）。"),
            figure(Figure::Carried, "1")
        );
        // A total that counts 上年结转, or beside 新收, is not 新收.
        for text in [
            "共受理政府信息公开申请17件（上年结转1件）。",
            "共受理政府信息公开申请17件，其中上年结转1件。",
            "共受理政府信息公开申请17件，包括上年结转1件。",
        ] {
            assert_eq!(figures(text), figure(Figure::Carried, "1"), "{text}");
        }
        assert_eq!(
            figures("共受理政府信息公开申请17件，本年新收16件。"),
            figure(Figure::New, "16")
        );
        // Stated apart, 上年结转 makes 共收到 no less clear.
        assert_eq!(
            figures("本年度共收到政府信息公开申请5件，上年结转0件，均已按时办结。"),
            vec![(Figure::New, "5".into()), (Figure::Carried, "0".into())]
        );
        // 上年结转 and 新收 stated apart bind each.
        assert_eq!(
            figures("本年新收申请16件，上年结转申请1件。"),
            vec![(Figure::New, "16".into()), (Figure::Carried, "1".into())]
        );
    }

    #[test]
    fn outcomes_and_what_is_carried_forward() {
        assert_eq!(
            figures("不予公开0件，无法提供2件，不予处理0件，其他处理0件。"),
            vec![
                (Figure::Outcome("不予公开"), "0".into()),
                (Figure::Outcome("无法提供"), "2".into()),
                (Figure::Outcome("不予处理"), "0".into()),
                (Figure::Outcome("其他处理"), "0".into()),
            ]
        );
        assert_eq!(
            figures("结转下年度继续办理1件。"),
            figure(Figure::Forward, "1")
        );
        assert_eq!(
            figures("结转至下一年度办理1件。"),
            figure(Figure::Forward, "1")
        );
        assert_eq!(
            figures("上一年度结转申请1件。"),
            figure(Figure::Carried, "1")
        );
        assert_eq!(figures("较上年结转申请1件。"), vec![]);
        // 不予以公开 and 部分予以公开 are not 予以公开.
        assert_eq!(figures("不予以公开3件。"), vec![]);
        assert_eq!(figures("部分予以公开3件。"), vec![]);
        // 主动公开 counts are not outcomes of requests.
        assert_eq!(figures("主动公开政府信息3件。"), vec![]);
    }

    #[test]
    fn reviews_and_lawsuits_about_disclosure() {
        assert_eq!(
            figures("因政府信息公开被申请行政复议1件，提起行政诉讼2件。"),
            vec![
                (Figure::Review, "1".into()),
                (Figure::Litigation, "2".into())
            ]
        );
        // Elsewhere, 行政复议 may be every case of the agency.
        assert_eq!(figures("全年办理行政复议案件45件。"), vec![]);
        let section = Context {
            year: Some(2020),
            review_section: true,
        };
        let found: Vec<_> = claims("本年度发生行政复议案件0件，行政诉讼案件0件。", &section)
            .into_iter()
            .flat_map(|group| group.claims)
            .collect();
        assert_eq!(
            found,
            vec![
                Claim::Figure(Figure::Review, "0".into()),
                Claim::Figure(Figure::Litigation, "0".into())
            ]
        );
        // Results are not totals.
        assert_eq!(figures("行政复议结果维持1件。"), vec![]);
    }

    #[test]
    fn rules_and_normative_documents() {
        assert_eq!(
            figures(
                "本年度制发规章0件、行政规范性文件3件，废止规范性文件1件，现行有效的规范性文件24件。"
            ),
            vec![
                (
                    Figure::Normative(Normative::Rules, Measure::Made),
                    "0".into()
                ),
                (
                    Figure::Normative(Normative::Documents, Measure::Made),
                    "3".into()
                ),
                (
                    Figure::Normative(Normative::Documents, Measure::Repealed),
                    "1".into()
                ),
                (
                    Figure::Normative(Normative::Documents, Measure::InForce),
                    "24".into()
                ),
            ]
        );
        // No verb, or another one: not a column of the form.
        for text in [
            "规范性文件3件。",
            "审查规范性文件12件。",
            "制定部门规章2件。",
            "清理规范性文件5件。",
        ] {
            assert_eq!(figures(text), vec![], "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_counts() {
        for text in [
            // A date, a URL, an ordinal, a decimal, a telephone number.
            "2020年1月1日起至12月31日止。",
            "网址http://www.example.gov.cn/16件",
            "第3件予以公开。",
            "予以公开1.5件。",
            "电话：0373—7375386",
            // 件次 and 个月 are other measures.
            "予以公开3件次。",
            "办理时限3个月。",
        ] {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(counts(&chars), vec![], "{text}");
        }
        // Full-width digits are read.
        assert_eq!(
            figures("予以公开１６件。"),
            figure(Figure::Outcome("予以公开"), "16")
        );
    }

    #[test]
    fn a_sentence_longer_than_the_longest_binds_nothing() {
        let long = "予以公开1件，".repeat(LONGEST);
        assert_eq!(figures(&long), vec![]);
        let breakdown = format!("信息30条，其中网站20条，微信10条{}", "，另".repeat(LONGEST));
        assert_eq!(sums(&breakdown), vec![]);
        // Sentences of a sensible length, however many, each bind.
        let many = "予以公开1件。".repeat(10 * LONGEST);
        assert_eq!(figures(&many).len(), 10 * LONGEST);
    }

    const HEADER: &str = "report {\n  title  \"某局2020年政府信息公开年度报告\"\n  agency \"某局\"\n  year   2020\n}\n\nuse gov_disclosure_2019\n\n";

    #[test]
    fn the_expect_goes_below_its_paragraph_in_fmt_form() {
        // A paragraph that shares its line with the section's brace (gdr
        // fmt keeps it there), and one with a comment after it.
        let source = format!(
            "{HEADER}section \"一、概述\" {{ \"公开信息30条，其中网站20条，微信10条。\" }}\n\nsection \"二\" {{\n  \"公开信息3条。其中网站2条，微信1条。\" // 原样\n  \"下一段。\"\n}}\n"
        );
        let bound = bind(&source);
        assert_eq!(
            &bound[HEADER.len()..],
            "section \"一、概述\" { \"公开信息30条，其中网站20条，微信10条。\"\n  // 原文：“公开信息30条，其中网站20条，微信10条。”\n  expect 30 条 == 20 条 + 10 条\n}\n\nsection \"二\" {\n  \"公开信息3条。其中网站2条，微信1条。\" // 原样\n  // 原文：“公开信息3条。其中网站2条，微信1条。”\n  expect 3 条 == 2 条 + 1 条\n\n  \"下一段。\"\n}\n"
        );
        assert_eq!(crate::format::format(&bound), bound);
        let compiled = crate::compile(&SourceFile::new("bound.gdr", bound));
        assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    }

    #[test]
    fn a_source_without_claims_or_that_does_not_parse_is_kept() {
        let source = format!("{HEADER}section \"一\" {{\n  \"无数字。\"\n}}\n");
        assert_eq!(bind(&source), source);
        let broken = "section \"一\" {\n  \"公开信息30条，其中网站20条，微信10条。\"\n";
        assert_eq!(bind(broken), broken);
    }
}
