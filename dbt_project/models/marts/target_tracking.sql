-- Per calendar year of a target term (party_targets seed) that has union
-- reports: the actual figure, the target, whether it was met; for the latest
-- (current) year also how far the year is and the pace still needed.
--   party_members_admitted  sum of candidates_admitted of accepted reports
--   party_orgs_established  enterprise Party organisations founded in the year
with spine as (
    select * from {{ ref('int_quarter_spine') }}
),

years as (
    select
        year,
        max(as_of) as as_of,
        max(quarter) as last_quarter
    from spine
    group by year
),

latest as (
    select max(year) as year from years
),

admitted as (
    select
        y.year,
        sum(r.candidates_admitted) as actual
    from years as y
    inner join {{ ref('int_union_reports_accepted') }} as r
        on r.quarter_end <= y.as_of
        and {{ year_of('r.quarter_start') }} = y.year
    group by y.year
),

established as (
    select
        y.year,
        count(*) as actual
    from years as y
    inner join {{ ref('int_party_orgs') }} as o
        on o.dq_status = 'valid'
        and o.is_enterprise_org
        and o.established_on <= y.as_of
        and {{ year_of('o.established_on') }} = y.year
    group by y.year
),

actuals as (
    select y.year, y.as_of, y.last_quarter, 'party_members_admitted' as metric,
           coalesce(a.actual, 0) as actual
    from years as y
    left join admitted as a on a.year = y.year
    union all
    select y.year, y.as_of, y.last_quarter, 'party_orgs_established' as metric,
           coalesce(e.actual, 0) as actual
    from years as y
    left join established as e on e.year = y.year
),

tracked as (
    select
        a.year,
        a.metric,
        t.term,
        a.as_of,
        {{ as_double('a.actual') }} as actual,
        t.target_min,
        t.target_max,
        a.year = l.year and a.last_quarter < 4 as is_in_progress,
        a.year = l.year as is_current_year,
        3 * a.last_quarter as months_elapsed,
        4 - a.last_quarter as quarters_remaining,
        t.source as target_source
    from actuals as a
    inner join {{ ref('party_targets') }} as t
        on t.metric = a.metric
        and a.year between t.year_from and t.year_to
    cross join latest as l
)

select
    year,
    metric,
    term,
    as_of,
    actual,
    target_min,
    target_max,
    (target_min is null or actual >= target_min)
        and (target_max is null or actual <= target_max) as met,
    case
        when target_max is not null and actual > target_max then 'above_max'
        when target_min is null or actual >= target_min then 'met'
        when is_in_progress then 'in_progress'
        else 'not_met'
    end as status,
    is_current_year,
    months_elapsed,
    quarters_remaining,
    case when is_current_year then greatest(coalesce(target_min, 0) - actual, 0) end
        as remaining_to_min,
    case
        when is_in_progress
            then greatest(coalesce(target_min, 0) - actual, 0) / quarters_remaining
    end as pace_needed_per_quarter,
    target_source
from tracked
