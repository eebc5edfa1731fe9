# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 8, company consistency and consent, for databases installed before 19.0.1.1.0.

The new company rules are new records and are created by the update itself; the company fields
are new stored fields and are computed by it (presets get the main company by default). What the
update cannot do is change ``noupdate`` data: the shipped birthday and contract end presets now
write only to clients who consented to mailings.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in ("linear_crm.preset_birthday", "linear_crm.preset_contract_end"):
        preset = env.ref(xmlid, raise_if_not_found=False)
        if preset:
            preset.require_consent = True
