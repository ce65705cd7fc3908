-- C001: a published figure the warehouse does not reproduce (int_control_total_checks).
-- Keyed by metric and quarter (subject = metric), whichever file published the figure.
select
    'C001' as rule_id,
    cast(null as varchar) as tax_code,
    period,
    source_file,
    source_row,
    metric as subject,
    coalesce({{ fixed_decimals('warehouse_value', 'value_decimals') }}, 'không tính được / not computed')
        as observed,
    {{ fixed_decimals('control_value', 'value_decimals') }} as expected,
    'Chỉ tiêu ' || metric || ' tại ' || {{ to_text('as_of') }} || ': kho dữ liệu tính được '
        || coalesce({{ fixed_decimals('warehouse_value', 'value_decimals') }}, 'không tính được')
        || ', số đã công bố là ' || {{ fixed_decimals('control_value', 'value_decimals') }} || '.' as message_vi,
    'Metric ' || metric || ' as of ' || {{ to_text('as_of') }} || ': the warehouse computes '
        || coalesce({{ fixed_decimals('warehouse_value', 'value_decimals') }}, 'nothing')
        || ', the published figure is ' || {{ fixed_decimals('control_value', 'value_decimals') }} || '.'
        as message_en
from {{ ref('int_control_total_checks') }}
where not matches
