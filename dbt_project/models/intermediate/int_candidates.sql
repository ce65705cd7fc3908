-- The roster merged by person (candidate_key): a filled value completes a blank
-- one. Two different filled introduced_on or admitted_on values for one person
-- is E009 (dq_status = conflict: the person is excluded). An employer tax code
-- in no registry snapshot is E002 (unknown_enterprise: excluded).
with roster as (
    select
        c.*,
        row_number() over (
            partition by candidate_key
            order by loaded_at desc, source_file desc, source_row desc
        ) as recency
    from {{ ref('stg_candidates') }} as c
),

merged as (
    select
        candidate_key,
        max(birth_year) as birth_year,
        max(gender) as gender,
        min(introduced_on) as introduced_on,
        count(distinct introduced_on) as introduced_variants,
        max(trained_on) as trained_on,
        max(admitted_on) as admitted_on,
        count(distinct admitted_on) as admitted_variants,
        max(admitting_org_code) as admitting_org_code,
        count(*) as roster_rows
    from roster
    group by candidate_key
),

registry_codes as (
    select distinct tax_code from {{ ref('stg_enterprises') }}
)

select
    m.candidate_key,
    m.birth_year,
    m.gender,
    latest.tax_code,
    m.introduced_on,
    m.trained_on,
    m.admitted_on,
    m.admitting_org_code,
    m.introduced_variants,
    m.admitted_variants,
    m.roster_rows,
    case
        when m.introduced_variants > 1 or m.admitted_variants > 1 then 'conflict'
        when reg.tax_code is null then 'unknown_enterprise'
        else 'valid'
    end as dq_status,
    latest.source_file,
    latest.source_row
from merged as m
inner join roster as latest
    on latest.candidate_key = m.candidate_key
    and latest.recency = 1
left join registry_codes as reg
    on reg.tax_code = latest.tax_code
