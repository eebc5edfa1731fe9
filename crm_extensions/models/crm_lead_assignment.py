# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..lib import assignment as engine

NOTIFY_MAX_BATCH = 50  # above this many assigned leads in one create, assignment e-mails are skipped

# Which rule chose the salesperson, and why, is written by the assignment itself or a hand-over,
# never sent by a client: those pass this private object in the context (OCA queue_job's
# EDIT_SENTINEL), which JSON-RPC cannot send.
_ASSIGNMENT = object()
_ASSIGNMENT_KEY = "linear_assignment"
ASSIGNMENT_FIELDS = frozenset({"assignment_rule", "assignment_reason"})


def assignment_context():
    return {_ASSIGNMENT_KEY: _ASSIGNMENT}


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

    @api.model
    def _linear_check_assignment_fields(self, vals_list):
        """Hook of the wing's create/write: the rule and reason are not typed in by anybody."""
        if self.env.su or self.env.context.get(_ASSIGNMENT_KEY) is _ASSIGNMENT:
            return
        if any(ASSIGNMENT_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(
                self.env._("How a lead was assigned is written by the assignment rules, not by hand.")
            )

    @api.model
    def _linear_assign_on_create(self, vals_list):
        """Hook of the wing's create (crm_lead.py): fill the salesperson and the reason of new leads
        without one, in place; return the model to create them with."""
        self._linear_team_from_stage(vals_list)
        if not self._assignment_on_create_allowed():
            return self
        pending = [vals for vals in vals_list if not vals.get("user_id")]
        if pending:
            self._assign_vals(pending)
            for vals in pending:
                vals.setdefault("user_id", self.env.uid)  # not for the rules (off): native default
        if len(pending) <= NOTIFY_MAX_BATCH:
            return self
        # an import or a bulk load: no "you have been assigned" e-mail per lead, as native
        # crm.team assignment does; the salespeople find them in their pipeline
        return self.with_context(mail_auto_subscribe_no_notify=True)

    @api.model
    def _linear_team_from_stage(self, vals_list):
        """A lead created in a stage of a process team belongs to that team, in place.

        The kanban quick create sends the column as ``default_stage_id`` in the context and the
        creator's native default team as ``team_id``: that default is no choice, the column is.
        A team chosen on purpose (another one than the native default) is kept.
        """
        default_stage_id = self.env.context.get("default_stage_id")
        stage_ids = {vals.get("stage_id") or default_stage_id for vals in vals_list} - {None, False}
        if not stage_ids or "linear_team_id" not in self.env["crm.stage"]._fields:
            return
        # sudo: only which team's process made the stage is read, whoever creates the lead
        stages = self.env["crm.stage"].sudo().browse(stage_ids).exists()
        team_by_stage = {stage.id: stage.linear_team_id.id for stage in stages if stage.linear_team_id}
        if not team_by_stage:
            return
        native_default = None
        for vals in vals_list:
            stage_team_id = team_by_stage.get(vals.get("stage_id") or default_stage_id)
            team_id = vals.get("team_id") or self.env.context.get("default_team_id")
            if not stage_team_id or team_id == stage_team_id:
                continue
            if team_id:
                if native_default is None:
                    native_default = self.env["crm.team"]._get_default_team_id().id
                if team_id != native_default:
                    continue
            vals["team_id"] = stage_team_id

    @api.model
    def _assignment_on_create_allowed(self):
        """Leads get assigned unless the context says no or a salesperson is given by default.

        A salesperson limited to their own documents keeps the native default (themselves):
        handing their new lead to someone else would hide it from them at once. The creator as
        default salesperson (native team actions put ``default_user_id: uid``) is no choice.
        """
        context = self.env.context
        default_user_id = context.get("default_user_id")
        if context.get("linear_skip_assignment") or (default_user_id and default_user_id != self.env.uid):
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
        recognised = self._clients_by_contact(vals_list)
        requests = [
            {
                "partner_id": vals.get("partner_id"),
                "team_id": vals.get("team_id") or default_team_id,
                "company_id": vals.get("company_id") or default_company_id,
            }
            for vals in vals_list
        ]
        for index, (client, _key) in recognised.items():
            requests[index]["partner_id"] = client.id
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
            (vals, request, recognised.get(index))
            for index, (vals, request) in enumerate(zip(vals_list, requests, strict=True))
            if (request["team_id"] or None) not in disabled
        ]
        if not todo:
            return
        decisions = Assignment._plan([request for _vals, request, _found in todo])
        reasons = Assignment._reasons(decisions)
        for (vals, request, found), decision, reason in zip(todo, decisions, reasons, strict=True):
            if found and decision.rule in (engine.RULE_CLIENT_MANAGER, engine.RULE_LAST_CONTACT):
                reason = self._recognised_reason(reason, decision, *found)
            vals["user_id"] = decision.user_id or False
            if (
                decision.team_id
                and not request["team_id"]
                and decision.rule in (engine.RULE_ROTATION, engine.RULE_NONE)
            ):
                vals["team_id"] = decision.team_id
            vals["assignment_rule"] = decision.rule
            vals["assignment_reason"] = reason

    @api.model
    def _clients_by_contact(self, vals_list):
        """{index: (client, key)} for new leads without a client whose phone or e-mail names
        exactly one client the creator may read (``key``: 'phone' or 'email').

        The keys are normalised by linear.client.lookup, as every channel's lookup is; all the
        leads are looked up in one search, run as the creator so that nobody is routed by a
        client they may not see.
        """
        if self.env.context.get("default_partner_id"):
            return {}
        Lookup = self.env["linear.client.lookup"]
        keys_by_index = {}
        phones, emails = set(), set()
        for index, vals in enumerate(vals_list):
            if vals.get("partner_id") or not (vals.get("phone") or vals.get("email_from")):
                continue
            keys = [
                (key, value)
                for key, value, _partner_domain, _lead_domain in Lookup._partner_domains(
                    phone=vals.get("phone"), email=vals.get("email_from")
                )
            ]
            if keys:
                keys_by_index[index] = keys
                phones |= {value for key, value in keys if key == "phone"}
                emails |= {value for key, value in keys if key == "email"}
        if not keys_by_index:
            return {}
        domain = Domain.FALSE
        if phones:
            domain |= Domain("phone_e164", "in", list(phones)) | Domain("whatsapp_e164", "in", list(phones))
        if emails:
            domain |= Domain("email_normalized", "in", list(emails))
        contacts = self.env["res.partner"].search_fetch(
            domain,
            ["phone_e164", "whatsapp_e164", "email_normalized", "commercial_partner_id", "duplicate_of_id"],
        )
        clients_by_key = defaultdict(lambda: self.env["res.partner"])
        for contact in contacts:
            client = contact.commercial_partner_id
            for value in {contact.phone_e164, contact.whatsapp_e164} - {False, None}:
                clients_by_key["phone", value] |= client
            if contact.email_normalized:
                clients_by_key["email", contact.email_normalized] |= client
        readable = contacts.commercial_partner_id._filtered_access("read")
        result = {}
        for index, keys in keys_by_index.items():
            for key, value in keys:  # the most trusted key that finds anybody decides
                clients = clients_by_key.get((key, value))
                if not clients:
                    continue
                # a flagged duplicate of a found client is the same client
                clients = (
                    clients - clients.filtered(lambda c, found=clients: c.duplicate_of_id in found)
                ) & readable
                if len(clients) == 1:
                    result[index] = (clients, key)
                break
        return result

    @api.model
    def _recognised_reason(self, reason, decision, client, key):
        """The rule's reason, naming the client the new lead's phone or e-mail recognised."""
        user = self.env["res.users"].sudo().browse(decision.user_id)
        env = self.with_context(lang=user.lang).env if user.lang else self.env
        if key == "phone":
            return env._(
                "%(reason)s: %(client)s, recognised by the phone number",
                reason=reason,
                client=client.display_name,
            )
        return env._(
            "%(reason)s: %(client)s, recognised by the e-mail", reason=reason, client=client.display_name
        )

    # ------------------------------------------------------------------ the creator is no choice
    @api.model
    def default_get(self, fields):
        """Leave the salesperson empty in the form and quick-create when the team assigns by rules.

        Native crm prefills the creator, which would be saved as an explicit choice and bypass
        the rules; empty, the lead is assigned with its reason when it is saved.
        """
        defaults = super().default_get(fields)
        if "user_id" not in fields or defaults.get("user_id") != self.env.uid:
            return defaults
        team = self._assignment_default_team(defaults)
        if team.assignment_instant and self._assignment_on_create_allowed():
            defaults["user_id"] = False
            if "team_id" in fields and not defaults.get("team_id"):
                defaults["team_id"] = team.id
        return defaults

    @api.model
    def _assignment_default_team(self, defaults):
        """The team a new lead will belong to: given, else its stage's process team, else the
        creator's default team. As superuser: only its assignment setting is read."""
        Team = self.env["crm.team"].sudo()
        team_id = defaults.get("team_id") or self.env.context.get("default_team_id")
        stage_id = defaults.get("stage_id") or self.env.context.get("default_stage_id")
        if not team_id and stage_id and "linear_team_id" in self.env["crm.stage"]._fields:
            team_id = self.env["crm.stage"].sudo().browse(stage_id).linear_team_id.id
        if team_id:
            return Team.browse(team_id).exists()
        return Team.browse(self.env["crm.team"]._get_default_team_id().id)

    def _linear_leads_to_reassign(self, vals):
        """Hook of the wing's write: the leads whose salesperson this write clears (the rules then
        pick another), with who had them."""
        if "user_id" in vals and not vals["user_id"] and self._assignment_on_create_allowed():
            cleared = self.filtered("user_id")
            return cleared, {lead.id: lead.user_id.id for lead in cleared}
        return self.browse(), {}

    def _assign_cleared(self, previous):
        """The salesperson of an open lead was cleared: the team's rules choose another one, with
        the reason, as for a new lead (the cleared one is passed over)."""
        default_team = self.env["crm.team"]._get_default_team_id()
        # sudo: only the team's assignment setting is read, whichever company's team it is
        leads = self.filtered(
            lambda lead: (
                not lead.user_id
                and lead.active
                and lead.won_status != "won"
                and (lead.team_id or default_team).sudo().assignment_instant
            )
        )
        Assignment = self.env["linear.lead.assignment"]
        by_previous = defaultdict(lambda: self.browse())
        for lead in leads:
            by_previous[previous.get(lead.id)] |= lead
        for previous_user_id, group in by_previous.items():
            requests = [
                {
                    "partner_id": lead.partner_id.id,
                    "team_id": lead.team_id.id,
                    "company_id": lead.company_id.id,
                }
                for lead in group
            ]
            decisions = Assignment._plan(requests, excluded_user_ids=[previous_user_id])
            reasons = Assignment._reasons(decisions)
            for lead, decision, reason in zip(group, decisions, reasons, strict=True):
                vals = {
                    "user_id": decision.user_id or False,
                    "assignment_rule": decision.rule,
                    "assignment_reason": reason,
                }
                if decision.team_id and not lead.team_id:
                    vals["team_id"] = decision.team_id
                lead.with_context(linear_skip_assignment=True, **assignment_context()).write(vals)
