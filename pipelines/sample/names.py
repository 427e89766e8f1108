"""Fixed vocabulary of the synthetic district: places, departments, people, hazard texts.

Everything here is fictional data. Chinese strings are data, not identifiers.
"""

from __future__ import annotations

from xiaoan import vocabulary

# The standard district. Town codes and names never depend on the seed, so that the
# committed map (data/sample/towns.geojson) fits every standard sample.
STANDARD_DISTRICT = "青溪区"
STANDARD_PREFIX = "QX"
# Its 区代码 (SPEC §2): fictional — no province's code begins with 99 — in the fictional city 9901.
STANDARD_DISTRICT_CODE = "990102"
STANDARD_TOWNS: tuple[tuple[str, str], ...] = (
    ("QX01", "城关镇"),
    ("QX02", "河口镇"),
    ("QX03", "龙湾镇"),
    ("QX04", "石桥镇"),
    ("QX05", "白沙镇"),
    ("QX06", "桂岭镇"),
    ("QX07", "新圩镇"),
    ("QX08", "梅溪镇"),
)
# Towns that rectify slowly, skip meetings and miss inspections.
STANDARD_LAGGING_TOWNS = frozenset({"QX06", "QX08"})

LARGE_DISTRICT = "云岭省"
LARGE_PREFIX = "YL"

# The sample city's districts (`xiaoan sample --districts N`): 区代码, name, code prefix, towns,
# share of lagging towns. Small on purpose (a city of five ingests in seconds each); sizes and
# lagging differ so that the city's ranking has something to rank. Codes follow 青溪区's 990102.
CITY_DISTRICTS: tuple[tuple[str, str, str, int, float], ...] = (
    ("990103", "白鹭区", "BL", 3, 0.0),
    ("990104", "南塘区", "NT", 5, 0.4),
    ("990105", "松阳县", "SY", 2, 0.5),
    ("990106", "金川区", "JC", 4, 0.25),
    ("990107", "石门县", "SM", 6, 0.34),
    ("990108", "凤岭区", "FL", 3, 0.0),
    ("990109", "江滨区", "JB", 4, 0.25),
    ("990110", "黎阳县", "LY", 2, 0.0),
    ("990111", "梅川县", "MC", 5, 0.2),
    ("990112", "安平区", "AP", 3, 0.34),
)

# Member units (成员单位) of the seed plan; "{short}" is the district's name without its
# last character (青溪区 -> 青溪), standing for the plan's "XX".
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("D01", "区委宣传部"),
    ("D02", "区委政法委"),
    ("D03", "区教育局"),
    ("D04", "{short}公安分局"),
    ("D05", "{short}交警大队"),
    ("D06", "区财政局"),
    ("D07", "{short}生态环境局"),
    ("D08", "区建设局"),
    ("D09", "区交通运输局"),
    ("D10", "区科文体旅局"),
    ("D11", "区卫生健康局"),
    ("D12", "区应急局"),
    ("D13", "区市场监管局"),
    ("D14", "{short}消防救援大队"),
)
PUBLICITY, POLITICS, EDUCATION, POLICE, TRAFFIC, FINANCE, ECOLOGY = (
    "D01", "D02", "D03", "D04", "D05", "D06", "D07")
CONSTRUCTION, TRANSPORT, CULTURE, HEALTH, EMERGENCY, MARKET, FIRE = (
    "D08", "D09", "D10", "D11", "D12", "D13", "D14")

# Departments that take longer to rectify (factor on the time to rectify and verify).
SLOW_DEPARTMENTS = {CONSTRUCTION: 2.2, TRANSPORT: 1.6}
# Departments that seldom attend district meetings (chance to be named at a topical meeting).
RARE_ATTENDERS = {FINANCE: 0.15, PUBLICITY: 0.2, CULTURE: 0.25}

