# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..lib import methodology

SUBJECTS = [("process", "Process"), ("goal", "Goal"), ("step", "Step"), ("result", "Result")]


class LinearProcessFinding(models.Model):
    """A methodology warning on a process ("Проверка по методике"). Never blocks saving.

    Stored so that all findings across processes can be listed, filtered and grouped; refreshed
    whenever the texts they judge change.
    """

    _name = "linear.process.finding"
    _description = "Methodology Finding"
    _order = "process_id, step_sequence, id"

    process_id = fields.Many2one("linear.process", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one("linear.process.step", index="btree_not_null", ondelete="cascade")
    step_sequence = fields.Integer(related="step_id.sequence", store=True)
    company_id = fields.Many2one(related="process_id.company_id", store=True, index=True)
    architect_id = fields.Many2one(related="process_id.architect_id", store=True)
    rule = fields.Char(required=True, index=True, help="Code of the methodology rule.")
    subject = fields.Selection(SUBJECTS, required=True, default="process")
    text = fields.Char(string="Checked Text")
    template = fields.Char(required=True)
    params = fields.Json()
    message = fields.Char(compute="_compute_message")

    @api.depends_context("lang")
    @api.depends("template", "params")
    def _compute_message(self):
        for finding in self:
            # Templates are marked for translation in the methodology module itself.
            template = self.env._(finding.template)  # pylint: disable=translation-not-lazy
            try:
                finding.message = template.format(**(finding.params or {}))
            except (KeyError, IndexError, ValueError):
                finding.message = finding.template.format(**(finding.params or {}))

    @api.model
    def _refresh_for(self, processes):
        processes = processes.exists()
        if not processes:
            return
        # sudo: findings are derived data; whoever may edit a process text refreshes its findings.
        Finding = self.sudo()
        Finding.search([("process_id", "in", processes.ids)]).unlink()
        vals_list = []
        for process in processes:
            steps = process.step_ids.sorted(lambda s: (s.sequence, s.id))
            data = {
                "name": process.name or "",
                "level": process.level or "process",
                "depth": process.depth or 1,
                "goals": process.goal_ids.sorted(lambda g: (g.sequence, g.id)).mapped("name"),
                "steps": [
                    {
                        "name": step.name or "",
                        "results": step.result_ids.sorted(lambda r: (r.sequence, r.id)).mapped("name"),
                        "has_responsible": bool(step.responsible_job_id),
                    }
                    for step in steps
                ],
                "max_steps": int(
                    self.env["ir.config_parameter"].sudo().get_param("linear_crm.max_steps_per_process", 12)
                ),
            }
            for finding in methodology.check_process(data):
                step = steps[finding.step_index] if finding.step_index is not None else False
                vals_list.append(
                    {
                        "process_id": process.id,
                        "step_id": step.id if step else False,
                        "rule": finding.rule,
                        "subject": finding.subject,
                        "text": finding.text,
                        "template": finding.template,
                        "params": finding.params,
                    }
                )
        Finding.create(vals_list)
