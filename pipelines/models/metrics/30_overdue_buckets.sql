-- overdue_buckets(A): the hazards open as of A (whenever found) by how long they are overdue
-- (逾期时长): bucket 0 not overdue, 1 overdue 1..short_days, 2 short_days+1..medium_days,
-- 3 beyond medium_days (thresholds from the rules). Always four rows.
create or replace macro overdue_buckets(
    a, s := null, e := null, towns := []::varchar[], school_types := []::varchar[],
    categories := []::varchar[], depts := []::varchar[], rules := default_rules()
) as table
with buckets as (
    select unnest([
        {'overdue_bucket': 0, 'min_days': null::integer, 'max_days': null::integer},
        {'overdue_bucket': 1, 'min_days': 1, 'max_days': rules['overdue_buckets']['short_days']::integer},
        {'overdue_bucket': 2, 'min_days': rules['overdue_buckets']['short_days']::integer + 1,
                              'max_days': rules['overdue_buckets']['medium_days']::integer},
        {'overdue_bucket': 3, 'min_days': rules['overdue_buckets']['medium_days']::integer + 1, 'max_days': null::integer}
    ], recursive := true)
),
open_hazards as (
    select overdue_bucket, count(*) as hazards, count(*) filter (where is_grave(level)) as grave, sum(risk) as risk
    from hazard_states(a, towns := towns, school_types := school_types, categories := categories,
                       depts := depts, rules := rules)
    where is_open
    group by overdue_bucket
),
final as (
    select b.overdue_bucket, b.min_days, b.max_days,
           coalesce(h.hazards, 0)::integer as hazards,
           coalesce(h.grave, 0)::integer as grave_open,
           coalesce(h.risk, 0)::double as risk
    from buckets b
    left join open_hazards h using (overdue_bucket)
)
select * from final order by overdue_bucket
