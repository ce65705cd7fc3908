-- Party organisations deduplicated by org_code.
--   conflict            the code appears with different founding data (E010, excluded)
--   unknown_enterprise  a tax code in no registry snapshot (E002, excluded)
--   valid               counted
-- Non-founding values come from the most recently loaded row; a dissolution
-- date recorded in any row completes a blank one (the latest date wins).
{% set founding = ['org_type', 'tax_code', 'established_on', 'members_at_founding',
                   'via_core_cell_transfer', 'transferred_members'] %}
with orgs as (
    select
        o.*,
        {{ surrogate_key(founding) }} as founding_hash,
        row_number() over (
            partition by org_code
            order by loaded_at desc, source_file desc, source_row desc
        ) as recency
    from {{ ref('stg_party_orgs') }} as o
),

per_code as (
    select
        org_code,
        count(distinct founding_hash) as founding_variants,
        count(*) as register_rows,
        max(dissolved_on) as dissolved_on
    from orgs
    group by org_code
),

registry_codes as (
    select distinct tax_code from {{ ref('stg_enterprises') }}
)

select
    o.org_code,
    o.org_name,
    o.org_type,
    o.tax_code,
    o.established_on,
    p.dissolved_on,
    o.members_at_founding,
    o.via_core_cell_transfer,
    o.transferred_members,
    o.org_type in ('cell', 'committee') and o.tax_code is not null as is_enterprise_org,
    p.founding_variants,
    p.register_rows,
    case
        when p.founding_variants > 1 then 'conflict'
        when o.tax_code is not null and reg.tax_code is null then 'unknown_enterprise'
        else 'valid'
    end as dq_status,
    o.source_file,
    o.source_row
from orgs as o
inner join per_code as p
    on p.org_code = o.org_code
left join registry_codes as reg
    on reg.tax_code = o.tax_code
where o.recency = 1
