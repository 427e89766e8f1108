"""Texts of the dated snapshots: report.xlsx sheets, report.html, export messages, buckets, terms and
values shown in reports."""

TEXT: dict[str, dict[str, str]] = {
    # ---- metrics and snapshots ----
    "sheet.hazards": {"zh": "隐患台账", "en": "Hazards"},
    "sheet.dept_closure": {"zh": "成员单位整改情况", "en": "Member units' rectification"},
    "sheet.town_risk": {"zh": "各镇分类别风险", "en": "Risk by town and category"},
    "sheet.town_scores": {"zh": "镇考核得分", "en": "Town scores"},
    "sheet.dept_scores": {"zh": "成员单位考核得分", "en": "Member unit scores"},
    "sheet.rejected_rows": {"zh": "未通过校验的记录", "en": "Records not accepted"},
    "sheet.headline": {"zh": "总体情况", "en": "Overview"},
    "sheet.town_risk_per_school": {"zh": "镇校均风险", "en": "Risk per school"},
    "sheet.overdue_buckets": {"zh": "逾期时长分布", "en": "Overdue buckets"},
    "sheet.repeat_hazards": {"zh": "反复出现的隐患", "en": "Repeat hazards"},
    "sheet.inspection_coverage": {"zh": "检查覆盖率", "en": "Inspection coverage"},
    "sheet.uninspected_schools": {"zh": "未接受检查的学校", "en": "Schools not inspected"},
    "sheet.legal_education_coverage": {"zh": "法治教育覆盖率", "en": "Legal education"},
    "sheet.meeting_compliance": {"zh": "各镇例会达标情况", "en": "Meeting compliance"},
    "sheet.meeting_months": {"zh": "各镇每月例会情况", "en": "Meetings by month"},
    "sheet.district_plenary": {"zh": "区全体成员单位会议", "en": "District plenary"},
    "sheet.dept_meeting_attendance": {"zh": "区级会议参会情况", "en": "Meeting attendance"},
    "sheet.town_score_breakdown": {"zh": "镇考核明细", "en": "Town score breakdown"},
    "sheet.dept_score_breakdown": {"zh": "成员单位考核明细", "en": "Member unit score breakdown"},
    "sheet.town_score_trend": {"zh": "各镇考核得分季度走势", "en": "Town scores by quarter"},
    "sheet.dept_score_trend": {"zh": "成员单位考核得分季度走势", "en": "Member unit scores by quarter"},
    "sheet.departments": {"zh": "成员单位名单", "en": "Member units"},
    "sheet.unit_indicators": {"zh": "考核指标计分表", "en": "Indicator scores"},
    "sheet.unit_closure": {"zh": "各责任单位整改情况", "en": "Rectification by responsible unit"},
    "sheet.supervision": {"zh": "挂牌督办", "en": "Supervision"},
    # ---- columns of the closed loop (SPEC §2.2) and Evaluation v2 (§3) in the snapshot ----
    "col.effective_deadline": {"zh": "整改时限（含延期）", "en": "Effective deadline"},
    "col.extensions": {"zh": "延期次数", "en": "Extensions"},
    "col.rework": {"zh": "验收不通过（返工）次数", "en": "Failed verifications (rework)"},
    "col.verified": {"zh": "验收通过", "en": "Verified"},
    "col.closed_unverified": {"zh": "未经验收销号", "en": "Closed unverified"},
    "col.supervision_in_force": {"zh": "挂牌督办中", "en": "Supervision in force"},
    "col.supervision_due": {"zh": "应挂牌督办", "en": "Due for supervision"},
    "col.in_force": {"zh": "已挂牌（督办中）", "en": "In force"},
    "col.due": {"zh": "应挂牌未挂牌", "en": "Due, not yet listed"},
    "col.days_open": {"zh": "未整改天数", "en": "Days open"},
    "col.reporting": {"zh": "信息报送率", "en": "Reporting"},
    "col.duty_inspection_coverage": {"zh": "履职检查覆盖率", "en": "Duty inspection coverage"},
    "col.grade": {"zh": "考核等级", "en": "Grade"},
    "col.ranked": {"zh": "排名情况", "en": "Ranking"},
    "col.tier": {"zh": "考核对象", "en": "Tier"},
    "col.base_weight": {"zh": "规则权重", "en": "Weight in the rules"},
    "col.measurable": {"zh": "本期可计分", "en": "Scorable this period"},
    "col.name": {"zh": "责任主体名称", "en": "Responsible body"},
    "col.reporting_score": {"zh": "信息报送率得分", "en": "Reporting: score"},
    "col.reporting_weight": {"zh": "信息报送率权重", "en": "Reporting: weight"},
    "col.reporting_has_data": {"zh": "信息报送率已报送", "en": "Reporting: reported"},
    "col.duty_inspection_coverage_score": {"zh": "履职检查覆盖率得分", "en": "Duty inspection coverage: score"},
    "col.duty_inspection_coverage_weight": {"zh": "履职检查覆盖率权重", "en": "Duty inspection coverage: weight"},
    "col.duty_inspection_coverage_has_data": {
        "zh": "履职检查覆盖率已报送",
        "en": "Duty inspection coverage: reported",
    },
    "col.legal_education_coverage_score": {"zh": "法治教育覆盖率得分", "en": "Legal-education coverage: score"},
    "col.legal_education_coverage_weight": {"zh": "法治教育覆盖率权重", "en": "Legal-education coverage: weight"},
    "col.legal_education_coverage_has_data": {
        "zh": "法治教育覆盖率已报送",
        "en": "Legal-education coverage: reported",
    },
    "col.rectification_rate_status": {"zh": "整改率计分情况", "en": "Rectification rate: status"},
    "col.on_time_rate_status": {"zh": "按期整改率计分情况", "en": "On-time rate: status"},
    "col.inspection_coverage_status": {"zh": "检查覆盖率计分情况", "en": "Inspection coverage: status"},
    "col.meeting_compliance_status": {"zh": "例会达标率计分情况", "en": "Meeting compliance: status"},
    "col.overdue_open_per_school_status": {
        "zh": "校均逾期未整改数计分情况",
        "en": "Overdue open per school: status",
    },
    "col.reporting_status": {"zh": "信息报送率计分情况", "en": "Reporting: status"},
    "col.overdue_open_status": {"zh": "逾期未整改数计分情况", "en": "Overdue open: status"},
    "col.meeting_attendance_status": {"zh": "区级会议参会率计分情况", "en": "Meeting attendance: status"},
    "col.median_days_to_rectify_status": {
        "zh": "整改用时中位数计分情况",
        "en": "Median days to rectify: status",
    },
    "col.duty_inspection_coverage_status": {
        "zh": "履职检查覆盖率计分情况",
        "en": "Duty inspection coverage: status",
    },
    "col.legal_education_coverage_status": {
        "zh": "法治教育覆盖率计分情况",
        "en": "Legal-education coverage: status",
    },
    # A column whose meaning in one table differs from its shared label (header.<table>.<column>).
    "header.unit_indicators.unit_code": {"zh": "被考核单位代码", "en": "Unit code"},
    "header.unit_indicators.unit_name": {"zh": "被考核单位", "en": "Unit"},
    "header.unit_indicators.status": {"zh": "计分情况", "en": "Status"},
    "header.unit_closure.open": {"zh": "未整改数（期内发现）", "en": "Open (found in the period)"},
    # Values shown in the workbook and the briefing.
    "kind.department": {"zh": "成员单位", "en": "member unit"},
    "kind.town": {"zh": "镇", "en": "town"},
    "kind.village": {"zh": "村（社区）", "en": "village"},
    "kind.school": {"zh": "学校", "en": "school"},
    "tier.town": {"zh": "镇", "en": "town"},
    "tier.dept": {"zh": "成员单位", "en": "member unit"},
    "ranked.yes": {"zh": "参与排名", "en": "ranked"},
    "ranked.no": {"zh": "不参与排名", "en": "not ranked"},
    "ranked.no_score": {"zh": "无得分", "en": "no score"},  # no applicable indicator (SPEC §3 v2)
    "status.有数据": {"zh": "已报送", "en": "reported"},
    "status.不适用": {"zh": "不适用", "en": "not applicable"},
    "status.未报送": {"zh": "未报送", "en": "not reported"},
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
        "zh": "数据截至{as_of}　统计期：{start}至{end}",
        "en": "As of {as_of} · period {start} to {end}",
    },
    "report.generated": {"zh": "生成时间：{at}", "en": "Generated {at}"},
    "report.overview": {"zh": "总体情况", "en": "Overview"},
    "report.previous": {"zh": "上月末：{value}", "en": "end of last month: {value}"},
    "report.plenary_held": {
        "zh": "本年度已召开全体成员单位会议（{date}）",
        "en": "The district plenary was held this year ({date})",
    },
    "report.plenary_missing": {
        "zh": "本年度尚未召开全体成员单位会议",
        "en": "The district plenary has not been held this year",
    },
    "report.heatmap": {"zh": "各镇分类别风险指数", "en": "Risk index by town and hazard category"},
    "report.heatmap_note": {
        "zh": "单元格数值为截至日仍未整改隐患的风险指数之和（一般 1、较大 3、重大 10，逾期加倍）。",
        "en": (
            "Each cell sums the risk index of the hazards open on the as-of date (一般 1, 较大 3, 重大 10, "
            "doubled when overdue)."
        ),
    },
    "report.no_open_hazards": {"zh": "截至日无未整改隐患。", "en": "No hazard is open on the as-of date."},
    "report.dept_rates": {
        "zh": "成员单位整改率与销号率",
        "en": "Member units' rectification and closure rates",
    },
    "report.dept_rates_note": {
        "zh": "统计期内发现的隐患截至统计截止日的整改情况；虚线为整改率目标 {target}。",
        "en": (
            "Hazards found in the period, their state on the as-of date; the dashed line is the target "
            "rectification rate {target}."
        ),
    },
    "report.target": {"zh": "目标", "en": "target"},
    "report.town_scores": {"zh": "各镇考核得分", "en": "Town scores"},
    "report.dept_scores": {"zh": "成员单位考核得分", "en": "Member unit scores"},
    "report.scores_note": {
        "zh": (
            "不适用的指标不计入总分，其余指标权重按比例折算为100（表中为折算后权重）；属本单位职责而未报送的指标计0分。"
            "仅有“区级会议参会率”一项适用指标的成员单位计算得分但不参与排名；没有适用指标的单位不计得分。"
        ),
        "en": (
            "Indicators that do not apply are left out and the other weights rescaled to sum to 100 (the weights shown "
            "are rescaled); a duty with nothing reported scores 0. A member unit whose only applicable indicator is "
            "meeting attendance is scored but not ranked; a unit with no applicable indicator has no score."
        ),
    },
    "report.grades": {"zh": "考核等级：{bands}，其余为{below}。", "en": "Grades: {bands}; below that {below}."},
    "report.indicator_detail": {"zh": "得分 {score} · 权重 {weight}", "en": "score {score} · weight {weight}"},
    "report.top_hazards": {
        "zh": "重大及逾期未整改隐患（按风险指数排序，前 {n} 项）",
        "en": "Open grave and overdue hazards (by risk, top {n})",
    },
    "report.none": {"zh": "无", "en": "none"},
    "report.supervision": {"zh": "挂牌督办", "en": "Supervision (挂牌督办)"},
    "report.supervision_rule": {
        "zh": "{levels}隐患未整改，或逾期超过 {days} 天的隐患，应挂牌督办；挂牌至整改完成（需验收的，验收通过）为止。",
        "en": (
            "Open {levels} hazards and hazards more than {days} days overdue are due for 挂牌督办; a 挂牌 stays in force "
            "until the hazard is rectified (and, where verified, passes)."
        ),
    },
    "report.supervision_counts": {
        "zh": "挂牌督办中 {in_force} 项，应挂牌未挂牌 {due} 项；统计期内发现的隐患中未经验收销号 {unverified} 项。",
        "en": (
            "{in_force} hazards under 挂牌督办, {due} due and not yet 挂牌; {unverified} found in the period closed "
            "without a passing verification."
        ),
    },
    "report.supervision_in_force": {"zh": "挂牌督办中的隐患", "en": "Hazards under 挂牌督办"},
    "report.supervision_due": {"zh": "应挂牌督办尚未挂牌的隐患", "en": "Hazards due for 挂牌督办, not yet 挂牌"},
    "report.list_cut": {"zh": "共 {total} 项，列出前 {shown} 项。", "en": "{total} in all; the first {shown} shown."},
    "export.bad_date": {
        "zh": "{option} 不是有效日期（应为 YYYY-MM-DD）：{value}",
        "en": "{option} must be a date YYYY-MM-DD, got {value!r}",
    },
    "export.bad_period": {
        "zh": "统计期开始日期 {start} 晚于结束日期 {end}",
        "en": "the period starts ({start}) after it ends ({end})",
    },
    "export.no_warehouse": {
        "zh": "找不到数据库 {path}：请先运行 xiaoan ingest",
        "en": "no warehouse at {path}: run xiaoan ingest first",
    },
    "export.unreadable": {
        "zh": "无法打开数据库 {path}：{detail}",
        "en": "cannot open the warehouse {path}: {detail}",
    },
    "export.no_macros": {
        "zh": "数据库 {path} 缺少指标定义：请运行 xiaoan rebuild",
        "en": "the warehouse {path} lacks the metric macros: run xiaoan rebuild",
    },
    "export.empty": {
        "zh": "数据库 {path} 为空（尚未导入基础信息表）：请先运行 xiaoan ingest",
        "en": "the warehouse {path} is empty (no base information loaded): run xiaoan ingest first",
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
