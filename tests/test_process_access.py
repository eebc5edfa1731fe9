# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..linear_process.models.linear_process import lifecycle_context
from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessAccess(ProcessCase):
    """Architects create and edit; owners edit theirs; every internal user reads approved ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls.make_process(name="Черновик процесса")
        cls.approved = cls.make_process(name="Утверждённый процесс")
        cls.approved.with_user(cls.architect).action_approve()

    def test_architect_creates_and_edits_any(self):
        Process = self.Process.with_user(self.architect)
        created = Process.create({"name": "Новый процесс", "step_ids": [(0, 0, {"name": "Приём заявки"})]})
        created.step_ids.name = "Регистрация заявки"
        self.draft.with_user(self.architect).name = "Правка архитектора"
        created.unlink()

    def test_owner_edits_own_process_and_steps(self):
        process = self.draft.with_user(self.owner)
        process.name = "Правка владельца"
        process.write({"step_ids": [(0, 0, {"name": "Отгрузка товара"})]})
        process.step_ids[0].result_ids = [(0, 0, {"name": "Товар отгружен"})]
        self.assertEqual(len(process.step_ids), 3)
        with self.assertRaises(AccessError):
            self.Process.with_user(self.owner).create({"name": "Чужой процесс"})

    def test_employee_reads_approved_only(self):
        Process = self.Process.with_user(self.employee)
        visible = Process.search([("id", "in", (self.draft | self.approved).ids)])
        self.assertEqual(visible, self.approved)
        self.assertEqual(
            self.approved.with_user(self.employee).step_ids.mapped("name"), self.step_names(self.approved)
        )
        with self.assertRaises(AccessError):
            self.draft.with_user(self.employee).read(["name"])

    def test_employee_cannot_edit_approved(self):
        with self.assertRaises(AccessError):
            self.approved.with_user(self.employee).write({"name": "Самовольная правка"})
        with self.assertRaises(AccessError):
            self.approved.step_ids[0].with_user(self.employee).write({"name": "Самовольная правка"})
        with self.assertRaises(AccessError):
            self.env["linear.process.step"].with_user(self.employee).create(
                {"process_id": self.approved.id, "name": "Лишний шаг"}
            )
        with self.assertRaises(AccessError):
            self.approved.with_user(self.employee).unlink()

    def test_other_company_invisible(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        # architect and owner must be users of the process's company (check_company, issue 8)
        foreign = self.make_process(
            name="Процесс другой компании", steps=(), company_id=other.id, architect_id=False, owner_id=False
        )
        foreign.with_context(**lifecycle_context()).write({"state": "approved"})
        self.assertFalse(self.Process.with_user(self.employee).search([("id", "=", foreign.id)]))
