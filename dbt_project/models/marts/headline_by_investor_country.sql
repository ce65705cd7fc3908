-- Headline metrics per quarter end and investor country (null: none recorded).
{{ headline_long(['investor_country']) }}
