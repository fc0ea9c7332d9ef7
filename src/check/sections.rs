//! W0104: the sections that a used library requires of a report, matched by
//! their topic and in order, and a numeral that two top-level sections use.
//!
//! The libraries say which sections are required (their `section "…" {}`
//! items, in order); what each official section is about is this module's
//! table, [`TOPICS`]: the library language has no way to attach keywords to
//! a section, and the official topics are fixed by 《条例》第五十条.

use crate::tr;

use super::Checker;
use crate::diagnostics::{Arg, Code, Diagnostic, Text};
use crate::span::Span;
use crate::syntax::ast;

/// An official section's topic: a report's title is on it when the title
/// contains one of its keywords.
struct Topic {
    keywords: &'static [&'static str],
}

/// The topics of the six official sections, in order (LANGUAGE.md §9,
/// rule 28). A library's required title takes the first topic it is on;
/// the first keyword of each is the official one, which the help names.
const TOPICS: &[Topic] = &[
    // 一、总体情况 (「一、概述」, 「一、基本情况」)
    Topic {
        keywords: &["总体", "概述", "概况", "基本情况", "综述", "总述"],
    },
    // 二、主动公开政府信息情况
    Topic {
        keywords: &["主动公开"],
    },
    // 三、收到和处理政府信息公开申请情况 (「三、依申请公开情况」)
    Topic {
        keywords: &["申请"],
    },
    // 四、政府信息公开行政复议、行政诉讼情况
    Topic {
        keywords: &["复议", "诉讼"],
    },
    // 五、存在的主要问题及改进情况 (「…及整改措施」, 「存在的不足…」)
    Topic {
        keywords: &["问题", "不足", "改进", "整改"],
    },
    // 六、其他需要报告的事项 (「其它」)
    Topic {
        keywords: &["其他", "其它", "需要报告"],
    },
];

/// How a required section is recognised in a report.
#[derive(Clone, Copy)]
enum Matcher<'t> {
    /// An official section: by its topic, whatever the numeral.
    Topic(&'static Topic),
    /// A section a library of the user's requires: by its numeral prefix
    /// (`一、`), or its whole title when it has none.
    Numeral(&'t str),
}

impl Matcher<'_> {
    fn of(title: &str) -> Matcher<'_> {
        match TOPICS.iter().find(|topic| topic.covers(title)) {
            Some(topic) => Matcher::Topic(topic),
            None => Matcher::Numeral(numeral(title).unwrap_or(title)),
        }
    }

    fn accepts(self, title: &str) -> bool {
        match self {
            Matcher::Topic(topic) => topic.covers(title),
            Matcher::Numeral(prefix) => numeral(title).unwrap_or(title) == prefix,
        }
    }

    /// How the help says a title matches.
    fn describe(self) -> Text {
        match self {
            Matcher::Topic(topic) => tr!(
                "a title matches by its topic: it contains {keywords}",
                keywords = Arg::OneOf(
                    topic
                        .keywords
                        .iter()
                        .map(|word| Text::plain(format!("「{word}」")))
                        .collect()
                )
            ),
            Matcher::Numeral(prefix) => {
                tr!(
                    "a title matches by its numeral (`{prefix}`)",
                    prefix = prefix
                )
            }
        }
    }
}

impl Topic {
    fn covers(&self, title: &str) -> bool {
        self.keywords.iter().any(|word| title.contains(word))
    }
}

