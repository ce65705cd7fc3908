"""The clean base world of the rule tests gives no error or warning and passes every GX suite.

Its own module (and xdist group) so that it runs in parallel with the broken-inbox run.
"""

import duckdb
import pytest

from tests.rules.conftest import FIELDS
from tests.rules.conftest import run as _run
from tests.rules.inbox import base_world, write_inbox

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rules_clean")]


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules_clean")
    write_inbox(base_world(), root / "inbox")
    result = _run(root / "inbox", root / "warehouse")
    with duckdb.connect(str(root / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        findings = con.execute(f"select {FIELDS} from audit.dq_findings_current").fetchall()
        gx_failed = con.execute("select suite, check_name from audit.gx_results where not success").fetchall()
    return {"result": result, "findings": findings, "gx_failed": gx_failed}



def test_clean_inbox_gives_no_error_or_warning(clean):
    assert clean["result"].returncode == 0, clean["result"].stdout[-3000:]
    assert [f for f in clean["findings"] if f[1] in ("error", "warning")] == []
    assert clean["gx_failed"] == []
