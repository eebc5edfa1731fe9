# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Pure tests of the KPI domains a new version rewrites to name steps by key (no database)."""

from .pure_lib import load_lib

kpi = load_lib("linear_process", "kpi")

KEYS = {7: "intake", 8: "payment"}


def test_step_ids_become_step_keys():
    domain = ["&", ("step_id", "=", 7), ("left_at", "!=", False)]
    assert kpi.steps_by_key(domain, KEYS) == [
        "&",
        ("step_id.step_key", "=", "intake"),
        ("left_at", "!=", False),
    ]
    assert kpi.steps_by_key([["step_id", "in", [7, 8]]], KEYS) == [
        ("step_id.step_key", "in", ["intake", "payment"])
    ]
    assert kpi.steps_by_key([("step_id", "!=", 8)], KEYS) == [("step_id.step_key", "!=", "payment")]


def test_other_leaves_are_left_alone():
    assert kpi.steps_by_key([("left_at", "!=", False)], KEYS) is None
    assert kpi.steps_by_key([("step_id.step_key", "=", "intake")], KEYS) is None
    # a step of another process, a name search, booleans and empty lists are not ours to rewrite
    for leaf in (
        ("step_id", "=", 99),
        ("step_id", "ilike", "x"),
        ("step_id", "=", True),
        ("step_id", "in", []),
    ):
        assert kpi.steps_by_key([leaf], KEYS) is None, leaf
    assert kpi.steps_by_key([("step_id", "in", [7, 99])], KEYS) is None
