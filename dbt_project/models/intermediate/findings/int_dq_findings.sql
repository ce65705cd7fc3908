-- Every entity, cross-source and anomaly finding made in dbt, in the one shape
-- the pipeline copies into audit.dq_findings (it adds run_id, detected_at and
-- finding_key; subject is the disambiguator of the finding key).
{% set parts = ['int_dq_findings_reports', 'int_dq_findings_coverage', 'int_dq_findings_registers',
                'int_dq_findings_logic', 'int_dq_findings_cross', 'int_dq_findings_names'] %}
{% for part in parts %}
select
    {{ finding_columns() | join(',\n    ') }}
from {{ ref(part) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
