-- Headline metrics per quarter end and ownership (fdi, domestic_private, state).
{{ headline_long(['ownership']) }}
