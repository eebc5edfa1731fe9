# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import tagged

from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessMethodology(ProcessCase):
    """The methodology check runs on save, stores findings, and never blocks saving."""

    def _rules(self, process, step=None):
        findings = process.finding_ids.filtered(lambda f: not step or f.step_id == step)
        return set(findings.mapped("rule"))

    def test_well_described_process_has_no_findings(self):
        process = self.make_process(goal_ids=[(0, 0, {"name": "Повысить лояльность клиента"})])
        self.assertFalse(process.finding_ids, process.finding_ids.mapped("message"))

    def test_bad_texts_are_flagged_and_saved_anyway(self):
        process = self.make_process(
            name="Быстро продавать",
            steps=("Клиент",),
            goal_ids=[(0, 0, {"name": "Выручка от продаж"})],
        )
        step = process.step_ids
        step.result_ids.name = "Оформление документов"
        step.responsible_job_id = False
        self.assertEqual(process.name, "Быстро продавать")  # saved
        self.assertTrue(
            {
                "process_name_noun",
                "goal_infinitive",
                "step_name_verbal_noun",
                "result_done",
                "step_no_responsible",
            }
            <= self._rules(process)
        )
        self.assertIn("step_name_verbal_noun", self._rules(process, step))
        self.assertIn("Клиент", step.warning_text)

    def test_findings_follow_edits(self):
        process = self.make_process(steps=("Клиент",), goal_ids=[(0, 0, {"name": "Увеличить выручку"})])
        self.assertIn("step_name_verbal_noun", self._rules(process))
        process.step_ids.name = "Обработка заявки клиента"
        self.assertNotIn("step_name_verbal_noun", self._rules(process))
        process.step_ids.result_ids.unlink()
        self.assertIn("step_no_result", self._rules(process))

    def test_removing_the_last_goal_is_flagged(self):
        process = self.make_process(goal_ids=[(0, 0, {"name": "Повысить лояльность клиента"})])
        self.assertNotIn("process_no_goal", self._rules(process))
        process.goal_ids.unlink()
        self.assertIn("process_no_goal", self._rules(process))

    def test_too_many_steps_uses_the_configured_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("linear_crm.max_steps_per_process", 3)
        process = self.make_process(
            steps=("Приём заявки", "Проверка заявки", "Оплата счёта", "Отгрузка товара")
        )
        self.assertIn("process_too_many_steps", self._rules(process))

    def test_messages_are_translated_to_the_reader_language(self):
        process = self.make_process(steps=("Клиент",))
        finding = process.finding_ids.filtered(lambda f: f.rule == "step_name_verbal_noun")
        self.assertIn("«Клиент»", finding.message)
        self.env["res.lang"]._activate_lang("ru_RU")
        russian = finding.with_context(lang="ru_RU").message
        self.assertIn("«Клиент»", russian)
        self.assertNotEqual(russian, finding.message, "the Russian translation is used")

    def test_demo_strategy_process_shows_the_bad_step(self):
        process = self.env.ref("linear_crm.demo_process_strategy")
        bad_step = self.env.ref("linear_crm.demo_step_strategy_3")
        self.assertIn("step_name_verbal_noun", self._rules(process, bad_step))
        self.assertFalse(self._rules(self.env.ref("linear_crm.demo_process_order")))
