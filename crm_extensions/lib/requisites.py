# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Russian requisites: INN, KPP, OGRN, OGRNIP, BIK and bank accounts (control key).

Each ``check_*`` function returns the cleaned value or raises :class:`RequisiteError` carrying the
requisite (``field``) and an English ``reason`` format string with its ``params``; models translate
the reason with ``self.env._(error.reason, **error.params)``. The algorithms and their published
test vectors are in the project's protocols notes (section 5). python-stdnum is not used: its OGRNIP
check is wrong for remainders 10-12 and older releases lack it.
"""

import re


def _lt(text):
    """Mark a message for the translation export; models translate it at runtime."""
    return text


INN = "inn"
KPP = "kpp"
OGRN = "ogrn"
OGRNIP = "ogrnip"
BIK = "bik"
ACCOUNT = "account"
CORR_ACCOUNT = "corr_account"

# Labels shown to users; the model translates them.
LABELS = {
    INN: _lt("INN"),
    KPP: _lt("KPP"),
    OGRN: _lt("OGRN"),
    OGRNIP: _lt("OGRNIP"),
    BIK: _lt("BIK"),
    ACCOUNT: _lt("Settlement account"),
    CORR_ACCOUNT: _lt("Correspondent account"),
}

MSG_DIGITS = _lt("must contain digits only")
MSG_LENGTH = _lt("must be %(expected)s digits long, not %(length)s")
MSG_CHECK_DIGIT = _lt("the check digit does not match")
MSG_ZEROS = _lt("cannot consist of zeros only")
MSG_KPP_FORMAT = _lt(
    "must be 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits (e.g. 770101001)"
)
MSG_OGRN_FIRST = _lt("must start with 1 or 5")
MSG_OGRNIP_FIRST = _lt("must start with 3")
MSG_ACCOUNT_FORMAT = _lt("must be 20 characters: digits, the 6th may be a capital letter")
MSG_ACCOUNT_KEY = _lt("the control key does not match BIK %(bik)s")
MSG_CORR_PREFIX = _lt("must start with 30101")
MSG_KPP_PERSON = _lt("applies to organisations only (a 10-digit INN), not to a 12-digit INN")
MSG_REGISTRY_MISMATCH = _lt("a %(inn_length)s-digit INN goes with %(expected)s, not %(got)s")

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = (7, 1, 3) * 8  # 24 weights, the first 23 are used
_KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
_ACCOUNT_RE = re.compile(r"^\d{5}[\dABCEHKMPTX]\d{14}$")
_SEPARATORS_RE = re.compile(r"[\s\-.]")


class RequisiteError(ValueError):
    """A requisite is invalid: ``field`` names it, ``reason`` % ``params`` says why (English)."""

    def __init__(self, field, reason, **params):
        self.field = field
        self.reason = reason
        self.params = params
        super().__init__(f"{LABELS.get(field, field)}: {reason % params if params else reason}")


def clean(value):
    """Strip spaces, dashes and dots users type inside numbers; ``None``/empty gives ''."""
    return _SEPARATORS_RE.sub("", value or "")


def russian_rules_apply(country_code, company_country_code=None, values=()):
    """Whether a card's requisites follow the Russian rules.

    The partner's own country decides; without one, the country of its company (as for phone
    numbers): a Russian company's card is Russian whatever is typed, so «ABCDEFGHIJ» is refused
    as an INN. Without either, digits-only values are taken for Russian numbers.
    """
    if country_code:
        return country_code == "RU"
    if company_country_code == "RU":
        return True
    return any(clean(value).isdigit() for value in values)


def _digits(field, value, lengths):
    value = clean(value)
    if not value.isdigit() or not value.isascii():
        raise RequisiteError(field, MSG_DIGITS)
    if len(value) not in lengths:
        expected = " or ".join(str(n) for n in lengths)
        raise RequisiteError(field, MSG_LENGTH, expected=expected, length=len(value))
    return value


def _weighted(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def check_inn(value):
    """INN of an organisation (10 digits) or a person / sole trader (12 digits)."""
    inn = _digits(INN, value, (10, 12))
    if not inn.strip("0"):
        raise RequisiteError(INN, MSG_ZEROS)
    if len(inn) == 10:
        ok = _weighted(inn, _INN10_WEIGHTS) % 11 % 10 == int(inn[9])
    else:
        ok = _weighted(inn, _INN11_WEIGHTS) % 11 % 10 == int(inn[10]) and _weighted(
            inn, _INN12_WEIGHTS
        ) % 11 % 10 == int(inn[11])
    if not ok:
        raise RequisiteError(INN, MSG_CHECK_DIGIT)
    return inn


def check_kpp(value):
    """KPP: ``NNNNPPXXX``; the reason code PP may be digits or capital Latin letters. No checksum."""
    kpp = clean(value)
    if not _KPP_RE.match(kpp):
        raise RequisiteError(KPP, MSG_KPP_FORMAT)
    return kpp


def check_ogrn(value):
    """OGRN of an organisation: 13 digits, check = int(first 12) mod 11 mod 10."""
    ogrn = _digits(OGRN, value, (13,))
    if ogrn[0] not in "15":
        raise RequisiteError(OGRN, MSG_OGRN_FIRST)
    if int(ogrn[:12]) % 11 % 10 != int(ogrn[12]):
        raise RequisiteError(OGRN, MSG_CHECK_DIGIT)
    return ogrn


def check_ogrnip(value):
    """OGRNIP of a sole trader: 15 digits, check = int(first 14) mod 13 mod 10 (remainders 10-12 too)."""
    ogrnip = _digits(OGRNIP, value, (15,))
    if ogrnip[0] != "3":
        raise RequisiteError(OGRNIP, MSG_OGRNIP_FIRST)
    if int(ogrnip[:14]) % 13 % 10 != int(ogrnip[14]):
        raise RequisiteError(OGRNIP, MSG_CHECK_DIGIT)
    return ogrnip


def check_registry_number(value):
    """OGRN (13 digits) or OGRNIP (15 digits), told apart by length; returns (kind, number)."""
    number = clean(value)
    if number.isdigit() and len(number) == 15:
        return OGRNIP, check_ogrnip(number)
    if number.isdigit() and len(number) != 13:
        raise RequisiteError(OGRN, MSG_LENGTH, expected="13 or 15", length=len(number))
    return OGRN, check_ogrn(number)


def check_bik(value):
    """BIK of a Russian bank: 9 digits, no checksum of its own."""
    return _digits(BIK, value, (9,))


def _account_key_ok(prefix, account):
    number = prefix + account
    return _weighted(number, _ACCOUNT_WEIGHTS[: len(number)]) % 10 == 0


def _account(field, value):
    account = clean(value)
    if not _ACCOUNT_RE.match(account):
        raise RequisiteError(field, MSG_ACCOUNT_FORMAT)
    return account


def _account_digits(account):
    # A letter in the 6th position (some ledger accounts) counts as its position in the CBR table.
    letters = "ABCEHKMPTX"
    char = account[5]
    return account if char.isdigit() else account[:5] + str(letters.index(char)) + account[6:]


def check_account(value, bik):
    """Settlement (client) account against the bank's BIK: key over BIK digits 7-9 + account."""
    account = _account(ACCOUNT, value)
    bik = check_bik(bik)
    if not _account_key_ok(bik[-3:], _account_digits(account)):
        raise RequisiteError(ACCOUNT, MSG_ACCOUNT_KEY, bik=bik)
    return account


def check_corr_account(value, bik):
    """Correspondent account of a bank: starts with 30101, key over "0" + BIK digits 5-6 + account."""
    account = _account(CORR_ACCOUNT, value)
    if not account.startswith("30101"):
        raise RequisiteError(CORR_ACCOUNT, MSG_CORR_PREFIX)
    bik = check_bik(bik)
    if not _account_key_ok("0" + bik[4:6], account):
        raise RequisiteError(CORR_ACCOUNT, MSG_ACCOUNT_KEY, bik=bik)
    return account


def check_consistency(inn=None, kpp=None, registry=None):
    """Cross-checks of already valid values: KPP and OGRN belong to organisations, OGRNIP to persons."""
    inn, kpp, registry = clean(inn), clean(kpp), clean(registry)
    if inn and kpp and len(inn) == 12:
        raise RequisiteError(KPP, MSG_KPP_PERSON)
    if inn and registry:
        expected = OGRN if len(inn) == 10 else OGRNIP
        got = OGRNIP if len(registry) == 15 else OGRN
        if got != expected:
            raise RequisiteError(
                got,
                MSG_REGISTRY_MISMATCH,
                inn_length=len(inn),
                expected=LABELS[expected],
                got=LABELS[got],
            )
