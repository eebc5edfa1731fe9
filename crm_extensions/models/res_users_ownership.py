# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.fields import Domain


class ResUsers(models.Model):
    """Which leads and clients a salesperson holds: the one definition of ownership.

    The record rules call these methods (``user._linear_held_leads_domain()``), and so do, through
    the rules, the timeline, the lookup, duplicates, objections and checklists. Only facts a
    salesperson cannot forge decide: the lead's salesperson and team, the client's salesperson,
    who leads which team. A lead makes its client "held" only because nobody may link a lead to a
    client they cannot read (``crm.lead._linear_check_client_links``).

    The domains depend on the user's id alone (no ids computed here): ir.rule caches them per
    user, and team membership changes must show at once.
    """

    _inherit = "res.users"

    @api.private
    def _linear_restricted_to_own(self):
        """A salesperson limited to their own documents (not "all documents", not a manager)."""
        self.ensure_one()
        return self.has_group("sales_team.group_sale_salesman") and not self.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )

    @api.private
    def _linear_held_leads_domain(self):
        """crm.lead domain: own leads, leads of the teams the user leads, unassigned leads of the
        teams the user is an active member of."""
        self.ensure_one()
        uid = self.id
        member = Domain("user_id", "=", uid) & Domain("active", "=", True)
        return (
            Domain("user_id", "=", uid)
            | Domain("team_id.user_id", "=", uid)
            | (Domain("user_id", "=", False) & Domain("team_id.crm_team_member_ids", "any", member))
        )

    @api.private
    def _linear_held_clients_domain(self):
        """res.partner domain: partners that are not sales clients, the user's clients (as their
        salesperson, as leader of their salesperson's team, through a held lead), the contacts of
        a company whose lead the user owns or leads, and the company of such a contact."""
        self.ensure_one()
        uid = self.id
        own_or_led = Domain("user_id", "=", uid) | Domain("team_id.user_id", "=", uid)
        led_member = Domain("crm_team_id.user_id", "=", uid) & Domain("active", "=", True)
        return (
            Domain("is_client", "=", False)
            | Domain("partner_share", "=", False)
            | Domain("user_id", "=", uid)
            | Domain("user_id.crm_team_member_ids", "any", led_member)
            | Domain("client_lead_ids", "any", self._linear_held_leads_domain())
            | Domain("commercial_partner_id.client_lead_ids", "any", own_or_led)
            | Domain("child_ids.client_lead_ids", "any", own_or_led)
        )
