# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Deal finance: what is invoiced, paid and still owed on a lead, from its native invoices.

Amounts are in the company currency, as Odoo signs them on the invoice (``amount_total_signed``,
``amount_residual_signed``): an invoice in another currency counts at its own rate, a credit note
subtracts. Only posted customer invoices and credit notes count. The figures are stored so that
lists, filters and reports read them without touching accounting; they follow the invoices'
stored fields, which a payment's reconciliation recomputes (residual, payment state).

Who sees them: accountants, invoicing users and sales managers (``FINANCE_GROUPS``); a plain
salesperson does not read them, not even over RPC (the bookkeeping of a client is not theirs).
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError

FINANCE_GROUPS = (
    "linear_crm.group_linear_accountant,account.group_account_invoice,"
    "account.group_account_readonly,sales_team.group_sale_manager"
)
# Stored figures computed from invoices: nobody writes them, not even who may read them.
COMPUTED_FINANCE = {
    "linear_amount_invoiced",
    "linear_amount_paid",
    "linear_amount_outstanding",
    "linear_last_payment_date",
    "linear_payment_status",
}
PAYMENT_STATUSES = [
    ("none", "Not Invoiced"),
    ("unpaid", "Unpaid"),
    ("partial", "Partially Paid"),
    ("paid", "Fully Paid"),
]


def refuse_computed_finance(records, vals, fnames):
    """Stored finance figures follow the invoices: a write of one (an import, a forged RPC call)
    would let an accountant hide a debt, so it is refused. Recomputation does not go through
    write()."""
    forged = sorted(fnames & vals.keys())
    if forged:
        raise AccessError(
            records.env._(
                "%(fields)s: computed from invoices and payments, not written by hand.",
                fields=", ".join(records._fields[fname].string for fname in forged),
            )
        )


