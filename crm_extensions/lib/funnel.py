# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Funnel, manager and channel arithmetic on plain numbers (no ORM): the SQL gives counts and
sums, these functions give the ratios, so every report rounds and divides the same way."""

from statistics import median as _median


def ratio(part, whole, digits=4):
    """part / whole rounded, or 0.0 when there is nothing to divide by."""
    if not whole:
        return 0.0
    return round(part / whole, digits)


def median(values):
    """The median of the values; None when there are none (nothing measured is not zero)."""
    values = [value for value in values if value is not None]
    return float(_median(values)) if values else None


def median_of_counts(counts):
    """The median of values given as {value: how many times}, as statistics.median would give
    for the values listed out (None when there are none)."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle positions, 0-based (one or two)
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return (found[0] + found[1]) / 2.0


def average(values):
    """The mean of the values; None when there are none."""
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


def rounded(value, digits=2):
    """value rounded; None (not measured) stays None, so reports show a dash, not 0."""
    return None if value is None else round(value, digits)


def funnel_rows(stages):
    """Add stage-to-stage and cumulative conversion to the stages of one pipeline, in order.

    `stages`: dicts with at least ``entered`` and ``forward`` (leads). ``conversion_next`` is the
    share of the stage's leads that moved forward from it; ``conversion_cumulative`` the share of
    the funnel's top (the first stage any lead entered) that reached this stage.
    """
    first = next((stage["entered"] for stage in stages if stage["entered"]), 0)
    return [
        dict(
            stage,
            conversion_next=ratio(stage["forward"], stage["entered"]),
            conversion_cumulative=ratio(stage["entered"], first),
        )
        for stage in stages
    ]


def funnel_totals(stages, lost):
    """Leads that entered the funnel's top (the first stage any lead entered in the period), won
    later among them, lost in any stage, and the overall conversion."""
    top = next((stage for stage in stages if stage["entered"]), None)
    leads, won = (top["entered"], top["won_later"]) if top else (0, 0)
    return {"leads": leads, "won": won, "lost": lost, "conversion": ratio(won, leads)}


def channel_figures(leads, won, revenue, cost):
    """Conversion, cost per lead, cost per won client (CAC) and ROMI of one channel.

    Without a cost the cost figures are None (unknown), not zero (free).
    """
    figures = {"conversion": ratio(won, leads)}
    if cost is None:
        figures.update(cost_per_lead=None, cac=None, romi=None)
    else:
        figures.update(
            cost_per_lead=round(cost / leads, 2) if leads else None,
            cac=round(cost / won, 2) if won else None,
            romi=ratio(revenue - cost, cost) if cost else None,
        )
    return figures


def win_rate(won, lost):
    """Won among the leads closed (won or lost)."""
    return ratio(won, won + lost)


def month_start(year, month):
    return f"{year:04d}-{month:02d}-01"


def months_between(date_from, date_to):
    """First days of the months from date_from's to date_to's (dates), in order."""
    months = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(month_start(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
