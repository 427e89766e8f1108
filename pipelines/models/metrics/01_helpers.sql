-- Small scalar helpers shared by the metric macros.

-- A list filter: an empty (or null) list means "all".
create or replace macro in_list(p, v) as p is null or len(p) = 0 or list_contains(p::varchar[], v);

-- The period [S, E]: S defaults to 1 January of A's year; E defaults to A and never passes A
-- (nothing after the as-of date is known).
create or replace macro period_start(a, s) as coalesce(s::date, make_date(year(a::date), 1, 1));
create or replace macro period_end(a, e) as least(coalesce(e::date, a::date), a::date);

-- The calendar months touched by the period [S, E], as their first days (none when S > E): the
-- meeting grid's months and the months legal-education coverage finds its semesters in
-- (twin: xiaoan.periods.period_months).
create or replace macro period_months(a, s, e) as table
    select unnest(generate_series(date_trunc('month', period_start(a, s)), date_trunc('month', period_end(a, e)),
                                  interval 1 month))::date as month
    where period_start(a, s) <= period_end(a, e);

-- The last day of the month before A's month (for "change since last month").
create or replace macro previous_month_end(a) as (date_trunc('month', a::date)::date - 1);

-- The first day of the school semester (学期) holding day d: the spring term starts on the 1st
-- of `spring` (a month number), the autumn term on the 1st of `autumn` and runs into the next
-- calendar year.
create or replace macro semester_start(d, spring, autumn) as
    case
        when month(d) >= autumn then make_date(year(d), autumn, 1)
        when month(d) >= spring then make_date(year(d), spring, 1)
        else make_date(year(d) - 1, autumn, 1)
    end;

-- The last day of the semester that starts on day `start`.
create or replace macro semester_end(start, spring, autumn) as
    case
        when month(start) = autumn then make_date(year(start) + 1, spring, 1) - 1
        else make_date(year(start), autumn, 1) - 1
    end;
