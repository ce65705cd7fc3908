{#
    The rows of a raw table that belong to the current version of their inbox path.

    An office that corrects a file re-sends it under the same path; ingest keeps both
    versions' rows in raw (append-only) and records the change in raw.file_versions.
    Every staging model reads its raw table through this macro, so an older version's
    rows never reach the entity rules (where they would meet the correction as an E004
    conflict). A row is dropped only when its path has a current version with other
    bytes: rows of paths with no recorded version (loaded before versions were recorded,
    or hand-made test schemas) stay, and a file that left the inbox keeps its rows.
#}
{% macro current_file_rows(table_name) %}
    (
        select r.*
        from {{ source('raw', table_name) }} as r
        where not exists (
            select 1
            from {{ ref('stg_file_versions') }} as v
            where v.source_file = r.source_file
              and v.is_current
              and v.sha256 <> r.sha256
        )
    )
{% endmacro %}

{#
    The raw rows that a newer version of their path replaced, with `superseded_at` (when
    the path's current version was recorded). Incremental models use it to rebuild what
    the old rows fed: a pair whose only change is that a row left does not appear among
    the newly loaded rows.
#}
{% macro superseded_file_rows(table_name) %}
    (
        select
            r.*,
            v.recorded_at as superseded_at
        from {{ source('raw', table_name) }} as r
        inner join {{ ref('stg_file_versions') }} as v
            on v.source_file = r.source_file
            and v.is_current
            and v.sha256 <> r.sha256
    )
{% endmacro %}
