-- For every quarter end and every enterprise ever in the registry: the zone,
-- ownership and investor country the breakdowns attribute its figures to.
-- The latest snapshot on or before as_of that lists it, else (an enterprise
-- first registered later) its earliest snapshot.
with candidates as (
    select
        s.as_of,
        s.window_start,
        e.tax_code,
        e.zone_code,
        e.ownership,
        e.investor_country,
        row_number() over (
            partition by s.as_of, e.tax_code
            order by
                case when e.snapshot_as_of <= s.as_of then 0 else 1 end,
                case when e.snapshot_as_of <= s.as_of then e.snapshot_seq else -e.snapshot_seq end desc
        ) as preference
    from {{ ref('int_quarter_spine') }} as s
    cross join {{ ref('int_enterprise_snapshots') }} as e
)

select
    as_of,
    window_start,
    tax_code,
    zone_code,
    ownership,
    investor_country
from candidates
where preference = 1
