"""Texts of the notices area (see xiaoan/i18n/__init__.py): keys notices.*.

督办通知书: the `xiaoan notices` command's table, summary and errors, the 督办 page's button, and the
notice's own text (notices.doc.*, built into the shipped template in Chinese: an office edits its copy in
Word). 政务用语 as on the dashboard: hazards counted in 项, dates as 2026年10月31日 (labels.day_label)."""

TEXT: dict[str, dict[str, str]] = {
    # ---- the command line: the table of notices written and the summary
    "notices.title": {"zh": "督办通知书 → {path}", "en": "xiaoan notices → {path}"},
    "notices.col.unit": {"zh": "责任单位", "en": "responsible unit"},
    "notices.col.kind": {"zh": "单位类别", "en": "kind"},
    "notices.col.number": {"zh": "通知书编号", "en": "notice number"},
    "notices.col.hazards": {"zh": "隐患（项）", "en": "hazards"},
    "notices.col.file": {"zh": "文件", "en": "file"},
    "notices.wrote": {
        "zh": "已生成督办通知书 {count} 份，涉及逾期未整改或挂牌督办隐患 {hazards} 项（截至{as_of}），保存在 {path}",
        "en": "wrote {count} notices covering {hazards} overdue or supervised hazards (as of {as_of}) into {path}",
    },
    "notices.none": {
        "zh": "截至{as_of}，没有责任单位存在逾期未整改或挂牌督办的隐患，未生成督办通知书",
        "en": "as of {as_of} no responsible unit holds an overdue or supervised (挂牌) hazard: no notice written",
    },
    "notices.unit_none": {
        "zh": "截至{as_of}，责任单位 {unit} 没有逾期未整改或挂牌督办的隐患，未生成督办通知书",
        "en": "as of {as_of} the unit {unit} holds no overdue or supervised (挂牌) hazard: no notice written",
    },
    # ---- why notices cannot be written (one line each)
    "notices.no_warehouse": {
        "zh": "找不到数据库 {path}：请先运行 xiaoan ingest",
        "en": "no warehouse at {path}: run xiaoan ingest first",
    },
    "notices.empty": {
        "zh": "数据库 {path} 为空（尚未导入基础信息表）：请先运行 xiaoan ingest",
        "en": "the warehouse {path} is empty (no registry loaded): run xiaoan ingest first",
    },
    "notices.outdated": {
        "zh": "数据库 {path} 由旧版本生成：请运行 xiaoan rebuild",
        "en": "the warehouse {path} was built by another version: run xiaoan rebuild",
    },
    "notices.unit_unknown": {
        "zh": "基础信息表中没有代码为 {unit} 的责任单位（成员单位、镇、村（社区）或学校）",
        "en": "no responsible unit (member unit, town, village or school) has the code {unit} in the registry",
    },
    "notices.template": {
        "zh": "督办通知书模板 {template} 有误（字段 {field}）：{detail}",
        "en": "the notice template {template} is broken (field {field}): {detail}",
    },
    "notices.rules": {"zh": "考核规则有误：{detail}", "en": "the rules cannot be used: {detail}"},
    "notices.cannot_write": {"zh": "无法写入 {path}：{detail}", "en": "cannot write {path}: {detail}"},
    # ---- the 督办 page: write the notices of the page's as-of date and download them as one .zip
    "notices.page.heading": {"zh": "督办通知书", "en": "Supervision notices (督办通知书)"},
    "notices.page.intro": {
        "zh": "为截至{as_of}存在逾期未整改或挂牌督办隐患的每个责任单位生成一份督办通知书（Word），"
              "编号按年度顺序编排；同一单位同一日期再次生成时沿用原编号。",
        "en": "One notice (Word) for every responsible unit holding overdue or supervised hazards as of {as_of}, "
              "numbered in sequence within the year; written again for the same unit and date, it keeps its number.",
    },
    "notices.page.button": {"zh": "生成督办通知书", "en": "Write the notices"},
    "notices.page.writing": {"zh": "正在生成督办通知书……", "en": "Writing the notices…"},
    "notices.page.written": {
        "zh": "已生成督办通知书 {count} 份（截至{as_of}），涉及隐患 {hazards} 项",
        "en": "{count} notices written (as of {as_of}) covering {hazards} hazards",
    },
    "notices.page.download": {"zh": "下载督办通知书（{count} 份，zip）", "en": "Download the notices ({count}, zip)"},
    "notices.page.zip_name": {"zh": "督办通知书_{as_of}.zip", "en": "notices_{as_of}.zip"},
    # ---- the notice itself (xiaoan/documents/notice.py build_template, notice_context): the shipped
    # template's text, in Chinese (the office's copy is edited in Word)
    # a hazard's 挂牌 in the attachment's table, with the number of the notice that placed it
    "notices.doc.supervision_with_number": {"zh": "{level}（{number}）", "en": "{level} ({number})"},
    "notices.doc.title": {"zh": "校园安全隐患整改督办通知书", "en": "Notice to rectify school safety hazards"},
    "notices.doc.attachment_title": {"zh": "逾期未整改及挂牌督办隐患明细",
                                     "en": "Hazards overdue or under listed supervision"},
    "notices.doc.body": {
        "zh": "经查，截至{as_of}，你单位负责整改的校园安全隐患中，有{hazards}项逾期未整改或正在挂牌督办（其中逾期"
              "未整改{overdue}项、挂牌督办{in_force}项），明细见附件。",
        "en": "On {as_of}, {hazards} of the school safety hazards your unit is to rectify are overdue or under listed "
              "supervision ({overdue} overdue, {in_force} listed); they are listed in the attachment."},
    "notices.doc.closing": {
        "zh": "根据中小学幼儿园安全总校（园）长制有关规定，现予督办。请你单位高度重视，逐项落实整改责任和整改措施，"
              "于{reply_deadline}前将整改情况书面报送{issuer}。逾期未整改或未按时报送的，将予以通报。",
        "en": "Under the head-of-school safety system, these hazards are placed under supervision. Assign the "
              "responsibility and the measures for each, and report the rectification in writing to {issuer} by "
              "{reply_deadline}. Hazards left overdue, or a report not sent in time, will be named in a bulletin."},
    "notices.doc.contact": {"zh": "（{contact}）", "en": "({contact})"},
    "notices.doc.attachment": {"zh": "附件：{title}", "en": "Attachment: {title}"},
    "notices.doc.attachment_heading": {"zh": "附件", "en": "Attachment"},
    "notices.doc.unit_line": {"zh": "责任单位：{unit}　　通知书编号：{number}", "en": "Unit: {unit}    Notice: {number}"},
    "notices.doc.col.seq": {"zh": "序号", "en": "No."},
    "notices.doc.col.hazard_id": {"zh": "隐患编号", "en": "Hazard"},
    "notices.doc.col.school": {"zh": "学校", "en": "School"},
    "notices.doc.col.description": {"zh": "隐患描述", "en": "Description"},
    "notices.doc.col.level": {"zh": "等级", "en": "Level"},
    "notices.doc.col.found_date": {"zh": "发现日期", "en": "Found"},
    "notices.doc.col.deadline": {"zh": "整改时限", "en": "Deadline"},
    "notices.doc.col.days_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "notices.doc.col.supervision": {"zh": "挂牌督办", "en": "Listed"},
}
