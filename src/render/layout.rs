//! The grid of a table as the official forms lay it out, shared by the HTML
//! and Typst renderers.
//!
//! Columns: a header row per level of the column tree; a group spans its
//! leaves (colspan), a leaf spans the levels below it (rowspan). Rows: a
//! label column per level of the row tree; a group's label spans its rows
//! (rowspan), a leaf's label spans the label columns below its level
//! (colspan). The corner cell, over the label columns and the header rows,
//! holds the table's first note, as the rule note of table 三 does.

use crate::model;

/// A table as rows of cells with spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Label columns plus value columns.
    pub width: usize,
    /// Columns holding row labels.
    pub label_columns: usize,
    pub header: Vec<Vec<GridCell>>,
    pub body: Vec<Vec<GridCell>>,
    /// Notes shown under the table (all but the one in the corner).
    pub footnotes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub kind: CellKind,
    /// A cell's note, shown beside its number.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Corner,
    ColumnHead,
    /// A row group's label.
    GroupLabel,
    RowLabel,
    /// A number stated in the source.
    Stated,
    /// A number gdr derived.
    Derived,
    /// Blank or unknown: rendered empty.
    Empty,
}

impl Grid {
    /// The width of each column in percent of the table: the label columns
    /// take less room the more value columns there are, the deeper label
    /// columns (row groups) are narrow, and value columns share the rest.
    pub fn column_widths(&self) -> Vec<f64> {
        let values = self.width - self.label_columns;
        let labels = (100.0 - 8.0 * values as f64).clamp(10.0, 50.0);
        let groups = self.label_columns.saturating_sub(1);
        let group_width = labels * 0.2;
        let mut widths = vec![group_width; groups];
        widths.push(labels - group_width * groups as f64);
        let value_width = if values == 0 {
            0.0
        } else {
            (100.0 - labels) / values as f64
        };
        widths.extend(std::iter::repeat_n(value_width, values));
        widths
            .iter()
            .map(|width| (width * 10.0).round() / 10.0)
            .collect()
    }
}

impl GridCell {
    fn new(text: impl Into<String>, colspan: usize, rowspan: usize, kind: CellKind) -> GridCell {
        GridCell {
            text: text.into(),
            colspan,
            rowspan,
            kind,
            note: None,
        }
    }

    pub fn is_value(&self) -> bool {
        matches!(
            self.kind,
            CellKind::Stated | CellKind::Derived | CellKind::Empty
        )
    }
}

/// Lays out `table`.
pub fn grid(table: &model::Table) -> Grid {
    let header_rows = table.columns.iter().map(column_depth).max().unwrap_or(0);
    let label_columns = table.rows.iter().map(row_depth).max().unwrap_or(1).max(1);
    let leaves: usize = table.columns.iter().map(column_leaves).sum();

    let mut header: Vec<Vec<GridCell>> = vec![Vec::new(); header_rows.max(1)];
    let corner = table.notes.first().cloned().unwrap_or_default();
    header[0].push(GridCell::new(
        corner,
        label_columns,
        header_rows.max(1),
        CellKind::Corner,
    ));
    for column in &table.columns {
        place_column(column, 0, header_rows, &mut header);
    }

    let mut body = Vec::new();
    for row in &table.rows {
        place_row(row, 0, label_columns, leaves, &mut Vec::new(), &mut body);
    }
    Grid {
        width: label_columns + leaves,
        label_columns,
        header,
        body,
        footnotes: table.notes.iter().skip(1).cloned().collect(),
    }
}

fn column_depth(column: &model::Column) -> usize {
    1 + column.children.iter().map(column_depth).max().unwrap_or(0)
}

fn column_leaves(column: &model::Column) -> usize {
    if column.children.is_empty() {
        1
    } else {
        column.children.iter().map(column_leaves).sum()
    }
}

fn row_depth(row: &model::Row) -> usize {
    if is_group(row) {
        1 + row.children.iter().map(row_depth).max().unwrap_or(0)
    } else {
        1
    }
}

fn row_leaves(row: &model::Row) -> usize {
    if is_group(row) {
        row.children.iter().map(row_leaves).sum()
    } else {
        1
    }
}

/// A group with rows under it; an empty group is laid out as a row.
fn is_group(row: &model::Row) -> bool {
    row.cells.is_empty() && !row.children.is_empty()
}

fn place_column(column: &model::Column, level: usize, levels: usize, header: &mut [Vec<GridCell>]) {
    let leaf = column.children.is_empty();
    let rowspan = if leaf { levels - level } else { 1 };
    header[level].push(GridCell::new(
        column.label.clone(),
        column_leaves(column),
        rowspan,
        CellKind::ColumnHead,
    ));
    for child in &column.children {
        place_column(child, level + 1, levels, header);
    }
}

