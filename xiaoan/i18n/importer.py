"""Texts of the 导入台账 page (dashboard/views/importer.py): upload, preview, remap, load."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "dash.page.importer": {"zh": "导入台账", "en": "Import ledgers"},
    "importer.district_only": {
        "zh": "只有区级用户可以导入台账。", "en": "Only district users may import ledgers.",
    },
    "importer.intro": {
        "zh": "上传一个或多个台账文件（.xlsx、.xls、.csv），先查看每张表的识别结果和每一行的去向，"
              "需要时改正表头对应的字段，再导入。",
        "en": "Upload one or more ledger files (.xlsx, .xls, .csv): see how each sheet is read and where every "
              "row would go, correct a header's field if needed, then load.",
    },
    "importer.upload": {"zh": "选择台账文件（每个不超过 {limit} MB）", "en": "Ledger files (up to {limit} MB each)"},
    "importer.reading": {"zh": "正在读取文件…", "en": "Reading the files…"},
    "importer.read_crashed": {
        "zh": "读取文件的后台进程意外退出（退出码 {code}），文件可能已损坏或不是台账。仪表盘不受影响："
              "请检查文件（用 Excel 打开后另存为 .xlsx）再上传。",
        "en": "The process reading the files stopped unexpectedly (exit code {code}); a file may be damaged or not a "
              "ledger. The dashboard is unaffected: check the file (open it in Excel, save as .xlsx) and upload again.",
    },
    "importer.read_timeout": {
        "zh": "读取文件超过 {minutes} 分钟仍未完成，已停止。请分批上传较小的文件，或用命令行 xiaoan ingest 导入。",
        "en": "Reading the files took more than {minutes} min and was stopped. Upload fewer or smaller files, or load "
              "them with `xiaoan ingest`.",
    },
    "importer.load_crashed": {
        "zh": "导入的后台进程意外退出（退出码 {code}），没有发布新版本，数据库未变。请稍后重试，或用命令行 xiaoan ingest 导入。",
        "en": "The loading process stopped unexpectedly (exit code {code}): nothing was published, the warehouse is "
              "unchanged. Try again later, or load with `xiaoan ingest`.",
    },
    "importer.load_timeout": {
        "zh": "导入超过 {minutes} 分钟仍未完成，已停止，没有发布新版本。请分批导入，或用命令行 xiaoan ingest 导入。",
        "en": "Loading took more than {minutes} min and was stopped; nothing was published. Load fewer files at a "
              "time, or use `xiaoan ingest`.",
    },
    "importer.file": {"zh": "文件：{name}", "en": "File: {name}"},
    "importer.rejected_whole": {"zh": "整个文件将不予导入：{reason}", "en": "The whole file would not be loaded: {reason}"},
    "importer.sender": {"zh": "报送单位：{name}", "en": "Sent by: {name}"},
    "importer.sender_unknown": {
        "zh": "未识别出报送单位：本页的表头选择将按这张表的表头行记住。",
        "en": "No sender found: choices made here are remembered for this header row.",
    },
    "importer.sheet": {"zh": "工作表「{sheet}」：{kind}", "en": "Sheet “{sheet}”: {kind}"},
    "importer.csv_sheet": {"zh": "CSV 文件", "en": "CSV file"},
    "importer.counts": {
        "zh": "共 {rows_in} 行：将导入记录 {loaded} 条，跳过 {skipped} 行（标题、空行、合计），未通过校验的记录 {rejected} 条",
        "en": "{rows_in} rows: {loaded} records would load, {skipped} rows skipped (titles, blank, totals), "
              "{rejected} records not accepted",
    },
    "importer.missing": {
        "zh": "缺少必需的列：{fields}（可在下方把某一表头对应到它）",
        "en": "Required columns missing: {fields} (map a header to one below)",
    },
    "importer.headers": {"zh": "表头与字段", "en": "Headers and fields"},
    "importer.headers_hint": {
        "zh": "每个表头对应的字段；“未识别”的列不会导入。改动后预览会重新计算。",
        "en": "The field each header maps to; “unknown” columns are not loaded. The preview recomputes on a change.",
    },
    "importer.field_of": {"zh": "「{header}」对应", "en": "“{header}” maps to"},
    "importer.ignore": {"zh": "忽略（不导入）", "en": "Ignore (not loaded)"},
    "importer.unknown": {"zh": "未识别", "en": "unknown"},
    "importer.source.contract": {"zh": "标准表头", "en": "standard header"},
    "importer.source.mapping": {"zh": "本单位映射表", "en": "office mapping"},
    "importer.source.choice": {"zh": "本页选择", "en": "chosen here"},
    "importer.source.unknown": {"zh": "未识别（忽略）", "en": "unknown (ignored)"},
    "importer.col.header": {"zh": "表头", "en": "Header"},
    "importer.col.field": {"zh": "字段", "en": "Field"},
    "importer.col.source": {"zh": "来源", "en": "From"},
    "importer.col.row": {"zh": "行号", "en": "Row"},
    "importer.col.status": {"zh": "去向", "en": "Outcome"},
    "importer.col.column": {"zh": "问题列", "en": "Column"},
    "importer.col.reason": {"zh": "原因", "en": "Reason"},
    "importer.status.loaded": {"zh": "导入", "en": "load"},
    "importer.status.skipped": {"zh": "跳过", "en": "skip"},
    "importer.status.rejected": {"zh": "未通过校验", "en": "not accepted"},
    "importer.rows": {"zh": "逐行预览（前 {shown} 行）", "en": "Rows (first {shown})"},
    "importer.load": {"zh": "导入", "en": "Load"},
    "importer.load_hint": {
        "zh": "导入与命令行 xiaoan ingest 相同：整批一次发布，文件存档；本页的表头选择会记入映射表，下次同一单位的文件沿用。",
        "en": "Loads as `xiaoan ingest` does: one atomic publish, the files archived; the header choices made here "
              "go into the mapping file for the sender's next file.",
    },
    "importer.nothing": {"zh": "没有可导入的记录。", "en": "There is no record to load."},
    "importer.loading": {"zh": "正在导入…", "en": "Loading…"},
    "importer.loaded": {"zh": "已导入并发布新版本（用时 {seconds} 秒）。", "en": "Loaded and published ({seconds} s)."},
    "importer.unchanged": {
        "zh": "这些文件此前已按同样的映射导入过，数据库未变。",
        "en": "These files were loaded before under the same mapping: the warehouse is unchanged.",
    },
    "importer.col.file": {"zh": "文件", "en": "File"},
    "importer.col.outcome": {"zh": "结果", "en": "Result"},
    "importer.col.kinds": {"zh": "类型", "en": "Kind"},
    "importer.col.rows_in": {"zh": "行数", "en": "Rows"},
    "importer.col.loaded": {"zh": "导入（条）", "en": "Loaded"},
    "importer.col.skipped": {"zh": "跳过（行）", "en": "Skipped"},
    "importer.col.rejected": {"zh": "未通过校验（条）", "en": "Not accepted"},
    "importer.col.message": {"zh": "说明", "en": "Note"},
    "importer.remembered": {"zh": "表头选择已记入映射表：{path}", "en": "Header choices saved to the mapping file: {path}"},
    "importer.receipts": {
        "zh": "回执 {n} 份：每个有未通过校验记录的报送单位一份，原样列出这些记录并注明原因，可下载后退回修改"
              "（“数据报送质量”页也列出）。",
        "en": "{n} receipts: one workbook per sender with records not accepted, as sent with the reason beside "
              "each, to download and send back (also on the Reporting quality page).",
    },
    "importer.receipts_failed": {
        "zh": "已导入，但回执未能生成：{reason}",
        "en": "Loaded, but the receipts could not be written: {reason}",
    },
    "importer.to_hazards": {"zh": "查看隐患台账", "en": "Open the hazard ledger"},
    "importer.to_quality": {"zh": "查看数据报送质量与回执", "en": "Open reporting quality and receipts"},
    "importer.mapping_broken": {"zh": "映射表无法读取：{problem}", "en": "The mapping file cannot be read: {problem}"},
}
