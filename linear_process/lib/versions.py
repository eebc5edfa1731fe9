# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Differences between two versions of a process body, with no ORM.

Steps are matched by their `key` (kept when a version is copied), so a renamed or moved step is
"changed", not "removed and added".
"""

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
COMPARED_FIELDS = (
    "name",
    "position",
    "results",
    "responsible",
    "executors",
    "norm",
    "inputs",
    "outputs",
    "notes",
)


def diff_steps(old_steps: list[dict], new_steps: list[dict]) -> list[dict]:
    """Return one entry per added, removed or changed step, in the order of the new body.

    Each step is a dict with `key` and the COMPARED_FIELDS; an entry is
    `{"change": ADDED|REMOVED|CHANGED, "key": ..., "name": ..., "fields": [changed field names],
    "old": step|None, "new": step|None}`. A step counts as moved ("position") only when its order
    among the steps both versions share changed: removing or adding a step moves no other.
    """
    old_by_key = {step["key"]: step for step in old_steps}
    new_keys = {step["key"] for step in new_steps}
    old_rank = _ranks(old_steps, new_keys)
    new_rank = _ranks(new_steps, set(old_by_key))
    changes = []
    for step in new_steps:
        previous = old_by_key.get(step["key"])
        if previous is None:
            changes.append(_change(ADDED, step, None, step))
            continue
        changed = [f for f in COMPARED_FIELDS if f != "position" and previous.get(f) != step.get(f)]
        if old_rank[step["key"]] != new_rank[step["key"]]:
            changed.insert(0, "position")
        if changed:
            changes.append(_change(CHANGED, step, previous, step, changed))
    changes.extend(_change(REMOVED, step, step, None) for step in old_steps if step["key"] not in new_keys)
    return changes


def _ranks(steps, shared_keys):
    shared = [step["key"] for step in steps if step["key"] in shared_keys]
    return {key: rank for rank, key in enumerate(shared)}


def _change(kind, step, old, new, fields=()):
    return {
        "change": kind,
        "key": step["key"],
        "name": step["name"],
        "fields": list(fields),
        "old": old,
        "new": new,
    }


LIST_FIELDS = ("results", "executors")


def field_difference(field: str, old: dict, new: dict) -> tuple:
    """Return the (before, after) values of one changed field of a step, for display.

    For the list fields (results, executors) only what differs is returned: the removed items
    before, the added ones after; a list whose items are the same but reordered is returned whole.
    """
    before, after = old.get(field), new.get(field)
    if field not in LIST_FIELDS:
        return before, after
    removed = [item for item in before or () if item not in (after or ())]
    added = [item for item in after or () if item not in (before or ())]
    if not removed and not added:
        return list(before or ()), list(after or ())
    return removed, added
