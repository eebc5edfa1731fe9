# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A client's payment discipline: days late per invoice, their average, and a solvency mark.

Plain Python (dates and numbers in, numbers and a mark out) so that the rules are tested in
milliseconds; the partner model feeds it the client's posted customer invoices.

The mark:
- the overdue share is the part of everything invoiced to the client (net of credit notes) that
  is past due and unpaid today, in percent: a client who bought much and is a little late is not
  judged like one whose only invoice is unpaid;
- the average days late is over the invoices that fell due: paid ones count the days between the
  due date and the last payment (0 when on time), unpaid ones the days since the due date;
- ``bad`` when either figure reaches its "bad" threshold, ``watch`` when either reaches its
  "watch" threshold, else ``good``; no mark at all for a client never invoiced.
"""

GOOD = "good"
WATCH = "watch"
BAD = "bad"

# Defaults of the company settings (percent of invoiced, days).
DEFAULT_THRESHOLDS = {
    "watch_share": 10.0,
    "bad_share": 30.0,
    "watch_days": 15.0,
    "bad_days": 45.0,
}


def days_late(due, today, paid_on=None, open_amount=False):
    """Days an invoice was (or is) late, or None when it does not count yet.

    ``due``: its due date; ``paid_on``: the date of its last payment when it is settled;
    ``open_amount``: whether something is still to pay. An open invoice not yet due, or a settled
    one without a payment date (cancelled by a credit note), does not count.
    """
    if not due:
        return None
    if open_amount:
        return (today - due).days if today > due else None
    if not paid_on:
        return None
    return max((paid_on - due).days, 0)


def average_days_late(invoices, today):
    """Mean days late of ``invoices``, an iterable of (due, paid_on, open_amount); 0.0 when none count."""
    counted = [
        late
        for due, paid_on, open_amount in invoices
        if (late := days_late(due, today, paid_on=paid_on, open_amount=open_amount)) is not None
    ]
    return round(sum(counted) / len(counted), 1) if counted else 0.0


def overdue_share(invoiced, overdue):
    """Overdue as a percentage of invoiced (0 when nothing is invoiced)."""
    if invoiced <= 0:
        return 0.0
    return round(min(max(overdue, 0.0) / invoiced, 1.0) * 100.0, 1)


def check_thresholds(thresholds):
    """The thresholds with defaults filled in; raises ValueError when a "watch" level exceeds its
    "bad" level or a value is negative (a share is also at most 100)."""
    values = {**DEFAULT_THRESHOLDS, **{k: v for k, v in (thresholds or {}).items() if v is not None}}
    if any(value < 0 for value in values.values()):
        raise ValueError("negative")
    if values["watch_share"] > 100 or values["bad_share"] > 100:
        raise ValueError("share above 100")
    if values["watch_share"] > values["bad_share"] or values["watch_days"] > values["bad_days"]:
        raise ValueError("watch above bad")
    return values


def classify(invoiced, overdue, avg_days_late, thresholds=None):
    """``good`` / ``watch`` / ``bad``, or None for a client never invoiced (see the module doc)."""
    if invoiced <= 0 and overdue <= 0:
        return None
    limits = check_thresholds(thresholds)
    share = overdue_share(invoiced, overdue) if invoiced > 0 else 100.0
    if share >= limits["bad_share"] > 0 or avg_days_late >= limits["bad_days"] > 0:
        return BAD
    if share >= limits["watch_share"] > 0 or avg_days_late >= limits["watch_days"] > 0:
        return WATCH
    return GOOD
