"""The enterprises and Party organisations of one copy of the sample world.

The world is built from a fixed census of categories (union / eligible / stable /
dissolved …) so the headline counts hold for every seed; the seed only moves the
details (names, dates, zones, sizes).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from pipelines.sample import ids
from pipelines.sample.periods import AS_OF, LAST_Q, quarter_of

ZONE_WEIGHTS = {"DV": 16, "NDV": 10, "NMR": 8, "VSIP": 18, "TD": 14, "NCK": 6,
                "AD": 8, "DS": 4, "DC2": 10, "TT": 6}
COUNTRY_WEIGHTS = {"Hàn Quốc": 36, "Nhật Bản": 25, "Trung Quốc": 15, "Đài Loan": 8,
                   "Singapore": 6, "Hoa Kỳ": 4, "Hồng Kông": 3, "Đức": 2, "Thái Lan": 1}
CORE_CLUSTERS = (("DV", "NDV", "DC2"), ("VSIP",), ("NMR", "AD"), ("TD",), ("NCK", "TT"), ("DS",))
ZONE_LABEL = {"DV": "Đình Vũ", "NDV": "Nam Đình Vũ", "NMR": "Nomura - Hải Phòng",
              "VSIP": "VSIP Hải Phòng", "TD": "Tràng Duệ", "NCK": "Nam Cầu Kiền",
              "AD": "An Dương", "DS": "Đồ Sơn", "DC2": "Deep C II", "TT": "Tiên Thanh"}

# (kind, count): the census behind 360 registered, 331 stable, 289 eligible, 275 unions.
CENSUS = (("giant", 3), ("union_stable", 265), ("union_new", 5), ("union_susp", 2),
          ("elig_stable", 8), ("elig_new", 6), ("inel_stable", 55), ("inel_new", 10),
          ("inel_susp", 6), ("dissolved", 4))
DISSOLVED_QUARTERS = (7, 9, 12, 15)
NEW_ORGS_PER_YEAR = {2018: 4, 2019: 7, 2020: 6, 2021: 9, 2022: 6}
PRE_WINDOW_ACTIVE_ORGS = 19
TRANSFER_ORGS, TRANSFERRED_MEMBERS = 16, 86


@dataclass
class Enterprise:
    tax_code: str
    name: str
    zone: str
    ownership: str
    country: str
    kind: str
    established_on: dt.date
    stable_from: dt.date
    size: float
    eligible_from: dt.date | None = None
    union_founded_on: dt.date | None = None
    suspended_from: dt.date | None = None
    dissolved_on: dt.date | None = None
    copy: int = 0

    def status_at(self, day: dt.date) -> str | None:
        if day < self.established_on:
            return None
        if self.dissolved_on and day >= self.dissolved_on:
            return "dissolved"
        if self.suspended_from and day >= self.suspended_from:
            return "suspended"
        return "new" if day < self.stable_from else "stable"

    def report_quarters(self) -> range:
        """From the union's founding quarter to the last quarter it ends undissolved."""
        if self.union_founded_on is None:
            return range(0)
        first = max(0, quarter_of(self.union_founded_on))
        last = quarter_of(self.dissolved_on) - 1 if self.dissolved_on else LAST_Q
        return range(first, last + 1)


@dataclass
class PartyOrg:
    code: str
    name: str
    org_type: str  # cell | committee | core_cell
    tax_code: str | None
    established_on: dt.date
    members_at_founding: int
    via_transfer: bool = False
    transferred: int = 0
    dissolved_on: dt.date | None = None
    zones: tuple[str, ...] = ()

    def active_at(self, day: dt.date) -> bool:
        return self.established_on <= day and not (self.dissolved_on and self.dissolved_on <= day)


@dataclass
class Counters:
    """Shared across copies so codes stay unique when the world is scaled."""
    tax_codes: set[str]
    names: set[str]
    cell: int = 0
    committee: int = 0
    core: int = 0


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _plus(day: dt.date, rng: random.Random, lo: int, hi: int) -> dt.date:
    return day + dt.timedelta(days=rng.randint(lo, hi))


