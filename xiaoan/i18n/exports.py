"""Texts of the dated snapshots: report.xlsx sheets, report.html, export messages, buckets, terms and
values shown in reports."""

TEXT: dict[str, dict[str, str]] = {
    # ---- metrics and snapshots ----
    "sheet.hazards": {"zh": "隐患台账", "en": "Hazards"},
    "sheet.dept_closure": {"zh": "成员单位整改销号", "en": "Department closure"},
    "sheet.town_risk": {"zh": "风险热力图", "en": "Risk heatmap"},
    "sheet.town_scores": {"zh": "镇考核得分", "en": "Town scores"},
    "sheet.dept_scores": {"zh": "成员单位考核得分", "en": "Department scores"},
    "sheet.rejected_rows": {"zh": "未导入的行", "en": "Rejected rows"},
    "sheet.headline": {"zh": "总览", "en": "Overview"},
    "sheet.town_risk_per_school": {"zh": "镇校均风险", "en": "Risk per school"},
    "sheet.overdue_buckets": {"zh": "逾期时长分布", "en": "Overdue buckets"},
    "sheet.repeat_hazards": {"zh": "反复出现的隐患", "en": "Repeat hazards"},
    "sheet.inspection_coverage": {"zh": "检查覆盖率", "en": "Inspection coverage"},
    "sheet.uninspected_schools": {"zh": "未检查学校", "en": "Uninspected schools"},
    "sheet.legal_education_coverage": {"zh": "法治教育覆盖率", "en": "Legal education"},
    "sheet.meeting_compliance": {"zh": "镇例会达标", "en": "Meeting compliance"},
    "sheet.meeting_months": {"zh": "镇例会月历", "en": "Meetings by month"},
    "sheet.district_plenary": {"zh": "区全体成员单位会议", "en": "District plenary"},
    "sheet.dept_meeting_attendance": {"zh": "区级会议参会", "en": "Meeting attendance"},
    "sheet.town_score_breakdown": {"zh": "镇考核明细", "en": "Town score breakdown"},
    "sheet.dept_score_breakdown": {"zh": "成员单位考核明细", "en": "Dept score breakdown"},
    "sheet.town_score_trend": {"zh": "镇得分季度趋势", "en": "Town score trend"},
    "sheet.dept_score_trend": {"zh": "成员单位得分季度趋势", "en": "Dept score trend"},
    "sheet.departments": {"zh": "成员单位名单", "en": "Member units"},
    "value.yes": {"zh": "是", "en": "yes"},
    "value.no": {"zh": "否", "en": "no"},
    "term.spring": {"zh": "{year}年春季学期", "en": "spring {year}"},
    "term.autumn": {"zh": "{year}年秋季学期", "en": "autumn {year}"},
    "bucket.0": {"zh": "未逾期", "en": "not overdue"},
    "bucket.1": {"zh": "逾期 1–{max} 天", "en": "1–{max} days overdue"},
    "bucket.2": {"zh": "逾期 {min}–{max} 天", "en": "{min}–{max} days overdue"},
    "bucket.3": {"zh": "逾期 {min} 天及以上", "en": "{min}+ days overdue"},
    "report.title": {"zh": "{district}中小学幼儿园安全工作简报", "en": "{district} school safety briefing"},
    "report.title_default": {"zh": "中小学幼儿园安全工作简报", "en": "School safety briefing"},
    "report.subtitle": {
        "zh": "截至 {as_of}　统计期 {start} 至 {end}",
        "en": "As of {as_of} · period {start} to {end}",
    },
    "report.generated": {"zh": "生成于 {at}", "en": "Generated {at}"},
    "report.overview": {"zh": "总体情况", "en": "Overview"},
    "report.previous": {"zh": "上月末 {value}", "en": "end of last month {value}"},
    "report.plenary_held": {
        "zh": "本年度已召开全体成员单位会议（{date}）",
        "en": "The district plenary was held this year ({date})",
    },
    "report.plenary_missing": {
        "zh": "本年度尚未召开全体成员单位会议",
        "en": "The district plenary has not been held this year",
    },
    "report.heatmap": {"zh": "风险热力图（镇 × 隐患类别）", "en": "Risk heatmap (town × category)"},
    "report.heatmap_note": {
        "zh": "单元格为截至日仍未整改隐患的风险指数之和（一般 1、较大 3、重大 10，逾期加倍）。",
        "en": (
            "Each cell sums the risk index of the hazards open on the as-of date (一般 1, 较大 3, 重大 10, "
            "doubled when overdue)."
        ),
    },
    "report.no_open_hazards": {"zh": "截至日无未整改隐患。", "en": "No hazard is open on the as-of date."},
    "report.dept_rates": {
        "zh": "成员单位整改率与销号率",
        "en": "Departments' rectification and closure rates",
    },
    "report.dept_rates_note": {
        "zh": "统计期内发现的隐患，截至日的状态；虚线为整改率目标 {target}。",
        "en": (
            "Hazards found in the period, their state on the as-of date; the dashed line is the target "
            "rectification rate {target}."
        ),
    },
    "report.target": {"zh": "目标", "en": "target"},
    "report.town_scores": {"zh": "镇考核得分", "en": "Town scores"},
    "report.dept_scores": {"zh": "成员单位考核得分", "en": "Department scores"},
    "report.scores_note": {
        "zh": "无数据的指标按 100 分计，并以 * 标出。",
        "en": "An indicator without data scores 100 and is marked *.",
    },
    "report.top_hazards": {
        "zh": "重大及逾期未整改隐患（按风险指数，前 {n} 条）",
        "en": "Open grave and overdue hazards (by risk, top {n})",
    },
    "report.none": {"zh": "无", "en": "none"},
    "report.no_data_mark": {"zh": "*", "en": "*"},
    "export.bad_date": {
        "zh": "{option} 不是有效日期（应为 YYYY-MM-DD）：{value}",
        "en": "{option} must be a date YYYY-MM-DD, got {value!r}",
    },
    "export.bad_period": {
        "zh": "统计期开始日期 {start} 晚于结束日期 {end}",
        "en": "the period starts ({start}) after it ends ({end})",
    },
    "export.no_warehouse": {
        "zh": "找不到数据仓库 {path}：请先运行 xiaoan ingest",
        "en": "no warehouse at {path}: run xiaoan ingest first",
    },
    "export.unreadable": {
        "zh": "无法打开数据仓库 {path}：{detail}",
        "en": "cannot open the warehouse {path}: {detail}",
    },
    "export.no_macros": {
        "zh": "数据仓库 {path} 缺少指标定义：请运行 xiaoan rebuild",
        "en": "the warehouse {path} lacks the metric macros: run xiaoan rebuild",
    },
    "export.empty": {
        "zh": "数据仓库 {path} 为空（尚未导入登记册）：请先运行 xiaoan ingest",
        "en": "the warehouse {path} is empty (no registry loaded): run xiaoan ingest first",
    },
    "export.rules": {"zh": "考核规则有误：{detail}", "en": "the rules cannot be used: {detail}"},
    "export.cannot_write": {"zh": "无法写入 {path}：{detail}", "en": "cannot write {path}: {detail}"},
    "export.bad_keep": {
        "zh": "--keep 应为不小于 1 的整数，实际为 {value}",
        "en": "--keep must be at least 1, got {value}",
    },
    "export.done": {"zh": "已写入 {path}（{seconds:.1f} 秒）", "en": "wrote {path} in {seconds:.1f} s"},
    # ---- templates and schedules ----
    "export.bad_as_of": {
        "zh": "--as-of 应为日期 YYYY-MM-DD 或 {keywords}，实际为 {value}",
        "en": "--as-of must be a date YYYY-MM-DD or one of {keywords}, got {value!r}",
    },
}
