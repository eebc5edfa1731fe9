# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The demo's own fixes, for demo databases installed before 19.0.1.1.0 (demo is noupdate).

* The demo never calls odoo.com: IAP, enrich, autocomplete, reveal and SMS endpoints point at a
  closed loopback port (only where nobody set an endpoint of their own).
* The demo's Russian clients get the Russian language, if still on the installer's English.
* base's demo people show the renamed company instead of «YourCompany».
"""

from odoo import SUPERUSER_ID, api

LOOPBACK = "http://127.0.0.1:9"
ENDPOINTS = (
    "iap.endpoint",
    "iap.partner_autocomplete.endpoint",
    "enrich.endpoint",
    "reveal.endpoint",
    "sms.endpoint",
)
CLIENTS = (
    "linear_crm.demo_partner_vector",
    "linear_crm.demo_partner_kuznetsov",
    "linear_crm.demo_partner_sever",
    "linear_crm.demo_partner_romashka",
    "linear_crm.demo_partner_romashka_delivery",
)
PEOPLE = ("base.partner_admin", "base.partner_demo", "base.partner_demo_portal")


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT demo FROM ir_module_module WHERE name = 'linear_crm'")
    row = cr.fetchone()
    if not (row and row[0]):
        return  # a production database: its endpoints and partners are its own
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    for key in ENDPOINTS:
        if not params.get_param(key):
            params.set_param(key, LOOPBACK)
    russian = env["res.lang"].search([("code", "=", "ru_RU")])  # active only: lang must be one
    for xmlid in CLIENTS if russian else ():
        partner = env.ref(xmlid, raise_if_not_found=False)
        if partner and partner.lang in (False, "en_US"):
            partner.lang = "ru_RU"
    company_name = env.ref("base.main_company").name
    for xmlid in PEOPLE:
        partner = env.ref(xmlid, raise_if_not_found=False)
        if partner and partner.company_name == "YourCompany":
            partner.company_name = company_name
