//! A light, forgiving HTML parser: elements and text in a tree, each with
//! the byte where it starts (for line numbers), entities decoded, the
//! content of `<script>`/`<style>` kept raw, comments dropped. It closes
//! what real pages leave open the way browsers do for the elements that
//! matter here (`<p>`, `<li>`, `<tr>`, `<td>`, `<th>`); an end tag with no
//! open element of its name is ignored.

/// An index into the tree's nodes, in document order.
pub type NodeId = usize;

#[derive(Debug)]
struct Node {
    /// The element's name (lower case), or empty for text.
    name: String,
    attrs: Vec<(String, String)>,
    /// The text of a text node, entities decoded.
    text: String,
    start: usize,
    parent: Option<NodeId>,
    children: Vec<NodeId>,
}

#[derive(Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    /// The outermost `<table>` still open where the page ends: a page cut
    /// off in the middle of a table.
    pub unclosed_table: Option<NodeId>,
}

const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "frame",
];

const RAW: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "noscript"];

/// How deep elements nest at most: deeper ones are attached to the element
/// at this depth (real pages nest a few dozen levels; a page of 100,000
/// unclosed `<span>`s must not exhaust the stack of the passes that
/// recurse over the tree).
const MAX_DEPTH: usize = 256;

/// Start tags that close an open `<p>`.
const CLOSES_P: [&str; 27] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "div",
    "dl",
    "fieldset",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "center",
    "li",
];

pub fn parse(html: &str) -> Tree {
    let mut tree = Tree {
        unclosed_table: None,
        nodes: vec![Node {
            name: "#document".into(),
            attrs: Vec::new(),
            text: String::new(),
            start: 0,
            parent: None,
            children: Vec::new(),
        }],
    };
    let mut stack: Vec<NodeId> = vec![0];
    let bytes = html.as_bytes();
    let mut at = 0;
    let mut text_start = 0;
    while at < bytes.len() {
        let Some(offset) = memchr(b'<', &bytes[at..]) else {
            break;
        };
        let lt = at + offset;
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        if next == b'!' || next == b'?' {
            tree.push_text(&stack, &html[text_start..lt], text_start);
            at = if html[lt..].starts_with("<!--") {
                html[lt + 4..]
                    .find("-->")
                    .map_or(bytes.len(), |end| lt + 4 + end + 3)
            } else {
                memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |end| lt + end + 1)
            };
            text_start = at;
            continue;
        }
        let closing = next == b'/';
        let name_start = lt + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            at = lt + 1;
            continue;
        }
        tree.push_text(&stack, &html[text_start..lt], text_start);
        let (tag, end) = tag(html, name_start);
        at = end;
        text_start = end;
        if closing {
            tree.close(&mut stack, &tag.name);
            continue;
        }
        tree.open(&mut stack, tag, lt);
        let name = tree.nodes[*stack.last().unwrap_or(&0)].name.clone();
        if RAW.contains(&name.as_str()) {
            // Raw text up to the end tag.
            let lower = html[at..].to_ascii_lowercase();
            let end = lower
                .find(&format!("</{name}"))
                .map_or(html.len(), |end| at + end);
            let id = tree.push(&stack, String::new(), Vec::new(), at);
            tree.nodes[id].text = if name == "title" || name == "textarea" {
                decode_entities(&html[at..end])
            } else {
                html[at..end].to_string()
            };
            stack.pop();
            at = memchr(b'>', &bytes[end..]).map_or(bytes.len(), |close| end + close + 1);
            text_start = at;
        }
    }
    tree.push_text(&stack, &html[text_start.min(html.len())..], text_start);
    tree.unclosed_table = stack
        .iter()
        .copied()
        .find(|id| tree.nodes[*id].name == "table");
    tree
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|byte| *byte == needle)
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
}

