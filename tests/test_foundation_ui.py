# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFoundationUi(HttpCase):
    def test_processes_menu_tour(self):
        self.start_tour("/odoo", "linear_crm_processes_menu", login="admin")
