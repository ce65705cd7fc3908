-- Quarters from the earliest to the latest quarter with a union report.
select
    period,
    quarter_start,
    as_of as quarter_end,
    year,
    quarter,
    'Quý ' || {{ quarter_roman('quarter') }} || '/' || cast(year as varchar) as label
from {{ ref('int_quarter_spine') }}
