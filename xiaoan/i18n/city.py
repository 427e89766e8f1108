"""Texts of the city area (see xiaoan/i18n/__init__.py): keys city.*."""

TEXT: dict[str, dict[str, str]] = {
    # The lake (pipelines/lake, xiaoan export --lake) and the sample city (xiaoan sample --districts).
    "city.lake.no_code": {
        "zh": "登记册未填写区代码（6位行政区划代码），不能写入市级数据湖 {lake}：请在登记册“区”表填写区代码后重新导入",
        "en": "the registry has no 区代码 (the 6-digit administrative code), so nothing can be written to the lake "
              "{lake}: add it to the registry's 区 sheet and ingest the registry again",
    },
    "city.lake.bad_code": {
        "zh": "区代码“{value}”无效：应为6位数字的行政区划代码",
        "en": "the district code '{value}' is not valid: it must be the 6-digit administrative code",
    },
    "city.lake.bad_code_row": {
        "zh": "「{column}」应为6位数字的行政区划代码：{value}",
        "en": "'{column}' must be the 6-digit administrative code: {value}",
    },
    "city.lake.no_snapshot": {
        "zh": "{path} 中没有快照数据表（Parquet 文件），无法写入数据湖",
        "en": "{path} holds no snapshot tables (Parquet files): nothing to write to the lake",
    },
    "city.lake.cannot_write": {
        "zh": "无法写入数据湖 {lake}：{detail}",
        "en": "cannot write to the lake {lake}: {detail}",
    },
    "city.lake.wrote": {
        "zh": "已写入数据湖 {lake}：{district}（区代码 {code}），截止日期 {as_of}，第{version}版，共{tables}张表",
        "en": "wrote to the lake {lake}: {district} (code {code}), as of {as_of}, version {version}, {tables} tables",
    },
    "city.sample.title": {
        "zh": "生成示例市级数据（{count}个区）→ {out}",
        "en": "xiaoan sample, a city of {count} districts → {out}",
    },
    "city.sample.code": {"zh": "区代码", "en": "code"},
    "city.sample.district": {"zh": "区名称", "en": "district"},
    "city.sample.folder": {"zh": "文件夹", "en": "folder"},
    "city.sample.towns": {"zh": "镇", "en": "towns"},
    "city.sample.schools": {"zh": "学校", "en": "schools"},
    "city.sample.hazard_reports": {"zh": "隐患报送记录", "en": "hazard reports"},
    "city.sample.files": {"zh": "文件", "en": "files"},
    "city.sample.bad_count": {
        "zh": "--districts 应为 1 至 {most} 之间的整数，收到 {value}",
        "en": "--districts must be a whole number from 1 to {most}, got {value}",
    },
    # The roll-up (pipelines/city/rollup.py, xiaoan city rollup).
    "city.rollup.bad_date": {
        "zh": "--as-of 应为日期（YYYY-MM-DD），收到“{value}”",
        "en": "--as-of must be a date (YYYY-MM-DD), got '{value}'",
    },
    "city.rollup.bad_engine": {
        "zh": "--engine 应为 {engines} 之一，收到“{value}”",
        "en": "--engine must be one of {engines}, got '{value}'",
    },
    "city.rollup.rules": {"zh": "市级考核规则文件有误：{detail}", "en": "the city's rules file is not valid: {detail}"},
    "city.rollup.no_lake": {"zh": "找不到数据湖 {lake}", "en": "no lake at {lake}"},
    "city.rollup.no_partitions": {
        "zh": "数据湖 {lake} 中没有截止日期为 {as_of} 的已提交区级快照：请先用 xiaoan export --lake 写入",
        "en": "the lake {lake} holds no committed district snapshot as of {as_of}: write them with "
              "xiaoan export --lake first",
    },
    "city.rollup.no_table": {
        "zh": "数据湖 {lake} 的已提交快照中缺少数据表：{table}",
        "en": "the committed snapshots in the lake {lake} lack the table(s): {table}",
    },
    "city.rollup.cannot_write": {"zh": "无法写入 {path}：{detail}", "en": "cannot write {path}: {detail}"},
    "city.rollup.no_spark": {
        "zh": "--engine spark 需要 pyspark 和 Java：请安装 pip install -e '.[spark]'（Java 见 scripts/install_java.sh）",
        "en": "--engine spark needs pyspark and Java: pip install -e '.[spark]' (Java: scripts/install_java.sh)",
    },
    "city.rollup.spark_failed": {"zh": "Spark 运行失败：{detail}", "en": "Spark failed: {detail}"},
    "city.rollup.title": {
        "zh": "市级汇总 → {path}（引擎 {engine}）",
        "en": "city roll-up → {path} (engine {engine})",
    },
    "city.rollup.table": {"zh": "数据表", "en": "table"},
    "city.rollup.rows": {"zh": "条数", "en": "rows"},
    "city.rollup.wrote": {
        "zh": "已写入 {path}（截止日期 {as_of}，{districts}个区、{partitions}个区级快照，共{files}个文件），用时{seconds}秒",
        "en": "wrote {path} (as of {as_of}, {districts} districts, {partitions} district snapshots, {files} files) "
              "in {seconds} s",
    },
}
