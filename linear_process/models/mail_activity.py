# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    linear_step_action_id = fields.Many2one(
        "linear.process.step.action",
        string="Planned Action",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The planned action of a process step this activity was created from.",
    )
    linear_step_id = fields.Many2one(
        "linear.process.step",
        string="Process Step",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    linear_escalated = fields.Boolean(
        string="Escalated", readonly=True, help="Overdue and already reported to the process owner."
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        planned = [
            (activity.res_model, activity.res_id, activity.linear_step_action_id)
            for activity in self
            if activity.linear_step_action_id and activity.res_model
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        by_model = {}
        for res_model, res_id, action in planned:
            by_model.setdefault(res_model, []).append((res_id, action))
        for res_model, pairs in by_model.items():
            Model = self.env[res_model]
            if hasattr(Model, "_linear_on_action_done"):
                for res_id, action in pairs:
                    Model.browse(res_id).exists()._linear_on_action_done(action)
        return result

    @api.model
    def _linear_cron_escalate_overdue(self, limit=500):
        """Report each overdue planned action once to its process owner: an activity and a notification."""
        overdue = self.search(
            [
                ("linear_step_action_id", "!=", False),
                ("date_deadline", "<", fields.Date.context_today(self)),
                ("linear_escalated", "=", False),
            ],
            limit=limit,
        )
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for activity in overdue:
            owner = activity.linear_step_action_id.process_id.owner_id
            activity.linear_escalated = True
            if not owner:
                continue
            # stored and read by the owner: in their language (the cron has none)
            env = self.with_context(lang=owner.lang or self.env.company._linear_text_lang()).env
            summary = env._(
                "Overdue: %(action)s (%(user)s, due %(date)s)",
                action=activity.summary or activity.linear_step_action_id.name,
                user=activity.user_id.name or "-",
                date=activity.date_deadline,
            )
            self.create(
                {
                    "res_model_id": activity.res_model_id.id,
                    "res_id": activity.res_id,
                    "activity_type_id": todo.id if todo else False,
                    "summary": summary,
                    "user_id": owner.id,
                    "date_deadline": fields.Date.context_today(self),
                    "linear_escalated": True,
                }
            )
            owner.partner_id._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "sticky": True,
                    "title": env._("Overdue step action"),
                    "message": summary,
                },
            )
        return len(overdue)
