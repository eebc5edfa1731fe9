# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import pytz

from odoo import api, fields, models

from ..lib import planning

ASSIGNEES = [
    ("record_user", "Salesperson of the record"),
    ("team_leader", "Team leader"),
    ("fixed_user", "A fixed user"),
    ("position", "Least-loaded holder of the position"),
]


class LinearProcessStepAction(models.Model):
    """A planned action of a step: becomes an activity (or task) with a deadline when work runs."""

    _name = "linear.process.step.action"
    _description = "Planned Action"
    _order = "step_id, sequence, id"
    _check_company_auto = True

    step_id = fields.Many2one("linear.process.step", required=True, index=True, ondelete="cascade")
    process_id = fields.Many2one(related="step_id.process_id", store=True, index=True)
    company_id = fields.Many2one(related="step_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Summary", required=True, help="e.g. 'Call the client back', 'Send the offer'.")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        default=lambda self: self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False),
        help="Call, e-mail, meeting, send documents, to-do…",
    )
    note = fields.Html(help="Instructions shown on the activity.")
    trigger = fields.Selection(
        [
            (planning.ON_ENTRY, "When the step starts"),
            (planning.AFTER_PREVIOUS, "When the previous action is done"),
        ],
        default=planning.ON_ENTRY,
        required=True,
    )
    delay = fields.Float(
        string="Due After",
        help="Time allowed from the trigger; 0 means the norm of the step.",
    )
    delay_unit = fields.Selection(
        [("hours", "Working Hours"), ("working_days", "Working Days")], default="working_days", required=True
    )
    assignee = fields.Selection(ASSIGNEES, string="Assign To", default="record_user", required=True)
    user_id = fields.Many2one(
        "res.users", string="Fixed User", check_company=True, help="Used when 'Assign To' is a fixed user."
    )
    job_id = fields.Many2one(
        "hr.job",
        string="Position",
        check_company=True,
        help="Used when assigning to a position holder; defaults to the step's responsible position.",
    )

    _delay_positive = models.Constraint(
        "CHECK(delay >= 0)", "The delay of a planned action cannot be negative."
    )

    # An approved process is frozen: its planned actions change in a new version.
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions.process_id._check_body_editable()
        return actions

    def write(self, vals):
        self.check_access("write")  # "not yours" before "frozen"
        self.process_id._check_body_editable()
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self.process_id._check_body_editable()
        return super().unlink()

    def _chain_data(self):
        return [
            {"id": action.id, "trigger": action.trigger}
            for action in self.sorted(lambda a: (a.sequence, a.id))
        ]

    def _deadline(self, plan, company):
        """Naive UTC datetime when the action is due; `plan(amount, unit, company)` plans from
        the trigger moment on the working calendar (see the driven mixin)."""
        self.ensure_one()
        if self.delay:
            return plan(self.delay, self.delay_unit, company)
        return plan(self.step_id.norm_duration, self.step_id.norm_unit, company)

    def _deadline_date(self, plan, company, tz=None):
        due = self._deadline(plan, company)
        zone = pytz.timezone(tz or company.resource_calendar_id.tz or "UTC")
        return pytz.utc.localize(due).astimezone(zone).date()

    @api.model
    def _resolve_job_holder(self, job):
        return job._linear_least_loaded_user() if job else self.env["res.users"]
