"""The model behind the sample inbox: figures, identifiers and internal consistency."""

from __future__ import annotations

from collections import Counter

import pytest

from pipelines.sample import ids, model
from pipelines.sample.periods import quarter_of

SEED_FIGURES = {"union_enterprises": 275, "union_eligible_enterprises": 289, "stable_enterprises": 331,
                "workers": 156915, "members": 148630, "enterprise_party_orgs": 51,
                "candidates_introduced": 976, "candidates_admitted": 257, "admitted_via_core_cell": 116,
                "party_orgs_established": 32, "party_orgs_established_via_transfer": 16,
                "party_members_transferred": 86}


@pytest.fixture(scope="module", params=[20220910, 7])
def world(request):
    return model.build_world(request.param)


def test_figures_match_seed(world):
    fig = model.compute_figures(world)
    for metric, value in SEED_FIGURES.items():
        assert fig[metric] == value, metric
    assert round(fig["union_coverage_pct"], 1) == 95.2
    assert round(fig["party_org_coverage_pct"], 1) == 15.4
    assert round(fig["admission_rate_pct"], 1) == 26.3
    assert 355 <= fig["registered_enterprises"] <= 365


def test_tax_codes_valid_and_unique(world):
    codes = [e.tax_code for e in world.enterprises]
    assert len(set(codes)) == len(codes)
    assert all(ids.is_valid_tax_code(c) and c.startswith("02") for c in codes)
    assert not ids.is_valid_tax_code(codes[0][:9] + str((int(codes[0][9]) + 1) % 10))


def test_citizen_ids_agree(world):
    cids = [p.citizen_id for p in world.candidates]
    assert len(set(cids)) == len(cids) == 976
    for p in world.candidates:
        assert ids.citizen_id_agrees(p.citizen_id, p.birth_date, p.female)
        age = (p.introduced_on - p.birth_date).days / 365.25
        assert 20 <= age <= 40


def test_roster_counts_equal_report_counts(world):
    reports = {(r.tax_code, r.q): r for r in world.reports}
    intro = Counter((p.tax_code, quarter_of(p.introduced_on)) for p in world.candidates)
    adm = Counter((p.tax_code, quarter_of(p.admitted_on)) for p in world.candidates if p.admitted_on)
    via = Counter((p.tax_code, quarter_of(p.admitted_on)) for p in world.candidates if p.via_core)
    assert set(intro) <= set(reports)
    for key, rep in reports.items():
        assert (rep.introduced, rep.admitted, rep.via_core) == (intro[key], adm[key], via[key])
    orgs = {o.code: o for o in world.orgs}
    for p in world.candidates:
        if p.admitted_on:
            org = orgs[p.admitting_org]
            assert org.active_at(p.admitted_on)
            assert (org.org_type == "core_cell") == p.via_core
            assert p.trained_on and p.introduced_on < p.trained_on < p.admitted_on


def test_membership_flows_and_ranges(world):
    by_ent = {}
    for r in sorted(world.reports, key=lambda r: r.q):
        prev = by_ent.get(r.tax_code)
        assert 0 <= r.workers_female <= r.workers and 0 <= r.members_female <= r.members
        assert 0.6 * r.workers <= r.members <= r.workers
        assert r.via_core <= r.admitted
        if prev is not None:
            assert prev.q == r.q - 1  # no gap: E006
            assert r.members == prev.members + r.joined - r.left
            change = abs(r.workers - prev.workers)
            assert change < 200 or change < 0.5 * prev.workers
        by_ent[r.tax_code] = r
    active_org = {o.tax_code for o in world.orgs if o.tax_code and o.active_at(model.AS_OF)}
    last = [r for r in world.reports if r.q == 18]
    assert all(r.party_members > 0 for r in last if r.tax_code in active_org)


def test_scale_two_doubles_counts():
    fig = model.compute_figures(model.build_world(3, scale=2))
    for metric, value in SEED_FIGURES.items():
        assert fig[metric] == 2 * value, metric
    assert round(fig["union_coverage_pct"], 1) == 95.2


def test_a_copy_that_cannot_place_its_admissions_is_drawn_again():
    """Copy 42 of the default seed is the first whose first draw fails (it broke `--scale 50`);
    its redraw still holds the seed's candidate, admission and core-cell counts, so a scaled
    world reproduces every count × N."""
    import random

    from pipelines.sample import flows
    from pipelines.sample import world as world_model

    rng = random.Random("20220910/42")
    counters = world_model.Counters(set(), set())
    ents = world_model.build_enterprises(rng, counters, 42)
    orgs = world_model.build_party_orgs(rng, ents, counters)
    with pytest.raises(flows.AdmissionsNotPlaced):
        flows.build_candidates(rng, ents, orgs, set())

    _, ents, orgs, people = model._copy_with_admissions(20220910, 42, world_model.Counters(set(), set()), set())
    assert len(people) == sum(flows.INTRODUCED_PER_YEAR.values())
    assert sum(1 for p in people if p.admitted_on) == sum(flows.ADMITTED_PER_YEAR.values())
    assert sum(p.via_core for p in people) == flows.ADMITTED_VIA_CORE


def test_names_never_run_out_at_national_scale(monkeypatch):
    """192 brands for the LG-like giants and a finite name space: past them the draws used to
    loop for ever (`uw sample --scale 400` hung); now the names are numbered instead."""
    import itertools
    import random

    from pipelines.sample import world

    heads, tails = ids.BRAND_PARTS["Hàn Quốc"]
    taken = {f"Công ty TNHH {h}{t}{s} {line} Việt Nam Hải Phòng"
             for h, t, s in itertools.product(heads, tails, ("", " Tech", " Global"))
             for line in ("Display", "Innotek", "Electronics")}
    counters = world.Counters(set(), set(taken))
    ents = world.build_enterprises(random.Random(7), counters, copy=399)
    giants = sorted(e.name for e in ents if e.kind == "giant")
    assert len(giants) == 3 and all(name not in taken and " 400 " in name for name in giants)
    # An exhausted company-name space numbers the name instead of failing: a space of one
    # name (and its 100 numbered draws) still gives 300 distinct names.
    for attribute in ("FORMS_VN", "INDUSTRIES", "VN_WORDS"):
        monkeypatch.setattr(ids, attribute, getattr(ids, attribute)[:1])
    used: set[str] = set()
    rng = random.Random(3)
    names = [ids.company_name(rng, "Việt Nam", used) for _ in range(300)]
    assert len(set(names)) == 300 and any(name.endswith(" 250") for name in names)
