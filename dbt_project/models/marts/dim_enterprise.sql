-- Type-2 history of the registry: consecutive snapshots with the same
-- attributes form one version. valid_to is the last day a version is in force
-- (null while it is in the latest snapshot); an enterprise missing from a
-- later snapshot ends its version the day before that snapshot.
{% set attributes = ['enterprise_name', 'zone_code', 'ownership', 'investor_country', 'established_on',
                     'operating_status', 'union_eligible', 'union_founded_on'] %}
with snapshots as (
    select
        s.*,
        {{ surrogate_key(attributes) }} as attribute_hash
    from {{ ref('int_enterprise_snapshots') }} as s
),

marked as (
    select
        snapshots.*,
        case
            when lag(attribute_hash) over by_enterprise = attribute_hash
             and lag(snapshot_seq) over by_enterprise = snapshot_seq - 1 then 0
            else 1
        end as starts_version
    from snapshots
    window by_enterprise as (partition by tax_code order by snapshot_seq)
),

versioned as (
    select
        marked.*,
        sum(starts_version) over (
            partition by tax_code order by snapshot_seq rows between unbounded preceding and current row
        ) as version_no
    from marked
),

versions as (
    select
        tax_code,
        version_no,
        min(snapshot_as_of) as valid_from,
        max(snapshot_seq) as last_seq
    from versioned
    group by tax_code, version_no
),

latest_snapshot as (
    select max(snapshot_seq) as snapshot_seq from snapshots
)

select
    {{ surrogate_key(['v.tax_code', 'v.valid_from']) }} as enterprise_key,
    v.tax_code,
    cast(v.version_no as integer) as version_no,
    last_row.enterprise_name,
    last_row.zone_code,
    last_row.ownership,
    last_row.investor_country,
    last_row.established_on,
    last_row.operating_status,
    last_row.union_eligible,
    last_row.union_founded_on,
    last_row.union_founded_on is not null as has_union,
    last_row.updated_on,
    v.valid_from,
    last_row.in_force_to as valid_to,
    v.last_seq = l.snapshot_seq as is_current,
    last_row.snapshot_as_of as last_snapshot_as_of
from versions as v
inner join versioned as last_row
    on last_row.tax_code = v.tax_code
    and last_row.snapshot_seq = v.last_seq
cross join latest_snapshot as l
