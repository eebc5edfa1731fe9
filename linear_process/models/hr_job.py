# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ..lib import planning


class HrJob(models.Model):
    _inherit = "hr.job"

    linear_step_ids = fields.One2many(
        "linear.process.step", "responsible_job_id", string="Responsible for Steps"
    )

    def _linear_available_users(self, when=None):
        """Active users holding this position whose employee is not on leave at `when` (UTC)."""
        self.ensure_one()
        when = when or fields.Datetime.now()
        # sudo: assignment reads employees and leaves that a salesperson may not see; it only
        # picks a user id and exposes no employee data.
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("job_id", "=", self.id), ("user_id", "!=", False), ("user_id.active", "=", True)])
        )
        on_leave = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "in", employees.resource_id.ids),
                    ("date_from", "<=", when),
                    ("date_to", ">=", when),
                ]
            )
            .resource_id
        )
        return employees.filtered(lambda e: e.resource_id not in on_leave).user_id

    def _linear_least_loaded_user(self, when=None):
        """The available holder with the fewest open activities (one grouped query)."""
        users = self._linear_available_users(when)
        if not users:
            return users
        counts = dict(
            self.env["mail.activity"]
            .sudo()
            ._read_group([("user_id", "in", users.ids), ("active", "=", True)], ["user_id"], ["__count"])
        )
        loads = {user.id: counts.get(user, 0) for user in users}
        return self.env["res.users"].browse(planning.least_loaded(loads))
