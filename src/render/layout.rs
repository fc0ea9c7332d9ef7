//! The grid of a table as the official forms lay it out, shared by the HTML
//! and Typst renderers.
//!
//! Columns: a header row per level of the column tree; a group spans its
//! leaves (colspan), a leaf spans the levels below it (rowspan). Rows: a
//! label column per level of the row tree; a group's label spans its rows
//! (rowspan), a leaf's label spans the label columns below its level
//! (colspan). The corner cell, over the label columns and the header rows,
//! holds the table's first note, as the rule note of table 三 does.

use std::borrow::Cow;
use std::ops::Range;

use crate::model;

/// A table as rows of cells with spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Label columns plus value columns.
    pub width: usize,
    /// Columns holding row labels: none when every row is unlabelled (the
    /// one row of table 四).
    pub label_columns: usize,
    pub header: Vec<Vec<GridCell>>,
    pub body: Vec<Vec<GridCell>>,
    /// The body cut into runs of rows: a top-level row group (whose label
    /// spans them all), a single row, or one item of section 二. In order,
    /// covering the body.
    pub sections: Vec<Range<usize>>,
    /// For each body row, whether print keeps it on the page of the next
    /// one: both are in the same smallest row group, or the same item.
    pub with_next: Vec<bool>,
    /// Notes shown under the table (all but the one in the corner).
    pub footnotes: Vec<model::Prose>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    pub text: String,
    /// The first column the cell covers.
    pub column: usize,
    pub colspan: usize,
    pub rowspan: usize,
    pub kind: CellKind,
    /// A cell's note, shown beside its number.
    pub note: Option<String>,
    /// For a value cell, the model cell it shows (for marking findings).
    pub source: Option<CellSource>,
}

/// The model cell behind a value cell of a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellSource {
    /// Which of the grid's tables: 0 for [`grid`], the item's place in the
    /// slice for [`items_grid`].
    pub table: usize,
    /// The data row: the table's rows that are not groups, in document
    /// order, from 0 ([`data_rows`]).
    pub row: usize,
    /// The leaf column, from 0.
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Corner,
    ColumnHead,
    /// A row across the grid naming the block below it:
    /// 「第二十条第（一）项」.
    Title,
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

/// The header over the applicant columns of table 三 in the official form.
pub const APPLICANTS: &str = "申请人情况";
/// The head of the label column of a section 二 item in the official form.
pub const CONTENT: &str = "信息内容";

impl Grid {
    /// The width of each column in percent of the table: value columns
    /// get room for three characters of a head on a line, as long as the
    /// labels keep at least a third of the table; a group label's column
    /// holds 「（三）」; the row labels take the rest.
    pub fn column_widths(&self) -> Vec<f64> {
        let values = self.width - self.label_columns;
        let mut widths = Vec::new();
        let mut labels = 0.0;
        if self.label_columns > 0 {
            labels = (100.0 - 8.5 * values as f64).clamp(6.0, 50.0);
            let groups = self.label_columns - 1;
            let group_width = (labels * 0.25).min(9.0);
            widths = vec![group_width; groups];
            widths.push(labels - group_width * groups as f64);
        }
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

    /// The narrowest the table may be, in `em` of its text, so that no
    /// column is too narrow for its content: a group label such as
    /// 「（三）」 on one line, a row label a few characters wide, the
    /// widest number, and two or three characters of a column head.
    pub fn min_width_em(&self) -> u32 {
        let widest_number = self
            .body
            .iter()
            .flatten()
            .filter(|cell| cell.is_value())
            .map(|cell| (cell.text.chars().count() as f64 * 0.6 + 1.0) / cell.colspan as f64)
            .fold(0.0, f64::max);
        let value = widest_number.max(4.0);
        let groups = self.label_columns.saturating_sub(1);
        let needs = (0..self.width).map(|column| {
            if column < groups {
                4.2
            } else if column < self.label_columns {
                6.0
            } else {
                value
            }
        });
        let most = needs
            .zip(self.column_widths())
            .filter(|(_, percent)| *percent > 0.0)
            .map(|(em, percent)| em * 100.0 / percent)
            .fold(0.0, f64::max);
        most.ceil() as u32
    }
}

impl GridCell {
    fn new(
        text: impl Into<String>,
        column: usize,
        span: (usize, usize),
        kind: CellKind,
    ) -> GridCell {
        GridCell {
            text: text.into(),
            column,
            colspan: span.0,
            rowspan: span.1,
            kind,
            note: None,
            source: None,
        }
    }

