-- The evaluation rules of SPEC §3 as a struct: the default of every metric macro's `rules`
-- parameter, so that a plain SQL call in a notebook gives the numbers of record. It mirrors
-- xiaoan/rules.toml (a test keeps the two equal); the Python API always passes the rules file
-- in force (XIAOAN_RULES), so an office that edited its rules gets them on every page.
create or replace macro default_rules() as {
    'risk': {'general': 1.0::double, 'major': 3.0::double, 'grave': 10.0::double, 'overdue_factor': 2.0::double},
    'overdue_buckets': {'short_days': 7, 'medium_days': 30},
    'repeat_window_days': 180,
    'semesters': {'spring_start_month': 2, 'autumn_start_month': 8},
    'score_decimals': 2,
    'town': {
        'rectification_rate': {'weight': 30.0::double},
        'on_time_rate': {'weight': 20.0::double},
        'inspection_coverage': {'weight': 20.0::double},
        'meeting_compliance': {'weight': 15.0::double},
        'overdue_open_per_school': {'weight': 15.0::double, 'points_per_unit': 25.0::double}
    },
    'dept': {
        'rectification_rate': {'weight': 35.0::double},
        'on_time_rate': {'weight': 25.0::double},
        'overdue_open': {'weight': 15.0::double, 'points_per_unit': 10.0::double},
        'meeting_attendance': {'weight': 15.0::double},
        'median_days_to_rectify': {'weight': 10.0::double, 'full_at_days': 7.0::double, 'zero_at_days': 60.0::double}
    },
    'indicators': [
        {'tier': 'town', 'position': 1, 'indicator': 'rectification_rate', 'weight': 30.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'town', 'position': 2, 'indicator': 'on_time_rate', 'weight': 20.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'town', 'position': 3, 'indicator': 'inspection_coverage', 'weight': 20.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'town', 'position': 4, 'indicator': 'meeting_compliance', 'weight': 15.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'town', 'position': 5, 'indicator': 'overdue_open_per_school', 'weight': 15.0::double,
         'points_per_unit': 25.0::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'dept', 'position': 1, 'indicator': 'rectification_rate', 'weight': 35.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'dept', 'position': 2, 'indicator': 'on_time_rate', 'weight': 25.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'dept', 'position': 3, 'indicator': 'overdue_open', 'weight': 15.0::double,
         'points_per_unit': 10.0::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'dept', 'position': 4, 'indicator': 'meeting_attendance', 'weight': 15.0::double,
         'points_per_unit': null::double, 'full_at_days': null::double, 'zero_at_days': null::double},
        {'tier': 'dept', 'position': 5, 'indicator': 'median_days_to_rectify', 'weight': 10.0::double,
         'points_per_unit': null::double, 'full_at_days': 7.0::double, 'zero_at_days': 60.0::double}
    ]
};
