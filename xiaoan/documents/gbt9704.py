"""GB/T 9704-2012 (党政机关公文格式) for the templates this project ships, built with python-docx.

Each document module (bulletin, notice) lays out its own template with these helpers, so that
every document has the same page and type:

- A4, 210 × 297 mm; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
- title 方正小标宋简体 二号 (22 pt), centred; body 仿宋_GB2312 三号 (16 pt), first line indented two
  characters; level-1 headings 黑体 三号 ("一、"), level-2 楷体_GB2312 三号 ("（一）"); 28 pt fixed
  line spacing (22 lines of 28 characters);
- page numbers 宋体 四号 (14 pt) as "— 1 —" in the footer: odd pages right, even pages left, one
  character in from the edge of the 版心;
- 主送 (recipients), 落款 (issuer) and 成文日期 (date, 2026年10月31日) blocks.

Fonts are named in the document (w:ascii, w:hAnsi, w:eastAsia), never embedded or downloaded:
a PC without them shows Word's substitutes. A date (成文日期) is written by xiaoan.labels.day_label.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

# Fonts and sizes (号 → points).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
SIZE_ER = 22.0      # 二号: the title
SIZE_SAN = 16.0     # 三号: body and headings
SIZE_SI = 14.0      # 四号: page numbers
SIZE_XIAOSI = 12.0  # 小四: table text
LINE_PITCH = 28.0   # fixed line spacing of the body, points
CHAR = SIZE_SAN     # one character of body text, points (indents are counted in characters)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# The page number's top lies 7 mm below the 版心: its baseline region ends about 23 mm above the edge.
FOOTER_DISTANCE = Mm(23)
EM_DASH = "—"
CELL_MARGIN_MM = 1.0  # left and right padding of table cells


def new_document() -> Document:
    """An empty document with the GB/T 9704 page, the body type as its Normal style and the
    page-number footers (odd pages right, even pages left)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), FOOTER_DISTANCE
    default_rpr = document.styles.element.find(f'{qn("w:docDefaults")}/{qn("w:rPrDefault")}/{qn("w:rPr")}')
    if default_rpr is not None:
        set_fonts(default_rpr, BODY_FONT)
    normal = document.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(SIZE_SAN)
    _fixed_spacing(normal.paragraph_format)
    _east_asian_language(normal.element.get_or_add_rPr())
    document.settings.odd_and_even_pages_header_footer = True
    page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return document


def set_fonts(rpr, font: str) -> None:
    """Name `font` for every script of a run's (or style's) properties, East Asian included."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one


def styled_run(paragraph, text: str, font: str, size: float, bold: bool = False):
    """A run of `text` in `font` at `size` points."""
    run = paragraph.add_run(text)
    set_fonts(run._element.get_or_add_rPr(), font)
    run.font.size = Pt(size)
    run.font.bold = bold
    return run


def title(document, text: str):
    """The title (标题): 方正小标宋简体 二号, centred, followed by one empty line."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_spacing(paragraph.paragraph_format, 36.0)
    styled_run(paragraph, text, TITLE_FONT, SIZE_ER)
    blank(document)
    return paragraph


def blank(document):
    """An empty body line."""
    paragraph = document.add_paragraph()
    _fixed_spacing(paragraph.paragraph_format)
    return paragraph


def recipients(document, text: str):
    """主送机关: flush left, one line, ending with a full-width colon (given in `text`)."""
    paragraph = document.add_paragraph()
    _fixed_spacing(paragraph.paragraph_format)
    styled_run(paragraph, text, BODY_FONT, SIZE_SAN)
    return paragraph


def body(document, text: str, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    """A body paragraph (正文): 仿宋_GB2312 三号, first line indented two characters."""
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    _fixed_spacing(paragraph.paragraph_format)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * CHAR)
    styled_run(paragraph, text, BODY_FONT, SIZE_SAN)
    return paragraph


