"""One builder per rule id: each breaks its rule exactly once, at its own enterprise and file.

A builder returns the findings it expects as (rule, severity, tax_code, period, file, row);
`None` means the finding does not name that field. Rules whose nature is to flag every row
involved (E004's conflicting pair, E009's two rows of one person, E010's two register rows)
expect both rows. Quarantined rows are extra rows next to the enterprise's good reports,
so nothing else (E006, X001…) is disturbed.
"""

from __future__ import annotations

from tests.rules.inbox import (
    CANDIDATE_HEADER,
    CONTROL_FILE,
    CONTROL_HEADER,
    ORG_HEADER,
    REPORT_HEADER,
    World,
    candidate,
    report,
    tax_code,
    two_quarters,
)

Q1, Q2 = "2022-Q1", "2022-Q2"


def _reports(rule: str) -> str:
    return f"union_reports/2022/{rule}_BC_CDCS.csv"


def _extra_row(world: World, rule: str, row: list[str], severity: str = "error", period: str | None = Q1,
               with_tax: bool = True) -> list[tuple]:
    """The enterprise's good Q1/Q2 rows, then one extra broken row; the finding is on that row."""
    code = world.enterprise(rule)
    path = _reports(rule)
    two_quarters(world, path, code, rule)
    row = [code if cell == "{tax}" else cell for cell in row]
    line = world.add_rows(path, REPORT_HEADER, [row])
    return [(rule, severity, code if with_tax else None, period, path, line)]


def f001(world):
    path = "union_reports/2022/F001_BC_hong.xlsx"
    world.raw_files[path] = b"PK\x03\x04 not really a spreadsheet"
    return [("F001", "error", None, None, path, None)]


def f002(world):
    path = "union_reports/2022/F002_thieu_cot.csv"
    missing = REPORT_HEADER.index("Tổng số đoàn viên")
    row = report(Q1, tax_code(999), "Thiếu cột")
    del row[missing]
    world.add_rows(path, [h for h in REPORT_HEADER if h != "Tổng số đoàn viên"], [row])
    return [("F002", "error", None, None, path, None)]


def f003(world):
    return _extra_row(world, "F003", ["Quý 5/2022", *report(Q1, "{tax}", "F003")[1:]], period=None)


def f004(world):
    row = report(Q1, "{tax}", "F004")
    row[3] = "12a"
    return _extra_row(world, "F004", row)


def f005(world):
    return _extra_row(world, "F005", report(Q1, "{tax}", "F005", submitted="31/02/2022"))


def f006(world):
    path = "union_reports/email/Fwd_F006.csv"
    world.copies[path] = "union_reports/2022/BC_CDCS_KCN_DV_2022.csv"
    return [("F006", "info", None, None, path, None)]


def f007(world):
    code = world.enterprise("F007")
    path = _reports("F007")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code[1:], "F007"), report(Q2, code, "F007")])
    return [("F007", "info", code, Q1, path, line)]


def f008(world):
    code = world.enterprise("F008")
    path = _reports("F008")
    two_quarters(world, path, code, "F008")
    totals = ["Tổng cộng", "", "", "999"] + [""] * (len(REPORT_HEADER) - 4)
    line = world.add_rows(path, REPORT_HEADER, [totals])
    return [("F008", "warning", None, None, path, line)]


def f009(world):
    row = report(Q1, "{tax}", "F009")
    row[5] = ""
    return _extra_row(world, "F009", row)


def f010(world):
    path = "party_orgs/F010_to_chuc.csv"
    code = world.enterprise("F010")
    two_quarters(world, _reports("F010"), code, "F010")
    org = ["CB-F010", "Tổ lạ", "Tổ Đảng", code, "01/01/2015", "", "3", "Không", "0"]
    line = world.add_rows(path, ORG_HEADER, [org])
    return [("F010", "error", code, None, path, line)]


def e001(world):
    bad = tax_code(7001)
    bad = bad[:9] + str((int(bad[9]) + 1) % 10)
    return _extra_row(world, "E001", report(Q1, bad, "E001"), with_tax=False)


def e002(world):
    code = tax_code(8001)
    path = _reports("E002")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code, "E002")])
    return [("E002", "error", code, Q1, path, line)]


def e003(world):
    code = world.enterprise("E003 Việt Nam")
    path = _reports("E003")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code, "E003 VN"), report(Q2, code, "E003 Việt Nam")])
    return [("E003", "warning", code, Q1, path, line)]


def e004(world):
    code = world.enterprise("E004")
    path = _reports("E004")
    two_quarters(world, path, code, "E004")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code, "E004", workers=101, revision="2"),
                                                report(Q1, code, "E004", workers=102, revision="2")])
    return [("E004", "error", code, Q1, path, line), ("E004", "error", code, Q1, path, line + 1)]


def e005(world):
    code = world.enterprise("E005")
    path = _reports("E005")
    line = two_quarters(world, path, code, "E005")
    world.add_rows(path, REPORT_HEADER, [report(Q1, code, "E005", workers=110, submitted="20/04/2022", revision="2")])
    return [("E005", "info", code, Q1, path, line)]


def e006(world):
    code = world.enterprise("E006")
    world.add_rows(_reports("E006"), REPORT_HEADER, [report(Q2, code, "E006")])
    return [("E006", "warning", code, Q1, None, None)]


def e007(world):
    code = world.enterprise("E007", union_founded="01/05/2022")
    path = _reports("E007")
    line = two_quarters(world, path, code, "E007")
    return [("E007", "warning", code, Q1, path, line)]


