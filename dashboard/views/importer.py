"""导入台账 Import ledgers (district users only): upload files, see per file and sheet the kind
found, each header and the field it maps to (unknown ones marked), and where every row would go
(load / skip / reject with the reason); change a header's field with a dropdown and see the
preview again; then load them with the same atomic publish as `xiaoan ingest` (the files are
archived like any other). The choices are saved in the office's mapping file under the file's
sender (else its header row), so the sender's next file reads the same way.

Files are read and loaded in a child process (pipelines/publish/preview.py in_worker): the
readers send native panics' text away from fd 2 while they run, which the server must keep, and
a reader that crashes takes the child down, not the dashboard.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import nav, page
from pipelines.contract import KINDS
from pipelines.ingest import limits
from pipelines.publish.preview import (COLUMN, REASON, ROW, STATUS, FilePreview, Loaded, SheetPreview, WorkerFailed,
                                       in_worker)
from xiaoan import config
from xiaoan.i18n import TEXT
from xiaoan.mapping import IGNORE, Mapping, MappingError, dumps, load_mapping, mapping_path, save_mapping

CHOICES = "importer.choices"  # "sender:<name>" / "sheet:<header-row key>" → {header: field}
UPLOADS = "importer.uploads"  # the uploader's generation: a load starts a new, empty one
RESULT = "importer.result"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ctx = page.current()
st.title(ctx.t("dash.page.importer"))
if ctx.scope.kind != "district":  # the menu shows the page to district viewers only; a typed URL gets this
    st.error(ctx.t("importer.district_only"))
    st.stop()


def _keys(file: FilePreview, sheet: SheetPreview) -> tuple[str, ...]:
    """Where a choice is remembered: always under the sheet's header row (ingestion finds it by
    that whoever sent the file), and under the sender when one is known (a later file of theirs
    whose 填报单位 line names them reads the same way)."""
    return (f"sheet:{sheet.sheet_key}", *([f"sender:{file.sender}"] if file.sender else []))


def _with_choices(base: Mapping, choices: dict[str, dict[str, str]]) -> Mapping:
    """The office's mapping with this page's choices over it (by sender, else by header row)."""
    by_sender = {name: dict(m) for name, m in base.by_sender.items()}
    by_sheet = {name: dict(m) for name, m in base.by_sheet.items()}
    for key, chosen in choices.items():
        scope, _, name = key.partition(":")
        (by_sender if scope == "sender" else by_sheet).setdefault(name, {}).update(chosen)
    mapping = replace(base, by_sender=by_sender, by_sheet=by_sheet)
    return replace(mapping, text=dumps(mapping)) if choices else base


def _choose(keys: tuple[str, ...], header: str, widget: str) -> None:
    """A dropdown changed: remember the choice for this header row / sender (the preview reruns)."""
    for key in keys:
        st.session_state.setdefault(CHOICES, {}).setdefault(key, {})[header.strip()] = st.session_state[widget]
    st.session_state.pop(RESULT, None)


def _field_label(kind: str, field: str) -> str:
    if field == IGNORE:
        return ctx.t("importer.ignore")
    return f"{KINDS[kind].column(field).zh} · {field}"


def _kind_label(kind: str) -> str:
    return ctx.t("cli.kind.registry" if KINDS[kind].registry else f"cli.kind.{kind}")


def _headers(file_no: int, file: FilePreview, sheet: SheetPreview) -> None:
    st.markdown(f"**{ctx.t('importer.headers')}**")
    st.caption(ctx.t("importer.headers_hint"))
    table = pl.DataFrame({
        ctx.t("importer.col.header"): [h.text for h in sheet.headers],
        ctx.t("importer.col.field"): [_field_label(sheet.kind, h.field) if h.field else f"⚠ {ctx.t('importer.unknown')}"
                                      for h in sheet.headers],
        ctx.t("importer.col.source"): [ctx.t(f"importer.source.{h.source or 'unknown'}") for h in sheet.headers],
    })
    st.dataframe(table.to_arrow(), hide_index=True, key=f"importer.h.{file_no}.{sheet.index}.{sheet.kind}")
    options = [IGNORE, *sheet.fields]
    cols = st.columns(4)
    for i, h in enumerate(sheet.headers):
        widget = f"importer.f.{file.sha256[:12]}.{sheet.index}.{sheet.kind}.{h.column}"
        st.session_state[widget] = h.field or IGNORE  # what the preview shows is what the dropdown shows
        cols[i % 4].selectbox(ctx.t("importer.field_of", header=h.text), options, key=widget,
                              format_func=lambda f, kind=sheet.kind: _field_label(kind, f),
                              on_change=_choose, args=(_keys(file, sheet), h.text, widget))


def _rows(file_no: int, sheet: SheetPreview) -> None:
    st.markdown(f"**{ctx.t('importer.rows', shown=sheet.rows.height)}**")
    shown = sheet.rows.with_columns(pl.col(STATUS).replace_strict(
        {s: ctx.t(f"importer.status.{s}") for s in ("loaded", "skipped", "rejected")}))
    shown = shown.rename({ROW: ctx.t("importer.col.row"), STATUS: ctx.t("importer.col.status"),
                          COLUMN: ctx.t("importer.col.column"), REASON: ctx.t("importer.col.reason")})
    st.dataframe(shown.to_arrow(), hide_index=True, key=f"importer.r.{file_no}.{sheet.index}.{sheet.kind}")


def _file(file_no: int, file: FilePreview) -> None:
    st.subheader(ctx.t("importer.file", name=Path(file.name).name))
    if file.message:
        st.error(ctx.t("importer.rejected_whole", reason=file.message))
        return
    st.caption(ctx.t("importer.sender", name=file.sender) if file.sender else ctx.t("importer.sender_unknown"))
    for sheet in file.sheets:
        name = sheet.name if sheet.name is not None else ctx.t("importer.csv_sheet")
        with st.expander(ctx.t("importer.sheet", sheet=name, kind=_kind_label(sheet.kind)), expanded=True):
            st.markdown(ctx.t("importer.counts", rows_in=sheet.rows_in, loaded=sheet.loaded, skipped=sheet.skipped,
                              rejected=sheet.rejected))
            if sheet.missing_required:
                st.warning(ctx.t("importer.missing", fields="、".join(KINDS[sheet.kind].column(f).zh
                                                                     for f in sheet.missing_required)))
            _headers(file_no, file, sheet)
            _rows(file_no, sheet)


def _load(uploads, office: Mapping, mapping: Mapping) -> None:
    """Save this page's choices into the mapping file, then load the files as the CLI does."""
    warehouse = config.warehouse_path()
    path = mapping_path(warehouse)
    saved = None
    if mapping is not office:
        saved = save_mapping(mapping, path)  # the load below reads under exactly this file
    with tempfile.TemporaryDirectory(prefix="xiaoan-import-") as tmp:
        paths = []
        for i, upload in enumerate(uploads):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            target = folder / (Path(upload.name).name or f"file-{i}")
            target.write_bytes(upload.getvalue())
            paths.append(target)
        loaded = in_worker("load_files", paths, warehouse, path, ctx.lang)
    st.session_state[RESULT] = (loaded, str(saved) if saved else None)
    st.session_state[CHOICES] = {}
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1  # a new, empty uploader


