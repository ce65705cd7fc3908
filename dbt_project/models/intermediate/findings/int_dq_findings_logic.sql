-- Findings within one enterprise's series of accepted reports:
-- L004 cumulative admitted > cumulative introduced (from the first report),
-- L005 members do not add up from the previous quarter,
-- A001 workers changed by > 50 % and > 200 from the previous quarter,
-- A002 membership rate < 50 % where the union is more than a year old.
with reports as (
    select
        a.*,
        {{ period_index('a.period') }} as period_no,
        sum(a.candidates_admitted) over (
            partition by a.tax_code order by a.period rows between unbounded preceding and current row
        ) as cumulative_admitted,
        sum(a.candidates_introduced) over (
            partition by a.tax_code order by a.period rows between unbounded preceding and current row
        ) as cumulative_introduced
    from {{ ref('int_union_reports_accepted') }} as a
),

paired as (
    select
        cur.*,
        prev.members_total as previous_members,
        prev.workers_total as previous_workers
    from reports as cur
    inner join reports as prev
        on prev.tax_code = cur.tax_code
        and prev.period_no = cur.period_no - 1
)

select
    'L004' as rule_id,
    tax_code, period, source_file, source_row,
    cast(null as varchar) as subject,
    'admitted ' || cast(cumulative_admitted as varchar)
        || ' > introduced ' || cast(cumulative_introduced as varchar) as observed,
    'cumulative admitted <= cumulative introduced' as expected,
    'Số kết nạp cộng dồn lớn hơn số giới thiệu cộng dồn.' as message_vi,
    'Cumulative admitted exceeds cumulative introduced.' as message_en
from reports
where cumulative_admitted > cumulative_introduced

union all

select
    'L005',
    tax_code, period, source_file, source_row,
    cast(null as varchar),
    cast(members_total as varchar),
    cast(previous_members + members_joined - members_left as varchar),
    'Số đoàn viên không khớp: quý trước + kết nạp - giảm.',
    'Members do not add up: previous quarter + joined - left.'
from paired
where members_total <> previous_members + members_joined - members_left

union all

select
    'A001',
    tax_code, period, source_file, source_row,
    cast(null as varchar),
    cast(workers_total as varchar),
    'about ' || cast(previous_workers as varchar) || ' (previous quarter)',
    'Số lao động thay đổi hơn 50% và hơn 200 người so với quý trước.',
    'Workers changed by more than 50 % and more than 200 from the previous quarter.'
from paired
where abs(workers_total - previous_workers) > 200
  and abs(workers_total - previous_workers) > 0.5 * previous_workers

union all

select
    'A002',
    r.tax_code, r.period, r.source_file, r.source_row,
    cast(null as varchar),
    cast(r.members_total as varchar) || ' / ' || cast(r.workers_total as varchar),
    'members_total / workers_total >= 50 %',
    'Tỷ lệ đoàn viên dưới 50% ở doanh nghiệp có CĐCS trên một năm.',
    'Membership rate below 50 % where the union is more than a year old.'
from reports as r
inner join {{ ref('int_registry_at_quarter') }} as g
    on g.tax_code = r.tax_code
    and g.as_of = r.quarter_end
where g.union_founded_on < {{ add_months('r.quarter_end', -12) }}
  and r.workers_total > 0
  and 2 * r.members_total < r.workers_total
