# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessBody(ProcessCase):
    """The body of a process is a strictly linear, reorderable list of steps."""

    def test_steps_are_numbered_in_order(self):
        process = self.make_process(steps=("Приём заявки", "Проверка заявки", "Выставление счёта"))
        steps = process.step_ids.sorted("sequence")
        self.assertEqual(steps.mapped("number"), [1, 2, 3])
        self.assertEqual(process.step_count, 3)

    def test_move_step_to_position(self):
        process = self.make_process(steps=("Приём заявки", "Проверка заявки", "Выставление счёта"))
        last = process.step_ids.filtered(lambda s: s.name == "Выставление счёта")
        last.move_to_position(1)
        self.assertEqual(self.step_names(process), ["Выставление счёта", "Приём заявки", "Проверка заявки"])
        self.assertEqual(last.number, 1)
        # positions beyond the end put the step last; sequences stay distinct (no branching)
        last.move_to_position(99)
        self.assertEqual(self.step_names(process), ["Приём заявки", "Проверка заявки", "Выставление счёта"])
        self.assertEqual(len(set(process.step_ids.mapped("sequence"))), 3)

    def test_step_cannot_move_to_another_process(self):
        first = self.make_process(name="Первый процесс")
        second = self.make_process(name="Второй процесс")
        step = first.step_ids[0]
        with self.assertRaisesRegex(UserError, "cannot be moved into another process"):
            step.write({"process_id": second.id, "name": "Переименование"})
        self.assertEqual(step.process_id, first)
        self.assertNotEqual(step.name, "Переименование", "nothing is half-written")

    def test_results_summary_and_table_action(self):
        process = self.make_process(steps=("Приём заявки",))
        step = process.step_ids
        step.result_ids = [
            (0, 0, {"name": "Счёт выставлен", "result_type": "informational", "required": False})
        ]
        self.assertEqual(step.results_text.splitlines(), ["Заявка принята", "Счёт выставлен"])
        action = process.action_open_steps_table()
        self.assertEqual(action["res_model"], "linear.process.step")
        self.assertEqual(action["domain"], [("process_id", "=", process.id)])

    def test_norm_cannot_be_negative(self):
        process = self.make_process(steps=("Приём заявки",))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            process.step_ids.write({"norm_duration": -1})
            process.step_ids.flush_recordset()

    def test_approve_requires_steps(self):
        empty = self.Process.with_user(self.architect).create({"name": "Пустой процесс"})
        with self.assertRaisesRegex(UserError, "has no steps"):
            empty.action_approve()
        process = self.make_process().with_user(self.architect)
        process.action_approve()
        self.assertEqual(process.state, "approved")

    def test_only_architects_approve(self):
        process = self.make_process().with_user(self.owner)
        with self.assertRaisesRegex(UserError, "Only process architects"):
            process.action_approve()
