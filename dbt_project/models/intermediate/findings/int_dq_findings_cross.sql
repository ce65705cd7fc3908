-- Findings across sources, for accepted reports:
-- X001 roster count of introduced candidates <> the report (quarters the roster covers),
-- X002 likewise for admitted and admitted via a core cell,
-- X003 an active enterprise Party organisation but party_members = 0.
with roster as (
    select * from {{ ref('fct_party_candidate') }}
),

-- quarters the roster covers: some roster row (any person, any enterprise)
-- was introduced or admitted in it
covered as (
    select {{ date_to_period('introduced_on') }} as period
    from {{ ref('stg_candidates') }}
    union
    select {{ date_to_period('admitted_on') }}
    from {{ ref('stg_candidates') }}
    where admitted_on is not null
),

roster_counts as (
    select
        r.tax_code,
        p.period,
        sum(case when r.introduced_period = p.period then 1 else 0 end) as introduced,
        sum(case when r.admitted_period = p.period then 1 else 0 end) as admitted,
        sum(case when r.admitted_period = p.period and r.via_core_cell then 1 else 0 end) as via_core_cell
    from roster as r
    inner join covered as p
        on p.period in (r.introduced_period, r.admitted_period)
    group by r.tax_code, p.period
),

compared as (
    select
        a.*,
        coalesce(c.introduced, 0) as roster_introduced,
        coalesce(c.admitted, 0) as roster_admitted,
        coalesce(c.via_core_cell, 0) as roster_via_core_cell
    from {{ ref('int_union_reports_accepted') }} as a
    inner join covered as p
        on p.period = a.period
    left join roster_counts as c
        on c.tax_code = a.tax_code
        and c.period = a.period
)

select
    'X001' as rule_id,
    tax_code, period, source_file, source_row,
    'candidates_introduced' as subject,
    cast(candidates_introduced as varchar) as observed,
    cast(roster_introduced as varchar) as expected,
    'Số giới thiệu trong báo cáo khác số trong danh sách quần chúng ưu tú.' as message_vi,
    'Candidates introduced in the report differ from the roster.' as message_en
from compared
where candidates_introduced <> roster_introduced

union all

select
    'X002',
    tax_code, period, source_file, source_row,
    'candidates_admitted',
    cast(candidates_admitted as varchar),
    cast(roster_admitted as varchar),
    'Số kết nạp trong báo cáo khác số trong danh sách quần chúng ưu tú.',
    'Candidates admitted in the report differ from the roster.'
from compared
where candidates_admitted <> roster_admitted

union all

select
    'X002',
    tax_code, period, source_file, source_row,
    'admitted_via_core_cell',
    cast(admitted_via_core_cell as varchar),
    cast(roster_via_core_cell as varchar),
    'Số kết nạp tại chi bộ nòng cốt trong báo cáo khác số trong danh sách.',
    'Admitted via a core cell in the report differs from the roster.'
from compared
where admitted_via_core_cell <> roster_via_core_cell

union all

select
    'X003',
    a.tax_code, a.period, a.source_file, a.source_row,
    cast(null as varchar),
    '0',
    'party_members > 0 (' || cast(h.enterprise_party_orgs as varchar) || ' active Party organisation(s))',
    'Doanh nghiệp có tổ chức Đảng đang hoạt động nhưng báo cáo 0 đảng viên.',
    'The enterprise has an active Party organisation but reports 0 Party members.'
from {{ ref('int_union_reports_accepted') }} as a
inner join {{ ref('int_headline_enterprise_quarter') }} as h
    on h.tax_code = a.tax_code
    and h.as_of = a.quarter_end
where h.enterprise_party_orgs > 0
  and a.party_members = 0
