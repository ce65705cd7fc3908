{#- Severity of a rule, from shared/spec/rules.md (same table as
    pipelines/quality/findings.py SEVERITY_BY_RULE). -#}
{% macro dq_severity(rule_id) -%}
    {%- set severities = {
        'E002': 'error', 'E003': 'warning', 'E004': 'error', 'E005': 'info', 'E006': 'warning', 'E007': 'warning',
        'E009': 'error', 'E010': 'error', 'L004': 'warning', 'L005': 'warning',
        'X001': 'warning', 'X002': 'warning', 'X003': 'warning', 'X004': 'warning',
        'A001': 'warning', 'A002': 'warning',
    } -%}
    '{{ severities[rule_id] }}'
{%- endmacro %}


{#- Integer index of a quarter ('2022-Q3' -> 2022 * 4 + 2), so that the previous
    quarter is index - 1. -#}
{% macro period_index(period_expr) -%}
    (cast(substr({{ period_expr }}, 1, 4) as integer) * 4 + cast(substr({{ period_expr }}, 7, 1) as integer) - 1)
{%- endmacro %}


{#- The common columns of every finding, in order. -#}
{% macro finding_columns() -%}
    {{ return(['rule_id', 'severity', 'tax_code', 'period', 'source_file', 'source_row',
               'subject', 'observed', 'expected', 'message_vi', 'message_en']) }}
{%- endmacro %}


{#- Subject of a finding about one source row among several of the same entity
    ("<entity>@<file>:<row>"), so every finding keeps its own stable finding_key. -#}
{% macro row_subject(source_file, source_row, entity=none) -%}
    {%- if entity -%}{{ entity }} || '@' || {% endif -%}
    {{ source_file }} || ':' || cast({{ source_row }} as varchar)
{%- endmacro %}
