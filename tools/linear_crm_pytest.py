# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""pytest plugin loaded by ./dev test: a skipped test is a failed test.

Odoo skips a tour, instead of failing it, when Chromium or websocket-client is missing; a green run
with silently skipped tours would prove nothing, so every skip is reported as a failure here.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped tests are not allowed here: {reason}"
