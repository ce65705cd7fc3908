{#- Integer index of a quarter ('2022-Q3' -> 2022 * 4 + 2), so that the previous
    quarter is index - 1. -#}
{% macro period_index(period_expr) -%}
    (cast(substr({{ period_expr }}, 1, 4) as integer) * 4 + cast(substr({{ period_expr }}, 7, 1) as integer) - 1)
{%- endmacro %}


{#- The common columns of every finding part, in order (int_dq_findings adds the
    severity from the rule catalogue and the origin). -#}
{% macro finding_columns() -%}
    {{ return(['rule_id', 'tax_code', 'period', 'source_file', 'source_row',
               'subject', 'observed', 'expected', 'message_vi', 'message_en']) }}
{%- endmacro %}


{#- Subject of a finding about one source row among several of the same entity
    ("<entity>@<file>:<row>"), so every finding keeps its own stable finding_key. -#}
{% macro row_subject(source_file, source_row, entity=none) -%}
    {%- if entity -%}{{ entity }} || '@' || {% endif -%}
    {{ source_file }} || ':' || cast({{ source_row }} as varchar)
{%- endmacro %}
