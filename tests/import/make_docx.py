#!/usr/bin/env python3
"""Makes the .docx and Markdown fixtures of tests/import_docx.rs from the seed
report's text, tests/import/pingyuan-2020.txt (as pasted from a browser).

- pingyuan-2020.docx: the seed's prose as paragraphs (section headings in
  Word's heading styles) and its tables laid out as the official 2019 form
  has them, merged header cells as gridSpan / vMerge.
- pingyuan-2020.md: the same report as a PDF-to-text tool gives it: one line
  per printed line, `#` headings, pipe tables in which merged cells print
  empty where the merge continues (section 二 as one table per item).
- e0601_not_word.docx: a zip archive that is not a Word document.
- e0601_zip_bomb.docx: a .docx whose document.xml unpacks to 65 MiB.

Needs python-docx (pip install python-docx). CI does not run it: the output
is committed. Run from anywhere: python3 tests/import/make_docx.py
"""

import io
import os
import re
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "pingyuan-2020.txt")
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
NUMBER = re.compile(r"^-?[0-9.]+(万元|元)?$")


def trim(text):
    return text.strip(" \t\r\n\u00a0\u3000")


def read_seed():
    """The seed as blocks, the way src/import/text.rs reads it:
    ("p", text) and ("table", rows of cell texts)."""
    blocks, table, row = [], None, []
    after_cell, row_ended = False, False
    with open(SEED, encoding="utf-8") as seed:
        lines = seed.read().split("\n")
    for raw in lines:
        if raw.startswith("\t"):
            if table is None:
                table = []
            if row_ended and row:
                table.append(row)
                row = []
            row.extend(trim(cell) for cell in raw.split("\t")[1:])
            after_cell, row_ended = True, False
            continue
        text = trim(raw)
        if not text:
            after_cell, row_ended = False, True
            continue
        if after_cell and not HEADING.match(text) and row:
            row[-1] += "\n" + text
            continue
        after_cell = False
        if table is not None:
            if row:
                table.append(row)
                row = []
            blocks.append(("table", table))
            table = None
        blocks.append(("p", text))
    if table is not None:
        if row:
            table.append(row)
        blocks.append(("table", table))
    return blocks


# The layouts: each row a list of (text, colspan, vmerge) with vmerge None,
# "restart" or "continue".


def section_two(rows):
    """二、主动公开政府信息情况: one 4-column table; a form's title spans the
    four columns, a last cell that the form's narrower tables lack spans two."""
    out, index = [], 0
    while index < len(rows):
        row = [cell for cell in rows[index]]
        index += 1
        if len(row) == 1 and row[0].startswith("第二十条"):
            out.append([(row[0], 4, None)])
            continue
        if len(row) == 1 and index < len(rows) and rows[index][0] == "":
            # A label whose cells the browser put on the next row.
            row = row + rows[index]
            index += 1
        while len(row) < 3:
            row.append("")
        cells = [(text, 1, None) for text in row]
        if len(cells) == 3:
            cells[-1] = (cells[-1][0], 2, None)
        out.append(cells)
    return out