def _result() -> None:
    loaded, saved = st.session_state[RESULT]
    result = loaded.result
    if result.published:
        st.success(ctx.t("importer.loaded", seconds=f"{result.seconds:.1f}"))
    else:
        st.info(ctx.t("importer.unchanged"))
    if saved:
        st.caption(ctx.t("importer.remembered", path=saved))

    def status(s: str) -> str:
        return ctx.t(f"cli.status.{s}") if f"cli.status.{s}" in TEXT else s

    st.dataframe(pl.DataFrame({
        ctx.t("importer.col.file"): [Path(f.file).name for f in result.files],
        ctx.t("importer.col.outcome"): [status(f.status) for f in result.files],
        ctx.t("importer.col.kinds"): ["+".join(_kind_label(k) if k in KINDS else ctx.t("cli.kind.registry")
                                               for k in f.kinds) for f in result.files],
        ctx.t("importer.col.rows_in"): [f.rows_in for f in result.files],
        ctx.t("importer.col.loaded"): [f.loaded for f in result.files],
        ctx.t("importer.col.skipped"): [f.skipped for f in result.files],
        ctx.t("importer.col.rejected"): [f.rejected for f in result.files],
        ctx.t("importer.col.message"): [f.message or "" for f in result.files],
    }).to_arrow(), hide_index=True, key="importer.result.table")
    _receipts(loaded)
    links = st.container(horizontal=True)
    links.page_link(nav.page_path("hazards"), label=ctx.t("importer.to_hazards"), icon=":material/list_alt:")
    links.page_link(nav.page_path("quality"), label=ctx.t("importer.to_quality"), icon=":material/rule:")


