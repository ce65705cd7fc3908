-- Personal data stays in raw (outputs.md §5): no column of the dbt schemas may
-- carry a citizen id, a name, a birth date or a reporter's name or phone.
-- The refs below make the test run after the models that read personal sources.
-- depends_on: {{ ref('stg_candidates') }}
-- depends_on: {{ ref('stg_union_reports') }}
-- depends_on: {{ ref('fct_party_candidate') }}
-- depends_on: {{ ref('fct_union_report') }}
-- depends_on: {{ ref('int_dq_findings') }}
select
    table_schema,
    table_name,
    column_name
from information_schema.columns
where table_schema in ('staging', 'intermediate', 'marts', 'reference')
  and lower(column_name) in ('citizen_id', 'full_name', 'birth_date', 'reporter_name', 'reporter_phone')
