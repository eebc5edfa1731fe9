# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Funnel, channel and manager arithmetic (crm_extensions/lib/funnel.py), without the ORM."""

import datetime

import pytest

from .pure_lib import load_lib

funnel = load_lib("crm_extensions", "funnel")


def test_ratio_rounds_and_never_divides_by_zero():
    assert funnel.ratio(1, 3) == 0.3333
    assert funnel.ratio(2, 0) == 0.0
    assert funnel.ratio(0, 5) == 0.0


def test_median_and_average_skip_missing_values():
    assert funnel.median([24.0, 10.0]) == 17.0
    assert funnel.median([1.0, 2.0, 24.0]) == 2.0
    # nothing measured is None (a dash in the reports), not 0 (answered instantly)
    assert funnel.median([]) is None
    assert funnel.median([None]) is None
    assert funnel.median([None, 4.0]) == 4.0
    assert funnel.average([10.0, 24.0, None]) == 17.0
    assert funnel.average([]) is None
    assert funnel.median_of_counts({}) is None
    assert funnel.rounded(None) is None
    assert funnel.rounded(0.0) == 0.0
    assert funnel.rounded(1.23456) == 1.23


def test_funnel_rows_conversion_from_the_top_that_has_leads():
    stages = [
        {"entered": 0, "forward": 0},  # a stage of the pipeline nobody entered in the period
        {"entered": 6, "forward": 2},
        {"entered": 2, "forward": 1},
        {"entered": 1, "forward": 1},
        {"entered": 1, "forward": 0},
    ]
    rows = funnel.funnel_rows(stages)
    assert [row["conversion_next"] for row in rows] == [0.0, 0.3333, 0.5, 1.0, 0.0]
    assert [row["conversion_cumulative"] for row in rows] == [0.0, 1.0, 0.3333, 0.1667, 0.1667]
    assert funnel.funnel_rows([]) == []


@pytest.mark.parametrize(
    ("leads", "won", "revenue", "cost", "expected"),
    [
        (2, 1, 1000.0, 150.0, {"conversion": 0.5, "cost_per_lead": 75.0, "cac": 150.0, "romi": 5.6667}),
        (1, 0, 0.0, None, {"conversion": 0.0, "cost_per_lead": None, "cac": None, "romi": None}),
        (0, 0, 0.0, 90.0, {"conversion": 0.0, "cost_per_lead": None, "cac": None, "romi": -1.0}),
        (3, 1, 100.0, 0.0, {"conversion": 0.3333, "cost_per_lead": 0.0, "cac": 0.0, "romi": None}),
    ],
)
def test_channel_figures(leads, won, revenue, cost, expected):
    assert funnel.channel_figures(leads, won, revenue, cost) == expected


def test_win_rate_counts_closed_leads_only():
    assert funnel.win_rate(1, 1) == 0.5
    assert funnel.win_rate(0, 0) == 0.0


def test_months_between_spans_years():
    assert funnel.months_between(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1)) == [
        "2025-11-01",
        "2025-12-01",
        "2026-01-01",
        "2026-02-01",
    ]
    assert funnel.months_between(datetime.date(2026, 3, 2), datetime.date(2026, 3, 31)) == ["2026-03-01"]


@pytest.mark.parametrize(
    "values",
    [[], [24.0], [10.0, 24.0], [10.0, 24.0, 96.0], [1.5, 1.5, 2.0, 7.25], [3.0, 1.0, 2.0, 2.0, 9.0]],
)
def test_median_of_counts_is_the_median_of_the_values(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    assert funnel.median_of_counts(counts) == funnel.median(values)


def test_funnel_totals_from_the_top_that_has_leads():
    stages = [
        {"entered": 0, "won_later": 0},
        {"entered": 6, "won_later": 1},
        {"entered": 2, "won_later": 1},
    ]
    assert funnel.funnel_totals(stages, 2) == {"leads": 6, "won": 1, "lost": 2, "conversion": 0.1667}
    assert funnel.funnel_totals([], 0) == {"leads": 0, "won": 0, "lost": 0, "conversion": 0.0}
