-- Findings about union report rows: E002 (unknown tax code), E004 (conflicting
-- rows of one revision and submission date), E005 (superseded revision).
with history as (
    select * from {{ ref('int_union_reports_history') }}
),

accepted as (
    select tax_code, period, revision, submitted_on
    from history
    where report_status = 'accepted'
)

select
    'E002' as rule_id,
    h.tax_code,
    h.period,
    h.source_file,
    h.source_row,
    {{ row_subject('h.source_file', 'h.source_row') }} as subject,
    h.tax_code as observed,
    'a tax code in a registry snapshot' as expected,
    'Báo cáo có mã số thuế ' || h.tax_code || ' không có trong danh mục doanh nghiệp.' as message_vi,
    'Report names tax code ' || h.tax_code || ', which is in no registry snapshot.' as message_en
from history as h
where h.report_status = 'unknown_enterprise'

union all

select
    'E004' as rule_id,
    h.tax_code,
    h.period,
    h.source_file,
    h.source_row,
    {{ row_subject('h.source_file', 'h.source_row') }} as subject,
    'revision ' || cast(h.revision as varchar) || ', submitted ' || {{ to_text('h.submitted_on') }}
        || ': workers ' || cast(h.workers_total as varchar)
        || ', members ' || cast(h.members_total as varchar) as observed,
    'one set of figures per revision and submission date' as expected,
    'Hai dòng báo cáo cùng lần nộp ' || cast(h.revision as varchar)
        || ' và cùng ngày nộp nhưng số liệu khác nhau; tất cả bị loại.' as message_vi,
    'Two report rows with the same revision ' || cast(h.revision as varchar)
        || ' and submission date differ; all are quarantined.' as message_en
from history as h
where h.report_status = 'conflict'

union all

select
    'E005' as rule_id,
    h.tax_code,
    h.period,
    h.source_file,
    h.source_row,
    {{ row_subject('h.source_file', 'h.source_row') }} as subject,
    'revision ' || cast(h.revision as varchar) || ', submitted ' || {{ to_text('h.submitted_on') }} as observed,
    'revision ' || cast(a.revision as varchar) || ', submitted ' || {{ to_text('a.submitted_on') }} as expected,
    'Báo cáo lần ' || cast(h.revision as varchar) || ' đã được thay bằng lần nộp sau.' as message_vi,
    'Report revision ' || cast(h.revision as varchar) || ' was superseded by a later one.' as message_en
from history as h
inner join accepted as a
    on a.tax_code = h.tax_code
    and a.period = h.period
where h.report_status = 'superseded'
