# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The methodology checker on the seed's own wording, in Russian and English, without a database.

The module is loaded by file path: importing it through the addon package would import the ORM.
"""

import pytest

from .pure_lib import load_lib

methodology = load_lib("linear_process", "methodology")


def rules(findings):
    return [finding.rule for finding in findings]


def check(function, text, **kwargs):
    return rules(function(text, **kwargs))


def step(name="Обработка заявки клиента", results=("Заявка принята",), has_responsible=True):
    return {"name": name, "results": list(results), "has_responsible": has_responsible}


def process(**values):
    """A process that keeps the method; tests spoil one thing at a time."""
    return {
        "name": "Выполнение заказа клиента",
        "level": "process",
        "depth": 1,
        "goals": ["Увеличить выручку от продаж"],
        "steps": [step()],
        **values,
    }


# --------------------------------------------------------------------------- process name


@pytest.mark.parametrize(
    "text",
    [
        "Выполнение заказа клиента",
        "Подбор и отбор персонала",
        "«Выполнение заказов клиентов»",
        "ПРОДАЖИ",
        "Order fulfilment",
        "Recruitment and selection",
        '"Processing of orders"',
    ],
)
def test_process_name_starting_with_noun_passes(text):
    assert check(methodology.check_process_name, text) == []


@pytest.mark.parametrize(
    "text", ["Выполнить заказ клиента", "Быстрая доставка", "Fulfil customer orders", "The order"]
)
def test_process_name_not_starting_with_noun_is_flagged(text):
    assert check(methodology.check_process_name, text) == ["process_name_noun"]


# --------------------------------------------------------------------------- goals


@pytest.mark.parametrize(
    "text",
    [
        "Увеличить выручку от продаж",
        "Повысить лояльность клиента",
        "сократить сроки доставки",
        "Не допустить срыва сроков",
        "Increase revenue",
        "Reduce lead time",
        "To increase revenue",
    ],
)
def test_goal_starting_with_infinitive_passes(text):
    assert check(methodology.check_goal, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Увеличение выручки",
        "Выручка от продаж",
        "Revenue growth",
        "Increasing revenue",
        "Increased revenue",
        "Higher revenue",
    ],
)
def test_goal_not_starting_with_infinitive_is_flagged(text):
    assert check(methodology.check_goal, text) == ["goal_infinitive"]


# --------------------------------------------------------------------------- step names


@pytest.mark.parametrize(
    "text",
    [
        "Обработка заявки клиента",
        "Анализ потребностей в персонале",
        "Проверка заявки клиента",
        "Учёт товаров",
        "Учет товаров",
        "ПРИЁМКА товара",
        "1. Согласование договора",
        "Checking the request",
        "Processing of the request",
        "Order processing",
        "Request check",
    ],
)
def test_step_named_by_verbal_noun_passes(text):
    assert check(methodology.check_step_name, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Менеджер и заявка",
        "Заявка",
        "Склад",
        "Быстро проверить",
        "Принять и сохранить заявку",
        "Check the request",
        "Manager and request",
        "Warehouse",
    ],
)
def test_step_not_named_by_verbal_noun_is_flagged(text):
    assert check(methodology.check_step_name, text) == ["step_name_verbal_noun"]


@pytest.mark.parametrize("level", ["procedure", "action"])
@pytest.mark.parametrize(
    "text",
    [
        "Принять и сохранить заявку",
        "Открыть базу данных 1С: Торговля",
        "Проверить наличие товара",
        "Проверка наличия товара",
        "Check the request",
        "Open the 1C database",
    ],
)
def test_action_named_by_infinitive_passes(text, level):
    assert check(methodology.check_step_name, text, level=level) == []


@pytest.mark.parametrize("text", ["Склад", "Быстро проверить", "Warehouse", "Quickly check the request"])
def test_action_named_by_neither_verb_nor_verbal_noun_is_flagged(text):
    assert check(methodology.check_step_name, text, level="action") == ["action_name_verb"]


def test_step_name_rejects_unknown_level():
    with pytest.raises(ValueError):
        methodology.check_step_name("Обработка заявки", level="task")


# --------------------------------------------------------------------------- results


@pytest.mark.parametrize(
    "text",
    [
        "Оформлен пакет отгрузочных документов",
        "Товары от поставщика размещены на складе",
        "Заявка принята",
        "Клиент получил счёт",
        "Заказ готов",
        "Сделка закрыта",  # a short adjective first, the participle a close second
        "Documents prepared",
        "Goods placed in stock",
        "Invoice sent",
        "Request is registered",
        "Client received the invoice",
    ],
)
def test_result_phrased_as_done_passes(text):
    assert check(methodology.check_result, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Оформление документов",
        "Оформить документы",
        "Документы",
        "Оформление документов, полученных от клиента",
        "Preparation of documents",
        "Prepare documents",
        "Documents",
        "Sending the invoice",
    ],
)
def test_result_not_phrased_as_done_is_flagged(text):
    assert check(methodology.check_result, text) == ["result_done"]


@pytest.mark.parametrize("text", ["Оформленный договор", "Signed contract"])
def test_result_naming_a_done_thing_gets_a_hint(text):
    [finding] = methodology.check_result(text)
    assert (finding.rule, finding.severity) == ("result_done_short_form", methodology.INFO)


# --------------------------------------------------------------------------- texts without words


@pytest.mark.parametrize("text", ["", "   ", "«»", "1.", None])
def test_text_without_words_has_no_language_finding(text):
    checks = [
        methodology.check_process_name,
        methodology.check_goal,
        methodology.check_step_name,
        methodology.check_result,
    ]
    assert [finding for check_text in checks for finding in check_text(text)] == []


def test_finding_keeps_template_and_params_for_translation():
    [finding] = methodology.check_goal("  Выручка  ")
    assert finding.template == methodology.RULES["goal_infinitive"]
    assert finding.params == {"text": "Выручка"}
    assert finding.message == finding.template.format(**finding.params)
    assert (finding.subject, finding.text) == (methodology.SUBJECT_GOAL, "  Выручка  ")


# --------------------------------------------------------------------------- the whole process


def test_process_that_keeps_the_method_has_no_findings():
    assert methodology.check_process(process()) == []


def test_process_findings_point_at_their_goal_step_and_result():
    findings = methodology.check_process(
        process(
            name="Продать товар",
            goals=["", "Выручка"],
            steps=[step(), step(name="Склад", results=["Заявка принята", "Документы"])],
        )
    )
    placed = [(f.rule, f.subject, f.index, f.step_index) for f in findings]
    assert placed == [
        ("process_name_noun", "process", None, None),
        ("goal_infinitive", "goal", 1, None),
        ("step_name_verbal_noun", "step", None, 1),
        ("result_done", "result", 1, 1),
    ]


def test_step_without_result_is_flagged_blank_results_do_not_count():
    findings = methodology.check_process(process(steps=[step(), step(results=["  "])]))
    [finding] = findings
    assert (finding.rule, finding.step_index, finding.params["position"]) == ("step_no_result", 1, 2)


def test_step_without_responsible_is_flagged():
    findings = methodology.check_process(process(steps=[step(has_responsible=False), step()]))
    assert [(f.rule, f.step_index) for f in findings] == [("step_no_responsible", 0)]


def test_process_without_goal_or_steps_is_flagged():
    findings = methodology.check_process(process(goals=["  "], steps=[]))
    assert rules(findings) == ["process_no_goal", "process_no_steps"]


def test_false_from_empty_orm_fields_counts_as_missing():
    findings = methodology.check_process(
        {
            "name": False,
            "level": False,
            "depth": 1,
            "goals": [False],
            "steps": [{"name": False, "results": [False], "has_responsible": False}],
        }
    )
    assert rules(findings) == ["process_no_goal", "step_no_result", "step_no_responsible"]


def test_too_many_steps_suggest_decomposition_with_default_and_custom_limit():
    assert methodology.check_process(process(steps=[step()] * 12)) == []
    [finding] = methodology.check_process(process(steps=[step()] * 13))
    assert (finding.rule, finding.params["count"], finding.params["limit"]) == (
        "process_too_many_steps",
        13,
        12,
    )
    assert rules(methodology.check_process(process(steps=[step()] * 6, max_steps=5))) == [
        "process_too_many_steps"
    ]


def test_decomposition_deeper_than_limit_is_flagged():
    assert methodology.check_process(process(level="action", depth=4)) == []
    assert rules(methodology.check_process(process(level="action", depth=5))) == ["process_too_deep"]
    assert methodology.check_process(process(level="action", depth=5, max_depth=5)) == []


def test_steps_of_a_procedure_may_be_actions():
    seed_actions = ["Принять и сохранить заявку", "Открыть базу данных 1С: Торговля"]
    steps = [step(name=name) for name in seed_actions]
    assert methodology.check_process(process(level="procedure", steps=steps)) == []
    assert (
        rules(methodology.check_process(process(level="subprocess", steps=steps)))
        == ["step_name_verbal_noun"] * 2
    )


def test_every_rule_has_a_message_and_every_message_renders():
    params = {"text": "x", "position": 1, "count": 2, "limit": 1, "depth": 5}
    for rule, template in methodology.RULES.items():
        assert template.format(**params), rule
