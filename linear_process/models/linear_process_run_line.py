# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class LinearProcessRunLine(models.Model):
    """One step of a run: its task, who does it and when it started and finished."""

    _name = "linear.process.run.line"
    _description = "Process Run Step"
    _order = "run_id, id"
    _rec_name = "step_id"
    _check_company_auto = True

    run_id = fields.Many2one("linear.process.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    step_id = fields.Many2one("linear.process.step", required=True, ondelete="restrict", check_company=True)
    task_id = fields.Many2one("project.task", index="btree_not_null", ondelete="set null", check_company=True)
    user_id = fields.Many2one("res.users", string="Responsible")
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="running",
        required=True,
    )
    started_at = fields.Datetime()
    finished_at = fields.Datetime()
    deadline = fields.Datetime(related="task_id.date_deadline")

    @api.model_create_multi
    def create(self, vals_list):
        # a step of a run exists only because its run's engine started it
        self.env["linear.process.run"]._linear_check_engine({"run_id"})
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            self.env["linear.process.run"]._linear_check_engine({"run_id"})
        return super().write(vals)