impl Checker<'_> {
    /// W0104: the sections a used library requires, by topic and in order
    /// (one warning per missing or misplaced section), and each numeral
    /// that several top-level sections use; all on the header.
    pub(super) fn check_required_sections(&mut self, document: &ast::Document) {
        let Some((library, required)) = self.libraries.iter().find_map(|library| {
            let titles = library.required_sections();
            (!titles.is_empty()).then_some((library.name.as_str(), titles))
        }) else {
            return;
        };
        let present = top_level_titles(document);
        let anchor = document
            .items
            .iter()
            .find_map(|item| match item {
                ast::Item::Header(header) => Some(header.keyword),
                _ => None,
            })
            .unwrap_or_default();
        let matchers: Vec<Matcher> = required.iter().map(|title| Matcher::of(title)).collect();
        let matched = align(&matchers, &present);
        for (index, title) in required.iter().enumerate() {
            if matched[index].is_some() {
                continue;
            }
            let matcher = matchers[index];
            // On its topic, but not in order: a section that no required
            // section took.
            let elsewhere = present
                .iter()
                .enumerate()
                .find(|&(at, found)| !matched.contains(&Some(at)) && matcher.accepts(&found.value))
                .map(|(_, found)| found);
            let message = match elsewhere {
                Some(_) => tr!("section `{title}` is out of order", title = *title),
                None => tr!("section `{title}` is missing", title = *title),
            };
            let mut diagnostic = Diagnostic::new(Code::MissingSection, message).primary(
                anchor,
                tr!(
                    "`{library}` requires the six sections in order",
                    library = library
                ),
            );
            if let Some(found) = elsewhere {
                diagnostic = diagnostic.secondary(
                    found.span,
                    tr!(
                        "on the topic of `{title}`, but out of order",
                        title = *title
                    ),
                );
            } else if let Some(prefix) = numeral(title)
                && let Some(found) = present
                    .iter()
                    .find(|found| numeral(&found.value) == Some(prefix))
            {
                // 「二、工作机制保障」 where 二 is 主动公开.
                diagnostic = diagnostic.secondary(
                    found.span,
                    tr!("numbered `{prefix}`, but on another topic", prefix = prefix),
                );
            }
            let help = match elsewhere {
                Some(_) => {
                    tr!("move it to its place: the official sections come in the order 一 to 六")
                }
                None => tr!(
                    "add `section \"{title}\" { … }` in its place; {how}",
                    title = *title,
                    how = matcher.describe()
                ),
            };
            self.diagnostics.push(diagnostic.help(help));
        }
        self.repeated_numerals(&present, anchor);
    }

    /// W0104 for the numerals (`一、`) that more than one top-level section
    /// uses: a report with a structure of its own, or a second list of
    /// sections where sub-sections were meant. One warning for them all,
    /// with every title involved labelled.
    fn repeated_numerals(&mut self, present: &[&ast::Text], anchor: Span) {
        let mut repeated: Vec<&str> = Vec::new();
        for (index, title) in present.iter().enumerate() {
            if let Some(prefix) = numeral(&title.value)
                && !repeated.contains(&prefix)
                && present[..index]
                    .iter()
                    .any(|earlier| numeral(&earlier.value) == Some(prefix))
            {
                repeated.push(prefix);
            }
        }
        if repeated.is_empty() {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Code::MissingSection,
            tr!(
                "top-level sections are numbered {numerals} more than once",
                numerals = Arg::All(
                    repeated
                        .iter()
                        .map(|prefix| Text::plain(format!("`{prefix}`")))
                        .collect()
                )
            ),
        )
        .primary(
            anchor,
            tr!("the official sections are numbered 一 to 六, once each"),
        );
        let mut seen: Vec<&str> = Vec::new();
        for title in present {
            let Some(prefix) = numeral(&title.value).filter(|prefix| repeated.contains(prefix))
            else {
                continue;
            };
            let label = if seen.contains(&prefix) {
                tr!("`{prefix}` again", prefix = prefix)
            } else {
                seen.push(prefix);
                tr!("`{prefix}` first", prefix = prefix)
            };
            diagnostic = diagnostic.secondary(title.span, label);
        }
        self.diagnostics.push(diagnostic.help(tr!(
            "number the report's own parts as sections nested in the official ones: （一）、（二）…"
        )));
    }
}

/// For each required section, the index of the present section it matches:
/// the longest run of required sections that the report has in order (a
/// longest common subsequence), so that one stray title cannot put every
/// later section out of order.
fn align(required: &[Matcher], present: &[&ast::Text]) -> Vec<Option<usize>> {
    let (rows, columns) = (required.len(), present.len());
    // best[i][j]: how many of required[i..] match in order within present[j..].
    let mut best = vec![vec![0usize; columns + 1]; rows + 1];
    for i in (0..rows).rev() {
        for j in (0..columns).rev() {
            best[i][j] = if required[i].accepts(&present[j].value) {
                best[i + 1][j + 1] + 1
            } else {
                best[i + 1][j].max(best[i][j + 1])
            };
        }
    }
    let mut matched = vec![None; rows];
    let (mut i, mut j) = (0, 0);
    while i < rows && j < columns {
        if required[i].accepts(&present[j].value) && best[i][j] == best[i + 1][j + 1] + 1 {
            matched[i] = Some(j);
            i += 1;
            j += 1;
        } else if best[i + 1][j] >= best[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    matched
}

/// The titles of a document's top-level sections, with where they are
/// written; a section that did not parse is there, not missing.
fn top_level_titles(document: &ast::Document) -> Vec<&ast::Text> {
    document
        .items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Section(section) => Some(&section.title),
            ast::Item::Error(broken) => broken.title.as_ref(),
            _ => None,
        })
        .collect()
}