/// The tag whose name starts at `start`, and the byte after its `>`.
fn tag(html: &str, start: usize) -> (Tag, usize) {
    let bytes = html.as_bytes();
    let mut at = start;
    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && !matches!(bytes[at], b'>' | b'/')
    {
        at += 1;
    }
    let name = html[start..at].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        match bytes.get(at) {
            None => break,
            Some(b'>') => {
                at += 1;
                break;
            }
            Some(b'/') => {
                self_closing = bytes.get(at + 1) == Some(&b'>');
                at += 1;
                continue;
            }
            _ => {}
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'>' | b'=' | b'/')
        {
            at += 1;
        }
        if at == name_start {
            at += 1;
            continue;
        }
        let attr = html[name_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = String::new();
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end =
                        memchr(quote, &bytes[at + 1..]).map_or(bytes.len(), |end| at + 1 + end);
                    value = decode_entities(&html[at + 1..end]);
                    at = (end + 1).min(bytes.len());
                }
                _ => {
                    let value_start = at;
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>'
                    {
                        at += 1;
                    }
                    value = decode_entities(&html[value_start..at]);
                }
            }
        }
        attrs.push((attr, value));
    }
    (
        Tag {
            name,
            attrs,
            self_closing,
        },
        at,
    )
}

impl Tree {
    fn push(
        &mut self,
        stack: &[NodeId],
        name: String,
        attrs: Vec<(String, String)>,
        start: usize,
    ) -> NodeId {
        let parent = *stack.last().unwrap_or(&0);
        let id = self.nodes.len();
        self.nodes.push(Node {
            name,
            attrs,
            text: String::new(),
            start,
            parent: Some(parent),
            children: Vec::new(),
        });
        self.nodes[parent].children.push(id);
        id
    }

    fn push_text(&mut self, stack: &[NodeId], raw: &str, start: usize) {
        if raw.is_empty() {
            return;
        }
        let id = self.push(stack, String::new(), Vec::new(), start);
        self.nodes[id].text = decode_entities(raw);
    }

    /// Pops up to the open element named `name` (inclusive), if one is open
    /// below any of `bounds`.
    fn pop_to(&self, stack: &mut Vec<NodeId>, names: &[&str], bounds: &[&str]) -> bool {
        for depth in (1..stack.len()).rev() {
            let name = self.nodes[stack[depth]].name.as_str();
            if names.contains(&name) {
                stack.truncate(depth);
                return true;
            }
            if bounds.contains(&name) {
                return false;
            }
        }
        false
    }

    fn open(&mut self, stack: &mut Vec<NodeId>, tag: Tag, start: usize) {
        let name = tag.name.as_str();
        if CLOSES_P.contains(&name) {
            self.pop_to(stack, &["p"], &["td", "th", "table", "li", "div", "body"]);
        }
        match name {
            "li" => {
                self.pop_to(stack, &["li"], &["ul", "ol", "table"]);
            }
            "tr" => {
                self.pop_to(stack, &["tr"], &["table"]);
            }
            "td" | "th" => {
                self.pop_to(stack, &["td", "th"], &["tr", "table"]);
            }
            "tbody" | "thead" | "tfoot" => {
                self.pop_to(stack, &["tbody", "thead", "tfoot"], &["table"]);
            }
            _ => {}
        }
        let void = VOID.contains(&name)
            || tag.self_closing && !RAW.contains(&name)
            || stack.len() >= MAX_DEPTH && !RAW.contains(&name);
        let id = self.push(stack, tag.name, tag.attrs, start);
        if !void {
            stack.push(id);
        }
    }

    fn close(&mut self, stack: &mut Vec<NodeId>, name: &str) {
        match name {
            "br" => {
                self.push(stack, "br".into(), Vec::new(), 0);
            }
            "p" | "li" | "td" | "th" | "tr" => {
                self.pop_to(stack, &[name], &["table"]);
            }
            _ => {
                self.pop_to(stack, &[name], &[]);
            }
        }
    }

    pub fn root(&self) -> NodeId {
        0
    }

