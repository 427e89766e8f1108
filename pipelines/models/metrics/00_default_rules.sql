-- The evaluation rules of SPEC §3 as a struct: the default of every metric macro's `rules`
-- parameter, so that a plain SQL call in a notebook gives the numbers of record. It mirrors
-- xiaoan/rules.toml (a test keeps the two equal); the Python API always passes the rules file
-- in force (XIAOAN_RULES), so an office that edited its rules gets them on every page.
-- Evaluation v2: `supervision` (挂牌督办: levels, overdue_days), `grades` (best first; below the
-- last → grade_below) and each indicator row's `duty` (unit codes or name parts; null = none).
create or replace macro default_rules() as {
    'risk': {'general': 1.0::double, 'major': 3.0::double, 'grave': 10.0::double, 'overdue_factor': 2.0::double},
    'overdue_buckets': {'short_days': 7, 'medium_days': 30},
    'repeat_window_days': 180,
    'semesters': {'spring_start_month': 2, 'autumn_start_month': 8},
    'score_decimals': 2,
    'supervision': {'overdue_days': 30, 'levels': ['重大']::varchar[]},
    'grades': [
        {'grade': '优秀', 'min': 90.0::double},
        {'grade': '良好', 'min': 80.0::double},
        {'grade': '合格', 'min': 60.0::double}
    ],
    'grade_below': '不合格',
    'town': {
        'rectification_rate': {'weight': 27.0::double},
        'on_time_rate': {'weight': 18.0::double},
        'inspection_coverage': {'weight': 18.0::double},
        'meeting_compliance': {'weight': 14.0::double},
        'overdue_open_per_school': {'weight': 13.0::double,
         'points_per_unit': 25.0::double},
        'reporting': {'weight': 10.0::double}
    },
    'dept': {
        'rectification_rate': {'weight': 27.0::double},
        'on_time_rate': {'weight': 18.0::double},
        'overdue_open': {'weight': 11.0::double,
         'points_per_unit': 10.0::double},
        'meeting_attendance': {'weight': 12.0::double},
        'median_days_to_rectify': {'weight': 7.0::double, 'full_at_days': 7.0::double, 'zero_at_days': 60.0::double},
        'duty_inspection_coverage': {'weight': 15.0::double},
        'legal_education_coverage': {'weight': 10.0::double}
    },
    'indicators': [
        {'tier': 'town', 'position': 1, 'indicator': 'rectification_rate', 'weight': 27.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'town', 'position': 2, 'indicator': 'on_time_rate', 'weight': 18.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'town', 'position': 3, 'indicator': 'inspection_coverage', 'weight': 18.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'town', 'position': 4, 'indicator': 'meeting_compliance', 'weight': 14.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'town', 'position': 5, 'indicator': 'overdue_open_per_school', 'weight': 13.0::double,
         'points_per_unit': 25.0::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'town', 'position': 6, 'indicator': 'reporting', 'weight': 10.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'dept', 'position': 1, 'indicator': 'rectification_rate', 'weight': 27.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'dept', 'position': 2, 'indicator': 'on_time_rate', 'weight': 18.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'dept', 'position': 3, 'indicator': 'overdue_open', 'weight': 11.0::double,
         'points_per_unit': 10.0::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'dept', 'position': 4, 'indicator': 'meeting_attendance', 'weight': 12.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': null::varchar[]},
        {'tier': 'dept', 'position': 5, 'indicator': 'median_days_to_rectify', 'weight': 7.0::double,
         'points_per_unit': null::double, 'full_at_days': 7.0::double, 'zero_at_days': 60.0::double, 'duty': null::varchar[]},
        {'tier': 'dept', 'position': 6, 'indicator': 'duty_inspection_coverage', 'weight': 15.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': ['教育局', '公安', '交警', '消防', '市场监管', '卫生健康', '建设', '应急', '交通运输']},
        {'tier': 'dept', 'position': 7, 'indicator': 'legal_education_coverage', 'weight': 10.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double, 'duty': ['公安']}
    ]
};
