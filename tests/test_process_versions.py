# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessVersions(ProcessCase):
    """A new version copies an approved process into a draft; versions can be compared."""

    def _approved(self):
        process = self.make_process(
            steps=("Приём заявки", "Проверка заявки", "Выставление счёта"),
            goal_ids=[(0, 0, {"name": "Увеличить выручку"})],
            kpi_ids=[(0, 0, {"name": "Выручка", "target": 100})],
        ).with_user(self.architect)
        process.action_approve()
        return process

    def test_new_version_copies_passport_body_and_kpis(self):
        process = self._approved()
        draft = self.Process.browse(process.action_new_version()["res_id"])
        self.assertEqual((draft.state, draft.version, draft.previous_version_id), ("draft", 2, process))
        self.assertEqual(draft.name, process.name)
        self.assertEqual(self.step_names(draft), self.step_names(process))
        self.assertEqual(draft.step_ids.mapped("step_key"), process.step_ids.mapped("step_key"))
        self.assertNotEqual(draft.step_ids.ids, process.step_ids.ids)
        self.assertEqual(draft.step_ids.result_ids.mapped("name"), process.step_ids.result_ids.mapped("name"))
        self.assertEqual(draft.kpi_ids.mapped("name"), ["Выручка"])
        self.assertEqual(draft.goal_ids.mapped("name"), ["Увеличить выручку"])
        with self.assertRaisesRegex(UserError, "already exists"):
            process.action_new_version()
        with self.assertRaisesRegex(UserError, "Only an approved process"):
            draft.action_new_version()

    def test_compare_lists_added_removed_changed(self):
        process = self._approved()
        draft = self.Process.browse(process.action_new_version()["res_id"])
        steps = draft.step_ids.sorted("sequence")
        steps[0].name = "Регистрация заявки"  # changed
        steps[1].unlink()  # removed
        draft.write({"step_ids": [(0, 0, {"name": "Отгрузка товара", "sequence": 99})]})  # added
        compare = self.env["linear.process.compare"].create(
            {"process_old_id": process.id, "process_new_id": draft.id}
        )
        changes = {(line.change, line.name) for line in compare.line_ids}
        self.assertEqual(
            changes,
            {("changed", "Регистрация заявки"), ("removed", "Проверка заявки"), ("added", "Отгрузка товара")},
        )
        changed = compare.line_ids.filtered(lambda line: line.change == "changed")
        self.assertEqual(changed.changed_fields, "Step")  # the step form's label of the name
        self.assertIn("Added: 1", compare.summary)
        # the unchanged step is not listed
        self.assertNotIn("Выставление счёта", compare.line_ids.mapped("name"))

    def test_approving_new_version_retires_old_and_moves_decomposition(self):
        process = self._approved()
        child = self.Process.browse(process.step_ids.sorted("sequence")[0].action_decompose()["res_id"])
        draft = self.Process.browse(process.action_new_version()["res_id"]).with_user(self.architect)
        draft.action_approve()
        self.assertEqual(process.state, "archived")
        first_new_step = draft.step_ids.sorted("sequence")[0]
        self.assertEqual(child.parent_step_id, first_new_step)
        self.assertEqual(first_new_step.child_process_id, child)
