"""Texts a clerk or an operator reads while ledgers are loaded: files rejected whole, rows rejected,
the command line, the blank ledgers (templates)."""

TEXT: dict[str, dict[str, str]] = {
    # ---- ingestion: files rejected whole ----
    "file.not_found": {"zh": "找不到文件", "en": "file not found"},
    "file.unsupported": {
        "zh": "不支持的文件类型「{ext}」，请提交 .xlsx、.xls 或 .csv 文件",
        "en": "unsupported file type '{ext}': send .xlsx, .xls or .csv",
    },
    "file.empty": {"zh": "文件为空", "en": "the file is empty"},
    "file.too_big": {
        "zh": "文件过大（{size} MB，上限 {limit} MB）",
        "en": "file too large ({size} MB, limit {limit} MB)",
    },
    "file.unreadable": {
        "zh": "无法读取：不是有效的电子表格文件（{detail}）",
        "en": "cannot be read: not a valid spreadsheet ({detail})",
    },
    "file.bomb": {
        "zh": "文件解压后过大（疑似压缩炸弹），拒绝读取",
        "en": "the file inflates far beyond its size (a decompression bomb): refused",
    },
    "file.too_many_sheets": {
        "zh": "工作表过多（{n} 个，上限 {limit} 个）",
        "en": "too many sheets ({n}, limit {limit})",
    },
    "file.too_many_rows": {
        "zh": "工作表「{sheet}」行数过多（{n} 行，上限 {limit} 行）",
        "en": "sheet '{sheet}' has too many rows ({n}, limit {limit})",
    },
    "file.encoding": {
        "zh": "无法识别文本编码：请将 CSV 保存为 UTF-8 或 GBK 编码",
        "en": "unknown text encoding: save the CSV as UTF-8 or GBK",
    },
    "file.no_known_headers": {
        "zh": "未找到可识别的表头：不是基础信息表、隐患台账、检查记录或会议记录",
        "en": "no known headers: not a registry, hazard, inspection or meeting ledger",
    },
    "file.duplicate": {
        "zh": "与已导入的文件内容相同，未重复导入",
        "en": "same content as a file already loaded: not loaded again",
    },
    # ---- ingestion: rows ----
    "row.missing_column": {
        "zh": "表头缺少必填列「{column}」",
        "en": "the header lacks the required column '{column}'",
    },
    "row.required": {"zh": "「{column}」为必填项，不能为空", "en": "'{column}' is required"},
    "row.bad_date": {
        "zh": "「{column}」不是有效日期：{value}",
        "en": "'{column}' is not a valid date: {value}",
    },
    "row.bad_value": {
        "zh": "「{column}」填的「{value}」不在规定范围内（可填：{allowed}）",
        "en": "'{column}': '{value}' is not one of: {allowed}",
    },
    "row.bad_integer": {
        "zh": "「{column}」应为不小于 0 的整数：{value}",
        "en": "'{column}' must be a whole number ≥ 0: {value}",
    },
    "row.bad_score": {
        "zh": "「{column}」应为 0 到 100 之间的数：{value}",
        "en": "'{column}' must be a number from 0 to 100: {value}",
    },
    "row.bad_number": {"zh": "「{column}」应为数字：{value}", "en": "'{column}' must be a number: {value}"},
    "row.bad_coordinate": {"zh": "「{column}」超出有效范围：{value}", "en": "'{column}' is out of range: {value}"},
    "row.unknown_school": {"zh": "学校不在基础信息表中：{value}", "en": "the school is not in the registry: {value}"},
    "row.ambiguous_school": {
        "zh": "学校名称「{value}」在多个镇重名，请填写学校代码或所属镇",
        "en": "the school name '{value}' exists in several towns: give its code or its town",
    },
    "row.unknown_town": {"zh": "镇不在基础信息表中：{value}", "en": "the town is not in the registry: {value}"},
    "row.town_mismatch": {
        "zh": "所属镇「{value}」与学校登记的镇不一致",
        "en": "the town '{value}' does not match the school's town in the registry",
    },
    "row.unknown_dept": {
        "zh": "「{column}」不在成员单位名单中：{value}",
        "en": "'{column}' is not a member unit in the registry: {value}",
    },
    "row.unknown_unit": {
        "zh": "「{column}」不在基础信息表中（成员单位、镇、村（社区）或学校）：{value}",
        "en": "'{column}' is not a member unit, town, village or school of the registry: {value}",
    },
    "row.ambiguous_unit": {
        "zh": "「{column}」同时是多类单位的名称，请填写代码：{value}",
        "en": "'{column}' names units of several kinds: give its code: {value}",
    },
    "row.bad_word": {
        "zh": "「{column}」不认识「{value}」（可填：{allowed}）",
        "en": "'{column}': '{value}' is not one of: {allowed}",
    },
    "row.extended_before_deadline": {
        "zh": "延期至早于整改时限",
        "en": "the extended deadline is before the deadline",
    },
    "row.unknown_village": {
        "zh": "村（社区）不在基础信息表中或不属于该镇",
        "en": "the village is not in the registry or not in that town",
    },
    "row.unknown_attendee": {
        "zh": "参会单位不在成员单位名单中：{value}",
        "en": "attendees not in the registry: {value}",
    },
    "row.deadline_before_found": {
        "zh": "整改时限早于发现日期",
        "en": "the deadline is before the found date",
    },
    "row.rectified_before_found": {
        "zh": "整改完成日期早于发现日期",
        "en": "the rectified date is before the found date",
    },
    "row.closed_before_rectified": {
        "zh": "销号日期早于整改完成日期",
        "en": "the closed date is before the rectified date",
    },
    "row.rectified_required": {
        "zh": "整改状态为「{value}」时必须填写整改完成日期",
        "en": "a rectified date is required when the status is '{value}'",
    },
    "row.closed_required": {
        "zh": "整改状态为「已销号」时必须填写销号日期",
        "en": "a closed date is required when the status is 已销号 (closed)",
    },
    "row.duplicate_in_file": {
        "zh": "同一台账中重复出现（以第 {value} 行为准）",
        "en": "repeated within the same ledger (row {value} is kept)",
    },
    "row.cell_too_long": {
        "zh": "单元格内容过长（超过 {limit} 个字符）",
        "en": "a cell is too long (over {limit} characters)",
    },
    "row.incomplete": {
        "zh": "该行缺少必要信息（{value}），请检查各必填项",
        "en": "the row lacks required information ({value}): check the required columns",
    },
    "row.town_required": {
        "zh": "层级为「镇」的会议必须填写所属镇",
        "en": "a town-level meeting needs its town",
    },
    # ---- command line ----
    "cli.kind.registry": {"zh": "基础信息表", "en": "registry"},
    "cli.kind.hazards": {"zh": "隐患台账", "en": "hazards"},
    "cli.kind.inspections": {"zh": "检查记录", "en": "inspections"},
    "cli.kind.meetings": {"zh": "会议记录", "en": "meetings"},
    "cli.kind.unknown": {"zh": "无法识别", "en": "unknown"},
    "cli.col.file": {"zh": "文件", "en": "file"},
    "cli.col.kind": {"zh": "类别", "en": "kind"},
    "cli.col.status": {"zh": "状态", "en": "status"},
    "cli.col.rows": {"zh": "读入条数", "en": "rows"},
    "cli.col.loaded": {"zh": "已导入", "en": "loaded"},
    "cli.col.skipped": {"zh": "跳过", "en": "skipped"},
    "cli.col.rejected": {"zh": "未通过校验", "en": "rejected"},
    "cli.col.message": {"zh": "说明", "en": "message"},
    "cli.status.loaded": {"zh": "已导入", "en": "loaded"},
    "cli.status.duplicate": {"zh": "重复文件", "en": "duplicate"},
    "cli.status.rejected": {"zh": "未通过校验", "en": "rejected"},
    "cli.ingest.title": {"zh": "导入台账 → {target}", "en": "xiaoan ingest → {target}"},
    "cli.ingest.reading": {"zh": "读取 {name}", "en": "reading {name}"},
    "cli.ingest.summary": {
        "zh": "共{files}个文件：导入{loaded}条，跳过{skipped}条，未通过校验{rejected}条，用时{seconds}秒；{outcome}。",
        "en": "{files} files: {loaded} rows loaded, {skipped} skipped, {rejected} rejected in {seconds} s; {outcome}.",
    },
    "cli.ingest.published": {"zh": "已发布新版本", "en": "published a new version"},
    "cli.ingest.unchanged": {"zh": "无新增内容，数据库未变", "en": "nothing new: warehouse unchanged"},
    "cli.ingest.missing": {"zh": "文件或文件夹不存在：{path}", "en": "no such file or folder: {path}"},
    "cli.ingest.no_files": {
        "zh": "所给路径下没有 .xlsx、.xls 或 .csv 文件",
        "en": "no .xlsx, .xls or .csv files found in the given paths",
    },
    "cli.cannot_write": {"zh": "无法写入 {path}：{reason}", "en": "cannot write {path}: {reason}"},
    "cli.cannot_read": {"zh": "无法读取 {path}：{reason}", "en": "cannot read {path}: {reason}"},
    "cli.bad_date": {
        "zh": "{option} 应为日期（年-月-日，如 2026-03-31），收到的是 {value}",
        "en": "{option} must be a date YYYY-MM-DD, got {value}",
    },
    "cli.bad_choice": {
        "zh": "{option} 只能是 {allowed}，收到的是 {value}",
        "en": "{option} must be {allowed}, got {value}",
    },
    "cli.interrupted": {"zh": "已中断", "en": "interrupted"},
    "cli.schema_broken": {
        "zh": "新版本未通过数据表结构校验，未予发布，数据库保持原状，请联系技术人员：{detail}",
        "en": "the new version breaks a table's schema and was not published (warehouse unchanged): {detail}",
    },
    "cli.rules_broken": {
        "zh": "考核规则文件有误，未读入任何文件（推断的隐患类别、整改时限等依规则文件而定），请先修正：{detail}",
        "en": "the rules file is broken and no file was read (derived categories and deadlines follow it): {detail}",
    },
    "cli.rules_v2_scaled": {
        "zh": "提示：考核规则文件 {source} 中 [{tier}.*] 的权重已按比例缩放（×{factor}），为新增指标留出其默认权重",
        "en": ("note: the weights of [{tier}.*] in {source} are scaled by {factor} to leave the added indicators "
               "their default share"),
    },
    "cli.rules_v2_default": {
        "zh": "提示：考核规则文件 {source} 未设置 {key}，已按默认值计算（考核办法第二版）",
        "en": "note: the rules file {source} has no {key}; its default is used (Evaluation v2)",
    },
    "cli.unexpected": {
        "zh": "运行出错（{kind}）：{detail}（设置 XIAOAN_DEBUG=1 可查看详细信息）",
        "en": "{kind}: {detail} (set XIAOAN_DEBUG=1 for the traceback)",
    },
    "cli.rebuild.no_archive": {
        "zh": "{path} 中没有存档文件，无法重建",
        "en": "no archived files in {path}: nothing to rebuild from",
    },
    "cli.rebuilt": {
        "zh": "已根据{files}个存档文件、分{batches}批重建 {target}（用时{seconds}秒）。",
        "en": "rebuilt {target} from {files} archived files in {batches} loads ({seconds} s).",
    },
    "cli.export.title": {"zh": "导出快照 → {path}", "en": "xiaoan export → {path}"},
    "cli.export.table": {"zh": "数据表", "en": "table"},
    "cli.export.rows": {"zh": "条数", "en": "rows"},
    "cli.export.wrote": {
        "zh": "已写入 {path}（截止日期 {as_of}，统计期 {start} 至 {end}，共{files}个文件），用时{seconds}秒",
        "en": "wrote {path} (as of {as_of}, period {start} .. {end}, {files} files) in {seconds} s",
    },
    "cli.sample.title": {"zh": "生成示例数据 → {out}", "en": "xiaoan sample → {out}"},
    "cli.sample.what": {"zh": "项目", "en": "what"},
    "cli.sample.count": {"zh": "数量", "en": "count"},
    "cli.sample.files_registry": {"zh": "基础信息表文件", "en": "registry files"},
    "cli.sample.files_map": {"zh": "地图文件", "en": "map files"},
    "cli.sample.files_hazards": {"zh": "隐患台账文件", "en": "hazard ledger files"},
    "cli.sample.files_inspections": {"zh": "检查记录文件", "en": "inspection files"},
    "cli.sample.files_meetings": {"zh": "会议记录文件", "en": "meeting files"},
    "cli.sample.files": {"zh": "文件合计", "en": "files"},
    "cli.sample.towns": {"zh": "镇", "en": "towns"},
    "cli.sample.villages": {"zh": "村（社区）", "en": "villages"},
    "cli.sample.schools": {"zh": "学校", "en": "schools"},
    "cli.sample.departments": {"zh": "成员单位", "en": "member units"},
    "cli.sample.hazards": {"zh": "隐患", "en": "hazards"},
    "cli.sample.hazard_reports": {"zh": "隐患报送记录", "en": "hazard reports"},
    "cli.sample.inspections": {"zh": "检查记录", "en": "inspections"},
    "cli.sample.meetings": {"zh": "会议记录", "en": "meetings"},
    "cli.sample.deliberately_bad_rows": {"zh": "故意写错的记录", "en": "deliberately bad rows"},
    "cli.sample.bad_hazard_reports": {"zh": "其中隐患报送记录", "en": "of them hazard reports"},
    "cli.sample.bad_inspections": {"zh": "其中检查记录", "en": "of them inspections"},
    "cli.sample.bad_meetings": {"zh": "其中会议记录", "en": "of them meetings"},
    "cli.serve.on": {
        "zh": "看板地址 http://{bind}:{port}（数据库 {target}）",
        "en": "dashboard on http://{bind}:{port}  (warehouse {target})",
    },
    "cli.serve.local_only": {
        "zh": "尚未设置用户：仅限本机（127.0.0.1）访问，无需登录；开放给他人请见 docs/security.md",
        "en": (
            "no users configured: serving on this computer only (127.0.0.1), without login; "
            "see docs/security.md to let others in"
        ),
    },
    "cli.serve.refused": {
        "zh": (
            "尚未设置用户，看板只能在 127.0.0.1 上访问，不能在 {bind} 上开放："
            "请用 xiaoan user add 添加用户或配置统一身份认证（docs/security.md）"
        ),
        "en": (
            "no users are configured, so the dashboard serves only on 127.0.0.1, not on {bind}: "
            "add users with `xiaoan user add` or configure OIDC (docs/security.md)"
        ),
    },
    # ---- templates and schedules ----
    "tpl.title": {"zh": "{ledger}填表说明", "en": "How to fill in the {ledger}"},
    "tpl.general.rows": {
        "zh": "每行填写一条记录。请勿修改第一行的表头；列的顺序可以调整，多出的列不会导入。",
        "en": (
            "One record per row. Do not change the header row; columns may be moved, extra columns are "
            "ignored."
        ),
    },
    "tpl.general.required": {
        "zh": "红色表头为必填列。选中单元格时会显示该列的填写提示。",
        "en": "Red headers are required. Selecting a cell shows how to fill in its column.",
    },
    "tpl.general.registry": {
        "zh": (
            "学校、镇和成员单位的下拉列表来自已导入的基础信息表（{district}，{day} 生成）；名称重复的以代码列出。"
        ),
        "en": (
            "The school, town and member-unit lists come from the loaded registry ({district}, made on "
            "{day}); a name shared by two units is listed by its code."
        ),
    },
    "tpl.general.no_registry": {
        "zh": "生成时尚未导入基础信息表：学校、镇和成员单位请填写基础信息表中的代码或全称。",
        "en": (
            "No registry was loaded when this was made: give schools, towns and member units by their "
            "registry code or full name."
        ),
    },
    "tpl.general.dates": {
        "zh": "日期填写为 2026-03-05（也可写 2026/3/5、2026.3.5、2026年3月5日）。",
        "en": "Dates as 2026-03-05 (2026/3/5, 2026.3.5 and 2026年3月5日 work too).",
    },
    "tpl.general.sheets": {
        "zh": (
            "同一工作簿可以有多个数据工作表（如每镇或每月一张）；“填表说明”和“下拉列表”两张工作表不会导入。"
        ),
        "en": (
            "A workbook may hold several data sheets (one per town or month, say); the instruction and list "
            "sheets are never loaded."
        ),
    },
    "tpl.general.send": {
        "zh": "填好后报送区中小学幼儿园安全总校（园）长制工作办公室，由办公室导入。",
        "en": "Send the filled ledger to the district safety principal-in-chief office, which loads it.",
    },
    "tpl.registry.order": {
        "zh": (
            "基础信息表各工作表：区（一行）、镇、村社区、学校、成员单位。村社区和学校的镇代码、"
            "学校的村代码须先在「镇」「村社区」工作表中填写。"
        ),
        "en": (
            "Registry sheets: district (one row), towns, villages, schools, member units. The town codes of "
            "villages and schools, and the village codes of schools, must be those of the towns and villages "
            "sheets."
        ),
    },
    "tpl.head.column": {"zh": "列名", "en": "Column"},
    "tpl.head.required": {"zh": "必填", "en": "Required"},
    "tpl.head.hint": {"zh": "填写说明", "en": "How to fill in"},
    "tpl.yes": {"zh": "是", "en": "yes"},
    "tpl.hint.list": {"zh": "从下拉列表选择：{values}", "en": "pick from the list: {values}"},
    "tpl.hint.town": {
        "zh": "从下拉列表选择镇（基础信息表中的镇名称或代码）",
        "en": "pick a town from the list (its registry name or code)",
    },
    "tpl.hint.school": {
        "zh": "从下拉列表选择学校（基础信息表中的学校名称或代码）",
        "en": "pick a school from the list (its registry name or code)",
    },
    "tpl.hint.department": {
        "zh": "从下拉列表选择成员单位（基础信息表中的单位名称或代码）",
        "en": "pick a member unit from the list (its registry name or code)",
    },
    "tpl.hint.unit_free": {"zh": "填写基础信息表中的代码或全称", "en": "its code or full name in the registry"},
    "tpl.hint.attendee": {
        "zh": "参会的成员单位或镇（基础信息表中的名称或代码），多个用「、」分隔",
        "en": "the member units or towns present (registry names or codes), separated by 、",
    },
    "tpl.hint.sheet_list": {
        "zh": "填写本工作簿「{sheet}」工作表中已有的代码（可从下拉列表选择）",
        "en": "a code from the '{sheet}' sheet of this workbook (the list offers them)",
    },
    "tpl.hint.date": {"zh": "日期，如 2026-03-05", "en": "a date, e.g. 2026-03-05"},
    "tpl.hint.whole": {"zh": "不小于 0 的整数", "en": "a whole number ≥ 0"},
    "tpl.hint.score": {"zh": "0 到 100 之间的数", "en": "a number from 0 to 100"},
    "tpl.hint.latitude": {
        "zh": "纬度，-90 到 90 之间的小数（可不填）",
        "en": "latitude, a decimal from -90 to 90 (optional)",
    },
    "tpl.hint.longitude": {
        "zh": "经度，-180 到 180 之间的小数（可不填）",
        "en": "longitude, a decimal from -180 to 180 (optional)",
    },
    "tpl.hint.code": {"zh": "代码或编号（按文本保存）", "en": "a code or number (kept as text)"},
    "tpl.hint.text": {"zh": "文字", "en": "text"},
    "tpl.note.hazards.hazard_id": {
        "zh": "同一隐患在以后每次填报中使用同一编号",
        "en": "keep the same id in every later report of the hazard",
    },
    "tpl.note.hazards.town": {
        "zh": "可不填；填写时须与学校所在的镇一致",
        "en": "optional; when given it must be the school's town",
    },
    "tpl.note.hazards.deadline": {"zh": "不早于发现日期", "en": "not before the found date"},
    "tpl.note.hazards.rectified_date": {
        "zh": "整改状态为已整改或已销号时必填，不早于发现日期",
        "en": "required when the status is 已整改 or 已销号; not before the found date",
    },
    "tpl.note.hazards.closed_date": {
        "zh": "整改状态为已销号时必填，不早于整改完成日期",
        "en": "required when the status is 已销号; not before the rectified date",
    },
    "tpl.note.hazards.report_date": {
        "zh": "本次填报的日期；不填时为导入时指定的日期",
        "en": "the day of this report; when empty, the date given at loading",
    },
    "tpl.note.meetings.level": {
        "zh": "可不填：例会或填写了所属镇的会议为镇级，其余为区级",
        "en": "optional: a 例会 or a meeting with a town is the town's, else the district's",
    },
    "tpl.note.meetings.town": {
        "zh": "层级为「镇」（含例会）时必填",
        "en": "required for a town-level meeting (and every 例会)",
    },
    "tpl.error.title": {"zh": "输入有误", "en": "Invalid entry"},
    "tpl.error.list": {"zh": "请从下拉列表中选择", "en": "pick a value from the list"},
    "tpl.error.date": {"zh": "请填写日期，如 2026-03-05", "en": "enter a date such as 2026-03-05"},
    "tpl.error.number": {"zh": "请填写规定范围内的数", "en": "enter a number in the allowed range"},
    "tpl.cli.exists": {
        "zh": "{path} 已存在：请换一个 --out 目录，或加 --force 覆盖",
        "en": "{path} exists: choose another --out folder or add --force to overwrite it",
    },
    "tpl.cli.no_registry": {
        "zh": "未找到已导入的基础信息表（{path}）：学校、镇和成员单位不设下拉列表",
        "en": "no registry loaded in {path}: the school, town and member-unit lists are left out",
    },
    "tpl.cli.wrote": {
        "zh": "已在 {path} 写入空白台账：{files}",
        "en": "wrote the blank ledgers to {path}: {files}",
    },
    # ---- access and reliability ----
    "file.too_many_columns": {
        "zh": "工作表「{sheet}」列数过多（{n} 列，上限 {limit} 列）",
        "en": "sheet '{sheet}' has too many columns ({n}, limit {limit})",
    },
    "file.sheet_too_large": {
        "zh": "工作表「{sheet}」打开后过大（{rows} 行 × {columns} 列，疑似构造的恶意文件），拒绝读取",
        "en": (
            "sheet '{sheet}' would be far too large once opened ({rows} rows × {columns} columns, likely a "
            "crafted file): refused"
        ),
    },
    "file.encrypted": {
        "zh": "文件设有打开密码（已加密），无法读取：请取消密码后重新提交",
        "en": (
            "the file is password-protected (encrypted) and cannot be read: remove the password and send it "
            "again"
        ),
    },
    "file.corrupt": {
        "zh": "文件已损坏，无法读取（{detail}）：请重新保存或导出后提交",
        "en": "the file is damaged and cannot be read ({detail}): save or export it again and resend",
    },
    "file.reader_failed": {
        "zh": "文件中有无法读取的内容（{detail}），如超出范围的日期：请用 Excel 或 WPS 检查后另存再提交",
        "en": (
            "the file holds content that cannot be read ({detail}), such as a date out of range: check it in "
            "Excel or WPS, save it again and resend"
        ),
    },
    "file.timeout": {
        "zh": "读取超时（超过 {limit} 秒），已停止读取该文件",
        "en": "reading took longer than {limit} s: this file was abandoned",
    },
    "file.memory": {
        "zh": "文件打开后占用内存过大，拒绝读取",
        "en": "the file takes too much memory once opened: refused",
    },
    "file.failed": {
        "zh": "检查该文件时出错（{detail}），整份文件未导入",
        "en": "checking this file failed ({detail}): nothing of it was loaded",
    },
    "file.not_regular": {
        "zh": "不是普通文件（{what}），无法读取",
        "en": "not a regular file ({what}): cannot be read",
    },
    "ingest.path.folder": {"zh": "文件夹", "en": "a folder"},
    "ingest.path.broken_link": {"zh": "链接的目标文件不存在", "en": "a link whose target does not exist"},
    "ingest.path.pipe": {"zh": "管道", "en": "a pipe"},
    "ingest.path.special": {"zh": "设备或套接字等特殊文件", "en": "a device, socket or other special file"},
    "ingest.header.nth_column": {"zh": "第{number}列", "en": "column {number}"},
}
