//! HTML: one standalone page, `lang="zh-CN"`, laid out like the official
//! report, with print CSS for A4. Text is escaped by askama's HTML escaper.

use askama::Template;

use super::ViewBlock;
use super::layout::{CellKind, Grid, GridCell};
use crate::model;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    front: super::Front<'a>,
    blocks: Vec<ViewBlock<'a, TableView<'a>>>,
}

struct TableView<'a> {
    title: Option<&'a str>,
    unit: Option<&'a str>,
    /// Column widths in percent.
    widths: Vec<f64>,
    header: Vec<Vec<CellView>>,
    body: Vec<Vec<CellView>>,
    footnotes: Vec<String>,
}

struct CellView {
    text: String,
    note: Option<String>,
    colspan: usize,
    rowspan: usize,
    /// `th` or `td`.
    tag: &'static str,
    class: &'static str,
    title: &'static str,
}

pub fn render(report: &model::Report) -> String {
    let blocks = super::view_blocks(report, |depth| (depth + 1).min(6), table_view);
    let page = Page {
        front: super::Front::of(report),
        blocks,
    };
    // Rendering into a String only fails if a Display impl fails; ours
    // are plain strings and numbers.
    page.render().unwrap_or_default()
}

fn table_view<'a>(table: &'a model::Table, grid: Grid, show_title: bool) -> TableView<'a> {
    let view = |cells: Vec<GridCell>| cells.into_iter().map(cell_view).collect();
    TableView {
        title: table.title.as_deref().filter(|_| show_title),
        unit: table.unit.as_deref(),
        widths: grid.column_widths(),
        header: grid.header.into_iter().map(view).collect(),
        body: grid.body.into_iter().map(view).collect(),
        footnotes: grid.footnotes,
    }
}

fn cell_view(cell: GridCell) -> CellView {
    let (tag, class, title) = match cell.kind {
        CellKind::Corner => ("th", "corner", ""),
        CellKind::ColumnHead => ("th", "head", ""),
        CellKind::GroupLabel => ("th", "group", ""),
        CellKind::RowLabel => ("th", "label", ""),
        CellKind::Stated => ("td", "num", ""),
        CellKind::Derived => ("td", "num derived", "由 gdr 按公式计算"),
        CellKind::Empty => ("td", "num empty", ""),
    };
    CellView {
        text: cell.text,
        note: cell.note,
        colspan: cell.colspan,
        rowspan: cell.rowspan,
        tag,
        class,
        title,
    }
}
