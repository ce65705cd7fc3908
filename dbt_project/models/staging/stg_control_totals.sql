-- Published control totals the warehouse figures are reconciled with (C001).
select
    metric,
    as_of,
    window_start,
    {{ as_double('value') }} as value,
    value_decimals,
    source,
    source_file,
    source_row,
    sha256,
    run_id,
    loaded_at
from {{ current_file_rows('control_totals') }} as r