/// The numeral prefix of a section title: `一、` of `一、总体情况`; `None`
/// when the title does not start with a numeral (Chinese or Arabic) and `、`.
fn numeral(title: &str) -> Option<&str> {
    let index = title.find('、')?;
    let digits = &title[..index];
    let is_numeral = !digits.is_empty()
        && digits
            .chars()
            .all(|c| "〇零一二三四五六七八九十百".contains(c) || c.is_ascii_digit());
    is_numeral.then(|| &title[..index + '、'.len_utf8()])
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICIAL: [&str; 6] = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ];

    /// The index of the topic a title is on first.
    fn topic_of(title: &str) -> Option<usize> {
        TOPICS.iter().position(|topic| topic.covers(title))
    }

    #[test]
    fn each_official_title_is_on_its_own_topic() {
        for (index, title) in OFFICIAL.iter().enumerate() {
            assert_eq!(topic_of(title), Some(index), "{title}");
            let others: Vec<usize> = (0..TOPICS.len())
                .filter(|&other| other != index && TOPICS[other].covers(title))
                .collect();
            assert!(others.is_empty(), "{title} is also on {others:?}");
        }
    }

    #[test]
    fn the_built_in_libraries_require_the_official_titles() {
        for name in ["gov_disclosure_2019", "gov_disclosure_2021"] {
            let document = crate::modules::builtin_document(name).expect("built in");
            assert_eq!(crate::modules::section_titles(document), OFFICIAL, "{name}");
        }
    }

    #[test]
    fn local_wording_is_on_the_official_topic() {
        for (title, topic) in [
            ("一、概述", 0),
            ("一、基本情况", 0),
            ("一、总体概况", 0),
            ("二、主动公开情况", 1),
            ("三、依申请公开情况", 2),
            ("四、行政复议和行政诉讼情况", 3),
            ("五、存在的主要问题及整改措施", 4),
            ("五、存在的不足及改进措施", 4),
            ("六、其它需要报告的事项", 5),
            ("六、需要报告的其他事项", 5),
        ] {
            assert_eq!(topic_of(title), Some(topic), "{title}");
        }
        assert_eq!(topic_of("二、工作机制保障"), None);
        assert_eq!(topic_of("说明"), None);
    }

    #[test]
    fn a_title_on_two_topics_takes_the_place_that_fits() {
        // 「因…被申请行政复议」 (the wording of 《条例》第五十条) is on 三's
        // topic as well as 四's; in order, it is 四.
        let found = aligned(&[
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]);
        assert_eq!(
            found,
            [Some(0), Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
    }

    #[test]
    fn numerals_are_chinese_or_arabic_before_a_comma() {
        assert_eq!(numeral("一、总体情况"), Some("一、"));
        assert_eq!(numeral("十二、附则"), Some("十二、"));
        assert_eq!(numeral("3、其他"), Some("3、"));
        assert_eq!(numeral("说明"), None);
        assert_eq!(numeral("复议、诉讼"), None);
        assert_eq!(numeral("（一）主动公开"), None);
    }

    fn texts(titles: &[&str]) -> Vec<ast::Text> {
        titles
            .iter()
            .map(|title| ast::Text {
                value: (*title).into(),
                span: Span::default(),
            })
            .collect()
    }

    fn aligned(present: &[&str]) -> Vec<Option<usize>> {
        let matchers: Vec<Matcher> = OFFICIAL.iter().map(|title| Matcher::of(title)).collect();
        let present = texts(present);
        let refs: Vec<&ast::Text> = present.iter().collect();
        align(&matchers, &refs)
    }

    #[test]
    fn a_stray_title_does_not_put_the_rest_out_of_order() {
        // 六 before 二: only 六 is out of order, not 二 to 五.
        let found = aligned(&[
            "一、总体情况",
            "六、其他需要报告的事项",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
        ]);
        assert_eq!(
            found,
            [Some(0), Some(2), Some(3), Some(4), Some(5), None],
            "{found:?}"
        );
    }

    #[test]
    fn a_numeral_on_another_topic_does_not_count() {
        let found = aligned(&[
            "一、总体情况",
            "二、工作机制保障",
            "三、收到和处理政府信息公开申请情况",
        ]);
        assert_eq!(found, [Some(0), None, Some(2), None, None, None]);
    }
}
