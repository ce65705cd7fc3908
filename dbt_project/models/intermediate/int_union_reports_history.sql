-- Every union report row with its fate:
--   duplicate           identical copy of another row (kept once, no finding)
--   unknown_enterprise  tax code in no registry snapshot (E002, excluded)
--   conflict            same enterprise, period, revision and submitted_on with
--                       different figures (E004, all such rows excluded)
--   superseded          an earlier revision or submission (E005, kept as history)
--   accepted            the latest remaining revision: the one that counts
{% set figures = ['workers_total', 'workers_female', 'members_total', 'members_female',
                  'members_joined', 'members_left', 'party_members', 'candidates_introduced',
                  'candidates_admitted', 'admitted_via_core_cell'] %}
with reports as (
    select
        {{ surrogate_key(['sha256', 'source_row']) }} as report_id,
        r.*,
        row_number() over (
            partition by tax_code, period, revision, submitted_on, {{ figures | join(', ') }}
            order by loaded_at, source_file, source_row
        ) as copy_no
    from {{ ref('stg_union_reports') }} as r
),

registry_codes as (
    select distinct tax_code from {{ ref('stg_enterprises') }}
),

distinct_reports as (
    select
        rep.report_id,
        rep.tax_code,
        rep.period,
        rep.revision,
        rep.submitted_on,
        reg.tax_code is null as is_unknown_enterprise,
        count(*) over (
            partition by rep.tax_code, rep.period, rep.revision, rep.submitted_on
        ) as variants
    from reports as rep
    left join registry_codes as reg
        on reg.tax_code = rep.tax_code
    where rep.copy_no = 1
),

ranked as (
    select
        report_id,
        row_number() over (
            partition by tax_code, period
            order by revision desc, submitted_on desc nulls last
        ) as revision_rank
    from distinct_reports
    where not is_unknown_enterprise
      and variants = 1
)

select
    rep.report_id,
    rep.period,
    rep.quarter_start,
    rep.quarter_end,
    rep.tax_code,
    rep.enterprise_name,
    {% for figure in figures %}rep.{{ figure }},
    {% endfor -%}
    rep.submitted_on,
    rep.revision,
    case
        when rep.copy_no > 1 then 'duplicate'
        when d.is_unknown_enterprise then 'unknown_enterprise'
        when d.variants > 1 then 'conflict'
        when rk.revision_rank = 1 then 'accepted'
        else 'superseded'
    end as report_status,
    rep.source_file,
    rep.source_row,
    rep.sha256,
    rep.run_id,
    rep.loaded_at
from reports as rep
left join distinct_reports as d
    on d.report_id = rep.report_id
left join ranked as rk
    on rk.report_id = rep.report_id
