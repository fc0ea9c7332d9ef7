//! HTML: one standalone page, `lang="zh-CN"`, laid out like the official
//! report, with print CSS for A4. Text is escaped by askama's HTML escaper.

use std::collections::BTreeMap;

use askama::Template;

use super::layout::{CellKind, GridCell};
use super::{Mark, Place, Segment, TableBlock, ViewBlock};
use crate::model;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    front: super::Front<'a>,
    blocks: Vec<ViewBlock<'a, TableView<'a>>>,
    draft: bool,
    /// The findings of `gdr audit`, numbered; `None` on the public page.
    audit: Option<Vec<MarkView<'a>>>,
}

/// A finding of `gdr audit` on the page.
struct MarkView<'a> {
    number: usize,
    code: &'a str,
    /// `error` or `warning`.
    class: &'static str,
    location: Option<&'a str>,
    message: &'a str,
}

/// A marked cell: the numbers of its findings and their words.
struct CellMark {
    numbers: String,
    title: String,
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
    /// The `gdr audit` findings of the table and its cells.
    findings: Vec<MarkView<'a>>,
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
    mark: Option<CellMark>,
}

pub fn render(report: &model::Report, options: super::Options) -> String {
    render_marked(report, options, None)
}

/// [`render`], with the findings of `gdr audit` marked when there are
/// `marks` (see [`super::html_with_marks`]).
pub fn render_marked(
    report: &model::Report,
    options: super::Options,
    marks: Option<&[Mark]>,
) -> String {
    // Rendering into a String only fails if a Display impl fails; ours
    // are plain strings and numbers.
    with_page(report, options, marks, |page| {
        page.render().unwrap_or_default()
    })
}

/// [`render`] into `out`, written as it is made. Fails only as `out` does.
pub fn render_to(
    report: &model::Report,
    options: super::Options,
    out: &mut super::Spill<'_>,
) -> std::io::Result<()> {
    with_page(report, options, None, |page| {
        page.render_into(out).map_err(|_| out.fmt_error())
    })
}

/// The page of `report`, given to `render`.
fn with_page<R>(
    report: &model::Report,
    options: super::Options,
    marks: Option<&[Mark]>,
    render: impl FnOnce(&Page<'_>) -> R,
) -> R {
    let views: Option<Vec<MarkView>> = marks.map(|marks| {
        marks
            .iter()
            .enumerate()
            .map(|(index, mark)| mark_view(index, mark))
            .collect()
    });
    // The findings of each cell, by model table, data row and column.
    let mut cells: BTreeMap<(usize, usize, usize), Vec<usize>> = BTreeMap::new();
    for (index, mark) in marks.unwrap_or_default().iter().enumerate() {
        if let Some(Place::Cell { table, row, column }) = mark.place {
            cells.entry((table, row, column)).or_default().push(index);
        }
    }
    let marks = marks.unwrap_or_default();
    let blocks = super::view_blocks(
        report,
        |depth| (depth + 1).min(6),
        |block| table_view(block, options, marks, &cells),
    );
    let page = Page {
        front: super::Front::of(report),
        blocks,
        draft: options.draft,
        audit: views,
    };
    render(&page)
}

fn table_view<'a>(
    block: TableBlock<'a>,
    options: super::Options,
    marks: &'a [Mark],
    cells: &BTreeMap<(usize, usize, usize), Vec<usize>>,
) -> TableView<'a> {
    let grid = block.grid;
    let tables = block.tables;
    let mark_of = |cell: &GridCell| {
        let source = cell.source?;
        let table = *tables.get(source.table)?;
        let found = cells.get(&(table, source.row, source.column))?;
        let numbers: Vec<String> = found.iter().map(|index| (index + 1).to_string()).collect();
        let title: Vec<String> = found
            .iter()
            .map(|&index| format!("{} {}", marks[index].code, marks[index].message))
            .collect();
        Some(CellMark {
            numbers: numbers.join(","),
            title: title.join("\n"),
        })
    };
    let view = |cells: Vec<GridCell>, with_next: bool| RowView {
        cells: cells
            .into_iter()
            .map(|cell| {
                let mark = mark_of(&cell);
                cell_view(cell, options, mark)
            })
            .collect(),
        with_next,
    };
    let findings = marks
        .iter()
        .enumerate()
        .filter(|(_, mark)| match mark.place {
            Some(Place::Cell { table, .. } | Place::Table { table }) => tables.contains(&table),
            None => false,
        })
        .map(|(index, mark)| mark_view(index, mark))
        .collect();
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
        findings,
    }
}

fn mark_view(index: usize, mark: &Mark) -> MarkView<'_> {
    MarkView {
        number: index + 1,
        code: &mark.code,
        class: if mark.error { "error" } else { "warning" },
        location: mark.location.as_deref(),
        message: &mark.message,
    }
}

fn cell_view(cell: GridCell, options: super::Options, mark: Option<CellMark>) -> CellView {
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
        mark,
    }
}
