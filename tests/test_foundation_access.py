# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFoundationAccess(TransactionCase):
    """The security skeleton: who sees the Processes app and its admin menus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(cls.env, login="lc_sales", groups="sales_team.group_sale_salesman")
        cls.architect = new_test_user(
            cls.env, login="lc_architect", groups="linear_crm.group_process_architect"
        )
        cls.config_menu = cls.env.ref("linear_crm.menu_processes_config")
        cls.root_menu = cls.env.ref("linear_crm.menu_processes_root")

    def _visible_menu_ids(self, user):
        # load_menus is what the web client shows: it prunes children of hidden parents.
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        return {key for key in menus if isinstance(key, int)}

    def test_salesperson_sees_processes_but_not_admin_menus(self):
        visible = self._visible_menu_ids(self.salesperson)
        self.assertIn(self.root_menu.id, visible)
        self.assertNotIn(self.config_menu.id, visible)
        self.assertNotIn(self.env.ref("linear_crm.menu_processes_config_all").id, visible)

    def test_architect_sees_admin_menus(self):
        self.assertIn(self.config_menu.id, self._visible_menu_ids(self.architect))

    def test_groups_imply_crm_rights(self):
        self.assertTrue(self.architect.has_group("sales_team.group_sale_salesman"))
        admin_channel = new_test_user(self.env, login="lc_chan", groups="linear_crm.group_channel_admin")
        self.assertTrue(admin_channel.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertTrue(self.env.ref("base.user_admin").has_group("linear_crm.group_process_architect"))

    def test_every_model_has_acl_with_group(self):
        models = self.env["ir.model"].search([("model", "=like", "linear.%")])
        self.assertTrue(models)
        # Abstract models (mixins, services) have no table, hence no access to grant.
        for model in models.filtered(lambda m: not self.env[m.model]._abstract):
            acls = self.env["ir.model.access"].search([("model_id", "=", model.id)])
            self.assertTrue(acls, f"{model.model} has no access rules")
            self.assertTrue(all(acls.mapped("group_id")), f"{model.model} has an ACL without group")
