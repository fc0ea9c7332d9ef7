//! Human text in two languages.
//!
//! Every word gdr shows a user is a [`Text`]: an English template with
//! named parameters, written at the site with [`tr!`](crate::tr). The
//! template is the key of the catalogue (`catalogue/zh-CN.txt`, gettext
//! style), which gives the Chinese template with the same parameters.
//! Rendering picks the language; codes, JSON field names and SARIF ids
//! never change. A test checks that every template in the source has a
//! translation with the same parameters.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The language of human text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `--lang`, else `GDR_LANG`, else the locale (`LC_ALL`, then `LANG`,
    /// starting with `zh`), else English. `lang` and `env` are passed in so
    /// that this stays free of I/O and testable.
    pub fn choose(lang: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
        let parse = |value: &str| {
            let value = value.trim().to_ascii_lowercase();
            if value.starts_with("zh") {
                Some(Lang::Zh)
            } else if value.starts_with("en") {
                Some(Lang::En)
            } else {
                None
            }
        };
        if let Some(lang) = lang.and_then(parse) {
            return lang;
        }
        if let Some(lang) = env("GDR_LANG").as_deref().and_then(parse) {
            return lang;
        }
        let locale = env("LC_ALL")
            .filter(|value| !value.is_empty())
            .or_else(|| env("LANG"));
        match locale {
            Some(locale) if locale.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// A parameter of a [`Text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Shown as it is in both languages: a name, a number, a path.
    Plain(String),
    /// Text that is itself translated.
    Text(Box<Text>),
    /// Alternatives: "a, b or c" / "a、b或c".
    OneOf(Vec<Text>),
    /// A list: "a, b and c" / "a、b和c".
    All(Vec<Text>),
    /// A run of items: "a, b, c" / "a，b，c".
    List(Vec<Text>),
}

/// A message: an English template and its named parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub template: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// A Han character (not CJK punctuation, which takes no space).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// What sets an inserted word apart from Han text by a space: inline code
/// (`` `…` ``), a file name or path, a Latin word. Numbers stay close, as
/// in 2020年度.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '`' | '<' | '>' | '/' | '_')
}

impl Text {
    pub fn new(template: &'static str) -> Text {
        Text {
            template,
            args: Vec::new(),
        }
    }

    /// Text that reads the same in every language: numbers, names.
    pub fn plain(text: impl Into<String>) -> Text {
        Text::new("{text}").arg("text", Arg::Plain(text.into()))
    }

    pub fn arg(mut self, name: &'static str, value: Arg) -> Text {
        self.args.push((name, value));
        self
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::En => self.template,
            Lang::Zh => zh_catalogue()
                .get(self.template)
                .copied()
                .unwrap_or(self.template),
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                self.args
                    .iter()
                    .find(|(arg, _)| *arg == name)
                    .map(|(_, value)| (close, value))
            });
            match value {
                Some((close, value)) => {
                    let value = value.render(lang);
                    rest = &after[close + 1..];
                    if lang == Lang::Zh {
                        // Chinese typography: a space between Han text and
                        // inserted code, a path or a Latin word.
                        let before = out.chars().next_back();
                        if before.is_some_and(is_han) && value.starts_with(is_latin) {
                            out.push(' ');
                        }
                        out.push_str(&value);
                        let next = rest.chars().next();
                        if next.is_some_and(is_han) && value.ends_with(is_latin) {
                            out.push(' ');
                        }
                    } else {
                        out.push_str(&value);
                    }
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The names of the `{parameters}` of a template.
    pub fn parameters(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close)
                    if close > 0
                        && after[..close]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    names.push(&after[..close]);
                    rest = &after[close + 1..];
                }
                _ => rest = after,
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }
}

impl Arg {
    /// The argument in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Plain(text) => text.clone(),
            Arg::Text(text) => text.render(lang),
            Arg::OneOf(items) => join(items, lang, " or ", "或"),
            Arg::All(items) => join(items, lang, " and ", "和"),
            Arg::List(items) => {
                let separator = match lang {
                    Lang::En => ", ",
                    Lang::Zh => "，",
                };
                let items: Vec<String> = items.iter().map(|item| item.render(lang)).collect();
                items.join(separator)
            }
        }
    }
}

/// "a, b or c" in English, "a、b或c" in Chinese.
fn join(items: &[Text], lang: Lang, last_en: &str, last_zh: &str) -> String {
    let items: Vec<String> = items.iter().map(|item| item.render(lang)).collect();
    match (items.as_slice(), lang) {
        ([], _) => String::new(),
        ([one], _) => one.clone(),
        ([init @ .., last], Lang::En) => format!("{}{last_en}{last}", init.join(", ")),
        ([init @ .., last], Lang::Zh) => {
            // 或 and 和 are Han: inline code on either side stands apart.
            let init = init.join("、");
            let before = if init.ends_with(is_latin) { " " } else { "" };
            let after = if last.starts_with(is_latin) { " " } else { "" };
            format!("{init}{before}{last_zh}{after}{last}")
        }
    }
}

