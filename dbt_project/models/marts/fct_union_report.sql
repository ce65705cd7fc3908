-- One accepted report per enterprise and quarter, linked to the registry
-- version in force at the quarter's end.
with reports as (
    select * from {{ ref('int_union_reports_accepted') }}
),

registry as (
    select * from {{ ref('int_registry_at_quarter') }}
)

select
    {{ surrogate_key(['r.tax_code', 'r.period']) }} as union_report_key,
    r.tax_code,
    r.period,
    r.quarter_start,
    r.quarter_end,
    d.enterprise_key,
    a.zone_code,
    a.ownership,
    a.investor_country,
    r.workers_total,
    r.workers_female,
    r.members_total,
    r.members_female,
    r.members_joined,
    r.members_left,
    r.party_members,
    r.candidates_introduced,
    r.candidates_admitted,
    r.admitted_via_core_cell,
    r.revision,
    r.submitted_on,
    coalesce(g.union_enterprises, 0) = 1 as counted_in_union_enterprises,
    r.source_file,
    r.source_row
from reports as r
left join registry as g
    on g.tax_code = r.tax_code
    and g.as_of = r.quarter_end
left join {{ ref('int_enterprise_attributes_at_quarter') }} as a
    on a.tax_code = r.tax_code
    and a.as_of = r.quarter_end
left join {{ ref('dim_enterprise') }} as d
    on d.tax_code = r.tax_code
    and d.valid_from <= r.quarter_end
    and (d.valid_to is null or r.quarter_end <= d.valid_to)
