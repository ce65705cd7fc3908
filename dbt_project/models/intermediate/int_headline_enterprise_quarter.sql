-- Every headline count and sum of metrics.md at enterprise grain, for every
-- quarter end (as_of) of the spine. headline_figures and the breakdowns add
-- these columns up; percentages are derived there.
with base as (
    select * from {{ ref('int_enterprise_attributes_at_quarter') }}
),

registry as (
    select * from {{ ref('int_registry_at_quarter') }}
),

reports as (
    select * from {{ ref('int_union_reports_accepted') }}
),

enterprise_orgs as (
    select *
    from {{ ref('int_party_orgs') }}
    where dq_status = 'valid'
      and is_enterprise_org
),

-- workers and members: accepted reports of the as-of quarter, only for
-- enterprises counted in union_enterprises at as_of
quarter_figures as (
    select
        g.as_of,
        r.tax_code,
        sum(r.workers_total) as workers,
        sum(r.members_total) as members
    from reports as r
    inner join registry as g
        on g.tax_code = r.tax_code
        and g.as_of = r.quarter_end
        and g.union_enterprises = 1
    group by g.as_of, r.tax_code
),

-- cumulative: accepted reports of the quarters in [window_start, as_of]
window_figures as (
    select
        b.as_of,
        r.tax_code,
        sum(r.candidates_introduced) as candidates_introduced,
        sum(r.candidates_admitted) as candidates_admitted,
        sum(r.admitted_via_core_cell) as admitted_via_core_cell
    from reports as r
    inner join {{ ref('int_quarter_spine') }} as b
        on r.quarter_start >= b.window_start
        and r.quarter_end <= b.as_of
    group by b.as_of, r.tax_code
),

active_orgs as (
    select
        b.as_of,
        o.tax_code,
        count(*) as enterprise_party_orgs
    from enterprise_orgs as o
    inner join {{ ref('int_quarter_spine') }} as b
        on o.established_on <= b.as_of
        and (o.dissolved_on is null or o.dissolved_on > b.as_of)
    group by b.as_of, o.tax_code
),

established_orgs as (
    select
        b.as_of,
        o.tax_code,
        count(*) as party_orgs_established,
        sum(case when o.via_core_cell_transfer then 1 else 0 end)
            as party_orgs_established_via_transfer,
        sum(case when o.via_core_cell_transfer then o.transferred_members else 0 end)
            as party_members_transferred
    from enterprise_orgs as o
    inner join {{ ref('int_quarter_spine') }} as b
        on o.established_on >= b.window_start
        and o.established_on <= b.as_of
    group by b.as_of, o.tax_code
)

select
    base.as_of,
    base.window_start,
    base.tax_code,
    base.zone_code,
    base.ownership,
    base.investor_country,
    coalesce(g.registered_enterprises, 0) as registered_enterprises,
    coalesce(g.stable_enterprises, 0) as stable_enterprises,
    coalesce(g.union_eligible_enterprises, 0) as union_eligible_enterprises,
    coalesce(g.union_enterprises, 0) as union_enterprises,
    coalesce(q.workers, 0) as workers,
    coalesce(q.members, 0) as members,
    coalesce(a.enterprise_party_orgs, 0) as enterprise_party_orgs,
    coalesce(w.candidates_introduced, 0) as candidates_introduced,
    coalesce(w.candidates_admitted, 0) as candidates_admitted,
    coalesce(w.admitted_via_core_cell, 0) as admitted_via_core_cell,
    coalesce(e.party_orgs_established, 0) as party_orgs_established,
    coalesce(e.party_orgs_established_via_transfer, 0) as party_orgs_established_via_transfer,
    coalesce(e.party_members_transferred, 0) as party_members_transferred
from base
left join registry as g
    on g.as_of = base.as_of and g.tax_code = base.tax_code
left join quarter_figures as q
    on q.as_of = base.as_of and q.tax_code = base.tax_code
left join window_figures as w
    on w.as_of = base.as_of and w.tax_code = base.tax_code
left join active_orgs as a
    on a.as_of = base.as_of and a.tax_code = base.tax_code
left join established_orgs as e
    on e.as_of = base.as_of and e.tax_code = base.tax_code
