-- One row per enterprise per registry snapshot, with the dates the snapshot
-- is in force: from its snapshot_as_of until the day before the next snapshot
-- (open-ended for the latest). The registry in force at a date D is the set of
-- rows with in_force_from <= D <= coalesce(in_force_to, D).
with snapshot_dates as (
    select
        snapshot_as_of,
        row_number() over (order by snapshot_as_of) as snapshot_seq,
        lead(snapshot_as_of) over (order by snapshot_as_of) as next_snapshot_as_of
    from (select distinct snapshot_as_of from {{ ref('stg_enterprises') }}) as dates
),

ranked as (
    -- two files with the same snapshot date may list an enterprise twice:
    -- the most recently updated, then most recently loaded row wins
    select
        e.*,
        row_number() over (
            partition by e.tax_code, e.snapshot_as_of
            order by e.updated_on desc nulls last, e.loaded_at desc, e.source_file desc, e.source_row desc
        ) as row_rank
    from {{ ref('stg_enterprises') }} as e
)

select
    r.tax_code,
    r.snapshot_as_of,
    d.snapshot_seq,
    r.snapshot_as_of as in_force_from,
    case
        when d.next_snapshot_as_of is not null
            then {{ add_days('d.next_snapshot_as_of', -1) }}
    end as in_force_to,
    r.enterprise_name,
    r.zone_code,
    r.ownership,
    r.investor_country,
    r.established_on,
    r.operating_status,
    r.union_eligible,
    r.union_founded_on,
    r.updated_on,
    r.source_file,
    r.source_row
from ranked as r
inner join snapshot_dates as d
    on d.snapshot_as_of = r.snapshot_as_of
where r.row_rank = 1
