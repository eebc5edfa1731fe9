# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Row bookkeeping of the import that keeps the good rows (crm_extensions/lib/import_rows.py)."""

from .pure_lib import load_lib

import_rows = load_lib("crm_extensions", "import_rows")


def test_spurious_first_message_dropped():
    batch_copy = {"type": "error", "message": "X bad", "rows": {"from": 0, "to": 0}, "record": 0}
    real = {"type": "error", "message": "X bad", "rows": {"from": 3, "to": 3}, "record": 3}
    assert import_rows.split_messages([batch_copy, real]) == ([(3, 3)], [real], [])
    # row 0 really failed too (its own message follows): it is kept
    own = {"type": "error", "message": "Y", "rows": {"from": 0, "to": 0}, "record": 0}
    assert import_rows.split_messages([batch_copy, own, real])[0] == [(0, 0), (3, 3)]


def test_global_errors_and_warnings():
    messages = [{"type": "error", "message": "Unknown field"}, {"type": "warning", "message": "too many"}]
    assert import_rows.split_messages(messages) == ([], [], [messages[0]])


def test_row_warnings_count_as_failed():
    warning = {"type": "warning", "message": "w", "rows": {"from": 2, "to": 3}, "record": 2}
    assert import_rows.split_messages([warning])[0] == [(2, 3)]


def test_drop_and_remap():
    data = [["a"], ["b"], ["c"], ["d"], ["e"]]
    kept, index = import_rows.drop_rows(data, [(1, 1), (3, 3)])
    assert (kept, index) == ([["a"], ["c"], ["e"]], [0, 2, 4])
    kept2, index2 = import_rows.drop_rows(kept, [(1, 1)], index)
    assert (kept2, index2) == ([["a"], ["e"]], [0, 4])
    message = {"type": "error", "message": "m", "rows": {"from": 1, "to": 1}, "record": 1}
    remapped = import_rows.remap_message(message, index2, dropped_starts=[1, 2, 3])
    assert (remapped["rows"], remapped["record"]) == ({"from": 4, "to": 4}, 4)
    assert message["rows"] == {"from": 1, "to": 1}, "the original is untouched"


def test_multi_row_record_dropped_whole():
    data = [["order", "line 1"], ["", "line 2"], ["next", "line"]]
    kept, index = import_rows.drop_rows(data, [(0, 1)])
    assert (kept, index) == ([["next", "line"]], [2])
