# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import TransactionCase, new_test_user


class ProcessCase(TransactionCase):
    """Shared set-up for process tests: users in each role and a small process to work on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.architect = new_test_user(
            cls.env, login="lp_architect", groups="base.group_user,linear_crm.group_process_architect"
        )
        cls.owner = new_test_user(cls.env, login="lp_owner", groups="base.group_user")
        cls.employee = new_test_user(cls.env, login="lp_employee", groups="base.group_user")
        cls.job_manager = cls.env["hr.job"].create({"name": "LP Sales Manager"})
        cls.job_storekeeper = cls.env["hr.job"].create({"name": "LP Storekeeper"})
        cls.Process = cls.env["linear.process"]

    @classmethod
    def make_process(
        cls, name="Выполнение заказа", steps=("Обработка заявки", "Комплектация заказа"), **vals
    ):
        values = {
            "name": name,
            "architect_id": cls.architect.id,
            "owner_id": cls.owner.id,
            "step_ids": [
                (
                    0,
                    0,
                    {
                        "name": step,
                        "sequence": (index + 1) * 10,
                        "responsible_job_id": cls.job_manager.id,
                        "result_ids": [(0, 0, {"name": "Заявка принята"})],
                    },
                )
                for index, step in enumerate(steps)
            ],
        }
        values.update(vals)
        return cls.Process.create(values)

    @staticmethod
    def step_names(process):
        return process.step_ids.sorted(lambda s: (s.sequence, s.id)).mapped("name")
