-- Register of Party organisations, one row per register row.
select
    trim(org_code) as org_code,
    org_name,
    org_type,
    nullif(trim(tax_code), '') as tax_code,
    established_on,
    dissolved_on,
    coalesce(members_at_founding, 0) as members_at_founding,
    coalesce(via_core_cell_transfer, false) as via_core_cell_transfer,
    coalesce(transferred_members, 0) as transferred_members,
    source_file,
    source_row,
    sha256,
    run_id,
    loaded_at
from {{ current_file_rows('party_orgs') }} as r
