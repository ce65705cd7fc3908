-- The accepted report: one per enterprise and quarter.
select
    report_id,
    period,
    quarter_start,
    quarter_end,
    tax_code,
    enterprise_name,
    workers_total,
    workers_female,
    members_total,
    members_female,
    members_joined,
    members_left,
    party_members,
    candidates_introduced,
    candidates_admitted,
    admitted_via_core_cell,
    submitted_on,
    revision,
    source_file,
    source_row
from {{ ref('int_union_reports_history') }}
where report_status = 'accepted'
