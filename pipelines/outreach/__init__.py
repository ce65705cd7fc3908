"""Outreach: what the data office sends to the enterprises and what it sends back.

Before a quarter closes, `templates` writes one locked, validated form per enterprise whose
union is active, so most mistakes cannot be typed in; after a run, `feedback` writes one
packet per enterprise listing exactly the findings it has to correct. Both read only the
warehouse's published shapes (`marts`, `audit.dq_findings_current`), never `raw`.
"""
