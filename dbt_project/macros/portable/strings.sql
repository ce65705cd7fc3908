{#- String aggregation, hashing and text helpers. -#}

{% macro string_agg_ordered(expr, separator, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'union_warehouse')(expr, separator, order_by)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expr, separator, order_by) -%}
    string_agg(cast({{ expr }} as varchar), '{{ separator }}' order by {{ order_by }})
{%- endmacro %}

{% macro duckdb__string_agg_ordered(expr, separator, order_by) -%}
    string_agg(cast({{ expr }} as varchar), '{{ separator }}' order by {{ order_by }})
{%- endmacro %}


{#- Deterministic surrogate key: md5 of the '|'-joined text of the columns. -#}
{% macro surrogate_key(columns) -%}
    {{ return(adapter.dispatch('surrogate_key', 'union_warehouse')(columns)) }}
{%- endmacro %}

{% macro default__surrogate_key(columns) -%}
    md5(
    {%- for column in columns %}
        coalesce(cast({{ column }} as varchar), '~')
        {%- if not loop.last %} || '|' ||{% endif %}
    {%- endfor %}
    )
{%- endmacro %}


{#- Text of a value for the observed / expected columns of findings. -#}
{% macro to_text(expr) -%}
    coalesce(cast({{ expr }} as varchar), '')
{%- endmacro %}
