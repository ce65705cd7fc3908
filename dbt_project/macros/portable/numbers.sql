{#- Numeric helpers that must behave the same on DuckDB and PostgreSQL. -#}

{#- A DOUBLE PRECISION value; both adapters accept this spelling. -#}
{% macro as_double(expr) -%}
    cast({{ expr }} as double precision)
{%- endmacro %}


{#- 100 * a / b at full precision, NULL when b = 0. -#}
{% macro pct(numerator, denominator) -%}
    (100.0 * {{ union_warehouse.as_double(numerator) }}
        / nullif({{ union_warehouse.as_double(denominator) }}, 0))
{%- endmacro %}


{#- Round a double to n decimals (PostgreSQL's round needs numeric). -#}
{% macro round_to(expr, decimals) -%}
    {{ return(adapter.dispatch('round_to', 'union_warehouse')(expr, decimals)) }}
{%- endmacro %}

{% macro default__round_to(expr, decimals) -%}
    cast(round(cast({{ expr }} as numeric), {{ decimals }}) as double precision)
{%- endmacro %}

{% macro duckdb__round_to(expr, decimals) -%}
    round({{ expr }}, {{ decimals }})
{%- endmacro %}


{#- A number as text with exactly n decimals (156915, 95.2), as a published figure is written. -#}
{% macro fixed_decimals(expr, decimals) -%}
    {{ return(adapter.dispatch('fixed_decimals', 'union_warehouse')(expr, decimals)) }}
{%- endmacro %}

{% macro default__fixed_decimals(expr, decimals) -%}
    cast(round(cast({{ expr }} as numeric), {{ decimals }}) as varchar)
{%- endmacro %}

{% macro duckdb__fixed_decimals(expr, decimals) -%}
    printf('%.' || cast({{ decimals }} as varchar) || 'f', {{ expr }})
{%- endmacro %}
