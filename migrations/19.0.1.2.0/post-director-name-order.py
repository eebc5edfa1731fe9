# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The demo client's director in the documented order (surname, first name, patronymic).

Demo records are noupdate: an upgrade keeps «Иван Петров», which the 1C export sends as surname
Иван. Only the untouched demo value is rewritten; a name someone typed stays.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    partner = env.ref("linear_crm.demo_partner_romashka", raise_if_not_found=False)
    if partner and partner.director_name == "Иван Петров":
        partner.director_name = "Петров Иван Сергеевич"
