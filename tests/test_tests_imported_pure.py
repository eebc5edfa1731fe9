# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every test module is imported by tests/__init__.py, so Odoo's own runner (OCA CI) runs it too.

pytest-odoo collects tests/test_*.py by itself; `odoo-bin --test-tags /linear_crm` only runs what
the package imports. A new file forgotten there would pass locally and never run in CI.
"""

import re
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent


def test_every_test_module_is_imported_by_the_package():
    init = (TESTS_DIR / "__init__.py").read_text()
    imported = set(re.findall(r"^from \. import (\w+)", init, re.MULTILINE))
    files = {path.stem for path in TESTS_DIR.glob("test_*.py")}
    assert not sorted(files - imported), f"add to tests/__init__.py: {sorted(files - imported)}"
    assert not sorted(imported - files), f"imported but missing: {sorted(imported - files)}"
