-- One row per candidate (outstanding worker), pseudonymised: keyed by
-- candidate_key (HMAC-SHA256 of the citizen id), with a 5-year birth band and
-- gender only. No name, citizen id or birth date ever reaches this table.
with candidates as (
    select * from {{ ref('int_candidates') }}
    where dq_status = 'valid'
),

orgs as (
    select org_code, org_type from {{ ref('int_party_orgs') }}
    where dq_status = 'valid'
)

select
    c.candidate_key,
    cast(c.birth_year - (c.birth_year % 5) as varchar)
        || '-' || cast(c.birth_year - (c.birth_year % 5) + 4 as varchar) as birth_year_band,
    c.gender,
    c.tax_code,
    c.introduced_on,
    {{ date_to_period('c.introduced_on') }} as introduced_period,
    c.trained_on,
    c.admitted_on,
    case when c.admitted_on is not null then {{ date_to_period('c.admitted_on') }} end as admitted_period,
    c.admitting_org_code,
    c.admitted_on is not null and coalesce(o.org_type = 'core_cell', false) as via_core_cell,
    c.admitting_org_code is not null and o.org_code is null as admitting_org_unknown
from candidates as c
left join orgs as o
    on o.org_code = c.admitting_org_code
