-- Headline metrics per quarter end and industrial zone (zone_code null: an
-- enterprise without a known zone). Counts and sums add up to headline_figures.
{{ headline_long(['zone_code']) }}
