{#- A breakdown reconciles with its total: for every (as_of, metric) of the
    model, the sum over the groups equals the value in the compare model.
    Only for additive metrics (counts and sums). -#}
{% test sums_match(model, compare_model, metrics, tolerance=0.000001) %}
with breakdown as (
    select as_of, metric, sum(value) as value
    from {{ model }}
    where metric in ('{{ metrics | join("', '") }}')
    group by as_of, metric
),

total as (
    select as_of, metric, value
    from {{ compare_model }}
    where metric in ('{{ metrics | join("', '") }}')
)

select
    total.as_of,
    total.metric,
    total.value as total_value,
    breakdown.value as breakdown_value
from total
left join breakdown
    on breakdown.as_of = total.as_of
    and breakdown.metric = total.metric
where abs(coalesce(breakdown.value, 0) - coalesce(total.value, 0)) > {{ tolerance }}
{% endtest %}
