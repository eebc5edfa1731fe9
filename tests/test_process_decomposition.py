# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessDecomposition(ProcessCase):
    """Steps decompose into sub-processes, procedures and actions; cycles are refused."""

    def test_decompose_creates_child_one_level_deeper(self):
        process = self.make_process()
        step = process.step_ids[0]
        action = step.action_decompose()
        child = self.Process.browse(action["res_id"])
        self.assertEqual(child.parent_step_id, step)
        self.assertEqual(child.parent_process_id, process)
        self.assertEqual(step.child_process_id, child)
        self.assertEqual((process.depth, child.depth), (1, 2))
        self.assertEqual((process.level, child.level), ("process", "subprocess"))
        self.assertEqual(child.complete_name, f"{process.name} / {child.name}")
        # decomposing again opens the same child instead of creating another
        self.assertEqual(step.action_decompose()["res_id"], child.id)

    def test_levels_follow_depth_down_to_actions(self):
        process = self.make_process()
        current, levels = process, [process.level]
        for _ in range(3):
            current = self.Process.browse(current.step_ids[0].action_decompose()["res_id"])
            current.write({"step_ids": [(0, 0, {"name": "Проверка данных"})]})
            levels.append(current.level)
        self.assertEqual(levels, ["process", "subprocess", "procedure", "action"])
        self.assertEqual(current.depth, 4)

    def test_child_level_must_be_deeper(self):
        process = self.make_process()
        child = self.Process.browse(process.step_ids[0].action_decompose()["res_id"])
        with self.assertRaisesRegex(ValidationError, "deeper level"), self.env.cr.savepoint():
            child.level = "process"
        child.level = "procedure"  # skipping a level is allowed
        self.assertEqual(child.level, "procedure")

    def test_cycle_refused(self):
        parent = self.make_process(name="Родительский процесс")
        child = self.Process.browse(parent.step_ids[0].action_decompose()["res_id"])
        child.write({"step_ids": [(0, 0, {"name": "Проверка заявки"})]})
        with self.assertRaisesRegex(ValidationError, "cycle"), self.env.cr.savepoint():
            parent.parent_step_id = child.step_ids[0]
        self.assertFalse(parent.parent_step_id)
        with self.assertRaisesRegex(ValidationError, "cycle|own process"), self.env.cr.savepoint():
            parent.parent_step_id = parent.step_ids[1]

    def test_too_deep_refused_but_depth_four_only_warned(self):
        current = self.make_process()
        for _ in range(4):  # depth 5: the methodology warns, nothing blocks
            current = self.Process.browse(current.step_ids[0].action_decompose()["res_id"])
            current.write({"step_ids": [(0, 0, {"name": "Проверка данных"})]})
        self.assertEqual(current.depth, 5)
        self.assertIn("process_too_deep", current.finding_ids.mapped("rule"))
        with self.assertRaisesRegex(ValidationError, "levels deep"), self.env.cr.savepoint():
            for _ in range(4):
                current = self.Process.browse(current.step_ids[0].action_decompose()["res_id"])
                current.write({"step_ids": [(0, 0, {"name": "Проверка данных"})]})