def _receipts(loaded: Loaded) -> None:
    """The 回执 the load wrote (one workbook per sender with rejected rows), to download and send back."""
    if loaded.receipts_error:
        st.warning(ctx.t("importer.receipts_failed", reason=loaded.receipts_error))
    if not loaded.receipts:
        return
    st.markdown(f"**{ctx.t('importer.receipts', n=len(loaded.receipts))}**")
    row = st.container(horizontal=True)
    for path in loaded.receipts:
        path = Path(path)
        if path.exists():
            row.download_button(path.stem, lambda p=path: p.read_bytes(), file_name=path.name, mime=XLSX,
                                key=f"importer.receipt.{path.parent.name}.{path.name}", on_click="ignore",
                                icon=":material/assignment_return:")


def _failed(exc: WorkerFailed, key: str) -> None:
    """The child died or ran out of time: a plain message (its stderr went to the server's log)."""
    if exc.reason == "timeout":
        st.error(ctx.t(f"importer.{key}_timeout", minutes=max(1, (exc.seconds or 0) // 60)))
    else:
        st.error(ctx.t(f"importer.{key}_crashed", code=exc.code))


st.caption(ctx.t("importer.intro"))
limit_mb = limits.MAX_FILE_BYTES // 2**20
uploads = st.file_uploader(ctx.t("importer.upload", limit=limit_mb), type=["xlsx", "xlsm", "xls", "csv"],
                           accept_multiple_files=True, key=f"importer.files.{st.session_state.get(UPLOADS, 0)}",
                           max_upload_size=limit_mb) or []
if RESULT in st.session_state:
    _result()
if not uploads:
    st.stop()
try:
    office = load_mapping(mapping_path(config.warehouse_path()))
except MappingError as problem:
    st.error(ctx.t("importer.mapping_broken", problem=problem))
    st.stop()
mapping = _with_choices(office, st.session_state.get(CHOICES, {}))
files = [(upload.name, upload.getvalue()) for upload in uploads]
try:
    with st.spinner(ctx.t("importer.reading")):
        shown = in_worker("preview", config.warehouse_path(), files, mapping, None, base=office).files
except WorkerFailed as exc:  # the child died (a reader crashed) or ran out of time: say so, the dashboard goes on
    _failed(exc, "read")
    st.stop()
for file_no, file in enumerate(shown):
    _file(file_no, file)
loadable = sum(f.counts[1] for f in shown)
st.caption(ctx.t("importer.load_hint"))
if not loadable:
    st.info(ctx.t("importer.nothing"))
if st.button(ctx.t("importer.load"), type="primary", disabled=not loadable, key="importer.load"):
    try:
        with st.spinner(ctx.t("importer.loading")):
            _load(uploads, office, mapping)
    except WorkerFailed as exc:
        _failed(exc, "load")
        st.stop()
    except MappingError as problem:
        st.error(ctx.t("importer.mapping_broken", problem=problem))
        st.stop()
    st.rerun()