CATEGORIES, LEVELS, STATUSES = vocabulary.CATEGORIES, vocabulary.LEVELS, vocabulary.STATUSES  # the core's words
LEVEL_SHARES = (0.75, 0.20, 0.05)
STATUS_SYNONYMS = {"未整改": "待整改", "已整改": "已完成", "已销号": "销号"}
STATUS_SYNONYMS_ALT = {"已整改": "完成"}

# Which department is responsible for a hazard of each category, with weights.
CATEGORY_DEPARTMENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "消防安全": ((FIRE, 0.7), (EDUCATION, 0.2), (EMERGENCY, 0.1)),
    "校舍建筑": ((CONSTRUCTION, 0.6), (EDUCATION, 0.4)),
    "交通安全": ((TRAFFIC, 0.6), (TRANSPORT, 0.4)),
    "食品卫生": ((MARKET, 0.8), (HEALTH, 0.2)),
    "治安防范": ((POLICE, 0.8), (POLITICS, 0.2)),
    "防溺水": ((EMERGENCY, 0.45), (EDUCATION, 0.45), (POLICE, 0.1)),
    "周边环境": ((ECOLOGY, 0.35), (MARKET, 0.35), (CULTURE, 0.15), (PUBLICITY, 0.15)),
    "设施设备": ((EDUCATION, 0.7), (EMERGENCY, 0.2), (FINANCE, 0.1)),
    "心理健康": ((EDUCATION, 0.6), (HEALTH, 0.4)),
    "其他": ((EDUCATION, 0.6), (POLITICS, 0.2), (FINANCE, 0.2)),
}

# Relative weight of each category by calendar month (index 0 = January).
SEASONAL_WEIGHTS: dict[str, tuple[float, ...]] = {
    #            1    2    3    4    5    6    7    8    9   10   11   12
    "消防安全": (2.6, 2.4, 1.0, 0.8, 0.7, 0.6, 0.6, 0.6, 0.9, 1.2, 2.4, 2.8),
    "校舍建筑": (0.7, 0.8, 1.0, 1.4, 1.6, 1.6, 1.3, 1.2, 1.1, 0.9, 0.8, 0.7),
    "交通安全": (0.8, 2.2, 2.0, 0.9, 0.8, 0.8, 0.5, 1.2, 2.8, 1.4, 0.9, 0.9),
    "食品卫生": (0.9, 1.1, 1.5, 1.0, 1.1, 1.2, 0.4, 0.4, 1.6, 1.1, 1.0, 0.9),
    "治安防范": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.8, 1.1, 1.0, 1.0, 1.1),
    "防溺水": (0.05, 0.05, 0.2, 0.8, 2.6, 3.6, 4.2, 3.8, 0.8, 0.2, 0.05, 0.05),
    "周边环境": (0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 1.1, 1.0, 1.0, 0.9),
    "设施设备": (1.0, 1.1, 1.2, 1.0, 1.0, 0.9, 0.8, 0.9, 1.3, 1.0, 1.0, 1.0),
    "心理健康": (0.6, 0.5, 0.8, 0.9, 1.0, 1.1, 0.4, 0.4, 0.7, 0.8, 0.8, 0.7),
    "其他": (0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
}

