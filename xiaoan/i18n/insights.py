"""Texts of the insights area (see xiaoan/i18n/__init__.py): keys insights.*."""

TEXT: dict[str, dict[str, str]] = {
    # ---- 反复出现的隐患 (repeat hazards): the risk page and the school profile
    "insights.repeat.title": {"zh": "反复出现的隐患", "en": "Repeat hazards"},
    "insights.repeat.intro": {
        "zh": (
            "{start}至{end}发现、且同一学校在此前{days}天内已整改过同类别隐患的隐患，按镇和类别统计；"
            "点选一行，在下方“学校及未整改隐患明细”中查看该镇该类别的反复出现隐患。"
        ),
        "en": (
            "Hazards found from {start} to {end} at a school that had rectified one of the same category "
            "within the {days} days before, by town and category; pick a row to list them under "
            "“Schools and open hazards in detail” below."
        ),
    },
    "insights.repeat.none": {
        "zh": "统计期内没有反复出现的隐患。",
        "en": "No hazard recurred in the period.",
    },
    "insights.repeat.of": {
        "zh": "**{town} · {category}：反复出现的隐患**（点选一行查看详情）",
        "en": "**{town} · {category}: repeat hazards** (pick a row for its history)",
    },
    "insights.repeat.school": {
        "zh": "该校反复出现的隐患（{start}至{end}发现）",
        "en": "Repeat hazards at this school (found {start} to {end})",
    },
    "insights.repeat.school_none": {
        "zh": "统计期内该校没有反复出现的隐患。",
        "en": "No hazard recurred at this school in the period.",
    },
    "insights.repeat.previous_hidden": {
        "zh": "前次隐患属于其他责任单位的，不显示其编号。",
        "en": "An earlier hazard held by another responsible unit is not named by its ID.",
    },
    # ---- 法治教育 (legal education) by school and semester: the school profile, the inspections page
    "insights.legal.title": {"zh": "法治教育开展情况", "en": "Legal education"},
    "insights.legal.intro": {
        "zh": (
            "按学期统计各镇开展法治教育（检查类型为“法治教育”的到校活动，如法治副校长授课）的学校占比，"
            "统计到{as_of}为止。"
        ),
        "en": (
            "The share of each town's schools that had a legal-education visit (an inspection of type "
            "法治教育, e.g. a class by a police legal vice-principal) in the semester, up to {as_of}."
        ),
    },
    "insights.legal.semester": {"zh": "学期", "en": "Semester"},
    "insights.legal.coverage_title": {
        "zh": "{term}各镇法治教育覆盖率",
        "en": "Legal-education coverage by town, {term}",
    },
    "insights.legal.district": {
        "zh": "全区{schools}所学校中已开展{visited}所，覆盖率{rate}。",
        "en": "District: {visited} of {schools} schools visited, coverage {rate}.",
    },
    "insights.legal.scope_total": {
        "zh": "查看范围内{schools}所学校中已开展{visited}所，覆盖率{rate}。",
        "en": "In view: {visited} of {schools} schools visited, coverage {rate}.",
    },
    "insights.legal.uncovered": {"zh": "{term}未开展法治教育的学校", "en": "Schools without legal education, {term}"},
    "insights.legal.uncovered_n": {"zh": "共 {n} 所。", "en": "{n} schools."},
    "insights.legal.all_covered": {
        "zh": "该学期查看范围内的学校均已开展法治教育。",
        "en": "Every school in view had legal education that semester.",
    },
    "insights.legal.none": {
        "zh": "统计期内没有可统计的学期或学校。",
        "en": "No semester or school to count in the period.",
    },
    "insights.legal.school": {"zh": "该校法治教育开展情况（按学期）", "en": "Legal education at this school, by semester"},
    "insights.legal.school_covered": {
        "zh": "{term}：已开展 {n} 次，最近一次 {date}。",
        "en": "{term}: {n} visits, the latest on {date}.",
    },
    "insights.legal.school_uncovered": {
        "zh": "{term}：尚未开展法治教育。",
        "en": "{term}: no legal-education visit yet.",
    },
    "insights.legal.own_visits": {
        "zh": "仅统计本单位开展的法治教育。",
        "en": "Only your own unit's legal-education visits are counted.",
    },
    # ---- people's names (docs/security.md): a note where a viewer's scope leaves them out
    "insights.names.hidden": {
        "zh": "责任人、验收人、检查人员、主持人等个人姓名仅对区级用户显示。",
        "en": "People's names (responsible persons, verifiers, inspectors, chairs) are shown to district users only.",
    },
}
