# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Keep the good rows of an import: which rows failed, the data without them, messages mapped back.

Odoo's ``load()`` is all-or-nothing: one bad row rolls back the whole file. The client import keeps
the good rows instead: it reads the failed records from ``load()``'s messages (each carries
``rows: {from, to}`` relative to the data and ``record``, the record's index), loads again without
them and reports the failures with their original row numbers.
"""


def _has_rows(message):
    rows = message.get("rows")
    return isinstance(rows, dict) and "from" in rows and "to" in rows


def drop_spurious_first(messages):
    """Drop the copy of a batch error that ``load()`` puts first, tagged with the batch's first row.

    When a whole batch fails, ``load()`` retries record by record and, if any record failed, inserts
    the batch's error in front, carrying the *first* record's rows although that record may be
    fine. It is recognisable: its text is repeated later by the record that really failed, while
    its own rows have no other message.
    """
    if len(messages) < 2 or not _has_rows(messages[0]):
        return list(messages)
    first, rest = messages[0], messages[1:]
    same_text = any(m.get("message") == first.get("message") for m in rest)
    own_rows = any(_has_rows(m) and m["rows"] == first["rows"] for m in rest)
    return rest if same_text and not own_rows else list(messages)


def split_messages(messages):
    """(failed row ranges, messages about rows, global errors) of one ``load()`` result.

    Any message carrying rows means that record was not saved. Errors without rows concern the whole
    file (unknown column, broken transaction): nothing can be kept then. Warnings without rows (such
    as "interrupted after too many errors") are dropped: the next pass tries those rows again.
    """
    messages = drop_spurious_first(messages)
    ranges, row_messages, global_errors = [], [], []
    for message in messages:
        if _has_rows(message):
            ranges.append((message["rows"]["from"], message["rows"]["to"]))
            row_messages.append(message)
        elif message.get("type") == "error":
            global_errors.append(message)
    return sorted(set(ranges)), row_messages, global_errors


def drop_rows(data, ranges, index=None):
    """``data`` without the rows in ``ranges`` (inclusive), and the original index of each kept row.

    ``index`` maps the rows of ``data`` to the original file's rows when ``data`` is itself already
    a filtered copy; by default row i is original row i.
    """
    index = list(range(len(data))) if index is None else index
    dropped = set()
    for start, end in ranges:
        dropped.update(range(start, end + 1))
    kept = [
        (row, original)
        for position, (row, original) in enumerate(zip(data, index, strict=True))
        if position not in dropped
    ]
    return [row for row, _original in kept], [original for _row, original in kept]


def remap_message(message, index, dropped_starts=()):
    """A copy of ``message`` whose rows (and record number) refer to the original file.

    ``index`` maps the filtered data's rows to original rows; ``dropped_starts`` are the original
    first rows of the records removed so far, used to renumber ``record``.
    """
    message = dict(message)
    if _has_rows(message):
        start, end = message["rows"]["from"], message["rows"]["to"]
        original_start = index[start] if 0 <= start < len(index) else start
        original_end = index[end] if 0 <= end < len(index) else end
        message["rows"] = dict(message["rows"], **{"from": original_start, "to": original_end})
        if isinstance(message.get("record"), int):
            message["record"] += sum(1 for first in dropped_starts if first < original_start)
    return message
