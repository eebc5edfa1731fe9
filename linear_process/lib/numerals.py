# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Quantities in words that agree with their number: «1 рабочий день», «3 рабочих дня», «0,5 часа».

Plain data in, text out, no ORM: the caller formats the number in the reader's language (decimal
comma, thousands separator) and passes the text; this module only picks the form of the words.
Russian goes through pymorphy3 (`make_agree_with_number`, genitive singular after a fraction:
«1,5 рабочего дня»); any other language gets English singular/plural forms.
"""

from functools import cache

import pymorphy3

WORKING_DAYS = "working_days"
HOURS = "hours"
DOCUMENTS = "documents"
RECORDS = "records"
STEPS = "steps"

# Russian phrases as (word, part of speech) in the nominative singular; each word agrees on its own.
RU_UNITS = {
    WORKING_DAYS: (("рабочий", "ADJF"), ("день", "NOUN")),
    HOURS: (("час", "NOUN"),),
    DOCUMENTS: (("документ", "NOUN"),),
    RECORDS: (("запись", "NOUN"),),
    STEPS: (("шаг", "NOUN"),),
}
EN_UNITS = {
    WORKING_DAYS: ("working day", "working days"),
    HOURS: ("hour", "hours"),
    DOCUMENTS: ("document", "documents"),
    RECORDS: ("record", "records"),
    STEPS: ("step", "steps"),
}
UNITS = frozenset(EN_UNITS)


@cache
def _morph():
    """The analyser loads its dictionary once per process; it is immutable and thread-safe."""
    return pymorphy3.MorphAnalyzer(lang="ru")


@cache
def _ru_parse(word, pos):
    """The nominative reading of `word` as `pos` («рабочий» is also a noun: «a worker»)."""
    parses = _morph().parse(word)
    for parse in parses:
        tag = parse.tag
        if (tag.POS, tag.case) == (pos, "nomn"):
            return parse
    return parses[0]


def is_russian(lang):
    return bool(lang) and lang.split("_")[0].lower() == "ru"


def rounded(value, digits=1):
    """`value` as it is printed with `digits` decimals: agreement follows the printed number."""
    return round(float(value or 0.0), digits)


def format_number(value, digits=1, decimal_point=".", thousands_sep=","):
    """A number with up to `digits` decimals and no trailing zeros: 1.50 -> '1.5', 2.0 -> '2'.

    A fallback for callers without a language record; Odoo code formats with `res.lang`.
    """
    text = f"{rounded(value, digits):,.{digits}f}"
    whole, _point, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", thousands_sep)
    return f"{whole}{decimal_point}{fraction}" if fraction else whole


def words(value, unit, lang, digits=1):
    """The words of `unit` in the form that goes after the number `value` in language `lang`."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}, expected one of {sorted(UNITS)}")
    number = rounded(value, digits)
    whole = number == int(number)
    if is_russian(lang):
        if whole:
            forms = [
                _ru_parse(word, pos).make_agree_with_number(abs(int(number))) for word, pos in RU_UNITS[unit]
            ]
        else:
            # A fraction governs the genitive singular: «0,5 рабочего дня», «1,5 часа».
            forms = [_ru_parse(word, pos).inflect({"gent", "sing"}) for word, pos in RU_UNITS[unit]]
        return " ".join(
            form.word if form else word for form, (word, _pos) in zip(forms, RU_UNITS[unit], strict=True)
        )
    singular, plural = EN_UNITS[unit]
    return singular if whole and abs(number) == 1 else plural


def quantity(value, unit, lang, digits=1, number_text=None, decimal_point=".", thousands_sep=","):
    """«3 рабочих дня» / '3 working days': the number (as `number_text` when given) and its words."""
    if number_text is None:
        number_text = format_number(value, digits, decimal_point, thousands_sep)
    return f"{number_text} {words(value, unit, lang, digits)}"
