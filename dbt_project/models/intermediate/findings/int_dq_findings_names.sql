-- E003: the enterprise name in a report differs from the registry name after
-- normalisation (NFC, case, spaces, and the words "Công ty", "TNHH", "Co., Ltd").
-- The registry name is the one in force at the quarter's end; a report of an
-- enterprise not in force then is compared with its nearest snapshot instead, so
-- a renamed enterprise is judged by the name it had when it reported.
-- Severity warning: the report is kept and counted.
{% set nfc = 'nfc_normalize(NAME)' if target.type == 'duckdb' else 'normalize(NAME, NFC)' -%}
{%- set normalised = "trim(regexp_replace(regexp_replace(lower(" ~ nfc ~ "), "
    ~ "'(công ty|tnhh|co\\.?\\s*,?\\s*ltd\\.?)', ' ', 'g'), '\\s+', ' ', 'g'))" -%}

{#- Each report beside its enterprise's snapshots, ranked by how near each snapshot starts to
    the quarter's end; the two CTEs below add the join condition or filter that sets them apart. #}
{%- set reports_ranked_by_snapshot_nearness -%}
select
        r.*,
        s.enterprise_name as registry_name,
        row_number() over (
            partition by r.source_file, r.source_row order by abs(s.in_force_from - r.quarter_end)
        ) as nearness
    from reports as r
    inner join {{ ref('int_enterprise_snapshots') }} as s
        on s.tax_code = r.tax_code
{%- endset %}

with reports as (
    select tax_code, period, quarter_end, enterprise_name, source_file, source_row
    from {{ ref('int_union_reports_history') }}
    where report_status in ('accepted', 'superseded')
      and enterprise_name is not null
      and trim(enterprise_name) <> ''
),

in_force as (
    -- The snapshot in force at the quarter's end (overlapping snapshots: the one that
    -- started nearest). A range join: one snapshot per report, not every snapshot of the
    -- enterprise (18 at the sample's size; the full product made this model the slowest).
    {{ reports_ranked_by_snapshot_nearness }}
        and s.in_force_from <= r.quarter_end
        and (s.in_force_to is null or r.quarter_end <= s.in_force_to)
),

out_of_force as (
    -- Reports of an enterprise not in force then (before its first snapshot, after it was
    -- dissolved): the snapshot whose start is nearest the quarter's end.
    {{ reports_ranked_by_snapshot_nearness }}
    where not exists (
        select 1 from in_force as f where f.source_file = r.source_file and f.source_row = r.source_row
    )
),

candidates as (
    select * from in_force
    union all
    select * from out_of_force
)

select
    'E003' as rule_id,
    tax_code,
    period,
    source_file,
    source_row,
    cast(null as varchar) as subject,
    enterprise_name as observed,
    registry_name as expected,
    'Tên doanh nghiệp trong báo cáo khác tên trong danh mục doanh nghiệp.' as message_vi,
    'The enterprise name in the report differs from the registry name.' as message_en
from candidates
where nearness = 1
  -- Equal names need no normalising; most reports carry the registry's name exactly, and the
  -- two regular expressions per name were most of this model's time (2.7 → 0.5 s at scale 40).
  and enterprise_name is distinct from registry_name
  and {{ normalised | replace('NAME', 'enterprise_name') }}
    <> {{ normalised | replace('NAME', 'registry_name') }}
