-- Every metric of metrics.md for the end of every quarter of the spine, long:
-- (as_of, window_start, metric, value). Percentages at full precision, null
-- when the denominator is 0.
{{ headline_long() }}
