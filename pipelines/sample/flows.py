"""Quarterly union reports and the candidate roster of one copy of the world.

Both are derived from one set of people and one workforce path per enterprise, so
report counts and roster counts agree by construction (X001/X002) and membership
flows add up (L005); the 2022-Q3 totals are forced to the seed figures exactly.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass

from pipelines.sample import ids
from pipelines.sample.periods import AS_OF, LAST_Q, q_end, q_start, quarter_of
from pipelines.sample.world import Enterprise, PartyOrg

WORKERS_Q3_2022, MEMBERS_Q3_2022 = 156915, 148630
INTRODUCED_PER_YEAR = {2018: 205, 2019: 214, 2020: 190, 2021: 220, 2022: 147}
ADMITTED_PER_YEAR = {2018: 48, 2019: 56, 2020: 44, 2021: 61, 2022: 48}
ADMITTED_VIA_CORE = 116


class AdmissionsNotPlaced(RuntimeError):
    """This copy's people cannot meet the seed's admission and core-cell totals; draw it again."""


@dataclass
class Report:
    tax_code: str
    q: int
    workers: int
    workers_female: int
    members: int
    members_female: int
    joined: int
    left: int
    party_members: int
    introduced: int
    admitted: int
    via_core: int
    submitted_on: dt.date
    reporter_name: str
    reporter_phone: str


@dataclass
class Candidate:
    citizen_id: str
    full_name: str
    birth_date: dt.date
    female: bool
    tax_code: str
    introduced_on: dt.date
    trained_on: dt.date | None = None
    admitted_on: dt.date | None = None
    admitting_org: str | None = None
    via_core: bool = False


def _final_sizes(rng: random.Random, ents: list[Enterprise]) -> tuple[dict[str, int], dict[str, int]]:
    """Workers and members at each union's last reported quarter, summing to the seed."""
    current = [e for e in ents if e.kind != "dissolved" and e.union_founded_on]
    workers = {e.tax_code: max(15, round(e.size)) for e in ents if e.union_founded_on}
    giants = sum(workers[e.tax_code] for e in current if e.kind == "giant")
    others = [e for e in current if e.kind != "giant"]
    factor = (WORKERS_Q3_2022 - giants) / sum(e.size for e in others)
    for e in others:
        workers[e.tax_code] = max(15, round(e.size * factor))
    biggest = max(others, key=lambda e: e.size)
    workers[biggest.tax_code] += WORKERS_Q3_2022 - sum(workers[e.tax_code] for e in current)
    members = {}
    for tax, w in workers.items():
        members[tax] = min(w, max(math.ceil(0.62 * w), round(w * rng.uniform(0.88, 1.0))))
    gap = MEMBERS_Q3_2022 - sum(members[e.tax_code] for e in current)
    while gap:
        e = rng.choices(current, [workers[x.tax_code] for x in current])[0]
        w, m = workers[e.tax_code], members[e.tax_code]
        room = (w - m) if gap > 0 else (m - math.ceil(0.62 * w))
        step = min(abs(gap), room, max(1, w // 40))
        if step > 0:
            members[e.tax_code] += step if gap > 0 else -step
            gap += -step if gap > 0 else step
    return workers, members


def build_candidates(rng: random.Random, ents: list[Enterprise], orgs: list[PartyOrg],
                     used_ids: set[str]) -> list[Candidate]:
    own = {}
    for org in orgs:
        if org.tax_code:
            own.setdefault(org.tax_code, []).append(org)
    core = {z: o for o in orgs if o.org_type == "core_cell" for z in o.zones}
    employers = [e for e in ents if e.union_founded_on and e.kind != "dissolved"]
    weights = [math.sqrt(e.size) * (2.5 if e.tax_code in own else 1.0) for e in employers]
    people: list[Candidate] = []
    for year, count in INTRODUCED_PER_YEAR.items():
        quarters = 3 if year == 2022 else 4
        per_q = [count // quarters] * quarters
        for i in rng.sample(range(quarters), count % quarters):
            per_q[i] += 1
        for qi, n in enumerate(per_q):
            q = (year - 2018) * 4 + qi
            for _ in range(n):
                day = q_start(q) + dt.timedelta(days=rng.randrange(80 if q == LAST_Q else 90))
                while True:
                    emp = rng.choices(employers, weights)[0]
                    if emp.union_founded_on <= day:
                        break
                female = rng.random() < 0.55
                birth = day - dt.timedelta(days=rng.randint(20 * 365 + 10, 40 * 365 - 10))
                trained = day + dt.timedelta(days=rng.randint(25, 100))
                people.append(Candidate(ids.citizen_id(rng, birth, female, used_ids),
                                        ids.person_name(rng, female), birth, female, emp.tax_code,
                                        day, trained if trained <= AS_OF else None))
    zone_of = {e.tax_code: e.zone for e in ents}
    for _attempt in range(200):
        if _admit(random.Random(rng.random()), people, own, core, zone_of):
            return people
    raise AdmissionsNotPlaced("could not place the admissions")


def _admit(rng, people, own, core, zone_of) -> bool:
    """Greedy placement of admissions; False when the core-cell total cannot be met."""
    for p in people:
        p.admitted_on, p.admitting_org, p.via_core = None, None, False
    slots = []
    for year, count in ADMITTED_PER_YEAR.items():
        start = max(dt.date(year, 1, 5), dt.date(2018, 5, 15))
        end = min(dt.date(year, 12, 28), AS_OF - dt.timedelta(days=3))
        slots += sorted(start + dt.timedelta(days=rng.randrange((end - start).days)) for _ in range(count))
    core_left = ADMITTED_VIA_CORE
    queue = sorted((max(p.trained_on + dt.timedelta(days=30), p.introduced_on + dt.timedelta(days=150)), k)
                   for k, p in enumerate(people) if p.trained_on)
    ready, nxt = [], 0
    for i, day in enumerate(slots):
        while nxt < len(queue) and queue[nxt][0] <= day:
            ready.append(people[queue[nxt][1]])
            nxt += 1
        ready = [p for p in ready if p.admitted_on is None]
        with_org = [p for p in ready if any(o.active_at(day) for o in own.get(p.tax_code, ()))]
        ids_with = {id(p) for p in with_org}
        without = [p for p in ready if id(p) not in ids_with]
        want_core = rng.random() < core_left / (len(slots) - i)
        pool = without if (want_core and without) or not with_org else with_org
        if not pool:
            return False
        person = rng.choice(pool)
        person.admitted_on = day
        if pool is without:
            person.via_core, person.admitting_org = True, core[zone_of[person.tax_code]].code
            core_left -= 1
        else:
            person.admitting_org = next(o.code for o in own[person.tax_code] if o.active_at(day))
    return core_left == 0


def build_reports(rng: random.Random, ents: list[Enterprise], orgs: list[PartyOrg],
                  people: list[Candidate]) -> list[Report]:
    workers_end, members_end = _final_sizes(rng, ents)
    intro = Counter((p.tax_code, quarter_of(p.introduced_on)) for p in people)
    adm = Counter((p.tax_code, quarter_of(p.admitted_on)) for p in people if p.admitted_on)
    via = Counter((p.tax_code, quarter_of(p.admitted_on)) for p in people if p.via_core)
    org_of = {o.tax_code: o for o in orgs if o.tax_code}
    reports: list[Report] = []
    for ent in ents:
        quarters = ent.report_quarters()
        if not quarters:
            continue
        org = org_of.get(ent.tax_code)
        if org is None:
            pre_base = rng.choice((0, 0, 0, 1, 1, 2, 3))
        else:
            pre_base = org.transferred if org.via_transfer else rng.randint(0, 2)
        org_base = (org.members_at_founding + rng.randint(0, 15 if org.established_on.year < 2018 else 4)
                    if org else 0)
        w, rate = workers_end[ent.tax_code], members_end[ent.tax_code] / workers_end[ent.tax_code]
        path = []
        for q in reversed(quarters):
            m = members_end[ent.tax_code] if q == quarters[-1] else min(w, max(math.ceil(0.6 * w), round(rate * w)))
            path.append((q, w, m))
            w = max(10, round(w / (1 + max(-0.12, min(0.15, rng.gauss(0.012, 0.03))))))
            rate = max(0.62, min(1.0, rate + rng.gauss(-0.002, 0.012)))
        path.reverse()
        female_share = rng.uniform(0.3, 0.85)
        reporter = (ids.person_name(rng, rng.random() < 0.7), ids.phone(rng))
        cum_admitted, prev_m = 0, None
        for q, w, m in path:
            if prev_m is None:
                founded_here = ent.union_founded_on >= q_start(q)
                joined = m if founded_here else round(m * rng.uniform(0.01, 0.05))
                left = 0 if founded_here else round(m * rng.uniform(0.01, 0.04))
            else:
                left = max(round(prev_m * rng.uniform(0.005, 0.04)), prev_m - m)
                joined = m - prev_m + left
            cum_admitted += adm[(ent.tax_code, q)]
            base = org_base if org and org.active_at(q_end(q)) else pre_base
            wf = round(w * female_share)
            if rng.random() < 0.05:
                reporter = (ids.person_name(rng, rng.random() < 0.7), ids.phone(rng))
            lag = rng.randint(1, 10) if q == LAST_Q else rng.randint(-6, 10)
            reports.append(Report(ent.tax_code, q, w, wf, m, min(m, wf, round(m * female_share)),
                                  joined, left, base + cum_admitted, intro[(ent.tax_code, q)],
                                  adm[(ent.tax_code, q)], via[(ent.tax_code, q)],
                                  q_end(q) + dt.timedelta(days=lag), *reporter))
            prev_m = m
    return reports
