# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import assignment as engine
from ..models.crm_lead_assignment import NOTIFY_MAX_BATCH, assignment_context


class LinearReassignWizard(models.TransientModel):
    """Hand a leaving manager's clients and open leads over by the assignment rules.

    Opens on a preview: one line per client and per open lead with the proposed manager and the
    reason; the user may change a proposal, then applies. A client and its leads move together.
    """

    _name = "linear.reassign.wizard"
    _description = "Reassign Clients and Leads"

    user_ids = fields.Many2many(
        "res.users",
        string="Managers",
        context={"active_test": False},
        readonly=True,
        help="The managers whose clients and open leads are handed over.",
    )
    line_ids = fields.One2many("linear.reassign.wizard.line", "wizard_id", string="Proposals")
    line_count = fields.Integer(compute="_compute_line_count")
    unassigned_count = fields.Integer(compute="_compute_line_count")

    @api.depends("line_ids.new_user_id")
    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)
            wizard.unassigned_count = len(wizard.line_ids.filtered(lambda line: not line.new_user_id))

    @api.model
    def _can_reassign(self):
        user = self.env.user
        return (
            self.env.su
            or user.has_group("sales_team.group_sale_manager")
            or user.has_group("base.group_erp_manager")
        )

    @api.model
    def _action_open_for(self, users, only_if_needed=False):
        """The wizard action for `users`; False when `only_if_needed` and there is nothing to do."""
        if not self._can_reassign():
            if only_if_needed:
                return False
            raise UserError(self.env._("Only sales administrators can reassign clients and leads."))
        wizard = self.create({"user_ids": [fields.Command.set(users.ids)]})
        wizard._build_lines()
        if only_if_needed and not wizard.line_ids:
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign Clients and Leads"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _team_of(self, user):
        """The user's team, archived memberships included (archiving a user archives them)."""
        membership = (
            self.env["crm.team.member"]
            .sudo()
            .with_context(active_test=False)
            .search([("user_id", "=", user.id)], order="active desc, id desc", limit=1)
        )
        return membership.crm_team_id.id or False

    def _build_lines(self):
        """Compute the proposals: clients first, then open leads following their client."""
        self.ensure_one()
        self.line_ids.unlink()
        users = self.user_ids
        Partner = self.env["res.partner"].sudo()
        partners = Partner.search([("user_id", "in", users.ids)], order="id")
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search([("user_id", "in", users.ids), ("won_status", "=", "pending")], order="id")
        )
        # one decision per commercial entity, then the same new manager for its contacts and leads
        commercial_ids = list(dict.fromkeys(partners.commercial_partner_id.ids))
        owner_by_commercial = {p.commercial_partner_id.id: p.user_id for p in partners}
        requests = [
            {
                "partner_id": cid,
                "team_id": self._team_of(owner_by_commercial[cid]),
                "client_manager_id": False,
                "company_id": Partner.browse(cid).company_id.id,
            }
            for cid in commercial_ids
        ]
        index_by_commercial = {cid: i for i, cid in enumerate(commercial_ids)}
        for lead in leads:
            follow = index_by_commercial.get(lead.partner_id.commercial_partner_id.id)
            requests.append(
                {
                    "partner_id": lead.partner_id.id,
                    "team_id": lead.team_id.id or self._team_of(lead.user_id),
                    "company_id": lead.company_id.id,
                    "follow": follow,
                }
            )
        Assignment = self.env["linear.lead.assignment"]
        decisions = Assignment._plan(requests, excluded_user_ids=users.ids)
        reasons = Assignment._reasons(decisions)
        offset = len(commercial_ids)
        decision_by_commercial = {
            cid: (decision, reason)
            for cid, decision, reason in zip(
                commercial_ids, decisions[:offset], reasons[:offset], strict=True
            )
        }
        lines = []
        for partner in partners:
            decision, reason = decision_by_commercial[partner.commercial_partner_id.id]
            lines.append(
                self._line_vals("client", decision, reason, partner=partner, current=partner.user_id)
            )
        for lead, decision, reason in zip(leads, decisions[offset:], reasons[offset:], strict=True):
            lines.append(self._line_vals("lead", decision, reason, lead=lead, current=lead.user_id))
        self.env["linear.reassign.wizard.line"].sudo().create(lines)

    def _line_vals(self, kind, decision, reason, current, partner=None, lead=None):
        return {
            "wizard_id": self.id,
            "kind": kind,
            "partner_id": partner.id if partner else (lead.partner_id.id if lead else False),
            "lead_id": lead.id if lead else False,
            "current_user_id": current.id,
            "proposed_user_id": decision.user_id or False,
            "new_user_id": decision.user_id or False,
            "rule": decision.rule,
            "reason": reason,
        }

    def action_recompute(self):
        self._build_lines()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_apply(self):
        """Write the new managers; leads nobody can take go back to their team unassigned."""
        self.ensure_one()
        if not self._can_reassign():
            raise UserError(self.env._("Only sales administrators can reassign clients and leads."))
        manual_reason = self.env._("Reassigned by hand by %(name)s", name=self.env.user.name)
        partners_by_user = defaultdict(lambda: self.env["res.partner"].sudo())
        leads_by_values = defaultdict(lambda: self.env["crm.lead"].sudo())
        for line in self.line_ids:
            new_user = line.new_user_id
            manual = new_user != line.proposed_user_id
            company = line.lead_id.company_id or line.partner_id.company_id
            if new_user and company and company not in new_user.sudo().company_ids:
                raise UserError(
                    self.env._(
                        "%(user)s may not work in %(company)s, the company of %(record)s: "
                        "choose another manager.",
                        user=new_user.name,
                        company=company.name,
                        record=(line.lead_id or line.partner_id).display_name,
                    )
                )
            if line.kind == "client":
                if new_user:
                    partners_by_user[new_user.id] |= line.partner_id
                continue
            rule = engine.RULE_MANUAL if manual and new_user else line.rule
            reason = manual_reason if manual and new_user else line.reason
            leads_by_values[new_user.id or False, rule, reason] |= line.lead_id
        quiet = len(self.line_ids) > NOTIFY_MAX_BATCH  # no e-mail per lead in a big hand-over
        for user_id, partners in partners_by_user.items():
            partners.write({"user_id": user_id})
        for (user_id, rule, reason), leads in leads_by_values.items():
            leads.with_context(mail_auto_subscribe_no_notify=quiet, **assignment_context()).write(
                {"user_id": user_id, "assignment_rule": rule, "assignment_reason": reason}
            )
        clients = sum(len(p) for p in partners_by_user.values())
        assigned = sum(len(leads) for (user_id, _r, _s), leads in leads_by_values.items() if user_id)
        unassigned = sum(len(leads) for (user_id, _r, _s), leads in leads_by_values.items() if not user_id)
        message = self.env._(
            "%(clients)s client(s) and %(leads)s lead(s) reassigned; "
            "%(left)s lead(s) left unassigned in their team.",
            clients=clients,
            leads=assigned,
            left=unassigned,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if not unassigned else "warning",
                "title": self.env._("Reassignment done"),
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
