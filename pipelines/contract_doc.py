"""Write docs/data-contract.md from the contract itself, so the document cannot drift from the
code: `python -m pipelines.contract_doc > docs/data-contract.md` (a test checks it is current)."""

from __future__ import annotations

from pipelines import contract as k
from xiaoan.i18n import TEXT

INTRO = """# The data contract, as implemented

Generated from `pipelines/contract.py` and `xiaoan/i18n/ingest.py` by `python -m pipelines.contract_doc`;
do not edit by hand. SPEC §2 is the source; this page says exactly what the loader accepts.

## How a file is read

- Formats: .xlsx / .xlsm and .xls (read with calamine, every cell as text), .csv in UTF-8 with
  or without BOM, UTF-16 with BOM, or GBK/GB18030. Anything else is rejected whole.
- Every sheet is classified by its header; the header row is searched in the first 30 rows and
  may span two rows (a group title such as 隐患情况 merged over the columns beneath it).
  Header cells are matched after NFKC (full-width → half-width), without spaces, `*`, colons
  or bracketed hints such as （必填）. Column order never matters; unknown columns are ignored.
- Sheets named like an instruction sheet ({instruction_sheets}) and sheets with no known header
  are passed over. A file with no sheet of a known kind is rejected whole.
- Rows below the header: blank rows, totals rows (合计, 总计, 小计, 共计, total), lone notes
  (填表人：…, 审核人：…, 备注…) and repeated header rows are **skipped**; every other row is
  **loaded** or **rejected**. Title lines and the header rows count as skipped, so for each
  data sheet: loaded + skipped + rejected = the rows of the sheet.
- Cells are trimmed; codes, names, dates and vocabulary words are also NFKC-normalised.
  Free text (descriptions, measures, topics, people) is kept as typed.
- Dates: Excel dates, Excel serial numbers, 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日,
  20260305, with or without a time; years 1990–2100.
- Schools are found by code or full name (a name two towns share needs 所属镇 or the code);
  member units by code, full name, or the name without the district's own name in front
  (青溪公安分局 → 公安分局); towns by code or name.
- The same file content (by SHA-256) is never loaded twice, whatever its name. Within one
  file, a repeated key (hazard id + report date; inspection id; meeting id; registry code)
  keeps the first row and rejects the repeats.
- Limits: {limits}.
"""


def _limits() -> str:
    from pipelines.ingest import limits

    return (f"{limits.MAX_FILE_BYTES // 2**20} MB a file, {limits.MAX_SHEETS} sheets, {limits.MAX_ROWS_PER_SHEET:,} rows a sheet, "
            f"{limits.MAX_COLUMNS:,} columns a sheet, {limits.MAX_SHEET_CELLS:,} cells in the rectangle a sheet's cells span, "
            f"{limits.MAX_CELL_CHARS:,} characters a cell, an .xlsx that inflates beyond {limits.MAX_XLSX_RATIO}× its size "
            f"or {limits.MAX_XLSX_UNCOMPRESSED_BYTES // 2**30} GiB")


def _vocab(vocab: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"**{canon}** ({'、'.join(syn)})" if syn else f"**{canon}**" for canon, syn in vocab.items())


VOCABULARIES = [
    ("隐患类别 category", k.CATEGORIES), ("隐患等级 level", k.LEVELS), ("整改状态 status", k.STATUSES),
    ("学校类型 school type", k.SCHOOL_TYPES), ("办学性质 ownership", k.OWNERSHIPS),
    ("检查类型 inspection type", k.INSPECTION_TYPES), ("会议类型 meeting type", k.MEETING_TYPES),
    ("层级 meeting level", k.MEETING_LEVELS),
]


def render() -> str:
    out = [INTRO.format(limits=_limits(), instruction_sheets="、".join(k.INSTRUCTION_SHEETS))]
    out.append("## Record kinds and their columns\n")
    for kind in k.ALL_KINDS:
        where = f" — registry sheet, also known by the sheet names {'、'.join(kind.sheet_names)}" if kind.registry else ""
        out.append(f"### {kind.zh} `{kind.name}`{where}\n")
        out.append("| column | field | required | also accepted as |")
        out.append("|---|---|---|---|")
        for col in kind.columns:
            out.append(f"| {col.zh} | `{col.field}` | {'yes' if col.required else ''} | {', '.join(col.aliases)} |")
        out.append("")
    out.append("## Vocabularies (canonical value, then the synonyms mapped onto it)\n")
    for name, vocab in VOCABULARIES:
        out.append(f"- {name}: {_vocab(vocab)}")
    out.append("\n## Rejection reasons (as stored in `rejected_rows.reason`)\n")
    out.append("| key | 中文 | English |")
    out.append("|---|---|---|")
    for key, text in TEXT.items():
        if key.startswith(("row.", "file.")):
            out.append(f"| `{key}` | {text['zh']} | {text['en']} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(), end="")
