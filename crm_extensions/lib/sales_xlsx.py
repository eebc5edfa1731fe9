# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Plain helpers of the sales analytics workbooks and the weekly digest (no ORM).

The report models pass the analytics API's rows through these; they are tested in milliseconds
(tests/test_sales_xlsx_pure.py).
"""

import datetime

# The keys of the analytics API's filters dict; anything else a client sends is dropped.
FILTER_KEYS = ("date_from", "date_to", "team_id", "user_id", "source_id")
ID_KEYS = ("team_id", "user_id", "source_id")
DATE_KEYS = ("date_from", "date_to")

# Streamed exports read the cursor in batches of this many rows.
FETCH_BATCH = 5000


def clean_filters(raw):
    """The filters dict of the analytics API from what a browser sent: known keys only, ids as
    positive ints or False, dates as ISO strings or False. Anything malformed becomes False, so a
    forged value widens nothing: the API still counts only the leads the user may read."""
    raw = raw if isinstance(raw, dict) else {}
    filters = {}
    for key in ID_KEYS:
        value = raw.get(key)
        if isinstance(value, (list, tuple)) and value:  # a many2one pair [id, name]
            value = value[0]
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        filters[key] = (
            value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else False
        )
    for key in DATE_KEYS:
        value = raw.get(key)
        try:
            filters[key] = datetime.date.fromisoformat(value).isoformat() if value else False
        except (TypeError, ValueError):
            filters[key] = False
    return filters


def label(value):
    """A printable cell from an API value: a many2one pair gives its name, False/None nothing."""
    if value is False or value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return str(value[1]) if len(value) > 1 else ""
    return value


def row_label(row, key):
    """The name of ``key`` in an API row, whichever way the API spells it: ``key_name``,
    a many2one pair under ``key``, or a plain ``key``."""
    if row.get(f"{key}_name"):
        return str(row[f"{key}_name"])
    return label(row.get(key))


def number(value):
    """A float for a numeric cell; missing or non-numeric values count as 0."""
    if isinstance(value, bool) or value is None:
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def objections_text(objections):
    """``{"Price": 3, "Timing": 1}`` -> ``"Price: 3, Timing: 1"`` (largest first)."""
    if not objections:
        return ""
    items = sorted(objections.items(), key=lambda item: (-number(item[1]), str(item[0])))
    return ", ".join(f"{name}: {int(number(count))}" for name, count in items)


def month_totals(rows, keys=("expected", "weighted", "target")):
    """Forecast rows per (month, team, user) summed per month, months in order:
    ``[(month, {key: total})]``."""
    totals = {}
    for row in rows:
        month = str(label(row.get("month")) or "")
        bucket = totals.setdefault(month, dict.fromkeys(keys, 0.0))
        for key in keys:
            bucket[key] += number(row.get(key))
    return sorted(totals.items())


def ratio(part, whole):
    """part / whole, 0 when there is nothing to divide by."""
    whole = number(whole)
    return number(part) / whole if whole else 0.0