    pub fn is_value(&self) -> bool {
        matches!(
            self.kind,
            CellKind::Stated | CellKind::Derived | CellKind::Empty
        )
    }
}

/// Whether `table` is an item of section 二 (`第二十条第（一）项` …): flat
/// columns and rows under a title that names the item. A run of them is
/// laid out as one grid ([`items_grid`]).
pub fn is_article_item(table: &model::Table) -> bool {
    table
        .title
        .as_deref()
        .is_some_and(|title| title.starts_with("第二十条第") && title.ends_with('项'))
        && !table.columns.is_empty()
        && table
            .columns
            .iter()
            .all(|column| column.children.is_empty())
        && table.rows.iter().all(|row| !is_group(row))
}

/// The items of section 二 as the official form prints them, one grid: a
/// row across it with each item's title, a head row 「信息内容」 and the
/// item's columns, then its rows. An item with fewer columns than the
/// widest lets its last column span the rest.
pub fn items_grid(tables: &[&model::Table]) -> Grid {
    let values = tables
        .iter()
        .map(|table| table.columns.len())
        .max()
        .unwrap_or(1);
    let width = 1 + values;
    let mut body = Vec::new();
    let mut sections = Vec::new();
    let mut footnotes = Vec::new();
    for (position, table) in tables.iter().enumerate() {
        let start = body.len();
        let title = table.title.clone().unwrap_or_default();
        body.push(vec![GridCell::new(title, 0, (width, 1), CellKind::Title)]);
        let count = table.columns.len();
        let span = |index: usize| {
            if index + 1 == count {
                values - index
            } else {
                1
            }
        };
        let mut head = vec![GridCell::new(CONTENT, 0, (1, 1), CellKind::ColumnHead)];
        head.extend(table.columns.iter().enumerate().map(|(index, column)| {
            GridCell::new(
                column.label.clone(),
                1 + index,
                (span(index), 1),
                CellKind::ColumnHead,
            )
        }));
        body.push(head);
        for (ordinal, row) in table.rows.iter().enumerate() {
            let mut cells = vec![GridCell::new(
                row.label.clone(),
                0,
                (1, 1),
                CellKind::RowLabel,
            )];
            cells.extend((0..count).map(|index| {
                let source = CellSource {
                    table: position,
                    row: ordinal,
                    column: index,
                };
                value_cell(row, source, 1 + index, span(index))
            }));
            body.push(cells);
        }
        sections.push(start..body.len());
        footnotes.extend(table.notes.iter().cloned());
    }
    let with_next = (0..body.len())
        .map(|row| {
            sections
                .iter()
                .any(|section| section.contains(&(row + 1)) && row >= section.start)
        })
        .collect();
    Grid {
        width,
        label_columns: 1,
        header: Vec::new(),
        body,
        sections,
        with_next,
        footnotes,
    }
}

/// Lays out `table`.
pub fn grid(table: &model::Table) -> Grid {
    let columns = official_columns(table);
    let header_rows = columns.iter().map(column_depth).max().unwrap_or(0).max(1);
    let unlabelled = table
        .rows
        .iter()
        .all(|row| !is_group(row) && row.label.is_empty());
    let label_columns = if unlabelled {
        0
    } else {
        table.rows.iter().map(row_depth).max().unwrap_or(1).max(1)
    };
    let leaves: usize = columns.iter().map(column_leaves).sum();

    let mut header: Vec<Vec<GridCell>> = vec![Vec::new(); header_rows];
    let mut notes = table.notes.iter().cloned();
    if label_columns > 0 {
        // The corner is a cell: its note keeps a true minus, and wraps as
        // the cell does.
        let corner = notes
            .next()
            .map(|note| super::typeset(&note))
            .unwrap_or_default();
        header[0].push(GridCell::new(
            corner,
            0,
            (label_columns, header_rows),
            CellKind::Corner,
        ));
    }
    let mut column = label_columns;
    for head in columns.iter() {
        place_column(head, 0, header_rows, &mut column, &mut header);
    }

    let mut rows = Rows {
        label_columns,
        width: leaves,
        body: Vec::new(),
        groups: Vec::new(),
        count: 0,
    };
    let mut sections = Vec::new();
    for row in &table.rows {
        let start = rows.body.len();
        rows.place(row, 0, None, &mut Vec::new());
        sections.push(start..rows.body.len());
    }
    Grid {
        width: label_columns + leaves,
        label_columns,
        header,
        with_next: rows.with_next(),
        body: rows.body,
        sections,
        footnotes: notes.collect(),
    }
}

/// The column tree as the official form heads it: table 三's applicant
/// columns (自然人, 法人或其他组织, 总计) under one head 「申请人情况」.
fn official_columns(table: &model::Table) -> Cow<'_, [model::Column]> {
    let labels: Vec<&str> = table
        .columns
        .iter()
        .map(|column| column.label.as_str())
        .collect();
    if labels != ["自然人", "法人或其他组织", "总计"] {
        return Cow::Borrowed(&table.columns);
    }
    Cow::Owned(vec![model::Column {
        name: APPLICANTS.into(),
        label: APPLICANTS.into(),
        unit: None,
        derived: false,
        children: table.columns.clone(),
    }])
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

/// Places the head of `column` and its children; `next` is the first grid
/// column not yet headed.
fn place_column(
    column: &model::Column,
    level: usize,
    levels: usize,
    next: &mut usize,
    header: &mut [Vec<GridCell>],
) {
    let leaf = column.children.is_empty();
    let rowspan = if leaf { levels - level } else { 1 };
    let colspan = column_leaves(column);
    header[level].push(GridCell::new(
        column.label.clone(),
        *next,
        (colspan, rowspan),
        CellKind::ColumnHead,
    ));
    if leaf {
        *next += 1;
    }
    for child in &column.children {
        place_column(child, level + 1, levels, next, header);
    }
}

/// The data rows of `table` (its rows that are not groups, as the grid
/// lays them out, one body row each), each as the path of row names from
/// the top: what [`CellSource::row`] counts.
pub fn data_rows(table: &model::Table) -> Vec<Vec<&str>> {
    fn walk<'a>(row: &'a model::Row, path: &mut Vec<&'a str>, out: &mut Vec<Vec<&'a str>>) {
        path.push(&row.name);
        if is_group(row) {
            for child in &row.children {
                walk(child, path, out);
            }
        } else {
            out.push(path.clone());
        }
        path.pop();
    }
    let mut out = Vec::new();
    for row in &table.rows {
        walk(row, &mut Vec::new(), &mut out);
    }
    out
}

