-- Every finding made in dbt (entity, cross-source, anomaly and control-total rules), in
-- the one shape the findings step reads into the lifecycle. Severity is not written in
-- any part: it comes from the rule catalogue (seed rule_catalogue), the same table the
-- Python layers read, and the findings step keeps it as given. `origin` tells the
-- lifecycle which layer made the finding.
{% set parts = [
    ('int_dq_findings_reports', 'dbt'), ('int_dq_findings_coverage', 'dbt'),
    ('int_dq_findings_registers', 'dbt'), ('int_dq_findings_logic', 'dbt'),
    ('int_dq_findings_cross', 'dbt'), ('int_dq_findings_names', 'dbt'),
    ('int_dq_findings_control_totals', 'control_totals'),
] %}
with made as (
{% for part, origin in parts %}
    select
        {{ finding_columns() | join(',\n        ') }},
        '{{ origin }}' as origin
    from {{ ref(part) }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select
    m.rule_id,
    c.severity,
    m.tax_code,
    m.period,
    m.source_file,
    m.source_row,
    m.subject,
    m.observed,
    m.expected,
    m.message_vi,
    m.message_en,
    m.origin
from made as m
left join {{ ref('rule_catalogue') }} as c
    on c.rule_id = m.rule_id