/// Appends the body rows of `row`. `pending` holds the labels of the
/// groups that start with the next leaf row.
fn place_row(
    row: &model::Row,
    level: usize,
    label_columns: usize,
    width: usize,
    pending: &mut Vec<GridCell>,
    body: &mut Vec<Vec<GridCell>>,
) {
    if is_group(row) {
        pending.push(GridCell::new(
            row.label.clone(),
            1,
            row_leaves(row),
            CellKind::GroupLabel,
        ));
        for child in &row.children {
            place_row(child, level + 1, label_columns, width, pending, body);
        }
        return;
    }
    let mut cells = std::mem::take(pending);
    cells.push(GridCell::new(
        row.label.clone(),
        label_columns - level,
        1,
        CellKind::RowLabel,
    ));
    for index in 0..width {
        let cell = row.cells.get(index);
        let (text, kind) = match cell {
            Some(cell) if cell.state == model::CellState::Derived => {
                (cell.text.clone(), CellKind::Derived)
            }
            Some(cell) if cell.state == model::CellState::Stated => {
                (cell.text.clone(), CellKind::Stated)
            }
            _ => (String::new(), CellKind::Empty),
        };
        let mut grid_cell = GridCell::new(text, 1, 1, kind);
        grid_cell.note = cell.and_then(|cell| cell.note.clone());
        cells.push(grid_cell);
    }
    body.push(cells);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, CellState, Column, Row};

    fn column(label: &str, children: Vec<Column>) -> Column {
        Column {
            name: label.into(),
            label: label.into(),
            unit: None,
            derived: false,
            children,
        }
    }

    fn row(label: &str, values: &[&str], children: Vec<Row>) -> Row {
        Row {
            name: label.into(),
            label: label.into(),
            derived: false,
            cells: values
                .iter()
                .map(|value| Cell {
                    value: Some(value.to_string()),
                    unit: None,
                    derived: false,
                    state: CellState::Stated,
                    text: value.to_string(),
                    note: None,
                })
                .collect(),
            children,
        }
    }

    fn spans(cells: &[GridCell]) -> Vec<(String, usize, usize)> {
        cells
            .iter()
            .map(|c| (c.text.clone(), c.colspan, c.rowspan))
            .collect()
    }

    #[test]
    fn the_official_application_table_layout() {
        let table = model::Table {
            name: "申请".into(),
            title: None,
            unit: None,
            notes: vec!["勾稽关系".into()],
            columns: vec![
                column("自然人", vec![]),
                column(
                    "法人或其他组织",
                    vec![column("商业企业", vec![]), column("其他", vec![])],
                ),
                column("总计", vec![]),
            ],
            rows: vec![
                row("一", &["1", "2", "3", "4"], vec![]),
                row(
                    "三",
                    &[],
                    vec![
                        row("（一）", &["1", "2", "3", "4"], vec![]),
                        row(
                            "（三）",
                            &[],
                            vec![
                                row("1.", &["1", "2", "3", "4"], vec![]),
                                row("2.", &["1", "2", "3", "4"], vec![]),
                            ],
                        ),
                    ],
                ),
            ],
            placed: true,
        };
        let grid = grid(&table);
        assert_eq!(grid.width, 3 + 4);
        let s = |t: &str, c, r| (t.to_string(), c, r);
        assert_eq!(
            spans(&grid.header[0]),
            [
                s("勾稽关系", 3, 2),
                s("自然人", 1, 2),
                s("法人或其他组织", 2, 1),
                s("总计", 1, 2)
            ]
        );
        assert_eq!(
            spans(&grid.header[1]),
            [s("商业企业", 1, 1), s("其他", 1, 1)]
        );
        assert_eq!(spans(&grid.body[0])[0], s("一", 3, 1));
        assert_eq!(
            spans(&grid.body[1])[..2],
            [s("三", 1, 3), s("（一）", 2, 1)]
        );
        assert_eq!(
            spans(&grid.body[2])[..2],
            [s("（三）", 1, 2), s("1.", 1, 1)]
        );
        assert_eq!(spans(&grid.body[3])[0], s("2.", 1, 1));
        assert!(
            grid.body
                .iter()
                .all(|cells| cells.iter().filter(|c| c.is_value()).count() == 4)
        );
        let widths = grid.column_widths();
        assert_eq!(widths.len(), 7);
        assert!((widths.iter().sum::<f64>() - 100.0).abs() < 0.5);
        assert!(widths[0] < widths[2] && widths[3] < widths[2]);
    }
}
