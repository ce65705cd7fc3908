-- One row per registry row of a snapshot file, typed and trimmed.
select
    snapshot_as_of,
    trim(tax_code) as tax_code,
    trim(enterprise_name) as enterprise_name,
    zone_code,
    ownership,
    nullif(trim(investor_country), '') as investor_country,
    established_on,
    operating_status,
    union_eligible,
    union_founded_on,
    updated_on,
    source_file,
    source_row,
    sha256,
    run_id,
    loaded_at
from {{ current_file_rows('enterprises') }} as r
