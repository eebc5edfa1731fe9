# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 8, client ownership, for databases installed before 19.0.1.1.0.

The visibility rules are ``noupdate`` data, so the update leaves the old domains in place (the
ones under which a lead typed onto another salesperson's client opened that client's card). Give
them the names and domains the module ships now, read from the XML file itself so that the
migration and a fresh install can never disagree.
"""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path

RULES_FILE = "linear_crm/security/crm_extensions_rules.xml"
RULES = (
    "crm_lead_rule_team_leader",
    "crm_lead_rule_own_teams",
    "res_partner_rule_sales_own",
    "crm_lead_step_result_rule_own",
    "crm_lead_objection_rule_own",
)
FIELDS = ("name", "domain_force")


def shipped_values():
    """{xml id: {field: value}} of the rules above, as the XML file of this version has them."""
    tree = etree.parse(file_path(RULES_FILE))
    values = {}
    for record in tree.iterfind(".//record[@model='ir.rule']"):
        if record.get("id") in RULES:
            values[record.get("id")] = {
                field.get("name"): field.text.strip()
                for field in record.iterfind("field")
                if field.get("name") in FIELDS
            }
    return values


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, values in shipped_values().items():
        rule = env.ref(f"linear_crm.{xmlid}", raise_if_not_found=False)
        if rule:
            rule.write(values)
