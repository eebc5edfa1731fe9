# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""KPI arithmetic with no ORM: the period a date falls in and the status against a target."""

import calendar
from datetime import date, timedelta

PERIODS = ("day", "week", "month", "quarter", "year")
ON_TRACK, OFF_TRACK, NO_DATA = "on_track", "off_track", "no_data"


def period_bounds(today: date, period: str) -> tuple[date, date]:
    """First and last day (inclusive) of the `period` that contains `today`."""
    if period == "day":
        return today, today
    if period == "week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    if period == "month":
        return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if period == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, first_month, 1)
        last_month = first_month + 2
        return start, date(today.year, last_month, calendar.monthrange(today.year, last_month)[1])
    if period == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    raise ValueError(f"unknown period {period!r}, expected one of {PERIODS}")


def status(value: float | None, target: float | None, direction: str) -> str:
    """Whether `value` meets `target`; `direction` says whether higher or lower is better."""
    if value is None or target is None:
        return NO_DATA
    if direction == "higher":
        return ON_TRACK if value >= target else OFF_TRACK
    if direction == "lower":
        return ON_TRACK if value <= target else OFF_TRACK
    raise ValueError(f"unknown direction {direction!r}, expected 'higher' or 'lower'")


def steps_by_key(domain: list, key_of: dict[int, str], field: str = "step_id") -> list | None:
    """`domain` with every leaf that names steps by id (`field` =, !=, in, not in) naming them by
    their step_key instead, which every version of a process keeps; None when no leaf does."""
    changed = False
    result = []
    for leaf in domain:
        if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == field:
            _path, operator, value = leaf
            ids = value if isinstance(value, (list, tuple)) else [value]
            scalar = operator in ("=", "!=") and not isinstance(value, (list, tuple))
            listed = operator in ("in", "not in") and isinstance(value, (list, tuple)) and value
            known = all(isinstance(v, int) and not isinstance(v, bool) and v in key_of for v in ids)
            if (scalar or listed) and known:
                keys = [key_of[v] for v in ids]
                result.append((f"{field}.step_key", operator, keys[0] if scalar else keys))
                changed = True
                continue
        result.append(leaf)
    return result if changed else None
