# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 9, honest step timing, for databases installed before 19.0.1.1.0.

The working hours and days, and the norm each row was held to, are new stored fields: the update
computes them. ``over_norm`` is not new, only computed differently (working time against the norm
in its own unit instead of leaving after the activities' deadline), and Odoo does not recompute a
stored field whose method changed: do it here, so old rows and new ones say the same.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    timings = env["linear.step.timing"].search([("left_at", "!=", False)])
    env.add_to_compute(timings._fields["over_norm"], timings)
    env.flush_all()