    /// Every node, in document order.
    pub fn all(&self) -> impl Iterator<Item = NodeId> + '_ {
        0..self.nodes.len()
    }

    /// Every element, in document order.
    pub fn elements(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.all().filter(|id| !self.is_text(*id))
    }

    pub fn is_text(&self, id: NodeId) -> bool {
        self.nodes[id].name.is_empty()
    }

    /// The element's name in lower case (empty for text).
    pub fn name(&self, id: NodeId) -> &str {
        &self.nodes[id].name
    }

    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.nodes[id]
            .attrs
            .iter()
            .find(|(attr, _)| attr == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.nodes[id].children
    }

    /// The text of a text node.
    pub fn text(&self, id: NodeId) -> &str {
        &self.nodes[id].text
    }

    /// The byte where the node starts.
    pub fn start(&self, id: NodeId) -> usize {
        self.nodes[id].start
    }

    /// The ancestors of a node, nearest first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.nodes[id].parent, |id| self.nodes[*id].parent)
    }

    pub fn common_ancestor(&self, a: NodeId, b: NodeId) -> NodeId {
        let of_a: Vec<NodeId> = std::iter::once(a).chain(self.ancestors(a)).collect();
        std::iter::once(b)
            .chain(self.ancestors(b))
            .find(|id| of_a.contains(id))
            .unwrap_or(0)
    }

    /// All the text under a node (not that of scripts and styles).
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        out
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        if self.is_text(id) {
            out.push_str(&self.nodes[id].text);
            return;
        }
        if matches!(self.name(id), "script" | "style") {
            return;
        }
        for child in &self.nodes[id].children {
            self.collect_text(*child, out);
            if self.name(*child) == "br" {
                out.push('\n');
            }
        }
    }

    /// How many characters of text, not counting white space, are under a
    /// node.
    pub fn text_len(&self, id: NodeId) -> usize {
        if self.is_text(id) {
            return self.nodes[id]
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
        }
        if matches!(self.name(id), "script" | "style") {
            return 0;
        }
        self.nodes[id]
            .children
            .iter()
            .map(|child| self.text_len(*child))
            .sum()
    }

    /// Whether a block element (a paragraph, a division, a table …) is
    /// under the node.
    pub fn contains_block(&self, id: NodeId) -> bool {
        self.nodes[id].children.iter().any(|child| {
            matches!(
                self.name(*child),
                "p" | "div"
                    | "table"
                    | "ul"
                    | "ol"
                    | "li"
                    | "section"
                    | "article"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "blockquote"
                    | "center"
                    | "pre"
            ) || self.contains_block(*child)
        })
    }
}

/// `&amp;`, `&nbsp;`, `&#20013;`, `&#x4e2d;` … decoded; an unknown or
/// malformed entity kept as written.
pub fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |end| end + 1);
        let name = &rest[1..end];
        let semicolon = rest[end..].starts_with(';');
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            value.and_then(char::from_u32)
        } else {
            named_entity(name).filter(|_| {
                semicolon || matches!(name, "nbsp" | "amp" | "lt" | "gt" | "quot" | "copy")
            })
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + usize::from(semicolon)..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{a0}',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "deg" => '°',
        "permil" => '‰',
        "yen" => '¥',
        "copy" => '©',
        "reg" => '®',
        "laquo" => '«',
        "raquo" => '»',
        "sect" => '§',
        "para" => '¶',
        "larr" => '←',
        "rarr" => '→',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwsp" => '\u{200b}',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "minus" => '−',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&nbsp;&#20013;&#x6587;&foo;&amp"),
            "a&b\u{a0}中文&foo;&"
        );
        assert_eq!(
            decode_entities("&ldquo;三安全一稳定&rdquo;"),
            "“三安全一稳定”"
        );
    }

    #[test]
    fn unclosed_cells_and_paragraphs_close_as_browsers_close_them() {
        let tree = parse("<table><tr><td>a<td>b<tr><td><p>c<p>d</table><p>e");
        let names: Vec<&str> = tree.elements().map(|id| tree.name(id)).collect();
        assert_eq!(
            names,
            [
                "#document",
                "table",
                "tr",
                "td",
                "td",
                "tr",
                "td",
                "p",
                "p",
                "p"
            ]
        );
        let table = 1;
        assert_eq!(tree.children(table).len(), 2, "two rows in the table");
        let last_p = tree.elements().last().unwrap();
        assert_eq!(
            tree.ancestors(last_p).next(),
            Some(0),
            "<p>e is outside the table"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let tree = parse(&"<div><span>".repeat(50_000));
        let deepest = tree.all().map(|id| tree.ancestors(id).count()).max();
        assert_eq!(deepest, Some(MAX_DEPTH));
    }

    #[test]
    fn scripts_are_raw_and_comments_dropped() {
        let tree = parse("<script>if (a<b) {'</p>'}</script><!-- <p>x</p> --><p>y</p>");
        let texts: Vec<&str> = tree
            .all()
            .filter(|id| tree.is_text(*id))
            .map(|id| tree.text(id))
            .collect();
        assert_eq!(texts, ["if (a<b) {'</p>'}", "y"]);
    }
}
