//! HTML: one standalone page, `lang="zh-CN"`, laid out like the official
//! report, with print CSS for A4. Text is escaped by askama's HTML escaper.

use askama::Template;

use super::layout::{CellKind, GridCell};
use super::{Segment, TableBlock, ViewBlock};
use crate::model;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    front: super::Front<'a>,
    blocks: Vec<ViewBlock<'a, TableView<'a>>>,
    draft: bool,
}

struct TableView<'a> {
    title: Option<&'a str>,
    unit: Option<&'a str>,
    /// Column widths in percent.
    widths: Vec<f64>,
    /// The narrowest the table may be, in `em`: a narrower screen scrolls
    /// it sideways in its own box.
    min_width: u32,
    header: Vec<RowView>,
    /// The body in runs of rows, each a `tbody` (a label spanning rows
    /// cannot leave its `tbody`).
    sections: Vec<SectionView>,
    footnotes: Vec<Vec<Segment<'static>>>,
}

struct SectionView {
    rows: Vec<RowView>,
    /// Short enough for print to keep on one page.
    keep: bool,
}

struct RowView {
    cells: Vec<CellView>,
    /// Print keeps the row on the page of the next one.
    with_next: bool,
}

/// The most rows a section may have for print to keep it on one page.
const KEEP_ROWS: usize = 8;

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

pub fn render(report: &model::Report, options: super::Options) -> String {
    let blocks = super::view_blocks(
        report,
        |depth| (depth + 1).min(6),
        |block| table_view(block, options),
    );
    let page = Page {
        front: super::Front::of(report),
        blocks,
        draft: options.draft,
    };
    // Rendering into a String only fails if a Display impl fails; ours
    // are plain strings and numbers.
    page.render().unwrap_or_default()
}

fn table_view(block: TableBlock<'_>, options: super::Options) -> TableView<'_> {
    let grid = block.grid;
    let view = |cells: Vec<GridCell>, with_next: bool| RowView {
        cells: cells
            .into_iter()
            .map(|cell| cell_view(cell, options))
            .collect(),
        with_next,
    };
    let widths = grid.column_widths();
    let min_width = grid.min_width_em();
    let mut body = grid.body.into_iter().zip(grid.with_next);
    let sections = grid
        .sections
        .iter()
        .map(|rows| SectionView {
            rows: body
                .by_ref()
                .take(rows.len())
                .map(|(cells, with_next)| view(cells, with_next))
                .collect(),
            keep: rows.len() <= KEEP_ROWS,
        })
        .collect();
    TableView {
        title: block.title,
        unit: block.unit,
        widths,
        min_width,
        header: grid
            .header
            .into_iter()
            .map(|cells| view(cells, false))
            .collect(),
        sections,
        footnotes: super::footnote_segments(&grid.footnotes),
    }
}

fn cell_view(cell: GridCell, options: super::Options) -> CellView {
    let (tag, class, title) = match cell.kind {
        CellKind::Corner => ("th", "corner", ""),
        CellKind::ColumnHead => ("th", "head", ""),
        CellKind::Title => ("th", "item", ""),
        CellKind::GroupLabel => ("th", "group", ""),
        CellKind::RowLabel => ("th", "label", ""),
        CellKind::Stated => ("td", "num", ""),
        CellKind::Derived if options.draft => ("td", "num derived", "由 gdr 按公式计算"),
        CellKind::Derived => ("td", "num", ""),
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
