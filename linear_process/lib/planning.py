# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""How a step's planned actions unfold, who takes them, and how steps perform; no ORM.

A planned action is either started when the work enters the step (ON_ENTRY) or when the action
before it is done (AFTER_PREVIOUS): "as one action is done, set the next".
"""

from datetime import date, timedelta
from statistics import median

ON_ENTRY, AFTER_PREVIOUS = "on_entry", "after_previous"


def actions_on_entry(actions: list[dict]) -> list[int]:
    """Ids of the actions to create when the work enters the step (`actions` in step order)."""
    return [action["id"] for action in actions if action["trigger"] == ON_ENTRY]


def actions_after(actions: list[dict], done_id: int) -> list[int]:
    """Ids of the actions that start once action `done_id` is done: the chain right after it."""
    ids = [action["id"] for action in actions]
    if done_id not in ids:
        return []
    following = actions[ids.index(done_id) + 1 :]
    return [following[0]["id"]] if following and following[0]["trigger"] == AFTER_PREVIOUS else []


def least_loaded(loads: dict[int, int]) -> int | None:
    """The user with the fewest open tasks; ties go to the lowest id so the choice is stable."""
    if not loads:
        return None
    return min(loads, key=lambda user_id: (loads[user_id], user_id))


def step_figures(durations: list[float], norm: float | None) -> dict:
    """Average, median, count and share over norm of the time spent in one step (hours)."""
    if not durations:
        return {"count": 0, "average": 0.0, "median": 0.0, "overdue_share": 0.0}
    overdue = sum(1 for value in durations if norm and value > norm)
    return {
        "count": len(durations),
        "average": sum(durations) / len(durations),
        "median": float(median(durations)),
        "overdue_share": overdue / len(durations),
    }


def bottleneck(figures_by_step: dict) -> object | None:
    """The step whose median most exceeds its norm (ratio), else the slowest median; None if no data."""
    measured = {step: fig for step, fig in figures_by_step.items() if fig["count"]}
    if not measured:
        return None

    def weight(item):
        _step, fig = item
        norm = fig.get("norm") or 0.0
        return (fig["median"] / norm if norm else 0.0, fig["median"])

    return max(measured.items(), key=weight)[0]


def add_working_days(start: date, days: int, workdays: frozenset[int], holidays: frozenset[date]) -> date:
    """The date `days` working days after `start` (which itself does not count).

    `workdays` are weekday numbers (Monday 0) the calendar works on; `holidays` are dates off.
    A calendar with no working day at all counts plain days.
    """
    if not workdays:
        return start + timedelta(days=days)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() in workdays and current not in holidays:
            left -= 1
    return current
