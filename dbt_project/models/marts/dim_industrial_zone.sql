-- Industrial zones of the Haiphong Economic Zone (from the reference seed).
select
    zone_code,
    zone_name,
    aliases
from {{ ref('industrial_zones') }}
