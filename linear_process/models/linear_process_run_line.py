# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearProcessRunLine(models.Model):
    """One step of a run: its task, who does it and when it started and finished."""

    _name = "linear.process.run.line"
    _description = "Process Run Step"
    _order = "run_id, id"

    run_id = fields.Many2one("linear.process.run", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one("linear.process.step", required=True, ondelete="restrict")
    task_id = fields.Many2one("project.task", index="btree_not_null", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Responsible")
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="running",
        required=True,
    )
    started_at = fields.Datetime()
    finished_at = fields.Datetime()
    deadline = fields.Datetime(related="task_id.date_deadline")
