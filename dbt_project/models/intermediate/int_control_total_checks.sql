-- C001, made once: every published control total next to the warehouse's own figure.
-- Control totals come from the current version of their files only (stg_control_totals
-- reads raw through current_file_rows), so a corrected control-total file replaces the
-- figures of the old one. Where several current rows publish the same metric, date and
-- window, the most recently loaded one counts. Both sides are compared after rounding to
-- the published figure's own precision (95.2 compares with one decimal): anything else
-- would flag honest rounding or hide a real difference.
with controls as (
    select
        c.*,
        row_number() over (
            partition by c.metric, c.as_of, c.window_start
            order by c.loaded_at desc, c.source_file desc, c.source_row desc
        ) as recency
    from {{ ref('stg_control_totals') }} as c
),

paired as (
    select
        c.metric,
        c.as_of,
        c.window_start as control_window_start,
        f.window_start as warehouse_window_start,
        c.value as control_value,
        coalesce(c.value_decimals, 0) as value_decimals,
        f.value as warehouse_value,
        c.source,
        c.source_file,
        c.source_row,
        -- a point-in-time control total (no window) meets the earliest warehouse window
        row_number() over (
            partition by c.metric, c.as_of, c.window_start
            order by f.window_start
        ) as window_rank
    from controls as c
    left join {{ ref('headline_figures') }} as f
        on f.metric = c.metric
        and f.as_of = c.as_of
        and (c.window_start is null or f.window_start = c.window_start)
    where c.recency = 1
)

select
    metric,
    as_of,
    {{ date_to_period('as_of') }} as period,
    control_window_start,
    warehouse_window_start,
    control_value,
    value_decimals,
    warehouse_value,
    {{ round_to('warehouse_value', 'value_decimals') }} as warehouse_value_rounded,
    warehouse_value is not null as has_warehouse_value,
    {{ round_to('warehouse_value', 'value_decimals') }} - {{ round_to('control_value', 'value_decimals') }}
        as difference,
    coalesce(
        abs({{ round_to('warehouse_value', 'value_decimals') }} - {{ round_to('control_value', 'value_decimals') }})
            < 0.5 * power(10.0, -value_decimals),
        false
    ) as matches,
    source,
    source_file,
    source_row
from paired
where window_rank = 1
