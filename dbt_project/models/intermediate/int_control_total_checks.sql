-- Every published control total next to the warehouse's own figure for the same
-- metric and as_of, both rounded to the control total's decimals (input for C001).
-- window_matches tells whether the control total's window starts where the
-- warehouse window starts (point-in-time metrics have no window).
with controls as (
    select * from {{ ref('stg_control_totals') }}
),

figures as (
    select * from {{ ref('headline_figures') }}
)

select
    c.metric,
    c.as_of,
    c.window_start as control_window_start,
    f.window_start as warehouse_window_start,
    c.value as control_value,
    coalesce(c.value_decimals, 0) as value_decimals,
    f.value as warehouse_value,
    {{ round_to('f.value', 'coalesce(c.value_decimals, 0)') }} as warehouse_value_rounded,
    f.metric is not null as has_warehouse_value,
    c.window_start is null or c.window_start = f.window_start as window_matches,
    coalesce(
        {{ round_to('f.value', 'coalesce(c.value_decimals, 0)') }} = {{ round_to('c.value', 'coalesce(c.value_decimals, 0)') }},
        false
    ) as matches,
    c.source,
    c.source_file,
    c.source_row
from controls as c
left join figures as f
    on f.metric = c.metric
    and f.as_of = c.as_of
