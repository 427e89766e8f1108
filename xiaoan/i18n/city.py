"""Texts of the city area (see xiaoan/i18n/__init__.py): keys city.*."""

TEXT: dict[str, dict[str, str]] = {
    # The lake (pipelines/lake, xiaoan export --lake) and the sample city (xiaoan sample --districts).
    "city.lake.no_code": {
        "zh": "基础信息表未填写区代码（6位行政区划代码），不能写入市级数据湖 {lake}：请在基础信息表“区”表填写区代码后重新导入",
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
    "city.rollup.missing_column": {
        "zh": "{district}（区代码 {code}）截止 {as_of} 的快照数据表 {table} 缺少字段 {column}：请用当前版本重新导出该区（xiaoan export --lake）",
        "en": "{district} (code {code}), as of {as_of}: the table {table} lacks the column(s) {column}; "
              "export that district again with this version (xiaoan export --lake)",
    },
    "city.rollup.unreadable": {
        "zh": "{district}（区代码 {code}）截止 {as_of} 的快照数据表 {table} 无法读取：{detail}",
        "en": "{district} (code {code}), as of {as_of}: the table {table} cannot be read: {detail}",
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
    # The city view (xiaoan serve --lake: dashboard/city_app.py, dashboard/city/).
    "city.view.cli.on": {
        "zh": "市级看板地址 http://{bind}:{port}（数据湖 {target}）",
        "en": "city view on http://{bind}:{port}  (lake {target})",
    },
    "city.view.app.title": {"zh": "市级校园安全工作看板", "en": "City school safety dashboard"},
    "city.view.app.name": {"zh": "市级校园安全工作看板", "en": "City school safety"},
    "city.view.app.subtitle": {
        "zh": "各区中小学幼儿园安全总校（园）长制工作情况",
        "en": "The districts' school safety principal-in-chief work, side by side",
    },
    "city.view.app.about": {
        "zh": "校安 xiaoan：市级看板汇总各区报送的数据快照（数据湖），计算口径与 xiaoan city rollup 相同。",
        "en": "xiaoan: the city view rolls up the snapshots the districts send (the lake), as xiaoan city rollup does.",
    },
    "city.view.login_title": {"zh": "登录市级校园安全工作看板", "en": "Log in to the city school safety dashboard"},
    "city.view.open_local": {
        "zh": "本机管理模式：尚未设置登录账号，市级看板仅限本机访问。设置账号后可供其他用户登录查看（见 docs/security.md）。",
        "en": "Local administration: no accounts are set up yet, so the city view opens on this computer only. "
              "Set up accounts to let others log in (docs/security.md).",
    },
    "city.view.no_role": {
        "zh": "账号 {name} 没有市级看板的查看范围（须为市级用户，或填写了区代码的区级用户），请联系系统管理员。",
        "en": "The account {name} has no view of the city dashboard (it needs the city role, or the district role "
              "with its 区代码): ask the administrator.",
    },
    # the city role's name wherever a login shows it (dashboard/login.py reads access.role.<role>)
    "access.role.city": {"zh": "市级", "en": "city"},
    "city.view.role.district": {"zh": "区级，区代码 {code}", "en": "district {code}"},
    "city.view.users.district_code": {
        "zh": "用户 {name}：区级用户的代码只能是6位区代码（行政区划代码，用于市级看板），收到的是 {code}",
        "en": "user {name}: a district user's code can only be its 6-digit 区代码 (for the city view), got {code}",
    },
    "city.view.users.city_code": {
        "zh": "用户 {name}：市级用户不填写代码",
        "en": "user {name}: a city user takes no code",
    },
    "city.view.users.city_on_district": {
        "zh": "用户 {name} 是市级用户，不能登录区级看板：请使用市级看板（xiaoan serve --lake）",
        "en": "user {name} is a city user and cannot log in to a district's dashboard: use the city view "
              "(xiaoan serve --lake)",
    },
    "city.view.users.no_district_code": {
        "zh": "用户 {name} 绑定区代码 {code}，但本看板的基础信息表未填写区代码，无法确认为同一区：请在基础信息表“区”表填写区代码，"
              "或去掉该用户的代码",
        "en": "user {name} is bound to the 区代码 {code}, but this dashboard's registry has no 区代码, so it cannot be "
              "told to be that district: add the 区代码 to the registry's 区 sheet, or remove the user's code",
    },
    "city.view.users.other_district": {
        "zh": "用户 {name} 绑定区代码 {code}，本看板为区代码 {own} 的区，不能登录",
        "en": "user {name} is bound to the 区代码 {code}; this dashboard is the district {own}: login refused",
    },
    "city.view.scope.district": {
        "zh": "查看范围：{name}（区代码 {code}）",
        "en": "You see {name} (code {code}) only",
    },
    "city.view.empty.no_lake": {
        "zh": "找不到数据湖 {lake}。各区用 xiaoan export --lake 写入后即可在此查看（示例：scripts/build_city_lake.sh）。",
        "en": "There is no lake at {lake}. Once the districts write their snapshots with xiaoan export --lake, "
              "they show here (a sample: scripts/build_city_lake.sh).",
    },
    "city.view.empty.no_commits": {
        "zh": "数据湖 {lake} 中还没有已提交的区级快照。各区用 xiaoan export --lake 写入后即可在此查看。",
        "en": "The lake {lake} holds no committed district snapshot yet. Once the districts write theirs with "
              "xiaoan export --lake, they show here.",
    },
    "city.view.empty.no_district": {
        "zh": "数据湖中还没有区代码为 {code} 的区级快照。",
        "en": "The lake holds no snapshot of the district {code} yet.",
    },
    "city.view.named": {"zh": "{name}（{detail}）", "en": "{name} ({detail})"},
    "city.view.list_sep": {"zh": "、", "en": ", "},
    "city.view.filter.as_of": {"zh": "截止日期", "en": "As of"},
    "city.view.filter.as_of_help": {
        "zh": "各区报送的快照日期；排名、热力图、整改情况均按此日期计算，趋势显示此日期及以前的各期。",
        "en": "The dates of the districts' snapshots: the ranking, heatmap and closure are as of this date, the "
              "trend shows it and every earlier one.",
    },
    "city.view.filter.district": {"zh": "区", "en": "District"},
    "city.view.filter.district_help": {
        "zh": "选择一个区：指标明细、成员单位、趋势只显示该区，区级快照显示该区的数据表。",
        "en": "Pick a district: the breakdown, member units and trend show it alone, the district snapshot its "
              "tables.",
    },
    "city.view.filter.all": {"zh": "全市各区", "en": "Every district"},
    "city.view.page.ranking": {"zh": "各区排名", "en": "District ranking"},
    "city.view.page.risk": {"zh": "风险热力图", "en": "Risk heatmap"},
    "city.view.page.closure": {"zh": "成员单位整改", "en": "Member-unit closure"},
    "city.view.page.trend": {"zh": "趋势", "en": "Trend"},
    "city.view.page.district": {"zh": "区级快照", "en": "District snapshot"},
    "city.view.unit.score": {"zh": "单位：分", "en": "points"},
    "city.view.ranking.intro": {
        "zh": "截至{as_of}，{reported}个区报送了快照（共{listed}个区）。各区按市级考核规则计分排名，指标口径与镇级考核相同。",
        "en": "As of {as_of}, {reported} of {listed} districts sent a snapshot. The districts are scored and ranked "
              "by the city's rules, on the towns' indicators.",
    },
    "city.view.ranking.districts": {"zh": "报送区数", "en": "Districts reporting"},
    "city.view.ranking.hazards": {"zh": "发现隐患（条）", "en": "Hazards found"},
    "city.view.ranking.rectification": {"zh": "整改率", "en": "Rectification rate"},
    "city.view.ranking.overdue": {"zh": "逾期未整改（条）", "en": "Overdue open"},
    "city.view.ranking.late": {
        "zh": "以下区尚未报送本期快照，列出最近一期日期，不参与排名：{names}",
        "en": "These districts have not sent this date's snapshot (their latest in brackets) and are not ranked: "
              "{names}",
    },
    "city.view.ranking.chart": {"zh": "各区考核得分排名", "en": "District scores"},
    "city.view.ranking.none": {"zh": "本期没有可排名的区。", "en": "No district can be ranked on this date."},
    "city.view.ranking.table": {"zh": "各区考核得分", "en": "District scores"},
    "city.view.ranking.breakdown": {"zh": "指标得分明细：{name}", "en": "Score by indicator: {name}"},
    "city.view.risk.intro": {
        "zh": "截至{as_of}各区未整改隐患的风险指数（按市级规则的风险权重计算），按隐患类别分列。点击单元格查看明细。",
        "en": "The risk of the hazards open on {as_of} in each district (the city's risk weights), by category. "
              "Click a cell for its figures.",
    },
    "city.view.risk.measure": {"zh": "显示", "en": "Show"},
    "city.view.risk.risk": {"zh": "风险指数", "en": "Risk index"},
    "city.view.risk.risk_per_school": {"zh": "校均风险指数", "en": "Risk per school"},
    "city.view.risk.risk_unit": {"zh": "风险指数", "en": "Risk index"},
    "city.view.risk.risk_per_school_unit": {"zh": "校均风险指数", "en": "Risk per school"},
    "city.view.risk.title_risk": {"zh": "各区分类别风险热力图", "en": "Risk by district and category"},
    "city.view.risk.title_risk_per_school": {
        "zh": "各区分类别校均风险热力图",
        "en": "Risk per school by district and category",
    },
    "city.view.risk.hover_risk": {"zh": "%{y} · %{x}<br>风险指数 %{z:.0f}", "en": "%{y} · %{x}<br>risk %{z:.0f}"},
    "city.view.risk.hover_risk_per_school": {
        "zh": "%{y} · %{x}<br>校均风险指数 %{z:.2f}",
        "en": "%{y} · %{x}<br>risk per school %{z:.2f}",
    },
    "city.view.risk.none": {"zh": "本期各区没有未整改隐患。", "en": "No district has an open hazard on this date."},
    "city.view.risk.table": {"zh": "各区分类别风险", "en": "Risk by district and category"},
    "city.view.risk.cell": {"zh": "{name} · {category}", "en": "{name} · {category}"},
    "city.view.risk.clear": {"zh": "显示全部", "en": "Show all"},
    "city.view.closure.intro": {
        "zh": "截至{as_of}，各区成员单位负责整改的隐患（本期发现）的整改、销号情况。",
        "en": "As of {as_of}: the hazards found in the period for which the districts' member units are "
              "responsible, rectified and closed.",
    },
    "city.view.closure.chart": {"zh": "各区成员单位整改率、销号率、按期整改率", "en": "Member units by district: rates"},
    "city.view.closure.none": {"zh": "本期没有成员单位整改数据。", "en": "No member-unit figures on this date."},
    "city.view.closure.table": {"zh": "各区成员单位整改情况", "en": "Member-unit closure by district"},
    "city.view.closure.units": {"zh": "成员单位明细：{name}", "en": "Member units: {name}"},
    "city.view.closure.only_overdue": {"zh": "只看有逾期未整改隐患的成员单位", "en": "Only units with overdue hazards"},
    "city.view.trend.intro": {
        "zh": "数据湖中{first}至{last}的{dates}期快照，每期各区按市级考核规则计分排名。",
        "en": "The {dates} snapshot dates in the lake from {first} to {last}, each scored and ranked by the "
              "city's rules.",
    },
    "city.view.trend.measure": {"zh": "指标", "en": "Figure"},
    "city.view.trend.chart": {"zh": "各区{measure}趋势", "en": "{measure} by district over time"},
    "city.view.trend.hover": {
        "zh": "%{{x}}<br>%{{fullData.name}}：{value}<extra></extra>",
        "en": "%{{x}}<br>%{{fullData.name}}: {value}<extra></extra>",
    },
    "city.view.trend.none": {"zh": "没有趋势数据。", "en": "No trend to show."},
    "city.view.trend.table": {"zh": "各期各区得分", "en": "Scores by date and district"},
    "city.view.district.choose": {
        "zh": "请选择一个区，查看该区报送的数据快照。",
        "en": "Choose a district to see the snapshot it sent.",
    },
    "city.view.district.none": {"zh": "（请选择）", "en": "(choose)"},
    "city.view.district.no_partition": {
        "zh": "{name}没有截止日期为{as_of}的快照。该区已报送的快照日期：{dates}",
        "en": "{name} sent no snapshot as of {as_of}. Its snapshots: {dates}",
    },
    "city.view.district.intro": {
        "zh": "{name}（区代码 {code}）截至{as_of}的数据快照：第{version}版，写入于 {written}，考核规则 {rules}，"
              "来源文件{sources}个。人员姓名不离开本区，已从各表中去除。",
        "en": "{name} (code {code}) as of {as_of}: version {version}, written {written}, rules {rules}, "
              "{sources} source files. People's names stay in the district: they are not in these tables.",
    },
    "city.view.district.tables": {"zh": "数据表（{count}张）", "en": "Tables ({count})"},
    "city.view.district.table": {"zh": "数据表", "en": "Table"},
    "city.view.district.rows": {"zh": "{table}（{rows}条）", "en": "{table} ({rows} rows)"},
    "city.view.col.district": {"zh": "区代码", "en": "District code"},
    "city.view.col.district_name": {"zh": "区名称", "en": "District"},
    "city.view.col.last_as_of": {"zh": "最近报送", "en": "Latest snapshot"},
    "city.view.col.reported": {"zh": "本期已报送", "en": "Sent this date"},
    "city.view.col.towns": {"zh": "镇（街道）数", "en": "Towns"},
    "city.view.col.town_months": {"zh": "应开例会（镇·月）", "en": "Town-months due"},
    "city.view.col.town_months_met": {"zh": "已开例会（镇·月）", "en": "Town-months met"},
    "city.view.col.units": {"zh": "成员单位数", "en": "Member units"},
    "city.view.col.units_overdue": {"zh": "有逾期隐患的成员单位", "en": "Units with overdue hazards"},
    "city.view.col.quarter_as_of": {"zh": "季度截止日期", "en": "Quarter as of"},
    "city.view.col.version": {"zh": "版本", "en": "Version"},
    "city.view.col.written_at": {"zh": "写入时间", "en": "Written at"},
    "city.view.col.rules_hash": {"zh": "考核规则", "en": "Rules"},
    "city.view.col.rows": {"zh": "条数", "en": "Rows"},
    "city.view.col.table": {"zh": "表名", "en": "Table"},
    "city.view.col.table_name": {"zh": "数据表", "en": "Table name"},
}
