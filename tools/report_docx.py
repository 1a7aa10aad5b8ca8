"""A Word (.docx) document in the official layout (NĐ 30/2020/NĐ-CP), with python-docx.

Officials edit reports in Word before signing, so the document is plain Word: the
built-in "Table Grid" style for tables (opens the same in Word and LibreOffice), Times
New Roman 13 pt, A4 with the decree's margins, the agency / national motto header as a
borderless two-column table.

``build(document)`` takes a dict (no Odoo objects) and returns the file's bytes:

- ``authority``, ``agency``, ``number``, ``place_date``: the header;
- ``title``, ``subtitle``, ``recipient``: centred under it;
- ``blocks``: ``("heading", text)``, ``("paragraph", text)`` (lines split on "\\n"), or
  ``("table", {"header": [...], "rows": [{"cells": [...], "bold": bool, "level": int}],
  "numeric": [column indexes aligned right], "widths": [cm, ...]})``;
- ``signer_title``, ``signer_name``, ``recipients``: the signature block.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(13)
TABLE_SIZE = Pt(11)


def _set_font(style, size):
    style.font.name = FONT
    style.font.size = size
    # python-docx sets the ASCII and high-ANSI fonts; Word picks the East Asian one for some characters
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _write(paragraph, text, bold=False, italic=False, align=None, size=None, upper=False):
    run = paragraph.add_run(text.upper() if upper else text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = size
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _paragraph(container, text, space_after=0, **style):
    """A new paragraph of ``text`` in ``container`` (the document or a cell)."""
    paragraph = _write(container.add_paragraph(), text, **style)
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _cell_text(cell, text, **style):
    """``text`` in the cell's first (empty) paragraph."""
    return _write(cell.paragraphs[0], text, **style)


def _header(doc, document):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if document.get("authority"):
        _cell_text(left, document["authority"], align=center, upper=True, size=Pt(12))
        _paragraph(left, document.get("agency") or "", bold=True, align=center, upper=True, size=Pt(12))
    else:
        _cell_text(left, document.get("agency") or "", bold=True, align=center, upper=True, size=Pt(12))
    _paragraph(left, "―――――", align=center)
    if document.get("number"):
        _paragraph(left, document["number"], align=center)
    _cell_text(right, document["national_name"], bold=True, align=center, size=Pt(12))
    _paragraph(right, document["motto"], bold=True, align=center)
    _paragraph(right, "―――――――――――", align=center)
    if document.get("place_date"):
        _paragraph(right, document["place_date"], italic=True, align=center)


def _table(doc, spec):
    header = spec["header"]
    numeric = set(spec.get("numeric", ()))
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, text in enumerate(header):
        _cell_text(table.rows[0].cells[index], text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=TABLE_SIZE)
    for row in spec["rows"]:
        cells = table.add_row().cells
        for index, text in enumerate(row["cells"]):
            align = WD_ALIGN_PARAGRAPH.RIGHT if index in numeric else None
            paragraph = _cell_text(cells[index], str(text), bold=row.get("bold", False),
                                   italic=bool(row.get("level")) and index == 1, align=align, size=TABLE_SIZE)
            if index == 1 and row.get("level"):
                paragraph.paragraph_format.left_indent = Cm(0.5 * row["level"])
    for index, width in enumerate(spec.get("widths", ())):
        for row in table.rows:
            row.cells[index].width = Cm(width)
    doc.add_paragraph()
    return table


def build(document):
    """The .docx file of ``document`` (see the module docstring), as bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    _set_font(doc.styles["Normal"], BODY_SIZE)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)

    _header(doc, document)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, "", space_after=6)
    _paragraph(doc, document.get("title") or "BÁO CÁO", bold=True, align=center, size=Pt(14))
    if document.get("subtitle"):
        _paragraph(doc, document["subtitle"], bold=True, align=center)
    if document.get("recipient"):
        _paragraph(doc, document["recipient"], align=center, space_after=6)

    for kind, content in document.get("blocks", ()):
        if kind == "heading":
            _paragraph(doc, content, bold=True, space_after=3)
        elif kind == "paragraph":
            for line in (content or "").splitlines() or [""]:
                paragraph = _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
                paragraph.paragraph_format.first_line_indent = Cm(1)
        elif kind == "table":
            _table(doc, content)

    signature = doc.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    _cell_text(left, "Nơi nhận:", bold=True, italic=True, size=Pt(12))
    for recipient in document.get("recipients", ()):
        _paragraph(left, f"- {recipient};", size=Pt(11))
    _cell_text(right, (document.get("signer_title") or "").upper(), bold=True, align=center)
    _paragraph(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, align=center, size=Pt(11))
    for _blank in range(3):
        _paragraph(right, "")
    _paragraph(right, document.get("signer_name") or "", bold=True, align=center)

    stream = io.BytesIO()
    doc.save(stream)
    return stream.getvalue()


def table_texts(data):
    """The text of every cell of every table of a .docx file: [[[cell, …], …], …] (for checks)."""
    doc = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