/// The cell of `row` in value column `source.column`, placed at grid
/// column `column` over `colspan` columns.
fn value_cell(row: &model::Row, source: CellSource, column: usize, colspan: usize) -> GridCell {
    let cell = row.cells.get(source.column);
    let (text, kind) = match cell {
        Some(cell) if cell.state == model::CellState::Derived => (
            super::typeset_value(&cell.text()).into_owned(),
            CellKind::Derived,
        ),
        Some(cell) if cell.state == model::CellState::Stated => (
            super::typeset_value(&cell.text()).into_owned(),
            CellKind::Stated,
        ),
        _ => (String::new(), CellKind::Empty),
    };
    let mut grid_cell = GridCell::new(text, column, (colspan, 1), kind);
    grid_cell.note = cell.and_then(|cell| cell.note()).map(str::to_string);
    grid_cell.source = Some(source);
    grid_cell
}

/// Lays out body rows, remembering the smallest group of each.
struct Rows {
    label_columns: usize,
    width: usize,
    body: Vec<Vec<GridCell>>,
    /// For each body row, the number of its smallest group (`None` at the
    /// top level).
    groups: Vec<Option<usize>>,
    count: usize,
}

impl Rows {
    /// Appends the body rows of `row` in `group`. `pending` holds the
    /// labels of the groups that start with the next leaf row.
    fn place(
        &mut self,
        row: &model::Row,
        level: usize,
        group: Option<usize>,
        pending: &mut Vec<GridCell>,
    ) {
        if is_group(row) {
            pending.push(GridCell::new(
                row.label.clone(),
                level,
                (1, row_leaves(row)),
                CellKind::GroupLabel,
            ));
            self.count += 1;
            let this = Some(self.count);
            for child in &row.children {
                self.place(child, level + 1, this, pending);
            }
            return;
        }
        let mut cells = std::mem::take(pending);
        if self.label_columns > 0 {
            cells.push(GridCell::new(
                row.label.clone(),
                level,
                (self.label_columns - level, 1),
                CellKind::RowLabel,
            ));
        }
        let first = self.label_columns;
        let ordinal = self.body.len();
        cells.extend((0..self.width).map(|index| {
            let source = CellSource {
                table: 0,
                row: ordinal,
                column: index,
            };
            value_cell(row, source, first + index, 1)
        }));
        self.body.push(cells);
        self.groups.push(group);
    }