def _enterprise(rng: random.Random, kind: str, counters: Counters, copy: int) -> Enterprise:
    giant = kind == "giant"
    zone = "TD" if giant else rng.choices(list(ZONE_WEIGHTS), list(ZONE_WEIGHTS.values()))[0]
    fdi = giant or rng.random() < 0.72
    country = ("Hàn Quốc" if giant else
               rng.choices(list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values()))[0]) if fdi else ""
    ownership = "fdi" if fdi else ("state" if rng.random() < 0.1 else "domestic_private")
    new = kind.endswith("_new")
    if giant:
        est = _day(rng, dt.date(2015, 3, 1), dt.date(2016, 6, 30))
    elif new:
        est = _day(rng, dt.date(2021, 10, 5), dt.date(2022, 3, 31) if kind == "union_new"
                   else dt.date(2022, 8, 31))
    elif kind == "dissolved":
        est = _day(rng, dt.date(2006, 1, 1), dt.date(2014, 12, 31))
    elif rng.random() < 0.78:
        est = _day(rng, dt.date(2005, 1, 1), dt.date(2017, 9, 30))
    else:
        est = _day(rng, dt.date(2017, 10, 1), dt.date(2021, 6, 30))
    stable_from = _plus(est, rng, 400, 500) if new else _plus(est, rng, 300, 420)
    size = rng.uniform(8200, 9600) if giant else min(6000.0, rng.lognormvariate(5.7, 0.95))
    name = "" if giant else ids.company_name(rng, country, counters.names)
    ent = Enterprise(ids.new_tax_code(rng, counters.tax_codes), name, zone, ownership, country,
                     kind, est, stable_from, size, copy=copy)
    if kind.startswith(("union", "giant", "elig", "dissolved")) or giant:
        lag = (30, 90) if new else (90, 300)
        ent.eligible_from = min(_plus(est, rng, *lag), AS_OF - dt.timedelta(days=20))
    if kind.startswith("union") or kind in ("giant", "dissolved"):
        if kind == "union_new":
            founded = _plus(ent.eligible_from, rng, 0, 60)
        elif kind == "dissolved" or giant:
            founded = min(_plus(ent.eligible_from, rng, 30, 400), dt.date(2017, 11, 30))
        else:
            founded = _plus(ent.eligible_from, rng, 30, 700)
        ent.union_founded_on = min(founded, AS_OF - dt.timedelta(days=5))
    if kind.endswith("_susp"):
        start = dt.date(2022, 1, 10) if kind == "union_susp" else dt.date(2019, 3, 1)
        ent.suspended_from = _day(rng, max(start, ent.stable_from), dt.date(2022, 9, 15))
    return ent


GIANT_BRAND_DRAWS = 200


def build_enterprises(rng: random.Random, counters: Counters, copy: int) -> list[Enterprise]:
    ents = [_enterprise(rng, kind, counters, copy) for kind, n in CENSUS for _ in range(n)]
    heads, tails = ids.BRAND_PARTS["Hàn Quốc"]
    for attempt in itertools.count():  # the three LG-like giants share one brand
        brand = rng.choice(heads) + rng.choice(tails) + rng.choice(("", " Tech", " Global"))
        if attempt >= GIANT_BRAND_DRAWS:
            # 192 brands in all: past ~190 copies the draws alone would loop for ever.
            brand += f" {copy + 1}"
        names = [f"Công ty TNHH {brand} {line} Việt Nam Hải Phòng"
                 for line in ("Display", "Innotek", "Electronics")]
        if not counters.names.intersection(names):
            counters.names.update(names)
            break
    for ent, name in zip((e for e in ents if e.kind == "giant"), names, strict=True):
        ent.name = name
    for ent, q in zip((e for e in ents if e.kind == "dissolved"), DISSOLVED_QUARTERS, strict=True):
        year, month = 2018 + q // 4, (q % 4) * 3 + 1
        ent.dissolved_on = _day(rng, dt.date(year, month, 5), dt.date(year, month + 2, 25))
    ents.sort(key=lambda e: (e.zone, e.established_on, e.tax_code))
    return ents


