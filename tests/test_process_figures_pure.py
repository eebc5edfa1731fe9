# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Step timing arithmetic and the customer label, without a database.

The modules are loaded by file path: importing them through the addon package would import the ORM.
"""

from .pure_lib import load_lib

planning = load_lib("linear_process", "planning")
regulation = load_lib("linear_process", "regulation")


def fig(durations, norm, hours=None):
    return dict(planning.step_figures(durations, norm, hours), norm=norm)


def test_norm_in_working_time_both_ways():
    assert planning.norm_in_working_time(1, "working_days", 8.0) == (8.0, 1)
    assert planning.norm_in_working_time(4, "hours", 8.0) == (4, 0.5)
    assert planning.norm_in_working_time(0, "hours", 0.0) == (0, 0.0)


def test_over_norm_compares_in_the_norms_unit():
    # 5 working hours against 1 working day (8 h): not over, though the wall clock says 68 h.
    assert not planning.over_norm(5.0, 0.625, 1, "working_days")
    assert planning.over_norm(12.0, 1.5, 1, "working_days")
    assert planning.over_norm(5.0, 0.625, 4, "hours")
    assert not planning.over_norm(8.0, 1.0, 1, "working_days"), "exactly the norm is not over it"
    assert not planning.over_norm(100.0, 12.5, 0, "working_days"), "no norm, nothing is late"


def test_step_figures_keep_hours_for_comparing_steps():
    figures = planning.step_figures([0.5, 1.5, 4.0], 1, hours=[4.0, 12.0, 32.0])
    assert figures["count"] == 3
    assert figures["median"] == 1.5
    assert figures["median_hours"] == 12.0
    assert figures["average"] == 2.0
    assert figures["overdue_share"] == 2 / 3
    assert planning.step_figures([], 1)["median_hours"] == 0.0


def test_only_step_with_data_within_norm_is_no_bottleneck():
    """The demo's case: one passage of 0.1 h against a norm of 1 working day."""
    figures = {"request": fig([0.0125], 1, hours=[0.1]), "payment": fig([], 3)}
    assert not planning.is_over_norm(figures["request"])
    assert planning.bottleneck(figures) is None


def test_no_bottleneck_when_every_step_keeps_its_norm():
    figures = {"a": fig([0.5, 0.9], 1, hours=[4, 7.2]), "b": fig([2.0] * 6, 3, hours=[16] * 6)}
    assert planning.bottleneck(figures) is None


def test_bottleneck_is_the_step_most_over_its_norm():
    figures = {
        "a": fig([1.5, 2.5], 1, hours=[12, 20]),  # median twice its norm
        "b": fig([5.0, 7.0], 4, hours=[40, 56]),  # slower, but only 1.5 times its norm
        "c": fig([0.1], 0, hours=[0.8]),
    }
    assert planning.is_over_norm(figures["a"]) and planning.is_over_norm(figures["b"])
    assert planning.bottleneck(figures) == "a"


def test_step_without_norm_is_bottleneck_only_when_clearly_slowest_with_enough_data():
    slow = fig([10.0] * 5, 0, hours=[80.0] * 5)
    quick = fig([1.0] * 5, 2, hours=[8.0] * 5)
    assert planning.bottleneck({"slow": slow, "quick": quick}) == "slow"
    few = fig([10.0] * 4, 0, hours=[80.0] * 4)
    assert planning.bottleneck({"slow": few, "quick": quick}) is None, "not enough passages"
    close = fig([1.5] * 5, 0, hours=[12.0] * 5)
    assert planning.bottleneck({"slow": close, "quick": quick}) is None, "not clearly the slowest"
    assert planning.bottleneck({"slow": slow}) is None, "nothing to compare with"


def test_customer_said_once():
    assert regulation.customer_text("Внешний клиент (покупатель)", "Внешний") == "Внешний клиент (покупатель)"
    assert regulation.customer_text("Отдел кадров", "Внутренний") == "Отдел кадров (Внутренний)"
    assert regulation.customer_text("Внутреннему заказчику", "Внутренний") == "Внутреннему заказчику"
    assert regulation.customer_text("External customer (buyer)", "External") == "External customer (buyer)"
    assert regulation.customer_text("Sales department", "Internal") == "Sales department (Internal)"
    assert regulation.customer_text("", "Внешний") == "Внешний"
    assert regulation.customer_text(False, "") == ""
    assert regulation.customer_text("Покупатель", "") == "Покупатель"
