# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Phone normalisation to E.164 (protocols section 6); no Odoo, no database.

Run: ./dev test -k test_crm_phones_pure (milliseconds once the database is up)
"""

import pytest

from .pure_lib import load_lib

phones = load_lib("crm_extensions", "phones")
handles = load_lib("crm_extensions", "handles")


@pytest.mark.parametrize(
    "raw",
    [
        "8 (916) 123-45-67",
        "+7 916 1234567",
        "89161234567",
        "9161234567",
        "79161234567",  # WhatsApp wa_id / PBX style, no "+"
        "+7 (916) 123-45-67",
        "007 916 123 45 67",
        "8 916 123 45 67 доб. 123",  # extension dropped
        "  +7-916-123-45-67  ",
    ],
)
def test_russian_mobile_formats(raw):
    assert phones.normalize(raw) == "+79161234567"


def test_foreign_number_keeps_its_country():
    assert phones.normalize("+1 650 253 0000") == "+16502530000"
    assert phones.normalize("8 10 1 650 253 0000") == "+16502530000"
    assert phones.normalize("(650) 253-0000", "US") == "+16502530000"


def test_region_matters_for_national_numbers():
    assert phones.normalize("9161234567", "US") is None
    assert phones.normalize("79161234567", "US") == "+79161234567"
    assert phones.normalize("+7 916 1234567", None) == "+79161234567"
    assert phones.normalize("89161234567", None) is None


def test_landline_and_toll_free():
    assert phones.normalize("+7 (495) 123-45-67") == "+74951234567"
    assert phones.normalize("8-800-555-35-35") == "+78005553535"


@pytest.mark.parametrize("raw", ["", None, "   ", "123", "abc", "+7", "not a phone", "8" * 200, 79161234567])
def test_unparsable_gives_none(raw):
    assert phones.normalize(raw) is None


def test_format_international():
    assert phones.format_international("89161234567") == "+7 916 123-45-67"
    assert phones.format_international("xyz") is None


# --- messenger handles (crm_extensions/lib/handles.py) ----------------------------------------


@pytest.mark.parametrize(
    "raw", ["@Ivan_Petrov", "ivan_petrov", "t.me/ivan_petrov", "https://t.me/Ivan_Petrov/", " @IVAN_PETROV "]
)
def test_telegram_username_spellings(raw):
    assert handles.telegram_username(raw) == "ivan_petrov"


@pytest.mark.parametrize("raw", ["", None, "@", "abc", "иван_петров", "has space", "1starts_with_digit"])
def test_telegram_username_invalid(raw):
    assert handles.telegram_username(raw) is None


def test_telegram_chat_id():
    assert handles.telegram_chat_id(123456789) == "123456789"
    assert handles.telegram_chat_id(" -1001234567890 ") == "-1001234567890"
    assert handles.telegram_chat_id("12ab") is None
    assert handles.telegram_chat_id(None) is None
    assert handles.telegram_chat_id(True) is None
