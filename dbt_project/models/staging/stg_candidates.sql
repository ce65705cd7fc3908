-- Candidate roster, pseudonymised: citizen_id, full_name and birth_date are
-- personal data and are deliberately not selected. The person is identified
-- by candidate_key (HMAC-SHA256 of the citizen id, computed at ingest).
select
    candidate_key,
    birth_year,
    gender,
    trim(tax_code) as tax_code,
    introduced_on,
    trained_on,
    admitted_on,
    nullif(trim(admitting_org_code), '') as admitting_org_code,
    source_file,
    source_row,
    sha256,
    run_id,
    loaded_at
from {{ current_file_rows('candidates') }} as r
