# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models

from ..lib import interaction_status as st


class LinearSalesAnalytics(models.AbstractModel):
    """The managers' report counts the calls and messages of each salesperson."""

    _inherit = "linear.sales.analytics"

    @api.model
    def _linear_interaction_counts(self, user_ids, date_from, date_to):
        """Per user: incoming calls taken, outgoing calls, missed calls (incoming, missed or busy),
        messages, and the first outgoing call or message on each lead. Read as the current user:
        the interaction rules (the lead and client rules) decide what is counted."""
        result = super()._linear_interaction_counts(user_ids, date_from, date_to) or {}
        if not user_ids:
            return result
        Interaction = self.env["linear.interaction"]
        domain = [("user_id", "in", list(user_ids)), ("date", ">=", date_from), ("date", "<", date_to)]
        counts = {
            uid: {"calls_in": 0, "calls_out": 0, "calls_missed": 0, "messages": 0, "first_outbound": {}}
            for uid in user_ids
        }
        for user, kind, direction, status, count in Interaction._read_group(
            domain, ["user_id", "kind", "direction", "status"], ["__count"]
        ):
            row = counts[user.id]
            if kind == "message":
                row["messages"] += count
            elif direction == "out":
                row["calls_out"] += count
            elif status in st.CALLBACK_STATUSES:
                row["calls_missed"] += count
            else:
                row["calls_in"] += count
        for user, lead, first in Interaction._read_group(
            [*domain, ("direction", "=", "out"), ("lead_id", "!=", False)],
            ["user_id", "lead_id"],
            ["date:min"],
        ):
            counts[user.id]["first_outbound"][lead.id] = first
        for uid, row in counts.items():
            result[uid] = {**result.get(uid, {}), **row}
        return result
