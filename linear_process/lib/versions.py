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
    "old": step|None, "new": step|None}`.
    """
    old_by_key = {step["key"]: step for step in old_steps}
    new_keys = {step["key"] for step in new_steps}
    changes = []
    for step in new_steps:
        previous = old_by_key.get(step["key"])
        if previous is None:
            changes.append(
                {
                    "change": ADDED,
                    "key": step["key"],
                    "name": step["name"],
                    "fields": [],
                    "old": None,
                    "new": step,
                }
            )
            continue
        changed = [f for f in COMPARED_FIELDS if previous.get(f) != step.get(f)]
        if changed:
            changes.append(
                {
                    "change": CHANGED,
                    "key": step["key"],
                    "name": step["name"],
                    "fields": changed,
                    "old": previous,
                    "new": step,
                }
            )
    for step in old_steps:
        if step["key"] not in new_keys:
            changes.append(
                {
                    "change": REMOVED,
                    "key": step["key"],
                    "name": step["name"],
                    "fields": [],
                    "old": step,
                    "new": None,
                }
            )
    return changes
