"""The rule catalogue (dbt seed) says what `shared/spec/rules.md` says, rule for rule."""

import re
from pathlib import Path

import pytest

from pipelines.lib.rule_catalogue import LAYERS, rule, rule_catalogue, severity_of

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "rules.md"
SPEC_ROW = re.compile(r"^\| ([FELXAC]\d{3}) \| (error|warning|info) \|", re.MULTILINE)


def spec_severities() -> dict[str, str]:
    if not SPEC.exists():
        pytest.skip("shared/spec is not beside this checkout")
    return dict(SPEC_ROW.findall(SPEC.read_text(encoding="utf-8")))


def test_catalogue_has_every_spec_rule_with_its_severity():
    spec = spec_severities()
    assert len(spec) == 35
    assert {rid: r.severity for rid, r in rule_catalogue().items()} == spec


def test_every_rule_has_both_meanings_and_advice_and_a_known_layer():
    for r in rule_catalogue().values():
        assert r.rule_id[0] == r.family
        assert r.meaning_vi and r.meaning_en and r.action_vi and r.action_en, r.rule_id
        assert r.made_in and set(r.made_in) <= set(LAYERS), r.rule_id
        assert r.meaning_vi != r.meaning_en


def test_only_c001_blocks_publishing():
    assert [r.rule_id for r in rule_catalogue().values() if r.blocks_publish] == ["C001"]


def test_lookups():
    assert severity_of("F007") == "info"
    assert rule("E002").made_in == ("dbt",)
    with pytest.raises(KeyError):
        rule("Z999")
