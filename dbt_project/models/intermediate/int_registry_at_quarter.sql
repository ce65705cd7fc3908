-- The registry in force at the end of every quarter of the spine (the latest
-- snapshot taken on or before as_of), with the enterprise-level flags that the
-- headline counts add up. Dissolved enterprises are in force but count nowhere.
with spine as (
    select as_of from {{ ref('int_quarter_spine') }}
),

in_force as (
    select
        s.as_of,
        e.*
    from spine as s
    inner join {{ ref('int_enterprise_snapshots') }} as e
        on e.in_force_from <= s.as_of
        and (e.in_force_to is null or s.as_of <= e.in_force_to)
)

select
    as_of,
    tax_code,
    snapshot_as_of,
    zone_code,
    ownership,
    investor_country,
    operating_status,
    union_eligible,
    union_founded_on,
    case when operating_status <> 'dissolved' then 1 else 0 end as registered_enterprises,
    case when operating_status = 'stable' then 1 else 0 end as stable_enterprises,
    case
        when operating_status <> 'dissolved' and union_eligible then 1 else 0
    end as union_eligible_enterprises,
    case
        when operating_status <> 'dissolved' and union_founded_on <= as_of then 1 else 0
    end as union_enterprises
from in_force
