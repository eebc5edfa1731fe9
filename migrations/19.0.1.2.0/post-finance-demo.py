# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Deal finance demo (issue 12) on databases installed before 19.0.1.2.0.

An upgrade creates the new demo invoices (noupdate records that did not exist) but skips the
demo file's <function> calls, which Odoo runs on install only: the invoices would stay drafts.
Post and pay them as a fresh install does. Databases without demo data have none of them.
"""

from odoo import SUPERUSER_ID, api

DEMO_INVOICES = {
    "linear_crm.demo_invoice_romashka": (120000, 5, "demo_payment_romashka"),
    "linear_crm.demo_invoice_vector": (240000, 15, "demo_payment_vector"),
    "linear_crm.demo_invoice_sever": None,
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, payment in DEMO_INVOICES.items():
        invoice = env.ref(xmlid, raise_if_not_found=False)
        if not invoice or invoice.state != "draft":
            continue
        invoice.action_post()
        if payment:
            invoice._linear_demo_pay(*payment)
