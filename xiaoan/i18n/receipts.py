"""Texts of what a load tells the office and the clerk: the office's mapping file and its
errors, the 回执 (receipt) workbooks of rejected rows, and the command line's per-file summary."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # ---- the office's mapping file (台账映射表) ----
    "mapping.unreadable": {"zh": "映射表 {file} 无法读取：{detail}", "en": "mapping file {file} cannot be read: {detail}"},
    "mapping.not_table": {
        "zh": "映射表 {file}：{table} 应为表（[…] 段），请按 mapping.example.toml 的格式填写",
        "en": "mapping file {file}: {table} must be a table ([…] section); see mapping.example.toml",
    },
    "mapping.not_text": {
        "zh": "映射表 {file}：{table} 中「{key}」的值应为文字（用引号括起）",
        "en": "mapping file {file}: the value of '{key}' in {table} must be text (in quotes)",
    },
    "mapping.bad_field": {
        "zh": "映射表 {file}：{table} 中「{header}」= 「{field}」不是台账字段；可用字段：{fields}（或 类别.字段，如 "
              "hazards.description；\"\" 表示忽略该列）",
        "en": "mapping file {file}: in {table}, '{header}' = '{field}' is not a ledger field; fields: {fields} "
              "(or kind.field such as hazards.description; \"\" ignores the column)",
    },
    "mapping.no_vocabulary": {
        "zh": "映射表 {file}：[values.\"{field}\"] 不是有固定取值的字段；可映射取值的字段：{fields}",
        "en": "mapping file {file}: [values.\"{field}\"] is not a field with a vocabulary; fields with one: {fields}",
    },
    "mapping.bad_value": {
        "zh": "映射表 {file}：[values.\"{field}\"] 中「{value}」= 「{word}」不是该字段的取值；可用取值：{words}",
        "en": "mapping file {file}: in [values.\"{field}\"], '{value}' = '{word}' is not a word of that field; "
              "words: {words}",
    },
    # ---- 回执 workbooks ----
    "receipt.title": {
        "zh": "回执：{sender} 报送的台账中未通过校验的记录（导入批次 {batch}，{when}）。请按「退回原因」修改后重新报送。",
        "en": "Receipt: rows of {sender}'s ledgers that were not accepted (load {batch}, {when}). "
              "Fix them as the reason says and send them again.",
    },
    "receipt.reason": {"zh": "退回原因", "en": "reason"},
    "receipt.file": {"zh": "文件", "en": "file"},
    "receipt.sheet": {"zh": "工作表", "en": "sheet"},
    "receipt.row": {"zh": "行号", "en": "row"},
    "receipt.column": {"zh": "问题列", "en": "column"},
    "receipt.whole_file": {"zh": "（整个文件未导入）", "en": "(the whole file was not loaded)"},
    # ---- the command line's per-file summary ----
    "cli.ingest.mapping_broken": {"zh": "{detail}", "en": "{detail}"},
    "cli.ingest.file_line": {
        "zh": "{file}：{kinds}；读入 {rows} 条，导入 {loaded} 条，跳过 {skipped} 条，未通过 {rejected} 条",
        "en": "{file}: {kinds}; {rows} rows in, {loaded} loaded, {skipped} skipped, {rejected} rejected",
    },
    "cli.ingest.top_reasons": {"zh": "  主要原因：{reasons}", "en": "  top reasons: {reasons}"},
    "cli.ingest.reason_count": {"zh": "{reason}（{n} 条）", "en": "{reason} ({n})"},
    "cli.ingest.receipts": {
        "zh": "已写回执 {n} 份（每个有未通过记录的报送单位一份）：",
        "en": "wrote {n} receipt(s), one per sender with rejected rows:",
    },
    "cli.ingest.receipts_failed": {"zh": "回执未能写出：{reason}", "en": "receipts not written: {reason}"},
    "cli.status.all_rejected": {"zh": "全部未通过", "en": "all rejected"},
    "cli.status.zero_report": {"zh": "零报告", "en": "zero report"},
    "cli.status.partly": {"zh": "部分导入", "en": "partly loaded"},
    "cli.status.nothing": {"zh": "无数据行", "en": "no data rows"},
    "cli.ingest.zero_report_note": {
        "zh": "零报告：本期无隐患（计入信息报送，不是导入失败）",
        "en": "zero report: no hazards this period (counts as reported, not a failure)",
    },
}