def section_three(rows):
    """三、收到和处理政府信息公开申请情况: the official header, and the value
    rows under their group labels merged down (vMerge)."""
    rule = rows[0][0]
    out = [
        [(rule, 3, "restart"), ("申请人情况", 7, None)],
        [
            ("", 3, "continue"),
            ("自然人", 1, "restart"),
            ("法人或其他组织", 5, None),
            ("总计", 1, "restart"),
        ],
        [("", 3, "continue"), ("", 1, "continue")]
        + [(label, 1, None) for label in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
        + [("", 1, "continue")],
    ]
    previous = []
    for row in rows:
        if len(row) < 8 or not all(NUMBER.match(cell) for cell in row[-7:]):
            continue  # the header rows, written above
        labels, values = row[:-7], row[-7:]
        path = []
        for depth, label in enumerate(labels):
            if label:
                path = path[:depth] + [label]
            elif depth < len(previous):
                path = previous[: depth + 1]
        cells = []
        for depth, label in enumerate(path):
            last = depth == len(path) - 1
            if last:
                cells.append((label, 3 - depth, None))
            else:
                same = depth < len(previous) and previous[depth] == label
                cells.append(("" if same else label, 1, "continue" if same else "restart"))
        cells += [(value, 1, None) for value in values]
        out.append(cells)
        previous = path
    return out


def section_four(rows):
    """四、政府信息公开行政复议、行政诉讼情况: the official three header rows
    and the row of fifteen values."""
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    values = rows[-1]
    assert len(values) == 15, values
    return [
        [("行政复议", 5, None), ("行政诉讼", 10, None)],
        [(label, 1, "restart") for label in outcomes]
        + [("未经复议直接起诉", 5, None), ("复议后起诉", 5, None)],
        [("", 1, "continue") for _ in outcomes] + [(label, 1, None) for label in outcomes * 2],
        [(value, 1, None) for value in values],
    ]


def layouts(blocks):
    tables = [rows for kind, rows in blocks if kind == "table"]
    assert len(tables) == 3, len(tables)
    return [section_two(tables[0]), section_three(tables[1]), section_four(tables[2])]


def set_cell(cell, text, colspan, vmerge):
    properties = cell._tc.get_or_add_tcPr()
    if colspan > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(colspan))
        properties.append(span)
    if vmerge:
        merge = OxmlElement("w:vMerge")
        if vmerge == "restart":
            merge.set(qn("w:val"), "restart")
        properties.append(merge)
    lines = text.split("\n") if text else [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def add_table(document, layout):
    columns = max(sum(span for _, span, _ in row) for row in layout)
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for row in layout:
        tr = table.add_row()._tr
        # python-docx adds one w:tc per grid column: keep one per cell.
        for tc in tr.tc_lst[len(row):]:
            tr.remove(tc)
        for tc, (text, span, vmerge) in zip(tr.tc_lst, row):
            set_cell(docx.table._Cell(tc, table), text, span, vmerge)


def write_docx(blocks, path):
    document = docx.Document()
    tables = iter(layouts(blocks))
    title = True
    for kind, content in blocks:
        if kind == "table":
            add_table(document, next(tables))
            continue
        match = HEADING.match(content)
        if title:
            paragraph = document.add_paragraph(content)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            title = not content.endswith("报告")
        elif match and len(content) <= 40:
            document.add_heading(content, level=1 if match.group(1).endswith("、") else 2)
        elif re.match(r"^\d{4}年\d{1,2}月\d{1,2}日$", content):
            # The date, right-aligned after a tab as Word users write it.
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.add_run().add_tab()
            paragraph.add_run(content)
        else:
            document.add_paragraph(content)
    document.core_properties.author = "gdr tests"
    # A fixed date, so that running the script again gives the same file.
    import datetime

    fixed = datetime.datetime(2021, 1, 10)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.core_properties.last_modified_by = "gdr tests"
    buffer = io.BytesIO()
    document.save(buffer)
    with open(path, "wb") as out:
        out.write(deterministic(buffer.getvalue()))


def deterministic(data):
    """The zip again, with fixed entry dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 10, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def wrap(text, width=38):
    """A paragraph as a PDF prints it: lines of at most `width` characters,
    never starting a line with what would read as a heading."""
    lines = []
    while len(text) > width:
        cut = width
        # Latin words and numbers move to the next line whole.
        while cut > 1 and (
            HEADING.match(text[cut:])
            or text[cut - 1].isascii() and text[cut].isascii() and not text[cut].isspace()
        ):
            cut -= 1
        lines.append(text[:cut])
        text = text[cut:]
    lines.append(text)
    return lines


def md_cell(text):
    return text.replace("|", "\\|").replace("\n", "<br>")


def split_items(layout):
    """Section 二 as one table per item of 第二十条, each as wide as its own
    columns (as many reports print it); other tables whole."""
    if not layout[0][0][0].startswith("第二十条"):
        return [layout]
    parts = []
    for row in layout:
        if row[0][0].startswith("第二十条"):
            parts.append([])
        parts[-1].append(row)
    for part in parts:
        width = max(len(row) for row in part[1:])
        part[0] = [(part[0][0][0], width, None)]
        for row in part[1:]:
            # The last cell spanned the columns this item lacks.
            extra = sum(span for _, span, _ in row) - width
            text, span, merge = row[-1]
            row[-1] = (text, span - extra, merge)
    return parts


def write_markdown(blocks, path):
    out = []
    tables = iter(layouts(blocks))
    title = []
    for kind, content in blocks:
        if kind == "table":
            for part in split_items(next(tables)):
                # A rectangular grid: a cell merged across columns or down
                # from above prints empty where the merge continues.
                columns = max(sum(span for _, span, _ in row) for row in part)
                for index, row in enumerate(part):
                    cells = []
                    for text, span, _ in row:
                        cells.append(md_cell(text))
                        cells += [""] * (span - 1)
                    cells += [""] * (columns - len(cells))
                    out.append("| " + " | ".join(cells) + " |")
                    if index == 0:
                        out.append("|" + "---|" * columns)
                out.append("")
            continue
        if title is not None:
            title.append(content)
            if content.endswith("报告"):
                out += ["# " + "".join(title), ""]
                title = None
            continue
        if HEADING.match(content) and len(content) <= 40:
            out += ["#" * (1 if "、" in content[:4] else 2) + " " + content, ""]
            continue
        out += wrap(content) + [""]
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(out))


def write_not_word(path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo("[Content_Types].xml", date_time=(2021, 1, 10, 0, 0, 0))
        archive.writestr(entry, '<?xml version="1.0"?><Types/>')
        entry = zipfile.ZipInfo("content.xml", date_time=(2021, 1, 10, 0, 0, 0))
        archive.writestr(entry, "<document>not Word</document>")
    with open(path, "wb") as file:
        file.write(out.getvalue())


def write_zip_bomb(path):
    """65 MiB of XML, 65 KiB packed."""
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    size = 65 * 1024 * 1024
    body = head + b" " * (size - len(head))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in [
            ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
            ("word/document.xml", body),
        ]:
            entry = zipfile.ZipInfo(name, date_time=(2021, 1, 10, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data, compresslevel=9)
    with open(path, "wb") as file:
        file.write(out.getvalue())


def main():
    blocks = read_seed()
    write_docx(blocks, os.path.join(HERE, "pingyuan-2020.docx"))
    write_markdown(blocks, os.path.join(HERE, "pingyuan-2020.md"))
    write_not_word(os.path.join(HERE, "e0601_not_word.docx"))
    write_zip_bomb(os.path.join(HERE, "e0601_zip_bomb.docx"))


if __name__ == "__main__":
    main()