/// What can be a parameter of a [`Text`]; taken by reference, so that the
/// site keeps its values.
pub trait ToArg {
    fn to_arg(&self) -> Arg;
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg {
        (**self).to_arg()
    }
}

impl ToArg for str {
    fn to_arg(&self) -> Arg {
        Arg::Plain(self.to_string())
    }
}

impl ToArg for String {
    fn to_arg(&self) -> Arg {
        Arg::Plain(self.clone())
    }
}

/// A name or number of the syntax tree.
impl ToArg for compact_str::CompactString {
    fn to_arg(&self) -> Arg {
        Arg::Plain(self.to_string())
    }
}

macro_rules! number_args {
    ($($type:ty),*) => {
        $(impl ToArg for $type {
            fn to_arg(&self) -> Arg {
                Arg::Plain(self.to_string())
            }
        })*
    };
}

number_args!(usize, i32, u32, u64, char);

impl ToArg for Text {
    fn to_arg(&self) -> Arg {
        Arg::Text(Box::new(self.clone()))
    }
}

impl ToArg for Arg {
    fn to_arg(&self) -> Arg {
        self.clone()
    }
}

/// The Chinese catalogue: English template → Chinese template.
pub fn zh_catalogue() -> &'static HashMap<&'static str, &'static str> {
    static CATALOGUE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    CATALOGUE.get_or_init(|| parse_catalogue(include_str!("catalogue/zh-CN.txt")))
}

/// Parses a catalogue: entries separated by blank lines, each an `en:` line
/// and a `zh:` line (`#` lines are comments).
pub fn parse_catalogue(text: &'static str) -> HashMap<&'static str, &'static str> {
    let mut out = HashMap::new();
    let mut english = None;
    for line in text.lines() {
        if let Some(en) = line.strip_prefix("en: ") {
            english = Some(en);
        } else if let (Some(zh), Some(en)) = (line.strip_prefix("zh:"), english.take()) {
            let zh = zh.trim();
            if !zh.is_empty() {
                out.insert(en, zh);
            }
        }
    }
    out
}

/// A [`Text`] from a template and named parameters:
/// `tr!("check failed in column {column}", column = name)`.
#[macro_export]
macro_rules! tr {
    ($template:literal $(,)?) => {
        $crate::diagnostics::Text::new($template)
    };
    ($template:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::diagnostics::Text::new($template)
            $(.arg(stringify!($name), $crate::diagnostics::text::ToArg::to_arg(&$value)))+
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_sets_inserted_code_apart_from_han_text() {
        let text = tr!("unexpected {found}", found = Text::plain("`,`"));
        assert_eq!(text.render(Lang::Zh), "此处不应出现 `,`");
        let list = Arg::OneOf(vec![
            Text::plain("一行"),
            Text::plain("`}`"),
            Text::plain("`=`"),
        ]);
        assert_eq!(list.render(Lang::Zh), "一行、`}` 或 `=`");
        // Numbers stay close to Han text, as in 2020年度; English is as written.
        assert_eq!(
            Arg::OneOf(vec![Text::plain("2020"), Text::plain("甲")]).render(Lang::Zh),
            "2020或甲"
        );
        assert_eq!(text.render(Lang::En), "unexpected `,`");
    }

    #[test]
    fn parameters_are_substituted_by_name() {
        let text = tr!(
            "row `{row}` has {found} cells",
            row = "新收",
            found = 3usize
        );
        assert_eq!(text.render(Lang::En), "row `新收` has 3 cells");
        assert_eq!(Text::parameters("a {x} `{…}` {y} {x}"), ["x", "y"]);
        // Braces that are no parameter stay.
        assert_eq!(tr!("use it as `{…}`").render(Lang::En), "use it as `{…}`");
    }

    #[test]
    fn alternatives_join_in_each_language() {
        let text = tr!(
            "expected {expected}",
            expected = Arg::OneOf(vec![tr!("a row"), tr!("`}`")])
        );
        assert_eq!(text.render(Lang::En), "expected a row or `}`");
    }

    #[test]
    fn the_language_is_chosen_by_flag_then_variable_then_locale() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            }
        };
        assert_eq!(Lang::choose(Some("zh"), env(&[])), Lang::Zh);
        assert_eq!(
            Lang::choose(Some("en"), env(&[("GDR_LANG", "zh")])),
            Lang::En
        );
        assert_eq!(Lang::choose(None, env(&[("GDR_LANG", "zh_CN")])), Lang::Zh);
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "zh_CN.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(
            Lang::choose(None, env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(Lang::choose(None, env(&[])), Lang::En);
    }
}
