"""The dashboard's pages, widgets and messages (dash.*, except column and value labels)."""

TEXT: dict[str, dict[str, str]] = {
    # ---- dashboard ----
    "dash.app.name": {
        "zh": "中小学幼儿园安全总校（园）长制工作看板",
        "en": "School and Kindergarten Safety Principal-in-Chief System",
    },
    "dash.app.title": {"zh": "校园安全工作看板", "en": "School safety dashboard"},
    "dash.app.subtitle": {
        "zh": "中小学幼儿园安全总校（园）长制",
        "en": "School and kindergarten safety principal-in-chief system",
    },
    "dash.app.about": {
        "zh": "中小学幼儿园安全总校（园）长制工作看板。数据来自各镇、学校和成员单位报送的台账。",
        "en": (
            "The dashboard of the school and kindergarten safety principal-in-chief system, built from the "
            "ledgers towns, schools and member units send."
        ),
    },
    "dash.lang.label": {"zh": "语言", "en": "Language"},
    "dash.lang.zh": {"zh": "中文", "en": "中文"},
    "dash.lang.en": {"zh": "English", "en": "English"},
    "dash.welcome.title": {"zh": "欢迎使用校园安全工作看板", "en": "Welcome to the school safety dashboard"},
    "dash.welcome.missing": {
        "zh": "系统中尚无数据（数据库：{path}）。导入第一批台账后，此处将显示各页面。",
        "en": "There is no data yet (database: {path}). Load the first ledgers and the pages appear here.",
    },
    "dash.welcome.empty": {
        "zh": "数据库（{path}）中尚无基础信息表。请先导入基础信息表（镇、村（社区）、学校、成员单位），再导入台账。",
        "en": (
            "The database ({path}) holds no base information yet. Load the base information table (towns, "
            "villages, schools, member units) first, then the ledgers."
        ),
    },
    "dash.welcome.outdated": {
        "zh": "数据库（{path}）由旧版本程序生成，缺少本版本的统计口径。请系统管理员在服务器上运行 `xiaoan rebuild` 重建后再查看。",
        "en": (
            "The database ({path}) was built by an earlier version and lacks this version's metrics. "
            "Run `xiaoan rebuild` on the server to rebuild it."
        ),
    },
    "dash.welcome.steps": {
        "zh": (
            "**导入数据的步骤：**\n1. 将基础信息表和各镇、学校、成员单位报送的隐患台账、检查记录、"
            "会议记录（.xlsx、.xls 或 .csv）放进一个文件夹；\n2. 在服务器上运行下面的导入命令（可用 `xiaoan "
            "template` 生成空白台账，`make run` 会导入示例数据）；\n3. 导入完成后刷新本页，无需重启看板。"
        ),
        "en": (
            "**To load data:**\n1. Put the base information table and the hazard, inspection and meeting "
            "ledgers (.xlsx, .xls or .csv) in one folder;\n2. run the ingest command below on the server "
            "(`xiaoan template` writes blank ledgers, `make run` loads the sample district);\n3. refresh this "
            "page once it has finished: the dashboard needs no restart."
        ),
    },
    "dash.welcome.refresh": {
        "zh": "看板会自动读取最新发布的数据版本。",
        "en": "The dashboard reads the newest published version by itself.",
    },
    "dash.list_sep": {"zh": "、", "en": ", "},  # between the items of a list in a sentence
    "dash.scope.town": {"zh": "当前查看范围：{name}", "en": "You are viewing: {name}"},
    "dash.scope.department": {
        "zh": "当前查看范围：{name}（本单位负责的隐患与检查）",
        "en": "You are viewing: {name} (its hazards and inspections)",
    },
    "dash.scope.town_rows_only": {
        "zh": "各镇的考核得分和例会情况仅向区级用户及本镇用户提供。",
        "en": "Each town's scores and monthly meetings are shown to district users and to that town only.",
    },
    "dash.scope.dept_rows_only": {
        "zh": "各成员单位的考核得分和参会情况仅向区级用户及本单位用户提供。",
        "en": (
            "Each member unit's scores and meeting attendance are shown to district users and to that unit "
            "only."
        ),
    },
    "dash.section.overview": {"zh": "总体态势", "en": "At a glance"},
    "dash.section.work": {"zh": "整改与考核", "en": "Work and evaluation"},
    "dash.section.records": {"zh": "台账与档案", "en": "Ledgers and profiles"},
    "dash.section.system": {"zh": "体系与数据", "en": "Organisation and data"},
    "dash.page.overview": {"zh": "总览", "en": "Overview"},
    "dash.page.risk": {"zh": "风险分布", "en": "Risk distribution"},
    "dash.page.departments": {"zh": "成员单位整改情况", "en": "Member units' rectification"},
    "dash.page.evaluation": {"zh": "考核评分", "en": "Evaluation"},
    "dash.page.supervision": {"zh": "挂牌督办", "en": "Supervision"},
    "dash.page.meetings": {"zh": "会议制度落实情况", "en": "Meeting system in practice"},
    "dash.page.inspections": {"zh": "检查督导情况", "en": "Inspection and supervision"},
    "dash.page.hazards": {"zh": "隐患台账", "en": "Hazard ledger"},
    "dash.page.hazard": {"zh": "隐患详情", "en": "Hazard history"},
    "dash.page.school": {"zh": "学校档案", "en": "School profile"},
    "dash.page.organisation": {"zh": "组织体系", "en": "Organisation"},
    "dash.page.quality": {"zh": "数据报送质量", "en": "Reporting quality"},
    "dash.filters.title": {"zh": "筛选条件", "en": "Filters"},
    "dash.filters.period": {"zh": "统计周期", "en": "Period"},
    "dash.filters.year": {"zh": "年份", "en": "Year"},
    "dash.filters.semester": {"zh": "学期", "en": "Semester"},
    "dash.filters.quarter": {"zh": "季度", "en": "Quarter"},
    "dash.filters.month": {"zh": "月份", "en": "Month"},
    "dash.filters.custom": {"zh": "起止日期", "en": "From – to"},
    "dash.filters.as_of": {"zh": "截至日期", "en": "As of"},
    "dash.filters.as_of_help": {
        "zh": "按此日期的台账状态统计；留空则为统计周期末或今天（取较早者）。",
        "en": (
            "Hazards are counted in their state on this day; empty means the period's end or today, "
            "whichever is earlier."
        ),
    },
    "dash.filters.window": {
        "zh": "统计周期：{start}至{end}，截至{as_of}",
        "en": "Period {start} to {end}, as of {as_of}",
    },
    "dash.filters.window_short": {"zh": "{start}至{end}", "en": "{start} to {end}"},
    "dash.filters.towns": {"zh": "镇", "en": "Town"},
    "dash.filters.school_types": {"zh": "学校类型", "en": "School type"},
    "dash.filters.categories": {"zh": "隐患类别", "en": "Hazard category"},
    "dash.filters.all": {"zh": "全部", "en": "All"},
    "dash.period.year": {"zh": "年度", "en": "Year"},
    "dash.period.semester": {"zh": "学期", "en": "Semester"},
    "dash.period.quarter": {"zh": "季度", "en": "Quarter"},
    "dash.period.month": {"zh": "月度", "en": "Month"},
    "dash.period.custom": {"zh": "自定义", "en": "Custom"},
    "dash.period.year_n": {"zh": "{year}年", "en": "{year}"},
    "dash.period.semester_1": {"zh": "春季学期", "en": "Spring semester"},
    "dash.period.semester_2": {"zh": "秋季学期", "en": "Autumn semester"},
    "dash.period.quarter_1": {"zh": "第一季度", "en": "Q1"},
    "dash.period.quarter_2": {"zh": "第二季度", "en": "Q2"},
    "dash.period.quarter_3": {"zh": "第三季度", "en": "Q3"},
    "dash.period.quarter_4": {"zh": "第四季度", "en": "Q4"},
    "dash.period.month_n": {"zh": "{n}月", "en": "Month {n}"},
    "dash.empty.table": {"zh": "没有符合条件的记录。", "en": "No records match."},
    "dash.empty.period": {"zh": "所选范围内没有数据。", "en": "No data in the selected range."},
    "dash.download.csv": {"zh": "下载 CSV", "en": "CSV"},
    "dash.download.xlsx": {"zh": "下载 Excel", "en": "Excel"},
    "dash.org.intro": {
        "zh": "区、镇、村（社区）三级安全总校（园）长，办公室督导考核，成员单位分工负责。",
        "en": (
            "Three tiers of principals-in-chief (district, town, village/community); the office supervises "
            "and evaluates; member units act."
        ),
    },
    "dash.org.tier.district": {"zh": "区级安全总校（园）长", "en": "District safety principal-in-chief"},
    "dash.org.tier.town": {"zh": "镇级安全总校（园）长", "en": "Town safety principals-in-chief"},
    "dash.org.tier.village": {
        "zh": "村（社区）级安全总校（园）长",
        "en": "Village/community safety principals-in-chief",
    },
    "dash.org.count": {"zh": "{n} 名", "en": "{n}"},
    "dash.org.office": {
        "zh": "中小学幼儿园安全总校（园）长制工作办公室",
        "en": "Office of the school and kindergarten safety principal-in-chief system",
    },
    "dash.org.office_text": {
        "zh": "办公室设在区教育局，负责组织协调、工作调度、监督考核和信息报送，督促成员单位履行职责。",
        "en": (
            "Housed in the district education bureau: it organises, schedules, supervises and evaluates, and "
            "keeps member units to their duties."
        ),
    },
    "dash.org.towns": {"zh": "镇级安全总校（园）长", "en": "Town safety principals-in-chief"},
    "dash.org.villages": {
        "zh": "村（社区）级安全总校（园）长",
        "en": "Village and community safety principals-in-chief",
    },
    "dash.org.members": {"zh": "成员单位（成员与联络员）", "en": "Member units (member and liaison)"},
    "dash.org.masked": {
        "zh": "成员、联络员姓名和电话仅向区级用户显示。",
        "en": "Names and phone numbers of members and liaisons are shown to district users only.",
    },
    "dash.org.principals_masked": {
        "zh": "镇、村（社区）级安全总校（园）长姓名仅向区级用户和本镇用户显示。",
        "en": "Town and village safety principals-in-chief are named to district users and to their own town only.",
    },
    "dash.quality.rejected_rows": {"zh": "未通过校验的记录（条）", "en": "Records not accepted"},
    "dash.quality.files": {"zh": "已报送文件（个）", "en": "Files sent"},
    "dash.quality.towns_missing": {"zh": "{month}未报送台账的镇（个）", "en": "Towns without a ledger in {month}"},
    "dash.quality.by_file": {"zh": "未通过校验的记录（按文件汇总）", "en": "Records not accepted, by file"},
    "dash.quality.by_unit": {"zh": "未通过校验的记录（按报送单位汇总）", "en": "Records not accepted, by sender"},
    "dash.quality.rows": {"zh": "未通过校验的记录明细（含原始内容）", "en": "Records not accepted (as sent)"},
    "dash.quality.search": {"zh": "搜索文件名、单位、原因或内容", "en": "Search file, unit, reason or cells"},
    "dash.quality.missing": {
        "zh": "{month}尚未报送隐患台账的镇",
        "en": "Towns that have not sent a hazard ledger in {month}",
    },
    "dash.quality.log": {"zh": "导入记录", "en": "Loads"},
    "dash.rules.broken": {
        "zh": "考核规则文件有误，暂时无法计算各项指标，请联系系统管理员：{problem}",
        "en": "The rules file is broken, so no figure can be computed: {problem}",
    },
    "dash.help.open_hazards": {
        "zh": "截至日期仍未整改的隐患（不论何时发现）。",
        "en": "Hazards not rectified as of the as-of date, whenever found.",
    },
    "dash.help.grave_open": {
        "zh": "截至日期仍未整改的重大隐患。",
        "en": "Grave (重大) hazards not rectified as of the as-of date.",
    },
    "dash.help.overdue_open": {
        "zh": "未整改且已超过整改时限的隐患。",
        "en": "Open hazards past their deadline.",
    },
    "dash.help.open_risk": {
        "zh": "未整改隐患的风险指数之和：一般 1、较大 3、重大 10，逾期加倍。",
        "en": "Sum of the risk of open hazards: general 1, major 3, grave 10, doubled when overdue.",
    },
    "dash.help.rectification_rate": {
        "zh": "统计周期内发现的隐患中，截至日期已整改的比例。",
        "en": "Share of the hazards found in the period that were rectified by the as-of date.",
    },
    "dash.help.closure_rate": {
        "zh": "统计周期内发现的隐患中，截至日期已销号的比例。",
        "en": "Share of the hazards found in the period that were closed (销号) by the as-of date.",
    },
    "dash.help.inspection_coverage": {
        "zh": "统计周期内至少接受过一次检查的学校比例。",
        "en": "Share of schools inspected at least once in the period.",
    },
    "dash.help.meeting_compliance": {
        "zh": "统计周期涉及的月份中，各镇召开了例会的月份比例。",
        "en": "Share of the months of the period in which the towns held their monthly meeting.",
    },
    "dash.overview.title": {"zh": "{district}校园安全总览", "en": "{district} school safety at a glance"},
    "dash.overview.headline": {"zh": "核心指标", "en": "Headline figures"},
    "dash.overview.pp": {"zh": "{n} 个百分点", "en": "{n} pp"},
    "dash.overview.vs_last_month": {"zh": "较上月末", "en": "since last month"},
    "dash.overview.change_since": {
        "zh": "箭头为与上月末（{date}）相比的变化。",
        "en": "Arrows show the change since the end of last month ({date}).",
    },
    "dash.overview.plenary_yes": {
        "zh": "{year}年已召开全体成员单位会议。",
        "en": "The plenary of all member units was held in {year}.",
    },
    "dash.overview.plenary_no": {
        "zh": "{year}年尚未召开全体成员单位会议（每年至少召开一次）。",
        "en": "No plenary of all member units yet in {year} (at least one a year).",
    },
    "dash.overview.attention": {"zh": "重点关注事项", "en": "Matters for attention"},
    "dash.overview.urgent": {
        "zh": "**重大或逾期未整改的隐患：{n} 项**（按风险指数排序，点选一行查看详情）",
        "en": "**Open hazards that are grave or overdue: {n}** (riskiest first; pick a row for its history)",
    },
    "dash.overview.towns_behind": {"zh": "**考核排名靠后的镇**", "en": "**Towns furthest behind**"},
    "dash.overview.depts_behind": {
        "zh": "**考核排名靠后的成员单位**",
        "en": "**Member units furthest behind**",
    },
    "dash.overview.town_own": {
        "zh": "**本镇考核得分及全区排名**",
        "en": "**Your town's score and district rank**",
    },
    "dash.overview.dept_own": {
        "zh": "**本单位考核得分及全区排名**",
        "en": "**Your unit's score and district rank**",
    },
    "dash.overview.last_load": {"zh": "最近一次数据导入", "en": "Last load"},
    "dash.overview.last_load_text": {
        "zh": "{when}导入文件 {files} 个：导入记录 {loaded} 条，未通过校验的记录 {rejected} 条。",
        "en": "{when}: {files} files, {loaded} records loaded, {rejected} not accepted.",
    },
    "dash.overview.no_load": {"zh": "尚无导入记录。", "en": "Nothing loaded yet."},
    "dash.overview.last_load_time": {"zh": "数据最近一次更新于 {when}。", "en": "Data last updated {when}."},
    "dash.risk.intro": {
        "zh": (
            "统计截至 {as_of} 仍未整改的全部隐患。风险指数 = 等级权重（一般 1、较大 3、重大 10）× 逾期加倍。"
            "点击单元格或地图上的镇查看明细。"
        ),
        "en": (
            "Every hazard still open on {as_of}. Risk = level weight (general 1, major 3, grave 10), doubled "
            "when overdue. Click a cell or a town for its schools and hazards."
        ),
    },
    "dash.risk.heat_title": {
        "zh": "各镇分类别风险指数（未整改隐患）",
        "en": "Risk of open hazards by town and category (risk index)",
    },
    "dash.risk.heat_hover": {"zh": "%{y} · %{x}<br>风险指数 %{z:.0f}", "en": "%{y} · %{x}<br>risk %{z:.0f}"},
    "dash.risk.unit": {"zh": "风险指数", "en": "Risk index"},
    "dash.risk.map_title": {"zh": "各镇校均风险指数地图", "en": "Risk per school by town (map)"},
    "dash.risk.map_hover": {
        "zh": "{name}<br>校均风险指数 {value}",
        "en": "{name}<br>risk per school {value}",
    },
    "dash.risk.per_school_unit": {"zh": "校均风险指数", "en": "Risk per school"},
    "dash.risk.no_map": {
        "zh": "暂无本区镇域地图（{path}），请系统管理员设置 XIAOAN_MAP 指向本区的 GeoJSON 地图文件。",
        "en": "No town map found ({path}): point XIAOAN_MAP at the district's GeoJSON file.",
    },
    "dash.risk.per_school_table": {"zh": "各镇校均风险", "en": "Risk per school by town"},
    "dash.risk.drill": {"zh": "学校及未整改隐患明细", "en": "Schools and open hazards in detail"},
    "dash.risk.pick_town": {"zh": "请选择镇（或点击图表）", "en": "Choose a town (or click the charts)"},
    "dash.risk.schools_of": {
        "zh": "**{town}的学校**（按风险指数排序）",
        "en": "**Schools of {town}** (by risk)",
    },
    "dash.risk.hazards_of": {
        "zh": "**{town} · {category}：未整改隐患**（点选一行查看详情）",
        "en": "**{town} · {category}: open hazards** (pick a row for its history)",
    },
    "dash.departments.intro": {
        "zh": "统计{start}至{end}发现的隐患截至{as_of}的整改情况。点击柱形可查看该单位的隐患明细。",
        "en": (
            "Hazards found from {start} to {end}, in their state on {as_of}. Click a bar for that unit's "
            "hazards."
        ),
    },
    "dash.departments.rates_title": {
        "zh": "各责任单位整改率、销号率与按期整改率",
        "en": "Rectification, closure and on-time rates by responsible unit",
    },
    "dash.departments.target": {"zh": "整改率目标 {target}", "en": "Target {target}"},
    "dash.departments.buckets_title": {
        "zh": "逾期未整改隐患（按逾期时长）",
        "en": "Overdue open hazards by days overdue",
    },
    "dash.departments.bucket_1": {"zh": "逾期 1–{short} 天", "en": "1–{short} days"},
    "dash.departments.bucket_2": {"zh": "逾期 {short_next}–{medium} 天", "en": "{short_next}–{medium} days"},
    "dash.departments.bucket_3": {"zh": "逾期超过 {medium} 天", "en": "over {medium} days"},
    "dash.departments.days_title": {"zh": "各责任单位整改用时中位数", "en": "Median days to rectify by responsible unit"},
    "dash.departments.days_unit": {"zh": "天", "en": "days"},
    "dash.departments.table": {"zh": "各责任单位整改情况", "en": "Rectification by responsible unit"},
    "dash.departments.drill": {"zh": "责任单位隐患明细", "en": "A responsible unit's hazards in detail"},
    "dash.departments.pick": {"zh": "请选择单位（或点击图表）", "en": "Choose a unit (or click a chart)"},
    "dash.evaluation.intro": {
        "zh": (
            "依据考核规则，对{start}至{end}发现的隐患按截至{as_of}的情况计分，满分100分；"
            "得分相同的，名次并列。"
        ),
        "en": (
            "Scored by the rules on the hazards found from {start} to {end}, as they stood on {as_of}; out "
            "of 100 points; equal scores share a place."
        ),
    },
    "dash.evaluation.towns": {"zh": "各镇考核", "en": "Towns"},
    "dash.evaluation.depts": {"zh": "成员单位考核", "en": "Member units"},
    "dash.evaluation.town_title": {"zh": "各镇考核得分排名", "en": "Town scores, ranked"},
    "dash.evaluation.dept_title": {
        "zh": "成员单位考核得分排名",
        "en": "Member unit scores, ranked",
    },
    "dash.evaluation.points_unit": {"zh": "得分", "en": "Score"},
    "dash.evaluation.breakdown": {"zh": "得分构成", "en": "Score breakdown"},
    "dash.evaluation.total": {"zh": "{name} 总分", "en": "{name}: total"},
    "dash.evaluation.rank": {"zh": "第{rank}名", "en": "rank {rank}"},
    "dash.evaluation.not_ranked": {"zh": "不参与排名", "en": "not ranked"},
    "dash.evaluation.no_score": {"zh": "无得分", "en": "no score"},
    "dash.evaluation.grade": {"zh": "考核等级：{grade}", "en": "grade: {grade}"},
    "dash.evaluation.bar_text": {"zh": "第{rank}名 {score} {grade}", "en": "#{rank} {score} {grade}"},
    "dash.evaluation.bar_text_unranked": {"zh": "不参与排名 {score} {grade}", "en": "not ranked {score} {grade}"},
    "dash.evaluation.status.有数据": {"zh": "● 已报送", "en": "● reported"},
    "dash.evaluation.status.不适用": {"zh": "○ 不适用（不计分）", "en": "○ not applicable (left out)"},
    "dash.evaluation.status.未报送": {"zh": "▲ 未报送（计0分）", "en": "▲ not reported (scores 0)"},
    "dash.evaluation.not_reported_note": {
        "zh": "以下指标属本单位职责，本期未报送数据，计0分：{names}。",
        "en": "These indicators are this unit's duty but nothing was reported this period; they score 0: {names}.",
    },
    "dash.evaluation.not_applicable_note": {
        "zh": "以下指标对本单位不适用，不计入总分，其余指标权重按比例折算为100：{names}。",
        "en": (
            "These indicators do not apply to this unit: they are left out and the other weights are rescaled "
            "to sum to 100: {names}."
        ),
    },
    "dash.evaluation.not_ranked_note": {
        "zh": "{name}仅有“区级会议参会率”一项适用指标，计算得分但不参与排名（参会不能代替履职记录）。",
        "en": (
            "{name} has meeting attendance as its only applicable indicator: it is scored but not ranked "
            "(attending is not a record of work)."
        ),
    },
    "dash.evaluation.no_score_note": {
        "zh": "{name}本期没有适用的考核指标，不计得分、不参与排名。",
        "en": "{name} has no applicable indicator this period: no score and no rank.",
    },
    "dash.evaluation.unscored": {
        "zh": "不参与排名的单位：{names}。",
        "en": "Not ranked: {names}.",
    },
    "dash.evaluation.grades": {
        "zh": "考核等级：{bands}，其余为{below}（按四舍五入后的总分评定）。",
        "en": "Grades: {bands}; below that {below} (on the rounded total).",
    },
    "dash.evaluation.rules_warnings": {
        "zh": "考核规则文件缺少以下新版考核办法的设置，已按默认值计算：{warnings}",
        "en": "The rules file lacks these v2 settings; their defaults are used: {warnings}",
    },
    "dash.col.rescaled_weight": {"zh": "折算后权重", "en": "Weight (rescaled)"},
    "dash.col.indicator_status": {"zh": "指标状态", "en": "Status"},
    "dash.col.rank_text": {"zh": "排名", "en": "Rank"},
    "dash.unit.points": {"zh": "单位：分", "en": "Unit: points"},
    "dash.unit.percent": {"zh": "单位：%", "en": "Unit: %"},
    "dash.unit.hazards": {"zh": "单位：项", "en": "Unit: hazards"},
    "dash.unit.times": {"zh": "单位：次", "en": "Unit: count"},
    "dash.unit.days": {"zh": "单位：天", "en": "Unit: days"},
    "dash.inspections.coverage_unit": {
        "zh": "单位：%；柱内数字为已检查学校数/学校总数",
        "en": "Unit: %; in the bars: schools inspected / schools",
    },
    "dash.evaluation.trend_title": {
        "zh": "近四个季度考核得分走势",
        "en": "Score by quarter, last four quarters",
    },
    "dash.indicator.town.rectification_rate": {"zh": "整改率", "en": "Rectification rate"},
    "dash.indicator.town.on_time_rate": {"zh": "按期整改率", "en": "On-time rate"},
    "dash.indicator.town.inspection_coverage": {"zh": "检查覆盖率", "en": "Inspection coverage"},
    "dash.indicator.town.meeting_compliance": {"zh": "例会达标率", "en": "Meeting compliance"},
    "dash.indicator.town.overdue_open_per_school": {
        "zh": "校均逾期未整改数",
        "en": "Overdue open per school",
    },
    "dash.indicator.town.reporting": {"zh": "信息报送率", "en": "Reporting"},
    "dash.indicator.dept.rectification_rate": {"zh": "整改率", "en": "Rectification rate"},
    "dash.indicator.dept.on_time_rate": {"zh": "按期整改率", "en": "On-time rate"},
    "dash.indicator.dept.overdue_open": {"zh": "逾期未整改数", "en": "Overdue open"},
    "dash.indicator.dept.meeting_attendance": {"zh": "区级会议参会率", "en": "Meeting attendance"},
    "dash.indicator.dept.median_days_to_rectify": {
        "zh": "整改用时中位数（天）",
        "en": "Median days to rectify",
    },
    "dash.indicator.dept.duty_inspection_coverage": {
        "zh": "履职检查覆盖率",
        "en": "Duty inspections (schools covered)",
    },
    "dash.indicator.dept.legal_education_coverage": {
        "zh": "法治教育覆盖率",
        "en": "Legal-education coverage",
    },
    "dash.meetings.intro": {
        "zh": "统计周期：{start}至{end}。各镇每月至少召开一次例会；全区每年至少召开一次全体成员单位会议。",
        "en": (
            "Period {start} to {end}. Every town holds a monthly meeting; the district holds a plenary at "
            "least once a year."
        ),
    },
    "dash.meetings.plenary_yes": {
        "zh": "{year}年已召开全体成员单位会议 {n} 次，最近一次为{date}。",
        "en": "{year}: {n} plenary meeting(s) held, the last on {date}.",
    },
    "dash.meetings.plenary_no": {
        "zh": "{year}年尚未召开全体成员单位会议。",
        "en": "No plenary meeting yet in {year}.",
    },
    "dash.meetings.grid_title": {
        "zh": "各镇每月例会召开情况",
        "en": "Monthly town meetings held",
    },
    "dash.meetings.grid_legend": {
        "zh": "✓ 当月已召开例会（蓝色），✗ 当月未召开（橙色）；数字为召开次数。",
        "en": "✓ held that month (blue), ✗ not held (orange); the number is how many.",
    },
    "dash.meetings.compliance": {"zh": "各镇例会达标率", "en": "Meeting compliance by town"},
    "dash.meetings.attendance": {"zh": "成员单位参加区级会议情况", "en": "Member units at district meetings"},
    "dash.meetings.attendance_title": {
        "zh": "成员单位区级会议参会率",
        "en": "Attendance of district meetings by member unit",
    },
    "dash.meetings.list": {"zh": "会议记录", "en": "Meetings"},
    "dash.inspections.intro": {"zh": "统计周期：{start}至{end}。", "en": "Period {start} to {end}."},
    "dash.inspections.coverage_title": {
        "zh": "各镇学校检查覆盖率",
        "en": "Inspection coverage of schools by town",
    },
    "dash.inspections.by_dept": {"zh": "各单位每月检查情况", "en": "Inspections by unit and month"},
    "dash.inspections.by_dept_title": {
        "zh": "各单位每月检查次数",
        "en": "Inspections per month by unit",
    },
    "dash.inspections.count_unit": {"zh": "检查次数", "en": "Inspections"},
    "dash.inspections.uninspected": {
        "zh": "统计周期内未接受检查的学校",
        "en": "Schools not inspected in the period",
    },
    "dash.inspections.uninspected_n": {"zh": "共 {n} 所。", "en": "{n} schools."},
    "dash.list.truncated": {
        "zh": "表中显示前 {shown} 条（共 {total} 条）。请用筛选缩小范围，或用下方按钮下载全部。",
        "en": (
            "Showing the first {shown} of {total}. Narrow the filters, or download them all with the buttons "
            "below."
        ),
    },
    "dash.hazards.intro": {
        "zh": "每项隐患截至{as_of}的状态（以该日及之前的最近一次填报为准）。",
        "en": "Every hazard in its state on {as_of} (its latest report on or before that day).",
    },
    "dash.hazards.search": {"zh": "搜索", "en": "Search"},
    "dash.hazards.search_hint": {
        "zh": "隐患编号、学校、描述、整改措施、单位",
        "en": "ID, school, description, measures, unit",
    },
    "dash.hazards.in_period": {"zh": "仅显示{start}至{end}发现的", "en": "Found {start} to {end} only"},
    "dash.hazards.open_only": {"zh": "仅未整改", "en": "Open only"},
    "dash.hazards.overdue_only": {"zh": "仅逾期", "en": "Overdue only"},
    "dash.hazards.unverified_only": {"zh": "仅未经验收销号", "en": "Closed unverified only"},
    "dash.hazards.count": {
        "zh": "符合条件的隐患 {n} 项（共 {total} 项）",
        "en": "{n} of {total} hazards match",
    },
    "dash.hazards.pick_hint": {
        "zh": "点选表格左侧的方框，查看该隐患的全部填报记录。",
        "en": "Tick a row to see every report of that hazard.",
    },
    "dash.hazard.back": {"zh": "返回隐患台账", "en": "Back to the ledger"},
    "dash.hazard.enter_id": {
        "zh": "请输入隐患编号，或从隐患台账中点选。",
        "en": "Enter a hazard ID, or pick one in the ledger.",
    },
    "dash.hazard.not_found": {
        "zh": "未找到隐患「{id}」，或不在您的查看范围内。",
        "en": "No hazard '{id}' in your view.",
    },
    "dash.hazard.title": {"zh": "隐患 {id}", "en": "Hazard {id}"},
    "dash.hazard.where": {
        "zh": "{school}（{town}） · 责任单位：{dept}",
        "en": "{school} ({town}) · responsible: {dept}",
    },
    "dash.hazard.after_as_of": {
        "zh": "截至{as_of}尚无该隐患的填报记录（或尚未发现）。",
        "en": "No report of this hazard on or before {as_of}.",
    },
    "dash.hazard.description": {"zh": "**隐患描述**：{text}", "en": "**Description**: {text}"},
    "dash.hazard.report_n": {"zh": "第{n}次填报", "en": "report {n}"},
    "dash.hazard.timeline_title": {
        "zh": "整改过程（每次填报的状态）",
        "en": "Timeline (status at each report)",
    },
    "dash.hazard.reports": {"zh": "全部填报记录", "en": "Every report"},
    "dash.hazard.to_school": {"zh": "查看该校档案", "en": "The school's profile"},
    "dash.school.none": {"zh": "筛选范围内没有学校。", "en": "No school in the filtered range."},
    "dash.school.pick": {"zh": "选择学校", "en": "School"},
    "dash.school.facts": {
        "zh": "{type} · {ownership} · {town} {village} · 在校生 {students} 人",
        "en": "{type} · {ownership} · {town}, {village} · {students} students",
    },
    "dash.school.hazards": {"zh": "该校隐患（截至日期的状态）", "en": "Hazards (state on the as-of date)"},
    "dash.school.inspections": {
        "zh": "{start}至{end}的检查记录",
        "en": "Inspections from {start} to {end}",
    },
    # ---- derived values and the quality page's receipts, warnings, zero reports (issue 14)
    "dash.derived.inferred": {"zh": "{field}（推断）", "en": "{field} (inferred)"},
    "dash.derived.defaulted": {"zh": "{field}（默认）", "en": "{field} (default)"},
    "dash.derived.derived": {"zh": "{field}（推导）", "en": "{field} (derived)"},
    "col.derived": {"zh": "系统推断项", "en": "Derived by the system"},
    "dash.hazard.derived": {
        "zh": "以下取值由系统推断，非台账填写：{fields}",
        "en": "Not written in the ledger, derived by the system: {fields}",
    },
    "dash.quality.receipts": {"zh": "回执（退回报送单位修改的记录）", "en": "Receipts (rows to send back to their senders)"},
    "dash.quality.receipts_none": {"zh": "近期导入没有需要退回的记录", "en": "No receipts from recent loads"},
    "dash.quality.receipt_load": {"zh": "导入批次 {batch}（{when}）", "en": "Load {batch} ({when})"},
    "dash.quality.warnings": {"zh": "提示（已导入，但值得核对）", "en": "Warnings (loaded, worth a look)"},
    "dash.quality.zero_reports": {"zh": "零报告（本期无隐患）", "en": "Zero reports (nothing to report)"},
    "dash.col.sender": {"zh": "报送单位", "en": "Sender"},
    "dash.col.report_month": {"zh": "报告月份", "en": "Month"},
    "dash.col.cell_value": {"zh": "原值", "en": "Value as typed"},
    "dash.col.record_kind": {"zh": "台账类别", "en": "Ledger kind"},
    "dash.val.zero_report": {"zh": "零报告", "en": "zero report"},
    "dash.val.all_rejected": {"zh": "全部未通过", "en": "all rejected"},
    "dash.val.nothing": {"zh": "无数据记录", "en": "no records"},
    # ---- the closed loop (SPEC §2.2): the 挂牌督办 page, the hazard page and ledger
    "dash.supervision.intro": {
        "zh": (
            "截至{as_of}。{levels}隐患未整改的，或逾期超过 {days} 天的，应当挂牌督办；挂牌督办至隐患整改完成"
            "（经验收的须验收通过）为止。"
        ),
        "en": (
            "As of {as_of}. An open hazard of level {levels}, or one overdue by more than {days} days, is due "
            "for supervision (挂牌督办); supervision lasts until the hazard is rectified (and, where verified, "
            "passes)."
        ),
    },
    "dash.supervision.due": {"zh": "应挂牌未挂牌", "en": "Due, not yet listed"},
    "dash.supervision.due_help": {
        "zh": "按督办规则应挂牌督办、但台账未填督办级别的未整改隐患（项）",
        "en": "Open hazards the rules make due for supervision that the ledger has not listed",
    },
    "dash.supervision.in_force": {"zh": "挂牌督办中", "en": "Under supervision"},
    "dash.supervision.in_force_help": {
        "zh": "已挂牌督办、尚未整改完成（或验收不通过）的隐患（项）",
        "en": "Listed hazards not yet rectified (or whose verification failed)",
    },
    "dash.supervision.extended": {"zh": "延期整改", "en": "Extended"},
    "dash.supervision.extended_help": {
        "zh": "统计周期内发现、整改时限经批准延期的隐患（项）",
        "en": "Hazards found in the period whose deadline was extended",
    },
    "dash.supervision.rework": {"zh": "验收不通过返工", "en": "Rework"},
    "dash.supervision.rework_help": {
        "zh": "统计周期内发现、至少一次验收不通过的隐患（项）",
        "en": "Hazards found in the period that failed verification at least once",
    },
    "dash.supervision.unverified": {"zh": "未经验收销号", "en": "Closed unverified"},
    "dash.supervision.unverified_help": {
        "zh": "统计周期内发现、已销号但无验收通过记录的隐患（项；仅统计有验收结果栏的台账）",
        "en": "Hazards found in the period closed without a passing verification (ledgers with a verification column)",
    },
    "dash.supervision.due_list": {"zh": "应挂牌督办尚未挂牌的隐患", "en": "Due for supervision, not yet listed"},
    "dash.supervision.due_none": {"zh": "暂无应挂牌督办而未挂牌的隐患。", "en": "No hazard is due and unlisted."},
    "dash.supervision.in_force_list": {"zh": "挂牌督办中的隐患", "en": "Hazards under supervision"},
    "dash.supervision.in_force_none": {"zh": "暂无挂牌督办中的隐患。", "en": "No hazard is under supervision."},
    "dash.supervision.units": {
        "zh": "各责任单位逾期未整改和挂牌督办情况",
        "en": "Overdue and supervised hazards by responsible unit",
    },
    "dash.supervision.units_none": {
        "zh": "没有责任单位有逾期未整改或挂牌督办的隐患。",
        "en": "No responsible unit holds overdue or supervised hazards.",
    },
    "dash.supervision.unit_pick": {"zh": "查看单位明细", "en": "A unit's hazards"},
    "dash.supervision.unit_pick_hint": {"zh": "请选择责任单位", "en": "Choose a responsible unit"},
    "dash.supervision.unit_hazards": {
        "zh": "{name}应挂牌或挂牌督办中的隐患",
        "en": "{name}: hazards due for or under supervision",
    },
    "dash.supervision.to_ledger": {"zh": "在隐患台账中查看全部隐患", "en": "Every hazard in the ledger"},
    "dash.col.due_count": {"zh": "应挂牌未挂牌（项）", "en": "Due, unlisted"},
    "dash.col.in_force_count": {"zh": "挂牌督办中（项）", "en": "Under supervision"},
    "dash.val.通过": {"zh": "通过", "en": "Passed"},
    "dash.val.不通过": {"zh": "不通过", "en": "Failed"},
    # the grades (考核等级) of the default rules; a word the office puts in its rules file shows as written
    "dash.val.优秀": {"zh": "优秀", "en": "Excellent"},
    "dash.val.良好": {"zh": "良好", "en": "Good"},
    "dash.val.合格": {"zh": "合格", "en": "Pass"},
    "dash.val.不合格": {"zh": "不合格", "en": "Fail"},
    "dash.val.区级挂牌": {"zh": "区级挂牌", "en": "District-listed"},
    "dash.val.镇级挂牌": {"zh": "镇级挂牌", "en": "Town-listed"},
    "dash.hazard.deadline_extended": {
        "zh": "**整改时限**：{deadline}，延期至 {effective}（延期 {n} 次）",
        "en": "**Deadline**: {deadline}, extended to {effective} ({n} extension(s))",
    },
    "dash.hazard.deadline_plain": {"zh": "**整改时限**：{deadline}", "en": "**Deadline**: {deadline}"},
    "dash.hazard.supervised": {
        "zh": "**挂牌督办**：{level}，整改通知书编号 {notice}（{state}）",
        "en": "**Supervision**: {level}, notice no. {notice} ({state})",
    },
    "dash.hazard.supervision_in_force": {"zh": "督办中", "en": "in force"},
    "dash.hazard.supervision_lifted": {"zh": "已解除", "en": "lifted"},
    "dash.hazard.supervision_due": {
        "zh": "按督办规则该隐患应挂牌督办，台账尚未填写督办级别。",
        "en": "By the rules this hazard is due for supervision; the ledger has not listed it.",
    },
    "dash.hazard.verification": {
        "zh": "**验收**：{result}（{date}，验收人 {verifier}）；返工 {rework} 次",
        "en": "**Verification**: {result} ({date}, by {verifier}); rework {rework} time(s)",
    },
    "dash.hazard.no_verification": {"zh": "**验收**：尚无验收记录", "en": "**Verification**: none yet"},
    "dash.hazard.closed_unverified": {
        "zh": "该隐患已销号，但没有验收通过的记录（未经验收销号），请核实。",
        "en": "This hazard was closed without a passing verification (closed unverified): please check.",
    },
}
