-- Every quarter from the earliest to the latest quarter that has an accepted
-- union report. as_of is the quarter's last day; window_start is the first day
-- of the earliest quarter (the window of the cumulative metrics).
-- Quarters are generated with integer arithmetic, portable to any database.
with bounds as (
    select
        cast(substr(min(period), 1, 4) as integer) * 4
            + cast(substr(min(period), 7, 1) as integer) - 1 as first_index,
        cast(substr(max(period), 1, 4) as integer) * 4
            + cast(substr(max(period), 7, 1) as integer) - 1 as last_index
    from {{ ref('int_union_reports_accepted') }}
),

digits as (
    {% for d in range(10) %}select {{ d }} as digit{% if not loop.last %} union all {% endif %}{% endfor %}
),

numbers as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as n
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
),

quarters as (
    select
        cast(floor((b.first_index + n.n) / 4.0) as integer) as year,
        b.first_index + n.n - 4 * cast(floor((b.first_index + n.n) / 4.0) as integer) + 1 as quarter,
        b.first_index
    from bounds as b
    inner join numbers as n
        on n.n <= b.last_index - b.first_index
),

periods as (
    select
        {{ year_quarter_to_period('year', 'quarter') }} as period,
        year,
        quarter,
        {{ year_quarter_to_period('cast(floor(first_index / 4.0) as integer)',
                                  'first_index - 4 * cast(floor(first_index / 4.0) as integer) + 1') }}
            as first_period
    from quarters
)

select
    period,
    year,
    quarter,
    {{ period_start('period') }} as quarter_start,
    {{ period_end('period') }} as as_of,
    {{ period_start('first_period') }} as window_start
from periods