    /// Whether each row shares its smallest group with the next one.
    fn with_next(&self) -> Vec<bool> {
        let next = self.groups.iter().skip(1).map(Some).chain([None]);
        self.groups
            .iter()
            .zip(next)
            .map(|(group, next)| group.is_some() && next == Some(group))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, CellState, Column, Number, Row};

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
                .map(|value| {
                    Cell::new(
                        Some(Number::new(value)),
                        None,
                        false,
                        CellState::Stated,
                        false,
                        None,
                    )
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
            [s("勾稽关系", 3, 3), s("申请人情况", 4, 1)],
            "the official head over the applicant columns"
        );
        assert_eq!(
            spans(&grid.header[1]),
            [
                s("自然人", 1, 2),
                s("法人或其他组织", 2, 1),
                s("总计", 1, 2)
            ]
        );
        assert_eq!(
            spans(&grid.header[2]),
            [s("商业企业", 1, 1), s("其他", 1, 1)]
        );
        let columns: Vec<usize> = grid.header[2].iter().map(|cell| cell.column).collect();
        assert_eq!(columns, [4, 5]);
        assert_eq!(grid.sections, [0..1, 1..4], "a group stays in one section");
        assert_eq!(grid.with_next, [false, false, true, false]);
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
        assert!(grid.min_width_em() > 0);
    }

    #[test]
    fn an_unlabelled_row_gets_no_label_column() {
        let table = model::Table {
            name: "复议诉讼".into(),
            title: None,
            unit: None,
            notes: vec!["注".into()],
            columns: vec![column(
                "行政复议",
                vec![column("维持", vec![]), column("纠正", vec![])],
            )],
            rows: vec![row("", &["1", "2"], vec![])],
            placed: true,
        };
        let grid = grid(&table);
        assert_eq!((grid.width, grid.label_columns), (2, 0));
        assert_eq!(spans(&grid.header[0]), [("行政复议".to_string(), 2, 1)]);
        assert!(grid.body[0].iter().all(GridCell::is_value));
        assert_eq!(grid.footnotes, ["注"], "no corner holds the note");
        assert_eq!(grid.column_widths(), [50.0, 50.0]);
    }

    #[test]
    fn the_items_of_section_two_are_one_grid() {
        let item = |title: &str, columns: Vec<Column>, rows: Vec<Row>| model::Table {
            name: title.into(),
            title: Some(title.into()),
            unit: Some("件".into()),
            notes: vec![],
            columns,
            rows,
            placed: true,
        };
        let first = item(
            "第二十条第（一）项",
            vec![
                column("a", vec![]),
                column("b", vec![]),
                column("c", vec![]),
            ],
            vec![row("规章", &["1", "2", "3"], vec![])],
        );
        let fifth = item(
            "第二十条第（五）项",
            vec![column("d", vec![])],
            vec![row("行政许可", &["4"], vec![])],
        );
        assert!(is_article_item(&first) && is_article_item(&fifth));
        let grid = items_grid(&[&first, &fifth]);
        assert_eq!((grid.width, grid.label_columns), (4, 1));
        assert!(grid.header.is_empty());
        let s = |t: &str, c, r| (t.to_string(), c, r);
        assert_eq!(spans(&grid.body[0]), [s("第二十条第（一）项", 4, 1)]);
        assert_eq!(
            spans(&grid.body[1]),
            [s(CONTENT, 1, 1), s("a", 1, 1), s("b", 1, 1), s("c", 1, 1)]
        );
        assert_eq!(spans(&grid.body[4]), [s(CONTENT, 1, 1), s("d", 3, 1)]);
        assert_eq!(spans(&grid.body[5]), [s("行政许可", 1, 1), s("4", 3, 1)]);
        assert_eq!(grid.sections, [0..3, 3..6]);
        assert_eq!(grid.with_next, [true, true, false, true, true, false]);
    }
}