def _new_org(rng: random.Random, ent: Enterprise, day: dt.date, counters: Counters,
             committee: bool) -> PartyOrg:
    if committee:
        counters.committee += 1
        code, label = f"DB-{counters.committee:04d}", "Đảng bộ"
    else:
        counters.cell += 1
        code, label = f"CB-{counters.cell:04d}", "Chi bộ"
    base = ent.name.replace("Công ty TNHH ", "Công ty ")
    members = rng.randint(25, 60) if committee else rng.randint(3, 9)
    return PartyOrg(code, f"{label} {base}", "committee" if committee else "cell",
                    ent.tax_code, day, members)


def build_party_orgs(rng: random.Random, ents: list[Enterprise], counters: Counters) -> list[PartyOrg]:
    orgs: list[PartyOrg] = []
    for zones in CORE_CLUSTERS:
        counters.core += 1
        label = ", ".join(ZONE_LABEL[z] for z in zones)
        orgs.append(PartyOrg(f"CBNC-{counters.core:02d}",
                             f"Chi bộ nòng cốt Công đoàn - Doanh nghiệp KCN {label}", "core_cell",
                             None, _day(rng, dt.date(2013, 1, 1), dt.date(2016, 12, 31)),
                             rng.randint(8, 20), zones=zones))
    hosts = [e for e in ents if e.kind in ("giant", "union_stable")]
    taken: set[str] = set()
    early = [e for e in hosts if e.kind == "giant"]
    pool = [e for e in hosts if e.kind != "giant" and e.established_on < dt.date(2016, 6, 1)
            and e.union_founded_on and e.union_founded_on < dt.date(2017, 6, 1)]
    early += _weighted_pick(rng, pool, PRE_WINDOW_ACTIVE_ORGS - len(early))
    for ent in early:
        day = _day(rng, max(ent.established_on + dt.timedelta(days=200), dt.date(2009, 1, 1)),
                   dt.date(2017, 11, 30))
        orgs.append(_new_org(rng, ent, day, counters, ent.kind == "giant" or ent.size > 2500))
        taken.add(ent.tax_code)
    for ent in [e for e in ents if e.kind == "dissolved"][:2]:
        org = _new_org(rng, ent, _day(rng, dt.date(2012, 1, 1), dt.date(2016, 12, 31)), counters, False)
        org.dissolved_on = ent.dissolved_on
        orgs.append(org)
    window = []
    for year, count in NEW_ORGS_PER_YEAR.items():
        end = min(dt.date(year, 12, 20), AS_OF - dt.timedelta(days=10))
        for _ in range(count):
            day = _day(rng, dt.date(year, 1, 10), end)
            pool = [e for e in hosts if e.tax_code not in taken and e.union_founded_on
                    and e.union_founded_on < day and e.established_on < day - dt.timedelta(days=365)]
            ent = _weighted_pick(rng, pool, 1)[0]
            taken.add(ent.tax_code)
            window.append(_new_org(rng, ent, day, counters, ent.size > 3000))
    for org, moved in zip(rng.sample(window, TRANSFER_ORGS), _split(rng, TRANSFERRED_MEMBERS,
                                                                    TRANSFER_ORGS, 3, 9), strict=True):
        org.via_transfer, org.transferred = True, moved
        org.members_at_founding = max(org.members_at_founding, moved + rng.randint(0, 3))
    return orgs + sorted(window, key=lambda o: o.established_on)


def _weighted_pick(rng: random.Random, pool: list[Enterprise], k: int) -> list[Enterprise]:
    """Bigger enterprises get Party organisations first, as in the zones."""
    chosen: list[Enterprise] = []
    pool = list(pool)
    for _ in range(k):
        ent = rng.choices(pool, [e.size ** 0.7 for e in pool])[0]
        pool.remove(ent)
        chosen.append(ent)
    return chosen


def _split(rng: random.Random, total: int, parts: int, lo: int, hi: int) -> list[int]:
    values = [lo] * parts
    while sum(values) < total:
        i = rng.randrange(parts)
        if values[i] < hi:
            values[i] += 1
    return values
