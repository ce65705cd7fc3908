-- Findings about the Party-organisation register and the candidate roster:
-- E002 (unknown tax code), E009 (conflicting dates of one person),
-- E010 (conflicting founding data of one org code), X004 (unknown admitting org).
with orgs as (
    select * from {{ ref('stg_party_orgs') }}
),

candidates as (
    select * from {{ ref('stg_candidates') }}
),

registry_codes as (
    select distinct tax_code from {{ ref('stg_enterprises') }}
),

org_status as (
    select org_code, dq_status from {{ ref('int_party_orgs') }}
),

person_status as (
    select candidate_key, dq_status from {{ ref('int_candidates') }}
)

select
    'E002' as rule_id,    o.tax_code, cast(null as varchar) as period, o.source_file, o.source_row,
    {{ row_subject('o.source_file', 'o.source_row', 'o.org_code') }} as subject,
    o.tax_code as observed,
    'a tax code in a registry snapshot' as expected,
    'Tổ chức Đảng ' || o.org_code || ' ghi mã số thuế không có trong danh mục.' as message_vi,
    'Party organisation ' || o.org_code || ' names a tax code in no registry snapshot.' as message_en
from orgs as o
left join registry_codes as r on r.tax_code = o.tax_code
where o.tax_code is not null and r.tax_code is null

union all

select
    'E002',
    c.tax_code, cast(null as varchar), c.source_file, c.source_row,
    {{ row_subject('c.source_file', 'c.source_row', 'c.candidate_key') }},
    c.tax_code,
    'a tax code in a registry snapshot',
    'Quần chúng ưu tú làm việc tại mã số thuế không có trong danh mục.',
    'Candidate''s employer tax code is in no registry snapshot.'
from candidates as c
left join registry_codes as r on r.tax_code = c.tax_code
where r.tax_code is null

union all

select
    'E009',
    c.tax_code, cast(null as varchar), c.source_file, c.source_row,
    {{ row_subject('c.source_file', 'c.source_row', 'c.candidate_key') }},
    'introduced ' || {{ to_text('c.introduced_on') }} || ', admitted ' || {{ to_text('c.admitted_on') }},
    'one introduced_on and one admitted_on per person',
    'Một người có hai ngày giới thiệu hoặc ngày kết nạp khác nhau; mọi dòng của người này bị loại.',
    'One person has two different introduced_on or admitted_on dates; all rows quarantined.'
from candidates as c
inner join person_status as p on p.candidate_key = c.candidate_key
where p.dq_status = 'conflict'

union all

select
    'E010',
    o.tax_code, cast(null as varchar), o.source_file, o.source_row,
    {{ row_subject('o.source_file', 'o.source_row', 'o.org_code') }},
    o.org_type || ', established ' || {{ to_text('o.established_on') }}
        || ', members ' || cast(o.members_at_founding as varchar),
    'the same founding data in every row of the code',
    'Mã tổ chức Đảng ' || o.org_code || ' xuất hiện với dữ liệu thành lập khác nhau.',
    'Party organisation code ' || o.org_code || ' appears with different founding data.'
from orgs as o
inner join org_status as s on s.org_code = o.org_code
where s.dq_status = 'conflict'

union all

select
    'X004',
    c.tax_code, cast(null as varchar), c.source_file, c.source_row,
    {{ row_subject('c.source_file', 'c.source_row', 'c.candidate_key') }},
    c.admitting_org_code,
    'an org_code of the Party-organisation register',
    'Mã tổ chức Đảng kết nạp ' || c.admitting_org_code || ' không có trong danh sách tổ chức Đảng.',
    'Admitting organisation ' || c.admitting_org_code || ' is not in the Party-organisation register.'
from candidates as c
left join (select distinct org_code from orgs) as known on known.org_code = c.admitting_org_code
where c.admitting_org_code is not null and known.org_code is null
