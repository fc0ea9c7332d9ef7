//! Column and row trees: nodes in source order, dotted paths, and name
//! lookup from a group outwards.

use std::collections::HashMap;

use crate::span::Span;
use crate::syntax::ast;

pub(crate) type NodeId = usize;

/// A column or row tree. Nodes are stored in source order. Names and
/// labels are borrowed from the syntax tree (or the model of a used report)
/// that the checker reads.
#[derive(Debug, Default)]
pub(crate) struct Tree<'a> {
    pub nodes: Vec<TreeNode<'a>>,
    by_name: HashMap<&'a str, Vec<NodeId>>,
    /// Leaf nodes in order; a leaf's position here is its cell index.
    pub leaves: Vec<NodeId>,
    roots: Vec<NodeId>,
}

#[derive(Debug)]
pub(crate) struct TreeNode<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub label: Option<&'a str>,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub is_group: bool,
    /// The formula's span, for a leaf that has one.
    pub formula: Option<Span>,
    /// The position among the leaves, for a leaf.
    pub leaf: Option<usize>,
    pub depth: usize,
}

/// Why a name could not be found in a tree.
pub(crate) enum Lookup {
    Unknown,
    Ambiguous(Vec<NodeId>),
}

impl<'a> Tree<'a> {
    /// Adds a column or row entry: a group when `formula` is `None`, else a
    /// leaf with or without a formula.
    pub fn add_entry(
        &mut self,
        name: &'a ast::Ident,
        label: Option<&'a ast::Text>,
        parent: Option<NodeId>,
        formula: Option<Option<&ast::Expr>>,
    ) -> NodeId {
        self.add(TreeNode {
            name: &name.value,
            name_span: name.span,
            label: label.map(|label| label.value.as_str()),
            parent,
            children: Vec::new(),
            is_group: formula.is_none(),
            formula: formula.flatten().map(ast::Expr::span),
            leaf: None,
            depth: parent.map_or(0, |p| self.nodes[p].depth + 1),
        })
    }

    pub fn add(&mut self, mut node: TreeNode<'a>) -> NodeId {
        let id = self.nodes.len();
        if !node.is_group {
            node.leaf = Some(self.leaves.len());
            self.leaves.push(id);
        }
        match node.parent {
            Some(parent) => self.nodes[parent].children.push(id),
            None => self.roots.push(id),
        }
        self.by_name.entry(node.name).or_default().push(id);
        self.nodes.push(node);
        id
    }

    /// The dotted path of a node from the root: `法人或其他组织.商业企业`.
    pub fn path(&self, id: NodeId) -> String {
        let mut names = vec![self.nodes[id].name];
        let mut current = self.nodes[id].parent;
        while let Some(parent) = current {
            names.push(self.nodes[parent].name);
            current = self.nodes[parent].parent;
        }
        names.reverse();
        names.join(".")
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
        let mut current = self.nodes[id].parent;
        while let Some(parent) = current {
            if parent == ancestor {
                return true;
            }
            current = self.nodes[parent].parent;
        }
        false
    }

    /// Whether `id` is named by `path`, read upwards through its ancestors.
    fn matches(&self, id: NodeId, path: &[&str]) -> bool {
        let mut current = Some(id);
        for name in path.iter().rev() {
            match current {
                Some(node) if self.nodes[node].name == *name => current = self.nodes[node].parent,
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
        let candidates = self
            .by_name
            .get(*last)
            .map(Vec::as_slice)
            .unwrap_or_default();
        loop {
            let found: Vec<NodeId> = candidates
                .iter()
                .copied()
                .filter(|&id| self.matches(id, path))
                .filter(|&id| scope.is_none_or(|group| self.is_inside(id, group)))
                .collect();
            match found.as_slice() {
                [one] => return Ok(*one),
                [] => match scope {
                    Some(group) => scope = self.nodes[group].parent,
                    None => return Err(Lookup::Unknown),
                },
                _ => return Err(Lookup::Ambiguous(found)),
            }
        }
    }

    /// The data leaves under `group` at any depth (leaves without a formula
    /// of their own), except `defining`.
    pub fn data_leaves(&self, group: NodeId, defining: Option<NodeId>) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![group];
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id];
            if node.is_group {
                stack.extend(node.children.iter().rev());
            } else if node.formula.is_none() && Some(id) != defining {
                out.push(id);
            }
        }
        out
    }

    /// The child of `parent` (a root for `None`) named `name`.
    pub fn sibling(&self, parent: Option<NodeId>, name: &str) -> Option<NodeId> {
        self.by_name.get(name).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|&id| self.nodes[id].parent == parent)
        })
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().copied()
    }

    pub fn roots(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.roots.iter().copied()
    }
}