# (description, measure) pairs per category.
HAZARD_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "消防安全": (
        ("教学楼部分灭火器压力不足", "更换灭火器并建立月检记录"),
        ("学生宿舍消防通道堆放杂物", "清理通道杂物，落实专人巡查"),
        ("食堂应急照明灯损坏", "维修更换应急照明灯"),
        ("实验室电线老化私拉乱接", "重新敷设线路，拆除私拉电线"),
        ("消防栓水压不足", "联系供水单位检修消防管网"),
        ("疏散指示标志缺失", "补齐疏散指示标志"),
    ),
    "校舍建筑": (
        ("教学楼外墙瓷砖空鼓脱落", "设置警戒区，拆除重贴外墙砖"),
        ("围墙局部开裂倾斜", "拆除危险段并重建围墙"),
        ("楼梯扶手松动", "加固楼梯扶手"),
        ("宿舍楼屋面渗漏", "屋面防水维修"),
        ("旧教学楼经检测为C级危房", "停止使用并申请加固改造资金"),
    ),
    "交通安全": (
        ("校门口未设置减速带和警示标志", "设置减速带、警示标志和斑马线"),
        ("上下学时段校门口车辆乱停", "落实高峰勤务，设置临时停车区"),
        ("接送学生车辆超员", "约谈车主，查处超员车辆"),
        ("校门口道路缺少护栏", "加装道路隔离护栏"),
    ),
    "食品卫生": (
        ("食堂从业人员健康证过期", "组织体检，更新健康证"),
        ("食品留样记录不全", "规范留样，完善台账"),
        ("校园周边流动摊点售卖三无食品", "联合执法清理流动摊点"),
        ("食堂防鼠防蝇设施不完善", "加装挡鼠板和灭蝇灯"),
    ),
    "治安防范": (
        ("校门视频监控损坏", "维修监控并接入公安平台"),
        ("门卫未配备防护器械", "配齐防暴器械并开展培训"),
        ("校园周边有闲散人员聚集", "加强巡逻，落实护学岗"),
        ("一键报警装置未联网", "完成报警装置联网调试"),
    ),
    "防溺水": (
        ("学校附近河段未设置警示牌", "设置防溺水警示牌和救生设施"),
        ("村内山塘无防护栏", "加装防护栏并落实巡查员"),
        ("周边水域缺少救生圈救生杆", "配备救生圈、救生杆"),
        ("暑期防溺水巡查不到位", "落实村级巡河值守"),
    ),
    "周边环境": (
        ("校门口200米内有网吧", "依法查处并督促迁离"),
        ("校园周边噪声扰民", "约谈施工单位，限定施工时段"),
        ("周边店铺售卖不良出版物", "开展专项检查，收缴违规出版物"),
        ("校门口垃圾堆放", "清运垃圾，设置垃圾收集点"),
    ),
    "设施设备": (
        ("体育器材固定螺丝松脱", "加固维修体育器材"),
        ("教室电扇吊杆锈蚀", "更换电扇吊杆"),
        ("配电房门锁损坏", "更换门锁，落实专人管理"),
        ("校车安全设施不全", "补齐校车安全设施"),
    ),
    "心理健康": (
        ("心理辅导室未按标准配置", "按标准配置心理辅导室"),
        ("个别学生心理危机排查台账不全", "完善一生一档，落实结对帮扶"),
        ("未配备专职心理健康教师", "配备专兼职心理教师"),
    ),
    "其他": (
        ("安全教育台账不规范", "规范整理安全教育台账"),
        ("应急预案未及时修订", "修订应急预案并组织演练"),
        ("安全经费保障不足", "申请专项经费"),
    ),
}

MEASURE_PENDING = "已制定整改方案"

SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范廖石覃韦莫蒙"
)
GIVEN_CHARS = tuple(
    "建国明华军平伟强磊洋勇杰娟敏静丽艳芳燕玲红霞婷雪海涛斌波辉刚文东林峰鹏宇浩凯超健晨欣怡颖琳倩"
    "慧莉秀英春梅兰凤志永胜德福荣庆祥"
)

VILLAGE_NAMES = (
    "东门社区", "西街社区", "南关社区", "北岭社区", "新华社区", "大塘村", "黄竹村", "罗坪村",
    "石门村", "长岭村", "高田村", "水口村", "上洞村", "下洞村", "马鞍村", "龙江村", "白鹤村",
    "青山村", "古城村", "沙田村", "桃源村", "李家村", "平安村", "富民村", "和平村", "河西村",
    "河东村", "塘尾村", "竹山村", "梅花村", "杨柳村", "金鸡村", "凤凰村", "莲塘村", "六合村",
    "三江村", "双桥村", "岭脚村", "坡头村", "福田村", "安平村", "大坡村", "横塘村", "江口村",
    "木棉村", "荔枝村", "新民村", "永安村", "太平村", "顺风村",
)

