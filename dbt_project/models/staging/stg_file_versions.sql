-- Every recorded version of an inbox path, with the version that replaced it.
-- A path's current version is its latest; the raw rows of its older versions are
-- superseded (macro current_file_rows keeps them out of staging). Window functions
-- in a plain subquery, not QUALIFY, so the model runs on PostgreSQL as well.
with ordered as (
    select
        source_file,
        sha256,
        kind,
        status,
        run_id,
        recorded_at,
        lead(recorded_at) over (
            partition by source_file order by recorded_at, sha256
        ) as superseded_at,
        lead(sha256) over (
            partition by source_file order by recorded_at, sha256
        ) as superseded_by_sha256
    from {{ source('raw', 'file_versions') }}
)

select
    source_file,
    sha256,
    kind,
    status,
    run_id,
    recorded_at,
    superseded_at,
    superseded_by_sha256,
    superseded_at is null as is_current
from ordered
