//! The ids of tables and of their data rows: newtypes, so that neither is
//! mixed up with the other or with a column or cell index.

/// A table, by its place among the checker's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TableId(u32);

impl TableId {
    /// The table at `position` among the checker's tables. A file has
    /// fewer than 2^32 bytes (`limits::MAX_FILE_BYTES`), so fewer tables.
    pub fn from_position(position: usize) -> TableId {
        TableId(position as u32)
    }

    /// The position of the table, for vectors parallel to the tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A data row of a table: a leaf of its row tree, by its place among the
/// leaves (and so among the rows of cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RowId(u32);

impl RowId {
    /// The row at `leaf`, a position among the leaves of a row tree. A
    /// file has fewer than 2^32 bytes (`limits::MAX_FILE_BYTES`), so a
    /// table fewer rows.
    pub fn from_leaf(leaf: usize) -> RowId {
        RowId(leaf as u32)
    }

    /// The position of the row among the leaves.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
