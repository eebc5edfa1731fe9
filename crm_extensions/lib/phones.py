# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Phone normalisation to E.164, the matching key of clients across channels.

``normalize`` keeps valid numbers only and drops extensions, so two spellings of one line give the
same key: ``8 (916) 123-45-67``, ``+7 916 1234567``, ``89161234567``, ``9161234567`` and the
WhatsApp / PBX style ``79161234567`` all become ``+79161234567`` with the default region RU.
"""

import re

import phonenumbers

DEFAULT_REGION = "RU"
# phonenumbers refuses longer input anyway; a cap keeps garbage from costing parse time.
MAX_INPUT_LENGTH = 64
_NON_DIGITS_RE = re.compile(r"\D")


def _parse_valid(text, region):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def parse(raw, default_region=DEFAULT_REGION):
    """The valid ``PhoneNumber`` behind ``raw`` or ``None``; tries the international readings of
    a number typed without ``+`` (``79161234567``, ``0079161234567``) when the national one fails."""
    if not raw or not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        return None
    region = (default_region or "").upper() or None
    number = _parse_valid(text, region)
    if number is not None or text.startswith("+"):
        return number
    digits = _NON_DIGITS_RE.sub("", text.split(";")[0])
    if digits.startswith("00"):
        return _parse_valid("+" + digits[2:], None)
    if len(digits) >= 11 and text.lstrip()[:1].isdigit():
        return _parse_valid("+" + digits, None)
    return None


def normalize(raw, default_region=DEFAULT_REGION):
    """E.164 string (``+79161234567``) of a valid phone number, extension dropped; else ``None``."""
    number = parse(raw, default_region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_international(raw, default_region=DEFAULT_REGION):
    """``+7 916 123-45-67`` for display, or ``None`` when the number is not valid."""
    number = parse(raw, default_region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
