# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stage history of the leads that existed before 19.0.1.2.0, from the tracking of stage_id.

The model's init() already does it when it creates the table; this makes sure of it (the backfill
skips leads that have history, so running twice writes nothing twice)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["linear.stage.history"]._linear_backfill()
