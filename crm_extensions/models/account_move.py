# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Invoices of a deal: the native invoice carries the lead it was made for.

The link is set by the lead's Create Invoice button, by hand on the invoice, or from the sale
order's opportunity when ``sale_crm`` is installed (read from the registry, so ``sale`` stays an
optional module); credit notes keep the link of the invoice they reverse.
"""

from odoo import Command, api, fields, models

CUSTOMER_TYPES = ("out_invoice", "out_refund")
SETTLED_STATES = ("paid", "in_payment", "reversed")


class AccountMove(models.Model):
    _inherit = "account.move"

    linear_lead_id = fields.Many2one(
        "crm.lead",
        string="Deal",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        tracking=True,
        domain="[('type', '=', 'opportunity'), '|', ('company_id', '=', False), "
        "('company_id', '=', company_id)]",
        help="The CRM deal this customer invoice or credit note belongs to: its invoiced, paid and "
        "outstanding amounts count on the deal.",
    )

    # ------------------------------------------------------------------ link
    @api.model_create_multi
    def create(self, vals_list):
        default_lead = self.env.context.get("default_linear_lead_id")
        self._linear_check_lead_access([vals.get("linear_lead_id", default_lead) for vals in vals_list])
        moves = super().create(vals_list)
        moves.filtered(lambda move: not move.linear_lead_id)._linear_link_sale_opportunity()
        return moves

    def write(self, vals):
        if vals.get("linear_lead_id"):
            self._linear_check_lead_access([vals["linear_lead_id"]])
        return super().write(vals)

    @api.model
    def _linear_check_lead_access(self, lead_ids):
        """An invoice is linked only to a deal its author may read: a forged id would put the
        invoice's amounts on somebody else's deal."""
        ids = {lead_id for lead_id in lead_ids if isinstance(lead_id, int) and lead_id}
        if ids and not self.env.su:
            self.env["crm.lead"].browse(ids).check_access("read")

    def _linear_link_sale_opportunity(self):
        """With sale_crm: an invoice made from a sale order belongs to the order's opportunity."""
        line_fields = self.env["account.move.line"]._fields
        order_fields = self.env["sale.order"]._fields if "sale.order" in self.env else {}
        if "sale_line_ids" not in line_fields or "opportunity_id" not in order_fields:
            return
        for move in self.filtered(lambda m: m.move_type in CUSTOMER_TYPES):
            leads = move.invoice_line_ids.sale_line_ids.order_id.opportunity_id
            if len(leads) == 1:
                move.linear_lead_id = leads

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A credit note belongs to the deal of the invoice it reverses (the reversal copies the
        # invoice without its copy=False fields).
        if not default_values_list:
            default_values_list = [{} for _move in self]
        for move, values in zip(self, default_values_list, strict=True):
            if move.linear_lead_id and "linear_lead_id" not in values:
                values["linear_lead_id"] = move.linear_lead_id.id
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    # ------------------------------------------------------------------ figures
    def _linear_customer_posted(self):
        return self.filtered(lambda move: move.state == "posted" and move.move_type in CUSTOMER_TYPES)

    def _linear_outstanding_signed(self):
        """What is still owed on the invoice, in company currency (negative for a credit note).

        A payment registered without a journal entry (a bank journal with no outstanding account)
        leaves the residual untouched while Odoo shows the invoice as in payment: it counts paid."""
        self.ensure_one()
        if self.payment_state in SETTLED_STATES:
            return 0.0
        return self.amount_residual_signed

    def _linear_totals(self, payment_dates):
        """(invoiced, outstanding, last payment date) of these posted customer documents, in
        company currency: the figures a deal and a client both show. ``payment_dates`` is
        ``_linear_payment_dates()`` of a batch holding them."""
        invoiced = sum(self.mapped("amount_total_signed"))
        outstanding = sum(move._linear_outstanding_signed() for move in self)
        dates = [payment_dates[move.id] for move in self if move.id in payment_dates]
        return invoiced, outstanding, max(dates) if dates else False

    def _linear_payment_dates(self):
        """{invoice id: date of its last payment} for these invoices, in a few batched reads.

        Payments are the reconciled journal entries that are not invoices or credit notes (a
        payment's entry, a bank statement line), and Odoo's payments matched without an entry."""
        dates = {}

        def keep(move, day):
            if day and (move.id not in dates or day > dates[move.id]):
                dates[move.id] = day

        lines = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        for partial in lines.matched_credit_ids | lines.matched_debit_ids:
            for own, other in (
                (partial.debit_move_id, partial.credit_move_id),
                (partial.credit_move_id, partial.debit_move_id),
            ):
                if own.move_id in self and other.move_id.move_type == "entry":
                    keep(own.move_id, other.date)  # the payment's date, not the later of the two
        for move in self:
            for payment in move.matched_payment_ids.filtered(lambda p: p.state in ("in_process", "paid")):
                keep(move, payment.date)
        return dates

    def _linear_demo_pay(self, amount, days_ago=0, xmlid=None):
        """Demo data only: the client pays ``amount`` of this posted invoice to the bank,
        ``days_ago`` days before today, as a bank entry reconciled with the invoice (what a bank
        statement reconciliation gives). ``xmlid`` names the entry in this module, so uninstalling
        the module removes it with the demo invoice (Odoo cannot delete a posted payment record)."""
        self.ensure_one()
        day = fields.Date.subtract(fields.Date.context_today(self), days=days_ago)
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company_id.id)], limit=1
        )
        receivable = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        partner = self.commercial_partner_id
        label = self.env._("Payment of %(invoice)s", invoice=self.name)
        entry = self.create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": day,
                "ref": label,
                "line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "account_id": journal.default_account_id.id,
                            "partner_id": partner.id,
                            "debit": amount,
                        }
                    ),
                    Command.create(
                        {
                            "name": label,
                            "account_id": receivable.account_id.id,
                            "partner_id": partner.id,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        paid = entry.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        (paid | receivable).reconcile()
        if xmlid:
            self.env["ir.model.data"].create(
                {
                    "module": "linear_crm",
                    "name": xmlid,
                    "model": "account.move",
                    "res_id": entry.id,
                    "noupdate": True,
                }
            )
        return entry

    # ------------------------------------------------------------------ deal automation
    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        # sudo: whoever registers the payment (an accountant, the 1C exchange) may not read or move
        # the deal; the move itself is the sales team's own setting, applied through the gate.
        self.sudo().linear_lead_id._linear_move_when_paid()
        return result
