//! Column and row trees: nodes in source order, dotted paths, and name
//! lookup from a group outwards.

use rustc_hash::FxHashMap as HashMap;

use super::exports::Entry;
use crate::span::Span;
use crate::syntax::ast;

pub(crate) type NodeId = usize;

/// The size from which a tree finds names by a hash map rather than by
/// scanning its nodes: most tables are smaller, and a map costs each of
/// them an allocation.
const INDEXED: usize = 16;

/// Whether two names are the same. Names are short, so comparing their
/// bytes in place costs less than a call to `memcmp`; from the end, since
/// the names of one tree often begin alike (`申请人数`, `申请件数`).
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().rev().zip(b.bytes().rev()).all(|(x, y)| x == y)
}

/// A hash of a name, for [`TreeNode::key`].
fn name_key(name: &str) -> u32 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(name);
    (hash >> 32) as u32
}

/// A node id in a tree's links, `NONE` for none: four bytes instead of the
/// sixteen of an `Option<usize>` (a file has fewer than 2^32 bytes, so a
/// tree fewer nodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Link(u32);

impl Link {
    const NONE: Link = Link(u32::MAX);

    fn to(id: NodeId) -> Link {
        debug_assert!(id < u32::MAX as usize);
        Link(id as u32)
    }

    fn get(self) -> Option<NodeId> {
        (self != Link::NONE).then_some(self.0 as NodeId)
    }
}

/// A column or row tree. Nodes are stored in source order. A node's name,
/// label, span and formula are its entry's in the syntax tree (or the
/// exports of a used report) that the checker reads. Children and the
/// nodes of one name are linked lists through the nodes, so that a node
/// costs no allocation of its own.
#[derive(Debug, Default)]
pub(crate) struct Tree<'a> {
    pub nodes: Vec<TreeNode<'a>>,
    /// The last node of each name, once the tree has [`INDEXED`] nodes
    /// (a smaller one is scanned); the others are linked from it through
    /// `TreeNode::same_name`.
    by_name: Option<Box<HashMap<&'a str, Link>>>,
    /// Leaf nodes in order; a leaf's position here is its cell index.
    pub leaves: Vec<NodeId>,
    roots: Vec<NodeId>,
    /// Where the nodes of a used report's table are (the alias).
    at: Span,
}

/// Where a node is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Written<'a> {
    Row(&'a ast::RowEntry),
    Column(&'a ast::ColumnEntry),
    /// An entry of a table of a used report.
    Exported(&'a Entry),
}

/// A node: where it is written, and its links (40 bytes).
#[derive(Debug)]
pub(crate) struct TreeNode<'a> {
    written: Written<'a>,
    /// A hash of the name, so that a scan for a name compares few names.
    key: u32,
    parent: Link,
    /// The position among the leaves, for a leaf; `NONE` for a group.
    leaf: Link,
    /// The last child; the others are linked backwards through
    /// `previous_sibling`.
    last_child: Link,
    previous_sibling: Link,
    /// The node of the same name added before this one.
    same_name: Link,
}

impl<'a> TreeNode<'a> {
    /// A node of `tree` to add with [`Tree::add`].
    pub fn new(written: Written<'a>) -> Self {
        TreeNode {
            written,
            key: 0,
            parent: Link::NONE,
            leaf: Link::NONE,
            last_child: Link::NONE,
            previous_sibling: Link::NONE,
            same_name: Link::NONE,
        }
    }

    #[inline]
    pub fn name(&self) -> &'a str {
        match self.written {
            Written::Row(entry) => &entry.name.value,
            Written::Column(entry) => &entry.name.value,
            Written::Exported(entry) => &entry.name,
        }
    }

    pub fn label(&self) -> Option<&'a str> {
        match self.written {
            Written::Row(entry) => entry.label.as_ref().map(|label| label.value.as_str()),
            Written::Column(entry) => entry.label.as_ref().map(|label| label.value.as_str()),
            Written::Exported(entry) => Some(&entry.label),
        }
    }

    /// The label, or else the name.
    pub fn shown(&self) -> &'a str {
        self.label().unwrap_or(self.name())
    }

    pub fn parent(&self) -> Option<NodeId> {
        self.parent.get()
    }

    /// The position among the leaves, for a leaf.
    pub fn leaf(&self) -> Option<usize> {
        self.leaf.get()
    }

    pub fn is_group(&self) -> bool {
        self.leaf == Link::NONE
    }
}

/// Why a name could not be found in a tree.
pub(crate) enum Lookup {
    Unknown,
    Ambiguous(Vec<NodeId>),
}

