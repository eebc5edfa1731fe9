# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""SpreadsheetML of worksheet rows, built as text (no ORM, no xlsxwriter).

A large export spends most of its time in xlsxwriter's per-cell calls (a decorator, dimension
checks, one file write per tag). In constant-memory mode xlsxwriter writes each finished row as
text to a temporary file; these helpers build the same text for a whole row at once, so the
streamed export (crm_extensions/report/sales_rows_xlsx.py) writes one string per row. The
markup is xlsxwriter's own for these cells: numbers ``<c r s><v>``, inline strings, booleans.
"""

import re

# What xlsxwriter escapes in inline strings: control characters as _xHHHH_, and a literal
# "_xHHHH_" protected with _x005F.
_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)|([\x00-\x08\x0b-\x1f])")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

NUMBER, TEXT, BOOLEAN = "number", "text", "boolean"


def column_letters(count):
    """Excel column names A, B, ..., Z, AA, ... for the first ``count`` columns."""
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _escape(match):
    if match.group(1):
        return "_x005F" + match.group(1)
    return "_x%04X_" % ord(match.group(2))


def text_cell(reference, value):
    """An inline string cell, escaped as xlsxwriter does."""
    text = value if isinstance(value, str) else str(value)
    if "_x" in text or not text.isprintable():
        text = _ESCAPED.sub(_escape, text)
    text = text.translate(_MARKUP)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def row_xml(row, values, kinds, styles, letters, labels):
    """One ``<row>`` (``row`` 0-based) of ``values``; ``kinds`` per column NUMBER / TEXT /
    BOOLEAN, ``styles`` the xf index or None, ``labels`` a dict for selection values or None.
    Empty values (None) leave no cell."""
    number = row + 1
    cells = []
    append = cells.append
    for column, value in enumerate(values):
        if value is None:
            continue
        reference = f"{letters[column]}{number}"
        kind = kinds[column]
        if kind == NUMBER:
            style = styles[column]
            if style is None:
                append(f'<c r="{reference}"><v>{value:.16G}</v></c>')
            else:
                append(f'<c r="{reference}" s="{style}"><v>{value:.16G}</v></c>')
        elif kind == BOOLEAN:
            append(f'<c r="{reference}" t="b"><v>{1 if value else 0}</v></c>')
        else:
            mapping = labels[column]
            append(text_cell(reference, mapping.get(value, value) if mapping else value))
    return f'<row r="{number}">{"".join(cells)}</row>'
