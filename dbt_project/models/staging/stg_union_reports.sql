-- Quarterly union reports. reporter_name / reporter_phone are personal data
-- and are deliberately not selected: they never leave the raw schema.
select
    period,
    {{ period_start('period') }} as quarter_start,
    {{ period_end('period') }} as quarter_end,
    trim(tax_code) as tax_code,
    enterprise_name,
    workers_total,
    coalesce(workers_female, 0) as workers_female,
    members_total,
    coalesce(members_female, 0) as members_female,
    coalesce(members_joined, 0) as members_joined,
    coalesce(members_left, 0) as members_left,
    coalesce(party_members, 0) as party_members,
    coalesce(candidates_introduced, 0) as candidates_introduced,
    coalesce(candidates_admitted, 0) as candidates_admitted,
    coalesce(admitted_via_core_cell, 0) as admitted_via_core_cell,
    submitted_on,
    coalesce(revision, 1) as revision,
    source_file,
    source_row,
    sha256,
    run_id,
    loaded_at
from {{ current_file_rows('union_reports') }} as r
