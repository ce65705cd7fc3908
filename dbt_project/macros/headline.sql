{#- The metric names of metrics.md, in the order of the table there. -#}
{% macro additive_headline_metrics() -%}
    {{ return(['registered_enterprises', 'stable_enterprises', 'union_eligible_enterprises',
               'union_enterprises', 'workers', 'members', 'enterprise_party_orgs',
               'candidates_introduced', 'candidates_admitted', 'admitted_via_core_cell',
               'party_orgs_established', 'party_orgs_established_via_transfer',
               'party_members_transferred']) }}
{%- endmacro %}

{#- Percentages: name -> (numerator, denominator). -#}
{% macro ratio_headline_metrics() -%}
    {{ return({
        'union_coverage_pct': ['union_enterprises', 'union_eligible_enterprises'],
        'party_org_coverage_pct': ['enterprise_party_orgs', 'stable_enterprises'],
        'admission_rate_pct': ['candidates_admitted', 'candidates_introduced'],
    }) }}
{%- endmacro %}


{#- Adds up int_headline_enterprise_quarter per as_of (and per the given
    dimension columns), derives the percentages, and returns the long shape
    (as_of, window_start, <dimensions>, metric, value). -#}
{% macro headline_long(dimensions=[]) -%}
{%- set additive = union_warehouse.additive_headline_metrics() -%}
{%- set ratios = union_warehouse.ratio_headline_metrics() -%}
{%- set dims = dimensions | join(', ') -%}
with totals as (
    select
        as_of,
        window_start,
        {% for d in dimensions %}{{ d }},
        {% endfor -%}
        {% for m in additive %}sum({{ m }}) as {{ m }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from {{ ref('int_headline_enterprise_quarter') }}
    group by as_of, window_start{% if dims %}, {{ dims }}{% endif %}
)

{% for m in additive %}
select
    as_of,
    window_start,
    {% for d in dimensions %}{{ d }},
    {% endfor -%}
    '{{ m }}' as metric,
    {{ union_warehouse.as_double(m) }} as value
from totals
union all
{% endfor %}
{%- for name, parts in ratios.items() %}
select
    as_of,
    window_start,
    {% for d in dimensions %}{{ d }},
    {% endfor -%}
    '{{ name }}' as metric,
    {{ union_warehouse.pct(parts[0], parts[1]) }} as value
from totals
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}


{#- Roman numeral of a quarter number 1-4. -#}
{% macro quarter_roman(quarter_expr) -%}
    case {{ quarter_expr }} when 1 then 'I' when 2 then 'II' when 3 then 'III' when 4 then 'IV' end
{%- endmacro %}
