# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class LinearProcess(models.Model):
    """A process that drives pipelines: approving a new version moves them along."""

    _inherit = "linear.process"

    def _bound_teams(self):
        # sudo: which pipelines run the process matters whoever approves it (an architect need
        # not be a sales manager).
        return self.env["crm.team"].sudo().search([("linear_process_id", "in", self.ids)])

    def _usage_messages(self):
        messages = super()._usage_messages()
        teams = self._bound_teams()
        if teams:
            messages.append(
                self.env._("it drives the pipeline of %s.", ", ".join(teams.mapped("display_name")))
            )
        return messages

    def _take_over_usage(self, previous):
        result = super()._take_over_usage(previous)
        # sudo: the architect's approval is the authority here; each bound team's stages follow
        # their steps by key, or the approval is refused with the reason (see _retarget).
        Binding = self.env["linear.process.binding"].sudo()
        for team in previous._bound_teams():
            Binding._retarget(team, self)
        return result