class CrmLead(models.Model):
    _inherit = "crm.lead"

    linear_invoice_ids = fields.One2many(
        "account.move", "linear_lead_id", string="Invoices", groups=FINANCE_GROUPS, copy=False
    )
    linear_invoice_count = fields.Integer(
        string="Invoice Count", compute="_compute_linear_invoice_count", groups=FINANCE_GROUPS
    )
    linear_amount_invoiced = fields.Monetary(
        string="Invoiced",
        currency_field="company_currency",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="Posted customer invoices of the deal minus its credit notes, in the company currency.",
    )
    linear_amount_paid = fields.Monetary(
        string="Paid",
        currency_field="company_currency",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="What the client has paid on the deal's invoices (invoiced minus outstanding).",
    )
    linear_amount_outstanding = fields.Monetary(
        string="Outstanding",
        currency_field="company_currency",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="What is still to be paid on the deal's posted invoices.",
    )
    linear_last_payment_date = fields.Date(
        string="Last Payment",
        compute="_compute_linear_finance",
        store=True,
        groups=FINANCE_GROUPS,
        help="Date of the last payment on the deal's invoices.",
    )
    linear_payment_status = fields.Selection(
        PAYMENT_STATUSES,
        string="Payment",
        compute="_compute_linear_finance",
        store=True,
        index=True,
        groups=FINANCE_GROUPS,
        help="Not invoiced, unpaid, partially or fully paid, from the deal's posted invoices.",
    )
    linear_client_solvency = fields.Selection(
        related="partner_id.commercial_partner_id.linear_solvency",
        string="Client Solvency",
        groups=FINANCE_GROUPS,
    )
    # Seen by the salesperson too, as Accounting's warning on a quotation is: whoever promises the
    # client more should know it is over its limit (the amounts stay hidden from them).
    linear_credit_warning = fields.Text(
        string="Credit Limit Warning",
        compute="_compute_linear_credit_warning",
        help="Shown on an open deal when the client's receivable plus this deal's expected revenue "
        "exceeds the client's credit limit (Accounting's own credit limit setting).",
    )
    # the Unpaid filter and the finance lists read the deals that still owe something
    _linear_outstanding_idx = models.Index("(linear_amount_outstanding) WHERE linear_amount_outstanding != 0")

    @api.depends("linear_invoice_ids")
    def _compute_linear_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("linear_lead_id", "in", self.ids)], ["linear_lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.linear_invoice_count = counts.get(lead, 0)

    @api.depends(
        "linear_invoice_ids.state",
        "linear_invoice_ids.move_type",
        "linear_invoice_ids.amount_total_signed",
        "linear_invoice_ids.amount_residual_signed",
        "linear_invoice_ids.payment_state",
    )
    def _compute_linear_finance(self):
        invoices = self.linear_invoice_ids._linear_customer_posted()
        payment_dates = invoices._linear_payment_dates()
        by_lead = invoices.grouped("linear_lead_id")
        for lead in self:
            own = by_lead.get(lead, invoices.browse())
            invoiced, outstanding, last_payment = own._linear_totals(payment_dates)
            currency = lead.company_currency or self.env.company.currency_id
            lead.linear_amount_invoiced = invoiced
            lead.linear_amount_outstanding = outstanding
            lead.linear_amount_paid = invoiced - outstanding
            lead.linear_last_payment_date = last_payment
            if not own:
                lead.linear_payment_status = "none"
            elif currency.compare_amounts(outstanding, 0) <= 0:
                lead.linear_payment_status = "paid" if invoiced > 0 else "none"
            elif currency.compare_amounts(invoiced - outstanding, 0) > 0:
                lead.linear_payment_status = "partial"
            else:
                lead.linear_payment_status = "unpaid"

    @api.depends("partner_id", "company_id", "expected_revenue", "won_status", "type")
    def _compute_linear_credit_warning(self):
        for lead in self:
            company = lead.company_id or self.env.company
            client = lead.partner_id.commercial_partner_id
            lead.linear_credit_warning = False
            if not client or lead.won_status != "pending" or not company.account_use_credit_limit:
                continue
            # Accounting's own message, as on a draft invoice or a quotation: the client's
            # receivable plus what is still to invoice plus this deal; sudo as sale does (the
            # receivable and the limit are read whatever the reader may read of accounting).
            lead.linear_credit_warning = (
                self.env["account.move"]
                .with_company(company)
                ._build_credit_warning_message(lead.sudo(), current_amount=lead.expected_revenue)
                or False
            )

    def write(self, vals):
        refuse_computed_finance(self, vals, COMPUTED_FINANCE)
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_linear_create_invoice(self):
        """A draft customer invoice for the deal's client, linked to the deal."""
        self.ensure_one()
        if not self.env["account.move"].has_access("create"):
            raise UserError(self.env._("You are not allowed to create invoices."))
        if not self.partner_id:
            raise UserError(self.env._("Set the deal's customer before invoicing it."))
        company = self.company_id or self.env.company
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice"),
            "res_model": "account.move",
            "view_mode": "form",
            "views": [(self.env.ref("account.view_move_form").id, "form")],
            "context": {
                "default_move_type": "out_invoice",
                "default_partner_id": self.partner_id.id,
                "default_linear_lead_id": self.id,
                "default_company_id": company.id,
                "default_invoice_origin": self.name,
                "default_invoice_user_id": self.user_id.id or self.env.uid,
                "default_team_id": self.team_id.id,
            },
        }

    def action_linear_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("account.view_out_invoice_tree").id, "list"),
                (self.env.ref("account.view_move_form").id, "form"),
            ],
            "domain": [("linear_lead_id", "=", self.id)],
            "context": {
                "default_move_type": "out_invoice",
                "default_linear_lead_id": self.id,
                "create": False,
            },
        }

    # ------------------------------------------------------------------ automation
    def _linear_move_when_paid(self):
        """Move fully paid deals to their team's "when paid" stage, through the ordinary stage write
        so the gate, step timing and stage history see the move. A deal the gate holds back (results
        of earlier steps not confirmed) stays where it is, with a note saying why: a payment does not
        confirm results, and the payment itself must never fail because of the pipeline."""
        for lead in self:
            stage = lead.team_id.linear_paid_stage_id
            if (
                not stage
                or not lead.active
                or lead.type != "opportunity"
                or lead.stage_id == stage
                or lead.stage_id.is_won
                or lead.stage_id.sequence > stage.sequence
                or lead.linear_payment_status != "paid"
            ):
                continue
            env = lead.with_context(lang=lead.company_id._linear_text_lang()).env
            try:
                with self.env.cr.savepoint():
                    lead.write({"stage_id": stage.id})
            except (UserError, RedirectWarning) as error:
                body = env._(
                    "Fully paid, but not moved to «%(stage)s»: %(reason)s",
                    stage=stage.name,
                    reason=error.args[0],
                )
            else:
                body = env._("Fully paid: moved to «%(stage)s».", stage=stage.name)
            lead.message_post(
                body=Markup("<p>%s</p>") % body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
