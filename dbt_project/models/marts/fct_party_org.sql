-- One row per Party organisation of the register (those excluded by E002 or
-- E010 are not here; see the findings).
select
    org_code,
    org_name,
    org_type,
    tax_code,
    is_enterprise_org,
    established_on,
    {{ date_to_period('established_on') }} as established_period,
    dissolved_on,
    dissolved_on is null as is_active_now,
    members_at_founding,
    via_core_cell_transfer,
    transferred_members,
    source_file,
    source_row
from {{ ref('int_party_orgs') }}
where dq_status = 'valid'