def heading1(document, text: str):
    """A level-1 heading (一级标题, "一、…"): 黑体 三号, indented two characters."""
    paragraph = body(document, "", align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.runs[0].text = text
    set_fonts(paragraph.runs[0]._element.get_or_add_rPr(), HEADING1_FONT)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def heading2(document, text: str):
    """A level-2 heading (二级标题, "（一）…"): 楷体_GB2312 三号, indented two characters."""
    paragraph = body(document, "", align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.runs[0].text = text
    set_fonts(paragraph.runs[0]._element.get_or_add_rPr(), HEADING2_FONT)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def signature(document, issuer: str, date_text: str):
    """落款: the issuing office and, below it, the 成文日期, right-aligned (the date four
    characters in from the right edge, the office two), after two empty lines; kept on the page
    of the text above it (GB/T 9704: no page holds only the 落款; the caller keeps its last
    paragraph with the next)."""
    for _ in range(2):
        blank(document).paragraph_format.keep_with_next = True
    office = document.add_paragraph()
    office.paragraph_format.keep_with_next = True
    office.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    office.paragraph_format.right_indent = Pt(2 * CHAR)
    _fixed_spacing(office.paragraph_format)
    styled_run(office, issuer, BODY_FONT, SIZE_SAN)
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.right_indent = Pt(4 * CHAR)
    _fixed_spacing(date.paragraph_format)
    styled_run(date, date_text, BODY_FONT, SIZE_SAN)
    return office, date


def table(document, headers: list[str], cells: list[str], widths_mm: list[float] | None = None,
          size: float = SIZE_XIAOSI):
    """A table with one header row (黑体) and one row of `cells` (仿宋_GB2312): `cells` are
    usually docxtpl fields; put `{%tr for … %}` / `{%tr endfor %}` rows around it with
    `loop_rows`. Single line spacing, centred on the page, borders on every cell."""
    grid = document.add_table(rows=2, cols=len(headers))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.style = document.styles["Table Grid"]
    for row, texts, font in ((grid.rows[0], headers, HEADING1_FONT), (grid.rows[1], cells, BODY_FONT)):
        for cell, text in zip(row.cells, texts):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph.paragraph_format.first_line_indent = Pt(0)
            styled_run(paragraph, text, font, size)
    _repeat_header(grid.rows[0])
    _keep_rows_whole(grid.rows[1])
    _cell_margins(grid, CELL_MARGIN_MM)
    if widths_mm:  # fixed widths (Word reads the cells', LibreOffice the grid's)
        grid.autofit = False
        for column, width in zip(grid.columns, widths_mm):
            column.width = Mm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
    return grid


def loop_rows(grid, opening: str, closing: str = "{%tr endfor %}") -> None:
    """Wrap the table's last row in docxtpl row tags: a row holding `opening` (e.g. "{%tr for r
    in rows %}") before it and one holding `closing` after it (both rows vanish when rendered)."""
    template_row = grid.rows[-1]._tr
    for text, where in ((opening, "before"), (closing, "after")):
        row = grid.add_row()
        row.cells[0].paragraphs[0].add_run(text)
        if where == "before":
            template_row.addprevious(row._tr)


def page_number_footer(footer, alignment) -> None:
    """The footer's page number: "— PAGE —" in 宋体 四号, one character in from the side."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(SIZE_SI)
    else:
        paragraph.paragraph_format.left_indent = Pt(SIZE_SI)
    styled_run(paragraph, f"{EM_DASH} ", PAGE_NUMBER_FONT, SIZE_SI)
    field_run = styled_run(paragraph, "", PAGE_NUMBER_FONT, SIZE_SI)
    add_field(field_run, "PAGE", "1")
    styled_run(paragraph, f" {EM_DASH}", PAGE_NUMBER_FONT, SIZE_SI)


def add_field(run, instruction: str, shown: str) -> None:
    """A Word field (e.g. PAGE) in `run`: begin, instruction, separate, the value shown until
    Word updates it, end."""
    element = run._element
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("text", shown),
                       ("end", None)):
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        elif kind == "text":
            node = OxmlElement("w:t")
            node.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        element.append(node)


def _fixed_spacing(paragraph_format, points: float = LINE_PITCH) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _keep_rows_whole(row) -> None:
    """A row is not split across two pages (the loop's rows are copies of this one)."""
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _cell_margins(grid, mm: float) -> None:
    """Left and right cell margins of the whole table (Word's default 1.9 mm wraps 等级 "一般")."""
    properties = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    properties.append(margins)


def _east_asian_language(rpr) -> None:
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")
