"""Texts of the documents area (see xiaoan/i18n/__init__.py): keys documents.*.

The 通报 (xiaoan/documents/bulletin.py): its headings and table headers, built into the shipped
template in Chinese (an office edits its copy in Word), and the sentences filled in at each
export. 政务用语 as on the dashboard: hazards counted in 项, 镇 and 考核等级, dates as 2026年10月31日
(xiaoan.labels.day_label), one decimal for rates, 个百分点 for a rate's change, risk whole.
"""

TEXT: dict[str, dict[str, str]] = {
    # ---- the template's fixed text (xiaoan/documents/bulletin.py build_template)
    "documents.bulletin.h_overview": {"zh": "一、总体情况", "en": "1. Overall situation"},
    "documents.bulletin.h_rankings": {"zh": "二、考核排名情况", "en": "2. Evaluation rankings"},
    "documents.bulletin.h_towns": {"zh": "（一）各镇", "en": "(1) Towns"},
    "documents.bulletin.h_depts": {"zh": "（二）各成员单位", "en": "(2) Member units"},
    "documents.bulletin.h_honours": {"zh": "三、红黑榜", "en": "3. Honour and warning lists"},
    "documents.bulletin.h_red": {"zh": "（一）红榜", "en": "(1) Honour list"},
    "documents.bulletin.h_black": {"zh": "（二）黑榜", "en": "(2) Warning list"},
    "documents.bulletin.h_supervision": {"zh": "四、挂牌督办隐患", "en": "4. Hazards under listed supervision"},
    "documents.bulletin.h_overdue": {"zh": "五、长期逾期未整改隐患", "en": "5. Hazards long overdue"},
    "documents.bulletin.h_requirements": {"zh": "六、工作要求", "en": "6. Requirements"},
    "documents.bulletin.col_no": {"zh": "序号", "en": "No."},
    "documents.bulletin.col_rank": {"zh": "排名", "en": "Rank"},
    "documents.bulletin.col_town": {"zh": "镇", "en": "Town"},
    "documents.bulletin.col_dept": {"zh": "成员单位", "en": "Member unit"},
    "documents.bulletin.col_score": {"zh": "得分", "en": "Score"},
    "documents.bulletin.col_grade": {"zh": "考核等级", "en": "Grade"},
    "documents.bulletin.col_rectification_rate": {"zh": "整改率", "en": "Rectified"},
    "documents.bulletin.col_overdue_open": {"zh": "逾期未整改（项）", "en": "Overdue open"},
    "documents.bulletin.col_school": {"zh": "学校", "en": "School"},
    "documents.bulletin.col_hazard": {"zh": "隐患描述", "en": "Hazard"},
    "documents.bulletin.col_level": {"zh": "等级", "en": "Level"},
    "documents.bulletin.col_unit": {"zh": "责任单位", "en": "Responsible unit"},
    "documents.bulletin.col_supervision": {"zh": "督办级别", "en": "Supervision"},
    "documents.bulletin.col_deadline": {"zh": "整改时限", "en": "Deadline"},
    "documents.bulletin.col_days_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "documents.bulletin.line_towns": {"zh": "镇：{names}。", "en": "Towns: {names}."},
    "documents.bulletin.line_depts": {"zh": "成员单位：{names}。", "en": "Member units: {names}."},
    # ---- sentences filled in at each export (bulletin_context)
    "documents.bulletin.title": {
        "zh": "关于{month}全区中小学幼儿园\n安全隐患排查整改情况的通报",
        "en": "Bulletin on the school safety hazard checks and rectification of the district, {month}"},
    "documents.bulletin.period": {"zh": "{start}至{end}", "en": "{start} to {end}"},
    "documents.bulletin.opening": {
        "zh": "为深入落实中小学幼儿园安全总校（园）长制，推动校园安全隐患闭环整改，现将{period}全区中小学幼儿园"
              "安全隐患排查整改情况通报如下：",
        "en": "To carry out the head-of-school safety system and close the loop on school hazards, the checks and "
              "rectification of {period} in the district are reported as follows:"},
    "documents.bulletin.open_state": {
        "zh": "截至{date}，全区尚有未整改隐患{open_hazards}项{open_hazards_change}，其中重大隐患{grave_open}项"
              "{grave_open_change}，逾期未整改隐患{overdue_open}项{overdue_open_change}；未整改隐患风险指数合计"
              "{open_risk}{open_risk_change}。",
        "en": "On {date} the district had {open_hazards} open hazards{open_hazards_change}, {grave_open} of them "
              "major{grave_open_change}, {overdue_open} overdue{overdue_open_change}; their risk totals "
              "{open_risk}{open_risk_change}."},
    "documents.bulletin.period_state": {
        "zh": "{period}，全区共排查发现隐患{hazards_found}项{hazards_found_change}，整改率{rectification_rate}"
              "{rectification_rate_change}，销号率{closure_rate}{closure_rate_change}，按期整改率{on_time_rate}"
              "{on_time_rate_change}；学校检查覆盖率{inspection_coverage}{inspection_coverage_change}，"
              "各镇例会达标率{meeting_compliance}{meeting_compliance_change}。",
        "en": "From {period} {hazards_found} hazards were found{hazards_found_change}; rectified "
              "{rectification_rate}{rectification_rate_change}, closed {closure_rate}{closure_rate_change}, "
              "on time {on_time_rate}{on_time_rate_change}; schools inspected {inspection_coverage}"
              "{inspection_coverage_change}, towns' monthly meetings held {meeting_compliance}"
              "{meeting_compliance_change}."},
    "documents.bulletin.compared": {"zh": "（较上月末{change}）", "en": " ({change} on last month's end)"},
    "documents.bulletin.up_count": {"zh": "增加{n}项", "en": "up {n}"},
    "documents.bulletin.down_count": {"zh": "减少{n}项", "en": "down {n}"},
    "documents.bulletin.up": {"zh": "增加{n}", "en": "up {n}"},
    "documents.bulletin.down": {"zh": "减少{n}", "en": "down {n}"},
    "documents.bulletin.up_points": {"zh": "提高{n}个百分点", "en": "up {n} points"},
    "documents.bulletin.down_points": {"zh": "下降{n}个百分点", "en": "down {n} points"},
    "documents.bulletin.same": {"zh": "持平", "en": "unchanged"},
    "documents.bulletin.no_data": {"zh": "暂无数据", "en": "no data"},
    "documents.bulletin.rankings": {
        "zh": "按照考核办法，对{period}各镇和各成员单位安全隐患排查整改工作进行了考核，"
              "满分100分，考核等级分为{grades}。结果如下：",
        "en": "The towns and member units were evaluated over {period} under the evaluation rules (out of 100; "
              "grades {grades}):"},
    "documents.bulletin.not_ranked": {
        "zh": "{names}本期无可比的排查整改工作记录（仅有参会情况或无适用考核指标），不参与排名。",
        "en": "{names}: no comparable record of work this period (attendance only, or no applicable indicator); "
              "not ranked."},
    "documents.bulletin.none_ranked": {"zh": "本期无参与排名的单位。", "en": "No unit is ranked this period."},
    "documents.bulletin.honours": {
        "zh": "根据考核排名，得分前三名的单位列入红榜，后三名的单位列入黑榜（得分相同的并列；参与排名的单位"
              "不足六个时，前、后各取一半）。",
        "en": "By the rankings, the top three are on the honour list and the bottom three on the warning list (equal "
              "scores share a place; with fewer than six ranked, the top and bottom halves)."},
    "documents.bulletin.honour_entry": {"zh": "{name}（第{place}名，{score}分）", "en": "{name} (#{place}, {score})"},
    "documents.bulletin.warning_entry": {"zh": "{name}（倒数第{place}名，{score}分）",
                                         "en": "{name} (#{place} from the bottom, {score})"},
    "documents.bulletin.list_sep": {"zh": "、", "en": ", "},
    "documents.bulletin.nobody": {"zh": "无", "en": "none"},
    "documents.bulletin.supervision": {
        "zh": "截至{date}，全区处于挂牌督办状态的隐患{in_force}项，其中区级挂牌{district}项、镇级挂牌{town}项；"
              "另有{due}项隐患应挂牌未挂牌，请相关单位立即落实挂牌督办。挂牌督办隐患如下：",
        "en": "On {date}, {in_force} hazards are under listed supervision ({district} by the district, {town} by "
              "towns); {due} more meet the conditions but are not listed yet. The listed hazards:"},
    "documents.bulletin.supervision_none": {
        "zh": "截至{date}，全区无处于挂牌督办状态的隐患；应挂牌未挂牌的隐患{due}项。",
        "en": "On {date} no hazard is under listed supervision; {due} meet the conditions but are not listed."},
    "documents.bulletin.overdue": {
        "zh": "截至{date}，除上述挂牌督办隐患外，逾期超过{days}天仍未整改的隐患{n}项，按逾期天数由多到少列示如下：",
        "en": ("On {date}, besides the listed hazards above, {n} hazards are overdue by more than {days} days, "
               "longest overdue first:")},
    "documents.bulletin.overdue_none": {
        "zh": "截至{date}，除上述挂牌督办隐患外，全区无逾期超过{days}天仍未整改的隐患。",
        "en": "On {date} no hazard besides the listed ones is overdue by more than {days} days."},
    # ---- errors and the overview's download
    "documents.failed": {"zh": "通报未能生成：{detail}", "en": "The bulletin could not be written: {detail}"},
    "documents.make": {"zh": "生成本月通报（Word）", "en": "Write the month's bulletin (Word)"},
    "documents.download": {"zh": "下载通报", "en": "Download the bulletin"},
    "documents.download_help": {
        "zh": "全区{date}的安全隐患排查整改情况通报（.docx），格式按GB/T 9704，与导出快照中的bulletin.docx一致。",
        "en": "The district's bulletin as of {date} (.docx, GB/T 9704 layout), the same as bulletin.docx of the "
              "snapshot."},
}
