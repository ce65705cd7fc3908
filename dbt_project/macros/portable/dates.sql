{#- Date arithmetic that differs between DuckDB and PostgreSQL.
    The default implementation is PostgreSQL's; DuckDB overrides where needed. -#}

{% macro add_days(date_expr, days) -%}
    {{ return(adapter.dispatch('add_days', 'union_warehouse')(date_expr, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days) -%}
    cast(({{ date_expr }}) + ({{ days }}) * interval '1 day' as date)
{%- endmacro %}

{% macro duckdb__add_days(date_expr, days) -%}
    cast(date_add(({{ date_expr }}), to_days(cast({{ days }} as integer))) as date)
{%- endmacro %}


{% macro add_months(date_expr, months) -%}
    {{ return(adapter.dispatch('add_months', 'union_warehouse')(date_expr, months)) }}
{%- endmacro %}

{% macro default__add_months(date_expr, months) -%}
    cast(({{ date_expr }}) + ({{ months }}) * interval '1 month' as date)
{%- endmacro %}

{% macro duckdb__add_months(date_expr, months) -%}
    cast(date_add(({{ date_expr }}), to_months(cast({{ months }} as integer))) as date)
{%- endmacro %}


{#- First day of the quarter of a period text like '2022-Q3'. -#}
{% macro period_start(period_expr) -%}
    {{ return(adapter.dispatch('period_start', 'union_warehouse')(period_expr)) }}
{%- endmacro %}

{% macro default__period_start(period_expr) -%}
    make_date(
        cast(substr({{ period_expr }}, 1, 4) as integer),
        3 * cast(substr({{ period_expr }}, 7, 1) as integer) - 2,
        1
    )
{%- endmacro %}

{% macro duckdb__period_start(period_expr) -%}
    make_date(
        cast(substr({{ period_expr }}, 1, 4) as integer),
        3 * cast(substr({{ period_expr }}, 7, 1) as integer) - 2,
        1
    )
{%- endmacro %}


{#- Last day of the quarter of a period text like '2022-Q3'. -#}
{% macro period_end(period_expr) -%}
    {{ union_warehouse.add_days(union_warehouse.add_months(union_warehouse.period_start(period_expr), 3), -1) }}
{%- endmacro %}


{#- The period text ('2022-Q3') of the quarter containing a date. -#}
{% macro date_to_period(date_expr) -%}
    {{ return(adapter.dispatch('date_to_period', 'union_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro default__date_to_period(date_expr) -%}
    (cast(cast(extract(year from {{ date_expr }}) as integer) as varchar)
        || '-Q' || cast(cast(extract(quarter from {{ date_expr }}) as integer) as varchar))
{%- endmacro %}

{% macro duckdb__date_to_period(date_expr) -%}
    (cast(year({{ date_expr }}) as varchar) || '-Q' || cast(quarter({{ date_expr }}) as varchar))
{%- endmacro %}


{#- Period text from a year and quarter number. -#}
{% macro year_quarter_to_period(year_expr, quarter_expr) -%}
    (cast({{ year_expr }} as varchar) || '-Q' || cast({{ quarter_expr }} as varchar))
{%- endmacro %}


{#- Year of a date, as an integer. -#}
{% macro year_of(date_expr) -%}
    {{ return(adapter.dispatch('year_of', 'union_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro default__year_of(date_expr) -%}
    cast(extract(year from {{ date_expr }}) as integer)
{%- endmacro %}

{% macro duckdb__year_of(date_expr) -%}
    cast(year({{ date_expr }}) as integer)
{%- endmacro %}
