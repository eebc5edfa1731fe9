# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Pure helpers of the process regulation export (PDF and XLSX), with no ORM.

`outline` orders a process and its decomposition depth-first, `sheet_name` makes names Excel
accepts, `trim_zeros` prints norms and targets without needless decimals, `customer_text` says
the customer of a process and its kind once.
"""

import re

SHEET_NAME_MAX = 31
FORBIDDEN_SHEET_CHARS = frozenset("[]:*?/\\")
RESERVED_SHEET_NAMES = frozenset({"history"})  # Excel keeps this one for itself


def outline(roots, children_of, max_depth):
    """Return `(node, depth, link)` for each root and, depth-first, the nodes below it.

    `children_of(node)` yields `(link, child)` pairs in order; `link` is what joins them (for a
    process: the step its child details) and is `None` for a root, whose depth is 0. A node is
    listed once only, so a cycle or a shared child cannot loop, and nodes deeper than
    `max_depth` are left out.
    """
    listed, seen = [], set()

    def visit(node, depth, link):
        if node in seen or depth > max_depth:
            return
        seen.add(node)
        listed.append((node, depth, link))
        for child_link, child in children_of(node):
            visit(child, depth + 1, child_link)

    for root in roots:
        visit(root, 0, None)
    return listed


def sheet_name(title, used, fallback="Sheet"):
    """A worksheet name for `title` that Excel accepts and that is not in `used` yet.

    Forbidden characters become spaces, the name is cut to 31 characters, may not start or end
    with an apostrophe, and gets a " (2)", " (3)" ... suffix when taken (Excel compares names
    case-insensitively). The name is added to `used`, a set of case-folded names.
    """
    cleaned = "".join(" " if char in FORBIDDEN_SHEET_CHARS else char for char in title or "")
    base = " ".join(cleaned.split()).strip("'").strip() or fallback
    candidate, counter = _cut(base, ""), 2
    while candidate.casefold() in used or candidate.casefold() in RESERVED_SHEET_NAMES:
        candidate = _cut(base, f" ({counter})")
        counter += 1
    used.add(candidate.casefold())
    return candidate


def _cut(base, suffix):
    return base[: SHEET_NAME_MAX - len(suffix)].rstrip().rstrip("'") + suffix


def trim_zeros(text, decimal_point):
    """Drop the trailing zeros of a formatted number: '1,000.00' -> '1,000', '0.250' -> '0.25'."""
    if not decimal_point or decimal_point not in text:
        return text
    whole, _point, fraction = text.rpartition(decimal_point)
    fraction = fraction.rstrip("0")
    return f"{whole}{decimal_point}{fraction}" if fraction else whole


def customer_text(customer, kind_label):
    """The customer of a process with its kind, said once.

    «Отдел кадров» + «Внутренний» -> «Отдел кадров (Внутренний)», but «Внешний клиент (покупатель)»
    already says it is external and stays as it is; with no customer the kind alone is shown.
    """
    customer, kind = (customer or "").strip(), (kind_label or "").strip()
    if not customer:
        return kind
    if not kind or _mentions(customer, kind):
        return customer
    return f"{customer} ({kind})"


def _mentions(text, word):
    """Whether `text` has a word of the same stem as `word` («внешнего» for «Внешний»)."""
    folded = word.casefold()
    stem = folded[: max(4, len(folded) - 2)]
    return any(token.startswith(stem) for token in re.findall(r"\w+", text.casefold()))