impl<'a> Tree<'a> {
    /// An empty tree with room for `nodes` nodes of which `leaves` are
    /// leaves, so that building it reallocates nothing.
    pub fn with_capacity((nodes, leaves): (usize, usize)) -> Self {
        Tree {
            nodes: Vec::with_capacity(nodes),
            leaves: Vec::with_capacity(leaves),
            ..Tree::default()
        }
    }

    /// The nodes and the leaves of a tree of `entries`, whose groups'
    /// members `members` gives.
    pub fn count<E>(entries: &[E], members: impl Fn(&E) -> Option<&[E]> + Copy) -> (usize, usize) {
        entries
            .iter()
            .fold((0, 0), |(nodes, leaves), entry| match members(entry) {
                Some(inner) => {
                    let (inner_nodes, inner_leaves) = Tree::count(inner, members);
                    (nodes + 1 + inner_nodes, leaves + inner_leaves)
                }
                None => (nodes + 1, leaves + 1),
            })
    }

    /// Where node `id`'s name is written.
    pub fn name_span(&self, id: NodeId) -> Span {
        match self.nodes[id].written {
            Written::Row(entry) => entry.name.span,
            Written::Column(entry) => entry.name.span,
            Written::Exported(_) => self.at,
        }
    }

    /// The span of node `id`'s formula, for a leaf that has one.
    pub fn formula(&self, id: NodeId) -> Option<Span> {
        match self.nodes[id].written {
            Written::Row(ast::RowEntry {
                kind:
                    ast::RowKind::Leaf {
                        formula: Some(formula),
                        ..
                    },
                ..
            })
            | Written::Column(ast::ColumnEntry {
                kind:
                    ast::ColumnKind::Leaf {
                        formula: Some(formula),
                        ..
                    },
                ..
            }) => Some(formula.span()),
            Written::Row(_) | Written::Column(_) => None,
            Written::Exported(entry) => entry.derived.then_some(self.at),
        }
    }

    /// Sets where the nodes of a used report's table are.
    pub fn set_at(&mut self, at: Span) {
        self.at = at;
    }

    /// Adds `node` under `parent` (a root for `None`): a group, or a leaf.
    pub fn add(&mut self, node: TreeNode<'a>, parent: Option<NodeId>, is_group: bool) -> NodeId {
        self.add_sibling(node, parent, is_group).0
    }

    /// Adds a node as [`Tree::add`] does, and says which sibling of the
    /// same name was added first, if any (one look-up of the name for
    /// both).
    pub fn add_sibling(
        &mut self,
        mut node: TreeNode<'a>,
        parent: Option<NodeId>,
        is_group: bool,
    ) -> (NodeId, Option<NodeId>) {
        let name = node.name();
        let key = name_key(name);
        let same_name = self.last_keyed(name, key);
        // The first added, as nodes of one name are linked last first.
        let earlier = std::iter::successors(same_name.get(), |&id| self.nodes[id].same_name.get())
            .filter(|&id| self.nodes[id].parent() == parent)
            .last();
        let id = self.nodes.len();
        if !is_group {
            node.leaf = Link::to(self.leaves.len());
            self.leaves.push(id);
        }
        match parent {
            Some(parent) => {
                node.parent = Link::to(parent);
                node.previous_sibling = self.nodes[parent].last_child;
                self.nodes[parent].last_child = Link::to(id);
            }
            None => self.roots.push(id),
        }
        node.key = key;
        node.same_name = same_name;
        self.nodes.push(node);
        match &mut self.by_name {
            Some(by_name) => {
                by_name.insert(name, Link::to(id));
            }
            None if self.nodes.len() >= INDEXED => {
                let by_name = self.nodes.iter().enumerate();
                let by_name = by_name.map(|(id, node)| (node.name(), Link::to(id)));
                self.by_name = Some(Box::new(by_name.collect()));
            }
            None => {}
        }
        (id, earlier)
    }