def e008(world):
    code = world.enterprise("E008")
    two_quarters(world, _reports("E008"), code, "E008")
    path = "candidates/E008_DS_QCUT.csv"
    line = world.add_rows(path, CANDIDATE_HEADER, [candidate("031295000008", code, "01/11/2021")])
    return [("E008", "error", code, None, path, line)]


def e009(world):
    code = world.enterprise("E009")
    two_quarters(world, _reports("E009"), code, "E009")
    path = "candidates/E009_DS_QCUT.csv"
    line = world.add_rows(path, CANDIDATE_HEADER, [candidate("031095000009", code, "01/11/2021"),
                                                   candidate("031095000009", code, "15/11/2021")])
    return [("E009", "error", code, None, path, line), ("E009", "error", code, None, path, line + 1)]


def e010(world):
    code = world.enterprise("E010")
    two_quarters(world, _reports("E010"), code, "E010")
    path = "party_orgs/E010_to_chuc.csv"
    org = ["CB-E010", "Chi bộ E010", "Chi bộ cơ sở", code, "01/01/2015", "", "3", "Không", "0"]
    line = world.add_rows(path, ORG_HEADER, [org, [*org[:4], "02/01/2015", *org[5:]]])
    return [("E010", "error", code, None, path, line), ("E010", "error", code, None, path, line + 1)]


def l001(world):
    return _extra_row(world, "L001", report(Q1, "{tax}", "L001", workers=50, members=60))


def l002(world):
    row = report(Q1, "{tax}", "L002")
    row[4] = "150"
    return _extra_row(world, "L002", row)


def l003(world):
    return _extra_row(world, "L003", report(Q1, "{tax}", "L003", introduced=2, admitted=1, via=2))


def l004(world):
    code = world.enterprise("L004")
    path = _reports("L004")
    line = two_quarters(world, path, code, "L004", admitted=1)
    world.add_rows("candidates/L004_DS_QCUT.csv", CANDIDATE_HEADER,
                   [candidate("031095000004", code, "01/11/2021", "01/12/2021", "10/05/2022", "CB-0001")])
    return [("L004", "warning", code, Q2, path, line + 1)]


def l005(world):
    code = world.enterprise("L005")
    path = _reports("L005")
    line = two_quarters(world, path, code, "L005", members=90)
    return [("L005", "warning", code, Q2, path, line + 1)]


def l006(world):
    code = world.enterprise("L006")
    two_quarters(world, _reports("L006"), code, "L006")
    path = "candidates/L006_DS_QCUT.csv"
    line = world.add_rows(path, CANDIDATE_HEADER, [candidate("031095000006", code, "01/11/2021", "01/10/2021")])
    return [("L006", "error", code, None, path, line)]


def l007(world):
    code = world.enterprise("L007")
    two_quarters(world, _reports("L007"), code, "L007")
    path = "party_orgs/L007_to_chuc.csv"
    line = world.add_rows(path, ORG_HEADER, [["CB-L007", "Chi bộ L007", "Chi bộ cơ sở", code, "01/01/2015",
                                              "01/01/2014", "3", "Không", "0"]])
    return [("L007", "error", code, None, path, line)]


def l008(world):
    return _extra_row(world, "L008", report(Q1, "{tax}", "L008", submitted="01/01/2099"))


def x001(world):
    code = world.enterprise("X001")
    path = _reports("X001")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code, "X001", introduced=2), report(Q2, code, "X001")])
    return [("X001", "warning", code, Q1, path, line)]


def x002(world):
    code = world.enterprise("X002")
    path = _reports("X002")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code, "X002", introduced=1),
                                                report(Q2, code, "X002", admitted=1, via=1)])
    world.add_rows("candidates/X002_DS_QCUT.csv", CANDIDATE_HEADER,
                   [candidate("031095000012", code, "01/02/2022", "01/03/2022", "10/05/2022", "CB-0001")])
    return [("X002", "warning", code, Q2, path, line + 1)]


def x003(world):
    code = world.enterprise("X003")
    path = _reports("X003")
    line = two_quarters(world, path, code, "X003", party=3)
    world.add_rows("party_orgs/X003_to_chuc.csv", ORG_HEADER,
                   [["CB-X003", "Chi bộ X003", "Chi bộ cơ sở", code, "01/01/2015", "", "3", "Không", "0"]])
    return [("X003", "warning", code, Q1, path, line)]


def x004(world):
    code = world.enterprise("X004")
    two_quarters(world, _reports("X004"), code, "X004")
    path = "candidates/X004_DS_QCUT.csv"
    line = world.add_rows(path, CANDIDATE_HEADER,
                          [candidate("031095000014", code, "01/11/2021", org="CB-9999")])
    return [("X004", "warning", code, None, path, line)]


def a001(world):
    code = world.enterprise("A001")
    path = _reports("A001")
    line = two_quarters(world, path, code, "A001", workers=400, members=250, joined=170)
    return [("A001", "warning", code, Q2, path, line + 1)]


def a002(world):
    code = world.enterprise("A002", union_founded="15/04/2021")
    path = _reports("A002")
    line = world.add_rows(path, REPORT_HEADER, [report(Q1, code, "A002", members=40),
                                                report(Q2, code, "A002", members=40)])
    return [("A002", "warning", code, Q2, path, line + 1)]


def c001(world):
    line = world.add_rows(CONTROL_FILE, CONTROL_HEADER,
                          [["party_orgs_established_via_transfer", "2022-06-30", "5", "2022-01-01", "test"]])
    return [("C001", "error", None, Q2, CONTROL_FILE, line)]


BUILDERS = {name.upper(): fn for name, fn in list(globals().items())
            if len(name) == 4 and name[0] in "felxac" and name[1:].isdigit() and callable(fn)}
