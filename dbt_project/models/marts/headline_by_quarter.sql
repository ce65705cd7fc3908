-- headline_figures pivoted wide: one row per quarter end, one column per metric,
-- for BI tools that draw trends without a pivot of their own.
{% set metrics = additive_headline_metrics() + (ratio_headline_metrics().keys() | list) %}
select
    p.period,
    p.label,
    f.as_of,
    f.window_start,
    {% for m in metrics %}max(case when f.metric = '{{ m }}' then f.value end) as {{ m }}{% if not loop.last %},
    {% endif %}{% endfor %}
from {{ ref('headline_figures') }} as f
inner join {{ ref('dim_period') }} as p
    on p.quarter_end = f.as_of
group by p.period, p.label, f.as_of, f.window_start
