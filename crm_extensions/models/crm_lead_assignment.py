# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..lib import assignment as engine

NOTIFY_MAX_BATCH = 50  # above this many assigned leads in one create, assignment e-mails are skipped


class CrmLead(models.Model):
    """Instant assignment of new leads that arrive without a salesperson, with the reason."""

    _inherit = "crm.lead"

    assignment_rule = fields.Selection(
        [
            (engine.RULE_CLIENT_MANAGER, "Client's manager"),
            (engine.RULE_LAST_CONTACT, "Last contact"),
            (engine.RULE_ROTATION, "Team rotation"),
            (engine.RULE_NONE, "Not assigned"),
            (engine.RULE_MANUAL, "Chosen by hand"),
        ],
        string="Assigned By",
        readonly=True,
        copy=False,
        help="Which assignment rule chose the salesperson of this lead.",
    )
    assignment_reason = fields.Char(
        readonly=True,
        copy=False,
        help="Why the lead went to this salesperson, or why nobody could take it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._assignment_on_create_allowed():
            return super().create(vals_list)
        pending = [vals for vals in vals_list if not vals.get("user_id")]
        if pending:
            self._assign_vals(pending)
        if len(pending) <= NOTIFY_MAX_BATCH:
            return super().create(vals_list)
        # an import or a bulk load: no "you have been assigned" e-mail per lead, as native
        # crm.team assignment does; the salespeople find them in their pipeline
        leads = super(CrmLead, self.with_context(mail_auto_subscribe_no_notify=True)).create(vals_list)
        return leads.with_env(self.env)

    @api.model
    def _assignment_on_create_allowed(self):
        """Leads get assigned unless the context says no or a salesperson is given by default.

        A salesperson limited to their own documents keeps the native default (themselves):
        handing their new lead to someone else would hide it from them at once.
        """
        context = self.env.context
        if context.get("linear_skip_assignment") or context.get("default_user_id"):
            return False
        user = self.env.user
        return (
            self.env.su
            or not user.has_group("sales_team.group_sale_salesman")
            or user.has_group("sales_team.group_sale_salesman_all_leads")
        )

    @api.model
    def _assign_vals(self, vals_list):
        """Fill user_id, team_id (for the rotation) and the reason in creation values, in place."""
        default_team_id = self.env.context.get("default_team_id")
        default_company_id = self.env.context.get("default_company_id")
        requests = [
            {
                "partner_id": vals.get("partner_id"),
                "team_id": vals.get("team_id") or default_team_id,
                "company_id": vals.get("company_id") or default_company_id,
            }
            for vals in vals_list
        ]
        Assignment = self.env["linear.lead.assignment"]
        team_ids = {r["team_id"] for r in requests if r["team_id"]}
        disabled = set(
            self.env["crm.team"].sudo().browse(team_ids).filtered(lambda t: not t.assignment_instant).ids
        )
        if not all(r["team_id"] for r in requests):
            default_team = self.env["crm.team"]._get_default_team_id()
            if default_team and not default_team.sudo().assignment_instant:
                disabled.add(None)
        todo = [
            (vals, request)
            for vals, request in zip(vals_list, requests, strict=True)
            if (request["team_id"] or None) not in disabled
        ]
        if not todo:
            return
        decisions = Assignment._plan([request for _vals, request in todo])
        reasons = Assignment._reasons(decisions)
        for (vals, request), decision, reason in zip(todo, decisions, reasons, strict=True):
            vals["user_id"] = decision.user_id or False
            if (
                decision.team_id
                and not request["team_id"]
                and decision.rule in (engine.RULE_ROTATION, engine.RULE_NONE)
            ):
                vals["team_id"] = decision.team_id
            vals["assignment_rule"] = decision.rule
            vals["assignment_reason"] = reason
