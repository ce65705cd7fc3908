-- E006: an enterprise with a union at the quarter's end sent no report for it
-- (quarters of the spine: first to latest quarter with a report).
-- E007: an accepted report for a quarter that ends before the enterprise's
-- union was founded, or of an enterprise with no union.
with registry as (
    select * from {{ ref('int_registry_at_quarter') }}
),

received as (
    select distinct tax_code, period from {{ ref('int_union_reports_history') }}
),

spine as (
    select * from {{ ref('int_quarter_spine') }}
)

select
    'E006' as rule_id,
    g.tax_code,
    s.period,
    cast(null as varchar) as source_file,
    cast(null as integer) as source_row,
    cast(null as varchar) as subject,
    'no report' as observed,
    'a report for ' || s.period as expected,
    'Doanh nghiệp có CĐCS nhưng không gửi báo cáo quý ' || s.period || '.' as message_vi,
    'Enterprise with a union sent no report for ' || s.period || '.' as message_en
from registry as g
inner join spine as s
    on s.as_of = g.as_of
left join received as r
    on r.tax_code = g.tax_code
    and r.period = s.period
where g.union_enterprises = 1
  and r.tax_code is null

union all

select
    'E007' as rule_id,
    a.tax_code,
    a.period,
    a.source_file,
    a.source_row,
    cast(null as varchar) as subject,
    'union founded on ' || coalesce(cast(g.union_founded_on as varchar), 'never') as observed,
    'union founded on or before ' || cast(a.quarter_end as varchar) as expected,
    'Báo cáo quý ' || a.period || ' nhưng CĐCS chưa được thành lập vào cuối quý.' as message_vi,
    'Report for ' || a.period || ' but the union was not founded by the quarter''s end.' as message_en
from {{ ref('int_union_reports_accepted') }} as a
inner join registry as g
    on g.tax_code = a.tax_code
    and g.as_of = a.quarter_end
where g.union_founded_on is null
   or g.union_founded_on > a.quarter_end