PRIVATE_KINDERGARTENS = ("小太阳幼儿园", "蓓蕾幼儿园", "童心幼儿园", "启明星幼儿园", "贝贝幼儿园",
                         "金色摇篮幼儿园")
# Two private kindergartens of the standard district share this name (in two towns):
# a record naming it without its town is ambiguous.
SHARED_SCHOOL_NAME = "阳光幼儿园"

# Syllables for the many town and village names of the large scale.
PLACE_FIRST = tuple("安白宝北长大东凤福高古广桂和河黄金江黎莲龙罗马梅南平青清三沙石双"
                    "水太桃天西溪新杨永玉云樟竹")
PLACE_SECOND = tuple("坝滨昌城川店渡峰丰岗沟关湖湾口岭陵庙宁坪桥泉山坡塘田头圩阳洲庄寨场埠门")

MEETING_TOPICS: dict[int, str] = {
    1: "寒假及春节期间校园安全；消防安全检查",
    2: "春季开学安全检查；校园周边交通秩序",
    3: "食品安全；传染病防控；校舍安全排查",
    4: "防溺水宣传部署；汛期校舍安全",
    5: "防溺水专项整治；校园周边环境整治",
    6: "暑假防溺水；中高考安保",
    7: "暑期防溺水巡查；校舍维修",
    8: "秋季开学准备；校舍安全检测",
    9: "秋季开学安全检查；交通安全；国庆假期安全",
    10: "校园及周边治安综合治理；矛盾纠纷排查",
    11: "冬季消防安全；心理健康排查",
    12: "消防安全；元旦假期安全；隐患整改销号",
}
TOPICAL_SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("防溺水专题会议", (EDUCATION, EMERGENCY, POLICE, ECOLOGY, POLITICS)),
    ("校园周边环境综合整治专题会议", (POLITICS, POLICE, MARKET, CULTURE, ECOLOGY, PUBLICITY)),
    ("校舍安全专题会议", (EDUCATION, CONSTRUCTION, FINANCE, EMERGENCY)),
    ("校园周边交通安全专题会议", (TRAFFIC, TRANSPORT, POLICE, EDUCATION)),
    ("校园食品安全专题会议", (MARKET, HEALTH, EDUCATION)),
    ("校园消防安全专题会议", (FIRE, EMERGENCY, EDUCATION, CONSTRUCTION)),
)

