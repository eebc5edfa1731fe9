# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 8, company consistency and consent, for databases installed before 19.0.1.1.0.

The new company rules are new records and are created by the update itself; the company fields
are new stored fields and are computed by it (presets get the main company by default). What the
update cannot do is change ``noupdate`` data: every shipped preset now writes only to clients who
consented to mailings, as on a fresh install.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    # The column is new: every preset, shipped or made by the users, gets the fresh default.
    cr.execute("UPDATE linear_crm_preset SET require_consent = TRUE WHERE require_consent IS NULL")
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in (
        "linear_crm.preset_birthday",
        "linear_crm.preset_contract_end",
        "linear_crm.preset_holiday_8_march",
        "linear_crm.preset_no_contact",
    ):
        preset = env.ref(xmlid, raise_if_not_found=False)
        if preset:
            preset.require_consent = True
