# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Quantities agree with their number in Russian and English (no database).

The module is loaded by file path: importing it through the addon package would import the ORM.
"""

import pytest

from .pure_lib import load_lib

numerals = load_lib("linear_process", "numerals")


def ru(value, unit):
    return numerals.quantity(value, unit, "ru_RU", decimal_point=",", thousands_sep="\u00a0")


def en(value, unit):
    return numerals.quantity(value, unit, "en_US")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0 рабочих дней"),
        (1, "1 рабочий день"),
        (2, "2 рабочих дня"),
        (3, "3 рабочих дня"),
        (5, "5 рабочих дней"),
        (11, "11 рабочих дней"),
        (21, "21 рабочий день"),
        (22, "22 рабочих дня"),
        (25, "25 рабочих дней"),
        (0.5, "0,5 рабочего дня"),
        (1.5, "1,5 рабочего дня"),
    ],
)
def test_russian_working_days(value, expected):
    assert ru(value, numerals.WORKING_DAYS) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0 часов"),
        (1, "1 час"),
        (2, "2 часа"),
        (5, "5 часов"),
        (8, "8 часов"),
        (11, "11 часов"),
        (21, "21 час"),
        (22, "22 часа"),
        (25, "25 часов"),
        (0.5, "0,5 часа"),
        (1.5, "1,5 часа"),
    ],
)
def test_russian_hours(value, expected):
    assert ru(value, numerals.HOURS) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0 документов"), (1, "1 документ"), (2, "2 документа"), (5, "5 документов"), (21, "21 документ")],
)
def test_russian_documents(value, expected):
    assert ru(value, numerals.DOCUMENTS) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0 записей"), (1, "1 запись"), (2, "2 записи"), (11, "11 записей"), (22, "22 записи")],
)
def test_russian_records_feminine(value, expected):
    assert ru(value, numerals.RECORDS) == expected


@pytest.mark.parametrize(
    ("value", "days", "hours"),
    [
        (0, "0 working days", "0 hours"),
        (1, "1 working day", "1 hour"),
        (2, "2 working days", "2 hours"),
        (5, "5 working days", "5 hours"),
        (11, "11 working days", "11 hours"),
        (21, "21 working days", "21 hours"),
        (22, "22 working days", "22 hours"),
        (25, "25 working days", "25 hours"),
        (0.5, "0.5 working days", "0.5 hours"),
        (1.5, "1.5 working days", "1.5 hours"),
    ],
)
def test_english_plurals(value, days, hours):
    assert en(value, numerals.WORKING_DAYS) == days
    assert en(value, numerals.HOURS) == hours


def test_agreement_follows_the_printed_number():
    # 1.04 prints as «1» with one decimal, so the words are those of 1, not of a fraction.
    assert ru(1.04, numerals.HOURS) == "1 час"
    assert en(1.04, numerals.HOURS) == "1 hour"
    assert numerals.quantity(0.96, numerals.HOURS, "en_US", digits=0) == "1 hour"


def test_number_text_from_the_caller_is_kept():
    """Odoo formats the number with res.lang; the module only adds the agreeing words."""
    assert numerals.quantity(1500, numerals.HOURS, "ru_RU", number_text="1\u00a0500") == "1\u00a0500 часов"
    assert numerals.quantity(2.5, numerals.WORKING_DAYS, "ru_RU", number_text="2,5") == "2,5 рабочего дня"


def test_format_number_fallback():
    assert numerals.format_number(1234.5, decimal_point=",", thousands_sep=" ") == "1 234,5"
    assert numerals.format_number(2.0) == "2"
    assert numerals.format_number(0.25, digits=2) == "0.25"


def test_other_languages_fall_back_to_english_and_unknown_units_refused():
    assert numerals.quantity(3, numerals.HOURS, "de_DE") == "3 hours"
    assert numerals.is_russian("ru") and numerals.is_russian("ru_RU") and not numerals.is_russian("en_US")
    with pytest.raises(ValueError):
        numerals.words(1, "parsecs", "ru_RU")
