# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Russian requisites with the published vectors (protocols section 5); no Odoo, no database.

Run: ./dev test -k test_crm_requisites_pure (milliseconds once the database is up)
"""

import pytest

from .pure_lib import load_lib

req = load_lib("crm_extensions", "requisites")


def _fails(func, *args, field, reason):
    with pytest.raises(req.RequisiteError) as info:
        func(*args)
    assert info.value.field == field
    assert info.value.reason == reason
    return info.value


# --- INN -------------------------------------------------------------------------------------


@pytest.mark.parametrize("inn", ["7827004526", "7707083893", "760307073214", " 7707-083-893 "])
def test_inn_valid_both_lengths(inn):
    assert req.check_inn(inn) == req.clean(inn)


@pytest.mark.parametrize("inn", ["8827004526", "760307073224", "7707083894", "760307073215"])
def test_inn_wrong_check_digit(inn):
    _fails(req.check_inn, inn, field=req.INN, reason=req.MSG_CHECK_DIGIT)


@pytest.mark.parametrize("inn", ["77070838", "77070838931", "7603070732140"])
def test_inn_wrong_length(inn):
    error = _fails(req.check_inn, inn, field=req.INN, reason=req.MSG_LENGTH)
    assert error.params == {"expected": "10 or 12", "length": len(inn)}
    assert "INN: must be 10 or 12 digits long" in str(error)


@pytest.mark.parametrize("inn", ["77070838a3", "", None, "７７０７０８３８９３"])
def test_inn_not_digits(inn):
    _fails(req.check_inn, inn, field=req.INN, reason=req.MSG_DIGITS)


def test_inn_zeros():
    _fails(req.check_inn, "0000000000", field=req.INN, reason=req.MSG_ZEROS)


# --- KPP -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kpp", ["770701001", "7707AB001", "773301001"])
def test_kpp_valid(kpp):
    assert req.check_kpp(kpp) == kpp


@pytest.mark.parametrize("kpp", ["77070100", "7707010011", "7707ab001", "A70701001", "7707АБ001", ""])
def test_kpp_invalid(kpp):
    _fails(req.check_kpp, kpp, field=req.KPP, reason=req.MSG_KPP_FORMAT)


# --- OGRN / OGRNIP ---------------------------------------------------------------------------


def test_ogrn_valid():
    assert req.check_ogrn("1027812400868") == "1027812400868"
    assert req.check_registry_number("1027812400868") == (req.OGRN, "1027812400868")


def test_ogrn_invalid():
    _fails(req.check_ogrn, "1027812400869", field=req.OGRN, reason=req.MSG_CHECK_DIGIT)
    _fails(req.check_ogrn, "102781240086", field=req.OGRN, reason=req.MSG_LENGTH)
    _fails(req.check_ogrn, "2027812400868", field=req.OGRN, reason=req.MSG_OGRN_FIRST)
    _fails(req.check_ogrn, "10278124008x8", field=req.OGRN, reason=req.MSG_DIGITS)


@pytest.mark.parametrize("ogrnip", ["307760324100018", "304000000000030"])
def test_ogrnip_valid(ogrnip):
    assert req.check_ogrnip(ogrnip) == ogrnip
    assert req.check_registry_number(ogrnip) == (req.OGRNIP, ogrnip)


def test_ogrnip_remainder_ten_is_zero():
    # 30400000000003 mod 13 == 10: the check digit is 0 (python-stdnum wrongly wants "10").
    assert int("30400000000003") % 13 == 10
    assert req.check_ogrnip("304000000000030")
    _fails(req.check_ogrnip, "304000000000031", field=req.OGRNIP, reason=req.MSG_CHECK_DIGIT)


def test_ogrnip_remainders_eleven_and_twelve():
    for prefix in range(30400000000000, 30400000000100):
        remainder = prefix % 13
        if remainder in (11, 12):
            assert req.check_ogrnip(f"{prefix}{remainder % 10}")


def test_ogrnip_invalid():
    _fails(req.check_ogrnip, "307760324100017", field=req.OGRNIP, reason=req.MSG_CHECK_DIGIT)
    _fails(req.check_ogrnip, "107760324100018", field=req.OGRNIP, reason=req.MSG_OGRNIP_FIRST)
    _fails(req.check_registry_number, "12345678901234", field=req.OGRN, reason=req.MSG_LENGTH)


# --- BIK and accounts ------------------------------------------------------------------------


def test_bik():
    assert req.check_bik("044030827") == "044030827"
    _fails(req.check_bik, "04403082", field=req.BIK, reason=req.MSG_LENGTH)
    _fails(req.check_bik, "04403082X", field=req.BIK, reason=req.MSG_DIGITS)


@pytest.mark.parametrize(
    ("account", "bik"),
    [
        ("40702810900000002851", "044030827"),  # Kholenkov
        ("40602810700000000025", "049805746"),  # CBR example 3
        ("4070 2810 9000 0000 2851", "044030827"),
    ],
)
def test_settlement_account_valid(account, bik):
    assert req.check_account(account, bik) == req.clean(account)


def test_settlement_account_invalid():
    error = _fails(
        req.check_account, "40702810900000002861", "044030827", field=req.ACCOUNT, reason=req.MSG_ACCOUNT_KEY
    )
    assert error.params == {"bik": "044030827"}
    # the right account with another bank's BIK fails too
    _fails(
        req.check_account, "40702810900000002851", "049805746", field=req.ACCOUNT, reason=req.MSG_ACCOUNT_KEY
    )
    _fails(
        req.check_account,
        "4070281090000000285",
        "044030827",
        field=req.ACCOUNT,
        reason=req.MSG_ACCOUNT_FORMAT,
    )
    _fails(req.check_account, "40702810900000002851", "04403082", field=req.BIK, reason=req.MSG_LENGTH)


@pytest.mark.parametrize(
    ("account", "bik"),
    [
        ("30101810800000000746", "049805000"),  # CBR example 1
        ("30101810200000000827", "044030827"),  # Kholenkov
    ],
)
def test_corr_account_valid(account, bik):
    assert req.check_corr_account(account, bik) == account


def test_corr_account_invalid():
    _fails(
        req.check_corr_account,
        "30101810200000000828",
        "044030827",
        field=req.CORR_ACCOUNT,
        reason=req.MSG_ACCOUNT_KEY,
    )
    _fails(
        req.check_corr_account,
        "40702810900000002851",
        "044030827",
        field=req.CORR_ACCOUNT,
        reason=req.MSG_CORR_PREFIX,
    )


def test_account_letter_in_sixth_position():
    # The letter counts as its index in the CBR table (A=0 ... X=9): the key is that of the digit.
    account = "40702010900000002851"  # "0" in position 6 ...
    digits_key_ok = req._account_key_ok("827", account)
    assert req._account_key_ok("827", req._account_digits("40702A10900000002851")) == digits_key_ok


# --- consistency -----------------------------------------------------------------------------


def test_consistency():
    req.check_consistency(inn="7707083893", kpp="770701001", registry="1027812400868")
    req.check_consistency(inn="760307073214", registry="304000000000030")
    _fails(req.check_consistency, "760307073214", "770701001", None, field=req.KPP, reason=req.MSG_KPP_PERSON)
    error = _fails(
        req.check_consistency,
        "7707083893",
        None,
        "304000000000030",
        field=req.OGRNIP,
        reason=req.MSG_REGISTRY_MISMATCH,
    )
    assert error.params["expected"] == "OGRN"


# --- which rules apply (issue 8: requisites follow the company's country, as phones do) ------


def test_russian_rules_follow_country_then_company():
    assert req.russian_rules_apply("RU", "US", ("ABC",))
    assert not req.russian_rules_apply("DE", "RU", ("7707083893",))
    # no country in a Russian company: Russian rules, even for letters (so «ABCDEFGHIJ» is refused)
    assert req.russian_rules_apply(None, "RU", ("ABCDEFGHIJ",))
    assert req.russian_rules_apply(False, "RU", ())
    # neither known: digits-only values are taken for Russian numbers
    assert req.russian_rules_apply(None, "US", ("7707083893",))
    assert not req.russian_rules_apply(None, "US", ("ABCDEFGHIJ", None))
    assert not req.russian_rules_apply(None, None, ())