# Who rectifies what (standard district), by the duties the seed plan gives each member unit:
# 消防 → 消防救援大队, 食品 → 市场监管局, 交通 → 交警大队 / 交通运输局, 治安 → 公安分局,
# 校舍 → 建设局 / 教育局, 周边 → the town or the village, and most small items → the school
# itself. 区委宣传部, 区委政法委 and 区财政局 coordinate, fund and publicise: they rectify nothing.
# Per hazard description: (unit, weight) where unit is a member unit's code or one of the kinds
# below (the hazard's own school, its town, its village).
SCHOOL, TOWN, VILLAGE = "school", "town", "village"
RESPONSIBLE_BY_TEXT: dict[str, tuple[tuple[str, float], ...]] = {
    "教学楼部分灭火器压力不足": ((SCHOOL, 0.8), (FIRE, 0.2)),
    "学生宿舍消防通道堆放杂物": ((SCHOOL, 0.9), (FIRE, 0.1)),
    "食堂应急照明灯损坏": ((SCHOOL, 0.9), (FIRE, 0.1)),
    "实验室电线老化私拉乱接": ((SCHOOL, 0.5), (FIRE, 0.3), (EMERGENCY, 0.2)),
    "消防栓水压不足": ((FIRE, 0.8), (CONSTRUCTION, 0.2)),
    "疏散指示标志缺失": ((SCHOOL, 0.5), (FIRE, 0.5)),
    "教学楼外墙瓷砖空鼓脱落": ((CONSTRUCTION, 0.7), (EDUCATION, 0.3)),
    "围墙局部开裂倾斜": ((CONSTRUCTION, 0.5), (EDUCATION, 0.5)),
    "楼梯扶手松动": ((SCHOOL, 0.9), (EDUCATION, 0.1)),
    "宿舍楼屋面渗漏": ((EDUCATION, 0.6), (CONSTRUCTION, 0.4)),
    "旧教学楼经检测为C级危房": ((CONSTRUCTION, 0.6), (EDUCATION, 0.4)),
    "校门口未设置减速带和警示标志": ((TRANSPORT, 0.6), (TRAFFIC, 0.4)),
    "上下学时段校门口车辆乱停": ((TRAFFIC, 1.0),),
    "接送学生车辆超员": ((TRAFFIC, 1.0),),
    "校门口道路缺少护栏": ((TRANSPORT, 0.7), (TOWN, 0.3)),
    "食堂从业人员健康证过期": ((SCHOOL, 0.4), (MARKET, 0.3), (HEALTH, 0.3)),
    "食品留样记录不全": ((SCHOOL, 0.5), (MARKET, 0.5)),
    "校园周边流动摊点售卖三无食品": ((MARKET, 0.7), (TOWN, 0.3)),
    "食堂防鼠防蝇设施不完善": ((SCHOOL, 0.5), (MARKET, 0.3), (HEALTH, 0.2)),
    "校门视频监控损坏": ((SCHOOL, 0.6), (POLICE, 0.4)),
    "门卫未配备防护器械": ((SCHOOL, 0.8), (POLICE, 0.2)),
    "校园周边有闲散人员聚集": ((POLICE, 0.8), (VILLAGE, 0.2)),
    "一键报警装置未联网": ((POLICE, 0.7), (SCHOOL, 0.3)),
    "学校附近河段未设置警示牌": ((TOWN, 0.5), (VILLAGE, 0.3), (EMERGENCY, 0.2)),
    "村内山塘无防护栏": ((VILLAGE, 0.8), (TOWN, 0.2)),
    "周边水域缺少救生圈救生杆": ((VILLAGE, 0.5), (TOWN, 0.2), (EMERGENCY, 0.3)),
    "暑期防溺水巡查不到位": ((VILLAGE, 0.6), (TOWN, 0.3), (SCHOOL, 0.1)),
    "校门口200米内有网吧": ((CULTURE, 0.7), (TOWN, 0.3)),
    "校园周边噪声扰民": ((ECOLOGY, 0.6), (TOWN, 0.4)),
    "周边店铺售卖不良出版物": ((CULTURE, 0.6), (MARKET, 0.4)),
    "校门口垃圾堆放": ((VILLAGE, 0.6), (TOWN, 0.4)),
    "体育器材固定螺丝松脱": ((SCHOOL, 1.0),),
    "教室电扇吊杆锈蚀": ((SCHOOL, 1.0),),
    "配电房门锁损坏": ((SCHOOL, 1.0),),
    "校车安全设施不全": ((TRANSPORT, 0.5), (TRAFFIC, 0.3), (SCHOOL, 0.2)),
    "心理辅导室未按标准配置": ((EDUCATION, 0.5), (SCHOOL, 0.5)),
    "个别学生心理危机排查台账不全": ((SCHOOL, 0.8), (HEALTH, 0.2)),
    "未配备专职心理健康教师": ((EDUCATION, 1.0),),
    "安全教育台账不规范": ((SCHOOL, 1.0),),
    "应急预案未及时修订": ((SCHOOL, 0.8), (EMERGENCY, 0.2)),
    "安全经费保障不足": ((EDUCATION, 1.0),),
}
# How long each kind of responsible unit takes (a factor like SLOW_DEPARTMENTS).
SLOW_KINDS = {SCHOOL: 0.8, TOWN: 1.3, VILLAGE: 1.4}
