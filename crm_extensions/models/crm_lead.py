# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Leads: normalised phone, duplicate flag, objections, and the client's first contact."""

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import phones

# Writing one of these may make a lead a duplicate of another, or stop it being one.
DUPLICATE_TRIGGERS = {"phone", "email_from", "partner_id", "active", "probability"}


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "linear.duplicate.mixin", "linear.import.mixin"]
    _linear_merge_wizard = "crm.merge.opportunity"

    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        index="btree_not_null",
        help="The phone in international E.164 form (+79161234567), used to find the client from any "
        "spelling of the number. Empty when the phone cannot be recognised.",
    )
    phone_lookup = fields.Char(
        string="Phone (any format)",
        compute="_compute_phone_lookup",
        search="_search_phone_lookup",
        help="Search by phone typed in any format: 8 (916) 123-45-67, +7 916 1234567, 79161234567...",
    )
    duplicate_of_id = fields.Many2one(
        "crm.lead",
        string="Possible Duplicate Of",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
        help="An older open lead with the same normalised phone or e-mail.",
    )
    # Unassigned leads of a salesperson's teams are part of what they hold (the record rules).
    _team_unassigned_idx = models.Index("(team_id, partner_id) WHERE user_id IS NULL")

    objection_ids = fields.One2many("crm.lead.objection", "lead_id", string="Objections")
    objection_count = fields.Integer(compute="_compute_objection_count")

    @api.depends("phone", "country_id", "company_id")
    def _compute_phone_e164(self):
        for lead in self:
            country = lead.country_id or lead.company_id.country_id or self.env.company.country_id
            lead.phone_e164 = phones.normalize(lead.phone, country.code or phones.DEFAULT_REGION) or False

    def _compute_phone_lookup(self):
        for lead in self:
            lead.phone_lookup = lead.phone

    def _search_phone_lookup(self, operator, value):
        if operator not in ("=", "ilike", "like", "=ilike", "=like") or not isinstance(value, str):
            return NotImplemented
        e164 = phones.normalize(value, self.env.company.country_id.code or phones.DEFAULT_REGION)
        if e164:
            return Domain("phone_e164", "=", e164)
        return Domain("phone", operator, value)

    @api.depends("objection_ids")
    def _compute_objection_count(self):
        counts = dict(
            self.env["crm.lead.objection"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.objection_count = counts.get(lead, 0)

    # ------------------------------------------------------------------ CRUD
    # The one create/write of the CRM wing for crm.lead. Every step is a named hook of the file
    # that owns it, so the order is visible here:
    #   before: link to the client (crm_lead_visibility), assignment fields not forged and
    #           instant assignment (crm_lead_assignment), duplicate flags cleaned, the gate
    #           (crm_lead_process);
    #   after:  the gate for leads created in a later step, duplicates, the client's first
    #           contact, re-assignment, step entry.
    @api.model_create_multi
    def create(self, vals_list):
        default_partner = self.env.context.get("default_partner_id")
        self._linear_check_client_links([vals.get("partner_id", default_partner) for vals in vals_list])
        self._linear_check_assignment_fields(vals_list)
        creator = self._linear_assign_on_create(vals_list)
        leads = super(CrmLead, creator).create(vals_list).with_env(self.env)
        leads._linear_check_gate_on_create()
        leads._linear_flag_duplicates()
        leads._linear_register_first_contact()
        leads._linear_stage_move_done(None)
        return leads

    def write(self, vals):
        if vals.get("partner_id"):
            self._linear_check_client_links([vals["partner_id"]])
        self._linear_check_assignment_fields([vals])
        vals = self._linear_clean_duplicate_vals(vals)
        moving = self._linear_stage_move_prepare(vals)
        cleared, previous_users = self._linear_leads_to_reassign(vals)
        # Only open leads are compared, so a stage change matters when it wins or un-wins a lead;
        # an ordinary move along the pipeline (the hot path) does not re-run the check.
        won_changes = "stage_id" in vals and (
            self.env["crm.stage"].browse(vals["stage_id"]).is_won or any(self.stage_id.mapped("is_won"))
        )
        result = super().write(vals)
        if won_changes or DUPLICATE_TRIGGERS & set(vals):
            self._linear_flag_duplicates(only_older=False)
        if vals.get("partner_id"):
            self._linear_register_first_contact()
        if cleared:
            cleared._assign_cleared(previous_users)
        if moving:
            self._linear_stage_move_done(moving)
        return result

    def _linear_register_first_contact(self):
        """The client's first contact comes from its earliest lead (channel and source included)."""
        earliest = {}
        for lead in self.filtered("partner_id").sorted(lambda lead: (lead.create_date, lead.id)):
            earliest.setdefault(lead.partner_id.commercial_partner_id, lead)
        for client, lead in earliest.items():
            if not client.first_contact_date or lead.create_date < client.first_contact_date:
                client._linear_register_contact(lead.create_date, lead.medium_id, lead.source_id)

    # ------------------------------------------------------------------ duplicates
    def _linear_duplicate_keys(self):
        return ["phone_e164", "email_normalized"]

    def _linear_duplicate_depends(self):
        return [*super()._linear_duplicate_depends(), "won_status"]

    def _linear_duplicate_scope(self, other_alias, new_alias):
        # Only open leads: a won or lost deal with the same client is history, not a duplicate.
        return SQL(
            "%s.active AND %s.won_status = 'pending'",
            SQL.identifier(other_alias),
            SQL.identifier(other_alias),
        )

    def action_linear_view_objections(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Objections"),
            "res_model": "crm.lead.objection",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("lead_id", "=", self.id)],
            "context": {"default_lead_id": self.id},
        }
