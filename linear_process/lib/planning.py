# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""How a step's planned actions unfold, who takes them, and how steps perform; no ORM.

A planned action is either started when the work enters the step (ON_ENTRY) or when the action
before it is done (AFTER_PREVIOUS): "as one action is done, set the next".
"""

from datetime import date, timedelta
from statistics import median

ON_ENTRY, AFTER_PREVIOUS = "on_entry", "after_previous"
HOURS, WORKING_DAYS = "hours", "working_days"


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


# A step without a norm is a bottleneck only when it is clearly the slowest: this many passages
# at least, and a median this many times the next slowest step's (in working hours).
MIN_PASSAGES = 5
SLOWEST_FACTOR = 2.0
# Working time is measured to the minute; a duration equal to its norm is not over it.
OVER_TOLERANCE = 1e-6


def norm_in_working_time(norm: float, unit: str, hours_per_day: float) -> tuple[float, float]:
    """The norm of a step as (working hours, working days) on a calendar of `hours_per_day`."""
    norm = norm or 0.0
    if unit == WORKING_DAYS:
        return norm * hours_per_day, norm
    return norm, norm / hours_per_day if hours_per_day else 0.0


def exceeds(value: float, norm: float | None) -> bool:
    """Whether a duration is over a norm given in the same unit; no norm, nothing is over."""
    return bool(norm) and value > norm + OVER_TOLERANCE


def over_norm(work_hours: float, work_days: float, norm: float | None, unit: str) -> bool:
    """Whether the working time spent exceeds the norm, compared in the norm's own unit."""
    return exceeds(work_days if unit == WORKING_DAYS else work_hours, norm)


def step_figures(durations: list[float], norm: float | None, hours: list[float] | None = None) -> dict:
    """Average, median, count and share over norm of the time spent in one step.

    `durations` are in the unit of the norm (working days or working hours); `hours` are the
    same passages in working hours, so that steps of different units can be compared.
    """
    hours = durations if hours is None else hours
    if not durations:
        return {"count": 0, "average": 0.0, "median": 0.0, "overdue_share": 0.0, "median_hours": 0.0}
    overdue = sum(1 for value in durations if exceeds(value, norm))
    return {
        "count": len(durations),
        "average": sum(durations) / len(durations),
        "median": float(median(durations)),
        "overdue_share": overdue / len(durations),
        "median_hours": float(median(hours)) if hours else 0.0,
    }


def is_over_norm(fig: dict) -> bool:
    """A step is over its norm when its median passage takes longer than the norm."""
    return bool(fig["count"]) and exceeds(fig["median"], fig.get("norm"))


def bottleneck(figures_by_step: dict) -> object | None:
    """The step that holds the work up, or None when nothing does.

    The step most over its norm (median / norm, then share over norm). When no step is over its
    norm, a step without a norm that is clearly the slowest (enough passages, a median at least
    SLOWEST_FACTOR times any other step's) is one; a step that keeps its norm never is.
    """
    over = {step: fig for step, fig in figures_by_step.items() if is_over_norm(fig)}
    if over:
        return max(
            over, key=lambda step: (over[step]["median"] / over[step]["norm"], over[step]["overdue_share"])
        )
    measured = {step: fig for step, fig in figures_by_step.items() if fig["count"]}
    if len(measured) < 2:
        return None
    slowest = max(measured, key=lambda step: measured[step]["median_hours"])
    fig = measured[slowest]
    if fig.get("norm") or fig["count"] < MIN_PASSAGES:
        return None
    others = max(other["median_hours"] for step, other in measured.items() if step != slowest)
    return slowest if fig["median_hours"] > 0 and fig["median_hours"] >= SLOWEST_FACTOR * others else None


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
