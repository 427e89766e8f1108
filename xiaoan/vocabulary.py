"""The domain's words (SPEC §2): the canonical values a ledger cell may hold once read, in the
order the blank ledgers' dropdowns and the data contract list them.

This is the one home of every word: ingestion (pipelines/contract.py keeps only the synonyms
it accepts for each word), the dashboard and the export import it. The metric macros spell the
words they test once, in pipelines/models/metrics/02_formulas.sql (grave_level() and the like);
that SQL is written by hand, not generated from here, and tests/test_metrics_formulas.py keeps
each word equal to its constant here. Values stay Chinese, as stored; what is shown is
translated by xiaoan.labels.
"""

from __future__ import annotations

# 隐患类别 hazard categories.
CATEGORIES = ("消防安全", "校舍建筑", "交通安全", "食品卫生", "治安防范", "防溺水", "周边环境", "设施设备",
              "心理健康", "其他")

# 隐患等级 hazard levels, mildest first.
LEVELS = ("一般", "较大", "重大")
GRAVE_LEVEL = "重大"  # 重大隐患: the gravest level
# The level → the key of its risk weight in rules.toml's [risk] table (SPEC §3).
LEVEL_RISK_KEY = {"一般": "general", "较大": "major", "重大": "grave"}

# 整改状态 rectification statuses, in the order a hazard moves through them.
STATUSES = ("未整改", "整改中", "已整改", "已销号")
CLOSED_STATUS = "已销号"  # 销号: closed, needs a 销号日期
RECTIFIED_STATUSES = ("已整改", CLOSED_STATUS)  # rectified: needs a 整改完成日期

# 学校类型 school types and 办学性质 ownerships.
SCHOOL_TYPES = ("幼儿园", "小学", "初中", "九年一贯制", "完全中学")
OWNERSHIPS = ("公办", "民办")

# 检查类型 inspection types; 法治教育 is the legal-education session a 法治副校长 gives.
INSPECTION_TYPES = ("日常检查", "专项检查", "联合检查", "督导检查", "开学检查", "节假日检查", "校舍安全检测",
                    "法治教育")
LEGAL_EDUCATION = "法治教育"

# 会议类型 meeting types: the plenary of all member units, topical meetings, the town's monthly 例会.
MEETING_TYPES = ("全体成员单位会议", "专题会议", "例会")
PLENARY = "全体成员单位会议"
TOWN_MEETING = "例会"

# 层级 meeting levels: 区 district, 镇 town.
MEETING_LEVELS = ("区", "镇")
DISTRICT_LEVEL = "区"
TOWN_LEVEL = "镇"

# The two kinds of accountable unit (meeting_attendance.unit_kind, the two score tiers).
UNIT_KINDS = ("town", "department")


# 督办级别 supervision (SPEC §2.2): a hazard 挂牌 by the district or by its town.
SUPERVISIONS = ("区级挂牌", "镇级挂牌")
# 验收结果 verification (SPEC §2.2).
VERIFICATIONS = ("通过", "不通过")
PASSED = "通过"
FAILED = "不通过"
# The kinds of unit a hazard's 责任单位 may be (SPEC §2.2, §5 responsible_kind).
RESPONSIBLE_KINDS = ("department", "town", "village", "school")

# An indicator's status for a unit in the evaluation (SPEC §3 Evaluation v2): measured; left out
# (不适用: no data and no duty, or a duty list the unit is not on; its weight goes to the others);
# a duty with no data (未报送: scores 0).
WITH_DATA = "有数据"
NOT_APPLICABLE = "不适用"
NOT_REPORTED = "未报送"
INDICATOR_STATUSES = (WITH_DATA, NOT_APPLICABLE, NOT_REPORTED)
