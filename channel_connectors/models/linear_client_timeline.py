# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import SQL

# Source code of interaction rows in the timeline's ids (codes 1-8 are crm_extensions' own).
INTERACTION_CODE = 9


class LinearClientTimeline(models.Model):
    """Calls and messenger messages in the client timeline, each row read through the
    interaction's own record rules (``_timeline_document_models``)."""

    _inherit = "linear.client.timeline"

    kind = fields.Selection(
        selection_add=[("call", "Call"), ("call_missed", "Missed Call"), ("chat", "Messenger Message")]
    )

    @api.model
    def _timeline_optional_sources(self):
        # Optional rather than core: on a fresh install the timeline view is built before the
        # interactions table exists; the view is rebuilt by _register_hook once it does.
        return {**super()._timeline_optional_sources(), "linear.interaction": self._source_interactions}

    @api.model
    def _source_interactions(self):
        return SQL(
            """
            SELECT i.id::bigint * 32 + %(code)s, p.commercial_partner_id, i.date,
                   CASE WHEN i.kind != 'call' THEN 'chat'
                        WHEN i.status IN ('missed', 'busy', 'failed') THEN 'call_missed'
                        ELSE 'call' END,
                   -- the view is one for every language: what happened is said by the translated
                   -- kind, the summary holds only the direction, the number and the text
                   left(concat_ws(': ', concat_ws(' ', CASE i.direction WHEN 'in' THEN '←' ELSE '→' END,
                                                  coalesce(i.phone, i.handle)),
                                  nullif(i.text, '')), 200),
                   i.lead_id, u.partner_id, 'linear.interaction', i.id, NULL::int
              FROM linear_interaction i
              JOIN res_partner p ON p.id = i.partner_id
         LEFT JOIN res_users u ON u.id = i.user_id
            """,
            code=INTERACTION_CODE,
        )