    /// Gives back the room reserved for more nodes, once the tree is built.
    pub fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
        self.leaves.shrink_to_fit();
    }

    /// The children of `id`, in order.
    pub fn children(&self, id: NodeId) -> Vec<NodeId> {
        let mut children: Vec<NodeId> = self.children_backwards(id).collect();
        children.reverse();
        children
    }

    /// The children of `id`, last first.
    fn children_backwards(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.nodes[id].last_child.get(), |&child| {
            self.nodes[child].previous_sibling.get()
        })
    }

    /// The last node named `name`.
    fn last_named(&self, name: &str) -> Link {
        match &self.by_name {
            Some(by_name) => by_name.get(name).copied().unwrap_or(Link::NONE),
            None => self.last_keyed(name, name_key(name)),
        }
    }

    /// [`Tree::last_named`] of a name whose [`name_key`] is `key`.
    fn last_keyed(&self, name: &str, key: u32) -> Link {
        match &self.by_name {
            Some(by_name) => by_name.get(name).copied().unwrap_or(Link::NONE),
            None => self
                .nodes
                .iter()
                .rposition(|node| node.key == key && same_name(node.name(), name))
                .map_or(Link::NONE, Link::to),
        }
    }

    /// The nodes named `name`, last first.
    fn named(&self, name: &str) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.last_named(name).get(), |&id| {
            self.nodes[id].same_name.get()
        })
    }

    /// The dotted path of a node from the root: `法人或其他组织.商业企业`.
    pub fn path(&self, id: NodeId) -> String {
        let ancestry = std::iter::successors(Some(id), |&node| self.nodes[node].parent());
        let length: usize = ancestry.map(|node| self.nodes[node].name().len() + 1).sum();
        let mut path = String::with_capacity(length - 1);
        self.push_path(id, &mut path);
        path
    }

    /// Appends the dotted path of `id` (nesting is bounded by the scanner,
    /// so is the recursion).
    pub fn push_path(&self, id: NodeId, out: &mut String) {
        let node = &self.nodes[id];
        if let Some(parent) = node.parent() {
            self.push_path(parent, out);
            out.push('.');
        }
        out.push_str(node.name());
    }

    /// The shortest dotted path that names `id` from anywhere in the tree:
    /// `复议后起诉.总计` rather than `行政诉讼.复议后起诉.总计`.
    pub fn qualified(&self, id: NodeId) -> String {
        let full = self.path(id);
        let names: Vec<&str> = full.split('.').collect();
        (1..names.len())
            .rev()
            .map(|start| &names[start..])
            .find(|suffix| self.lookup(suffix, None).is_ok_and(|found| found == id))
            .map_or(full.clone(), |suffix| suffix.join("."))
    }

    fn is_inside(&self, id: NodeId, ancestor: NodeId) -> bool {
        let mut current = self.nodes[id].parent();
        while let Some(parent) = current {
            if parent == ancestor {
                return true;
            }
            current = self.nodes[parent].parent();
        }
        false
    }

    /// Whether `id`, a node of `path`'s last name (as the nodes `named` it
    /// are), is named by `path`: the rest read upwards from its parent.
    fn matches(&self, id: NodeId, path: &[&str]) -> bool {
        let Some((_, above)) = path.split_last() else {
            return true;
        };
        let mut current = self.nodes[id].parent();
        for name in above.iter().rev() {
            match current {
                Some(node) if same_name(self.nodes[node].name(), name) => {
                    current = self.nodes[node].parent()
                }
                _ => return false,
            }
        }
        true
    }

    /// Finds `path` from inside `scope` outwards: among the members of the
    /// innermost group first, then of each enclosing group, then the tree.
    pub fn lookup(&self, path: &[&str], mut scope: Option<NodeId>) -> Result<NodeId, Lookup> {
        let Some(last) = path.last() else {
            return Err(Lookup::Unknown);
        };
        // The candidates, last first; walked again for each scope rather
        // than collected, as most lookups settle at once.
        let candidates = || self.named(last).filter(|&id| self.matches(id, path));
        let mut named = candidates();
        match (named.next(), named.next()) {
            (None, _) => return Err(Lookup::Unknown),
            // One node: if no group finds it, the whole tree does.
            (Some(one), None) => return Ok(one),
            (Some(_), Some(_)) => {}
        }
        loop {
            let inside = |&id: &NodeId| scope.is_none_or(|group| self.is_inside(id, group));
            let mut found = candidates().filter(inside);
            match (found.next(), found.next()) {
                (Some(one), None) => return Ok(one),
                (None, _) => match scope {
                    Some(group) => scope = self.nodes[group].parent(),
                    None => return Err(Lookup::Unknown),
                },
                (Some(_), Some(_)) => {
                    let mut found: Vec<NodeId> = candidates().filter(inside).collect();
                    found.reverse();
                    return Err(Lookup::Ambiguous(found));
                }
            }
        }
    }

    /// The data leaves under `group` at any depth (leaves without a formula
    /// of their own), except `defining`.
    pub fn data_leaves(&self, group: NodeId, defining: Option<NodeId>) -> Vec<NodeId> {
        // Most groups are a few nodes: room for them at once.
        let mut out = Vec::with_capacity(self.leaves.len().min(16));
        let mut stack = Vec::with_capacity((self.nodes.len() - group).min(16));
        stack.push(group);
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id];
            if node.is_group() {
                // Last first, so that the first child is taken first.
                stack.extend(self.children_backwards(id));
            } else if self.formula(id).is_none() && Some(id) != defining {
                out.push(id);
            }
        }
        out
    }

    /// The names of the nodes (a name as often as nodes have it).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|node| node.name())
    }

    pub fn roots(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.roots.iter().copied()
    }
}
