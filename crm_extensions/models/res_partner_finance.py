# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A client's finance: totals of its posted customer invoices, overdue, days late, solvency.

Computed on the commercial entity (a company and its contacts share one account with the
client, as Odoo's ``commercial_partner_id`` on invoices says), from every customer invoice of
the client, linked to a deal or not: solvency is about the client, not one deal. Amounts are in
the company currency (``*_signed``). Stored for lists, filters and group-bys; what the passing
of time changes (an invoice falling overdue) is refreshed by a daily cron, what invoices and
payments change follows their stored fields at once. The rules are in ``lib/solvency.py``.
"""

from odoo import api, fields, models

from ..lib import solvency
from .crm_lead_finance import FINANCE_GROUPS, refuse_computed_finance

SOLVENCY = [(solvency.GOOD, "Good"), (solvency.WATCH, "Watch"), (solvency.BAD, "Bad")]
FINANCE_FIELDS = (
    "linear_amount_invoiced",
    "linear_amount_paid",
    "linear_amount_outstanding",
    "linear_amount_overdue",
    "linear_last_payment_date",
    "linear_days_late_avg",
    "linear_solvency",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    linear_customer_invoice_ids = fields.One2many(
        "account.move",
        "commercial_partner_id",
        string="Customer Invoices of the Client",
        domain=[("move_type", "in", ("out_invoice", "out_refund"))],
        groups=FINANCE_GROUPS,
    )
    linear_amount_invoiced = fields.Monetary(
        string="Invoiced",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="Posted customer invoices of the client minus its credit notes, in the company currency.",
    )
    linear_amount_paid = fields.Monetary(
        string="Paid", compute="_compute_linear_finance", store=True, groups=FINANCE_GROUPS
    )
    linear_amount_outstanding = fields.Monetary(
        string="Outstanding",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="What the client still owes on its posted invoices.",
    )
    linear_amount_overdue = fields.Monetary(
        string="Overdue",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="What the client owes on invoices past their due date.",
    )
    linear_last_payment_date = fields.Date(
        string="Last Payment", compute="_compute_linear_finance", store=True, groups=FINANCE_GROUPS
    )
    linear_days_late_avg = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_linear_finance",
        store=True,
        aggregator="avg",
        groups=FINANCE_GROUPS,
        help="Average delay of the invoices that fell due: paid ones from the due date to the last "
        "payment (0 when on time), unpaid ones until today.",
    )
    linear_solvency = fields.Selection(
        SOLVENCY,
        string="Solvency",
        compute="_compute_linear_finance",
        store=True,
        index="btree_not_null",
        groups=FINANCE_GROUPS,
        help="Good, watch or bad, from the overdue share of what was invoiced and the average days "
        "late, against the thresholds of the company's settings. Empty for a client never invoiced.",
    )
    # the Overdue filter and the bookkeeping list read the clients who owe past due
    _linear_overdue_idx = models.Index("(linear_amount_overdue) WHERE linear_amount_overdue != 0")

    @api.depends(
        "linear_customer_invoice_ids.state",
        "linear_customer_invoice_ids.amount_total_signed",
        "linear_customer_invoice_ids.amount_residual_signed",
        "linear_customer_invoice_ids.payment_state",
        "linear_customer_invoice_ids.invoice_date_due",
        "company_id",
    )
    def _compute_linear_finance(self):
        invoices = self.linear_customer_invoice_ids._linear_customer_posted()
        payment_dates = invoices._linear_payment_dates()
        by_client = invoices.grouped("commercial_partner_id")
        today = fields.Date.context_today(self)
        for partner in self:
            own = by_client.get(partner, invoices.browse())
            company = partner.company_id or self.env.company
            invoiced, outstanding, last_payment = own._linear_totals(payment_dates)
            overdue, discipline = 0.0, []
            for move in own:
                owed = move._linear_outstanding_signed()
                if owed > 0 and move.invoice_date_due and move.invoice_date_due < today:
                    overdue += owed
                if move.move_type == "out_invoice":
                    discipline.append((move.invoice_date_due, payment_dates.get(move.id), owed > 0))
            days_late = solvency.average_days_late(discipline, today)
            partner.linear_amount_invoiced = invoiced
            partner.linear_amount_outstanding = outstanding
            partner.linear_amount_paid = invoiced - outstanding
            partner.linear_amount_overdue = overdue
            partner.linear_last_payment_date = last_payment
            partner.linear_days_late_avg = days_late
            partner.linear_solvency = (
                solvency.classify(invoiced, overdue, days_late, company._linear_solvency_thresholds())
                if own
                else False
            )

    def write(self, vals):
        refuse_computed_finance(self, vals, set(FINANCE_FIELDS))
        return super().write(vals)

    @api.model
    def _linear_recompute_finance(self, partners=None):
        """Recompute the stored finance of ``partners`` (default: every client with an open
        invoice): the daily cron for invoices falling due, and after the thresholds change."""
        if partners is None:
            open_invoices = self.env["account.move"].search(
                [
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )
            partners = open_invoices.commercial_partner_id
        for fname in FINANCE_FIELDS:
            self.env.add_to_compute(self._fields[fname], partners)
        partners._recompute_recordset(FINANCE_FIELDS)
        return True
