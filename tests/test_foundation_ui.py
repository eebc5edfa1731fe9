# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFoundationUi(HttpCase):
    def test_processes_menu_tour(self):
        self.env.ref("base.user_admin").lang = "en_US"  # the tour reads English labels; the demo is Russian
        self.start_tour("/odoo", "linear_crm_processes_menu", login="admin")
