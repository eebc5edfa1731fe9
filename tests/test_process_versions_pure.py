# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Pure tests of the version diff and the KPI arithmetic (no database)."""

from datetime import date

import pytest

from .pure_lib import load_lib

versions = load_lib("linear_process", "versions")
kpi = load_lib("linear_process", "kpi")


def _step(key, name, **extra):
    return {"key": key, "name": name, "results": (), "responsible": "", **extra}


def test_diff_added_removed_changed_and_moved():
    old = [_step("a", "Приём"), _step("b", "Проверка"), _step("c", "Оплата"), _step("d", "Отгрузка")]
    new = [_step("a", "Регистрация"), _step("d", "Отгрузка"), _step("c", "Оплата"), _step("e", "Доставка")]
    changes = {(c["change"], c["key"]): c["fields"] for c in versions.diff_steps(old, new)}
    assert changes == {
        ("changed", "a"): ["name"],
        ("changed", "d"): ["position"],
        ("changed", "c"): ["position"],
        ("added", "e"): [],
        ("removed", "b"): [],
    }


def test_removing_a_step_moves_no_other():
    old = [_step("a", "Приём"), _step("b", "Проверка"), _step("c", "Оплата")]
    assert [c["change"] for c in versions.diff_steps(old, old[::2])] == ["removed"]
    assert versions.diff_steps(old, old) == []


def test_field_difference_shows_only_what_differs():
    old = _step("a", "Приём", results=("Заявка принята", "Счёт выставлен"), norm=(3, "working_days"))
    new = _step("a", "Приём", results=("Заявка принята", "Оплата получена"), norm=(2, "working_days"))
    assert versions.field_difference("norm", old, new) == ((3, "working_days"), (2, "working_days"))
    assert versions.field_difference("results", old, new) == (["Счёт выставлен"], ["Оплата получена"])
    reordered = _step("a", "Приём", results=("Счёт выставлен", "Заявка принята"))
    assert versions.field_difference("results", old, reordered) == (
        ["Заявка принята", "Счёт выставлен"],
        ["Счёт выставлен", "Заявка принята"],
    )


@pytest.mark.parametrize(
    "period,start,end",
    [
        ("day", date(2026, 2, 11), date(2026, 2, 11)),
        ("week", date(2026, 2, 9), date(2026, 2, 15)),
        ("month", date(2026, 2, 1), date(2026, 2, 28)),
        ("quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("year", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_bounds(period, start, end):
    assert kpi.period_bounds(date(2026, 2, 11), period) == (start, end)


def test_status_by_direction():
    assert kpi.status(10, 8, "higher") == kpi.ON_TRACK
    assert kpi.status(7, 8, "higher") == kpi.OFF_TRACK
    assert kpi.status(7, 8, "lower") == kpi.ON_TRACK
    assert kpi.status(None, 8, "lower") == kpi.NO_DATA
    with pytest.raises(ValueError):
        kpi.period_bounds(date(2026, 1, 1), "decade")
