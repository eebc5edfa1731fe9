# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Merge a freshly exported linear_crm.pot into i18n/ru.po (what `msgmerge` does, with polib).

Usage: python tools/i18n_update.py i18n/linear_crm.pot i18n/ru.po
Existing translations are kept, new terms are added untranslated, terms no longer in the
template are dropped. Prints how many terms still lack a translation.
"""

import sys

import polib


def merge(pot_path, po_path):
    template = polib.pofile(pot_path)
    try:
        catalog = polib.pofile(po_path)
    except OSError:
        catalog = polib.POFile()
    known = {(entry.msgctxt, entry.msgid): entry for entry in catalog}
    merged = polib.POFile(wrapwidth=0)
    merged.metadata = {
        **template.metadata,
        "Language": "ru",
        "Language-Team": "Russian",
        "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    for entry in template:
        old = known.get((entry.msgctxt, entry.msgid))
        entry.msgstr = old.msgstr if old else ""
        if old and old.msgstr_plural:
            entry.msgstr_plural = old.msgstr_plural
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        merged.append(entry)
    merged.save(po_path)
    missing = [entry.msgid for entry in merged if not entry.msgstr]
    print(f"{po_path}: {len(merged)} terms, {len(missing)} without a Russian translation")
    return missing


if __name__ == "__main__":
    merge(*sys.argv[1:3])
