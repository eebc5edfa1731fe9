# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Solvency rules (crm_extensions/lib/solvency.py): no Odoo, no database.

Run: .venv/bin/python -m pytest tests/test_finance_solvency_pure.py
"""

from datetime import date

import pytest

from .pure_lib import load_lib

sol = load_lib("crm_extensions", "solvency")

TODAY = date(2026, 11, 28)


def test_days_late_of_paid_open_and_not_yet_due_invoices():
    due = date(2026, 11, 1)
    assert sol.days_late(due, TODAY, paid_on=date(2026, 10, 30)) == 0  # paid early
    assert sol.days_late(due, TODAY, paid_on=date(2026, 11, 11)) == 10
    assert sol.days_late(due, TODAY, open_amount=True) == 27  # still open
    assert sol.days_late(date(2026, 12, 1), TODAY, open_amount=True) is None  # not yet due
    assert sol.days_late(due, TODAY) is None  # settled by a credit note: no payment date
    assert sol.days_late(None, TODAY, open_amount=True) is None


def test_average_days_late_counts_only_invoices_that_fell_due():
    invoices = [
        (date(2026, 11, 1), date(2026, 11, 11), False),  # 10
        (date(2026, 11, 18), None, True),  # 10, still open
        (date(2026, 12, 10), None, True),  # not due: ignored
        (date(2026, 10, 1), date(2026, 9, 30), False),  # 0
    ]
    assert sol.average_days_late(invoices, TODAY) == pytest.approx(6.7)
    assert sol.average_days_late([], TODAY) == 0.0


def test_overdue_share():
    assert sol.overdue_share(1000, 250) == 25.0
    assert sol.overdue_share(0, 250) == 0.0
    assert sol.overdue_share(100, 250) == 100.0  # capped
    assert sol.overdue_share(100, -5) == 0.0


@pytest.mark.parametrize(
    ("invoiced", "overdue", "days", "mark"),
    [
        (0, 0, 0, None),  # never invoiced: no mark
        (1000, 0, 0, sol.GOOD),
        (1000, 99, 14.9, sol.GOOD),
        (1000, 100, 0, sol.WATCH),  # 10 % overdue
        (1000, 0, 15, sol.WATCH),
        (1000, 300, 0, sol.BAD),  # 30 % overdue
        (1000, 0, 45, sol.BAD),
        (1000, 150, 50, sol.BAD),  # the worse figure decides
        (0, 10, 0, sol.BAD),  # credited in full yet something overdue
    ],
)
def test_classify_with_default_thresholds(invoiced, overdue, days, mark):
    assert sol.classify(invoiced, overdue, days) == mark


def test_classify_with_company_thresholds():
    strict = {"watch_share": 1, "bad_share": 5, "watch_days": 1, "bad_days": 3}
    assert sol.classify(1000, 20, 0, strict) == sol.WATCH
    assert sol.classify(1000, 0, 3, strict) == sol.BAD
    # a zero threshold switches that criterion off instead of marking everybody
    assert sol.classify(1000, 0, 0, {"watch_share": 0, "watch_days": 0}) == sol.GOOD


@pytest.mark.parametrize(
    "bad",
    [
        {"watch_share": 40, "bad_share": 30},
        {"watch_days": 60, "bad_days": 45},
        {"bad_share": 120},
        {"watch_days": -1},
    ],
)
def test_inconsistent_thresholds_are_refused(bad):
    with pytest.raises(ValueError):
        sol.check_thresholds(bad)
