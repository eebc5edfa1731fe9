# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Compare Versions shows what differs, in the user's language; stored texts follow the company."""

from odoo.tests import HttpCase, tagged

from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessCompare(ProcessCase):
    def _versions(self):
        process = self.make_process(steps=("Обработка заявки", "Получение оплаты", "Комплектация заказа"))
        process.step_ids.write({"norm_duration": 3, "norm_unit": "working_days"})
        process.with_user(self.architect).action_approve()
        draft = self.Process.browse(process.with_user(self.architect).action_new_version()["res_id"])
        return process, draft

    def _compare(self, old, new, lang):
        Compare = self.env["linear.process.compare"].with_context(lang=lang)
        compare = Compare.create({"process_old_id": old.id, "process_new_id": new.id})
        return {line.name: line for line in compare.line_ids}

    def test_changed_values_before_and_after(self):
        process, draft = self._versions()
        first, second, third = draft.step_ids.sorted("sequence")
        first.norm_duration = 2
        first.write({"result_ids": [(0, 0, {"name": "Счёт выставлен"})]})
        second.result_ids.unlink()
        second.responsible_job_id = self.job_storekeeper
        third.sequence = 15  # moved before «Получение оплаты»: 2 → 3
        lines = self._compare(process, draft, "en_US")

        norm = lines["Обработка заявки"]
        self.assertEqual(norm.change, "changed")
        self.assertEqual(norm.changed_fields, "Results, Norm")
        self.assertEqual(norm.old_value, "Results: —; Norm: 3 working days")
        self.assertEqual(norm.new_value, "Results: +«Счёт выставлен»; Norm: 2 working days")

        moved = lines["Получение оплаты"]
        self.assertEqual(moved.changed_fields, "Position, Results, Responsible")
        self.assertEqual(
            moved.old_value, "Position: 2; Results: −«Заявка принята»; Responsible: LP Sales Manager"
        )
        self.assertEqual(moved.new_value, "Position: 3; Results: —; Responsible: LP Storekeeper")
        self.assertNotEqual(moved.old_value, moved.new_value)
        self.assertEqual(lines["Комплектация заказа"].changed_fields, "Position")

    def test_labels_in_the_users_language(self):
        process, draft = self._versions()
        draft.step_ids.sorted("sequence")[0].norm_duration = 2
        line = self._compare(process, draft, "ru_RU")["Обработка заявки"]
        self.assertEqual(line.changed_fields, "Норматив")
        self.assertEqual(
            (line.old_value, line.new_value), ("Норматив: 3 рабочих дня", "Норматив: 2 рабочих дня")
        )
        self.assertNotIn("norm", line.changed_fields + line.old_value + line.new_value)

    def test_versions_are_told_apart(self):
        """Both versions have the same name: the dialog names them with their version numbers."""
        process, draft = self._versions()
        arch = self.env.ref("linear_crm.linear_process_compare_view_form").arch
        self.assertIn("linear_process_show_version", arch)
        named = (process | draft).with_context(linear_process_show_version=True, lang="en_US")
        self.assertEqual(
            named.mapped("display_name"),
            [f"{process.name} (version 1)", f"{process.name} (version 2)"],
        )
        self.assertEqual(draft.display_name, process.name)  # elsewhere, the name as usual

    def test_action_has_a_title(self):
        process, draft = self._versions()
        action = draft.with_user(self.architect).action_compare_versions()
        self.assertEqual(action["name"], "Compare Versions")
        self.assertEqual(action["context"]["default_process_old_id"], process.id)


@tagged("post_install", "-at_install")
class TestStoredTextsLanguage(ProcessCase):
    """Texts kept in records and the chatter are written in the company's language when the
    request has none (demo data, crons, the system user): the demo company speaks Russian."""

    def test_creation_and_new_version_messages_in_company_language(self):
        self.assertEqual(self.env.company.partner_id.lang, "ru_RU")
        process = self.make_process()
        bodies = " ".join(process.message_ids.mapped("body"))
        self.assertIn("Бизнес-процесс", bodies)
        self.assertNotIn("Business Process created", bodies)
        process.action_approve()
        draft = self.Process.browse(process.action_new_version()["res_id"])
        bodies = " ".join(draft.message_ids.mapped("body"))
        self.assertNotIn("New version", bodies)
        self.assertIn("2", bodies)

    def test_request_language_wins(self):
        process = self.make_process().with_context(lang="en_US")
        process.action_approve()
        draft = self.Process.browse(process.action_new_version()["res_id"])
        self.assertIn("New version 2 of this process.", " ".join(draft.message_ids.mapped("body")))

    def test_demo_chatter_is_russian(self):
        order = self.env.ref("linear_crm.demo_process_order")
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertNotIn("Business Process created", bodies)
        lead = self.env.ref("linear_crm.demo_lead_process_1")
        texts = " ".join(lead.message_ids.mapped("body"))
        self.assertNotIn("is done: the lead can move", texts)


@tagged("post_install", "-at_install")
class TestProcessCompareHttp(HttpCase):
    def test_compare_over_jsonrpc_in_russian(self):
        """The architect opens Compare Versions from the web client, in Russian."""
        self.env.ref("base.user_admin").lang = "ru_RU"
        order = self.env.ref("linear_crm.demo_process_order")
        self.authenticate("admin", "admin")
        action = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "linear.process",
                "method": "action_compare_versions",
                "args": [[order.id]],
                "kwargs": {"context": {"lang": "ru_RU"}},
            },
        )
        self.assertTrue(action["name"])
        self.assertNotEqual(action["name"], "Odoo")
        self.assertEqual(action["views"], [[False, "form"]])
