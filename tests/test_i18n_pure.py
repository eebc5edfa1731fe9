# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Russian is a first-class language: every term of the template is translated, and no
translation loses or invents a placeholder (a formatting crash at run time otherwise)."""

import re
from pathlib import Path

import polib
import pytest

I18N = Path(__file__).resolve().parents[1] / "i18n"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}|\{\{.*?\}\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


@pytest.fixture(scope="module")
def catalog():
    return polib.pofile(str(I18N / "ru.po"))


def test_every_template_term_is_in_ru_po(catalog):
    template = polib.pofile(str(I18N / "linear_crm.pot"))
    translated = {(entry.msgctxt, entry.msgid) for entry in catalog if entry.msgstr}
    missing = [entry.msgid for entry in template if (entry.msgctxt, entry.msgid) not in translated]
    assert not missing, f"{len(missing)} terms without a Russian translation (run ./dev i18n): {missing[:5]}"


def test_placeholders_and_tags_are_kept(catalog):
    broken = [
        entry.msgid
        for entry in catalog
        if entry.msgstr
        and (
            sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
            or TAG.findall(entry.msgid) != TAG.findall(entry.msgstr)
        )
    ]
    assert not broken, f"translations that change placeholders or HTML tags: {broken[:5]}"
