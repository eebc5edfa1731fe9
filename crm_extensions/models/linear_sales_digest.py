# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

DIGEST_TEMPLATE = "linear_crm.mail_template_sales_digest"
DIGEST_DAYS = 7


class LinearSalesDigest(models.AbstractModel):
    """The weekly sales digest: each salesperson gets their own figures of the past week, each
    team leader the team's, a sales manager leading no team the company's.

    The figures come from ``linear.sales.analytics`` computed *as the recipient* (their record
    rules, their language), so a digest never tells anyone more than their dashboard does. The
    e-mail is the mail template ``mail_template_sales_digest`` (QWeb, translatable), rendered in
    the recipient's language and queued like any e-mail.
    """

    _name = "linear.sales.digest"
    _description = "Weekly Sales Digest"

    # ------------------------------------------------------------------ who gets what
    @api.model
    def _digest_recipients(self):
        """[(user, scopes)] where a scope is ("user", user) or ("team", team) or ("all", False)."""
        Team = self.env["crm.team"].sudo()  # sudo: the cron decides who gets a digest, as admin
        teams = Team.search([("active", "=", True)])
        leaders = teams.user_id.filtered(lambda user: user.active and not user.share)
        members = teams.crm_team_member_ids.filtered("active").user_id.filtered(
            lambda user: user.active and not user.share
        )
        managers = (
            self.env.ref("sales_team.group_sale_manager")
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share and user.email)
        )
        result = []
        for user in (members | leaders | managers).sorted("id"):
            if not user.email:
                continue
            scopes = []
            if user in members:
                scopes.append(("user", user))
            scopes += [("team", team) for team in teams.filtered(lambda t, user=user: t.user_id == user)]
            if user in managers and user not in leaders:
                scopes.append(("all", False))
            result.append((user, scopes))
        return result

    # ------------------------------------------------------------------ figures
    @api.model
    def _digest_period(self, today=None):
        """The last seven full days before today: (date_from, date_to)."""
        today = today or fields.Date.context_today(self)
        date_to = today - datetime.timedelta(days=1)
        return date_to - datetime.timedelta(days=DIGEST_DAYS - 1), date_to

    @api.model
    def _digest_values(self, user, scopes, date_from, date_to):
        """What the template shows to ``user``: computed with their rights and language."""
        lang = user.lang or "en_US"
        analytics = self.env["linear.sales.analytics"].with_user(user).with_context(lang=lang, tz=user.tz)
        sections = []
        for kind, record in scopes:
            # A salesperson's funnel is the pipeline of their team (its stages may be its own).
            team = record if kind == "team" else user.sale_team_id if kind == "user" else False
            filters = {
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
                "team_id": team.id if team else False,
                "user_id": record.id if kind == "user" else False,
                "source_id": False,
            }
            funnel = analytics.funnel(filters)
            managers = analytics.managers(filters)["rows"]
            if kind == "user":
                title = self.env._("Your figures")
                managers = [row for row in managers if row["user_id"] == user.id]
            elif kind == "team":
                title = self.env._("Team %(team)s", team=record.with_context(lang=lang).name)
            else:
                title = self.env._("All teams")
            sections.append(
                {
                    "kind": kind,
                    "title": title,
                    "totals": funnel["totals"],
                    "stages": [stage for stage in funnel["stages"] if stage["entered"]],
                    "rows": managers,
                    "new_leads": sum(row["new_leads"] for row in managers),
                    "won_count": sum(row["won_count"] for row in managers),
                    "revenue_won": sum(row["revenue_won"] for row in managers),
                    "activities_overdue": sum(row["activities_overdue"] for row in managers),
                }
            )
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")  # sudo: a URL
        return {
            "period": "%s – %s"
            % (
                format_date(self.env, date_from, lang_code=lang),
                format_date(self.env, date_to, lang_code=lang),
            ),
            "sections": sections,
            "currency": user.company_id.currency_id,
            "dashboard_url": f"{base_url}/odoo/action-linear_crm.linear_sales_dashboard_action",
        }

    # ------------------------------------------------------------------ sending
    @api.model
    def _digest_send(self, user, values, force_send=False):
        """Queue (or send) the digest e-mail of ``user``; returns the mail.mail."""
        template = self.env.ref(DIGEST_TEMPLATE).sudo()  # sudo: the cron's template, rendered per user
        mail_id = template.with_context(linear_digest=values).send_mail(
            user.id,
            force_send=force_send,
            email_layout_xmlid="mail.mail_notification_light",
        )
        return self.env["mail.mail"].sudo().browse(mail_id)

    @api.model
    def _cron_send_weekly(self):
        """Cron: every recipient's digest of the past week, one commit per recipient."""
        date_from, date_to = self._digest_period()
        recipients = self._digest_recipients()
        for index, (user, scopes) in enumerate(recipients, 1):
            values = self._digest_values(user, scopes, date_from, date_to)
            self._digest_send(user, values)
            if self.env.context.get("cron_id"):  # a run of the cron: one commit per recipient
                self.env["ir.cron"]._commit_progress(1, remaining=len(recipients) - index)

    @api.model
    def action_send_test_digest(self):
        """ "Send test digest to me": the current user's digest of the past week, sent now."""
        user = self.env.user
        if not user.email:
            raise UserError(self.env._("Set your e-mail address in your preferences to receive the digest."))
        scopes = dict(self._digest_recipients()).get(user) or [("user", user)]
        date_from, date_to = self._digest_period()
        self._digest_send(user, self._digest_values(user, scopes, date_from, date_to), force_send=True)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The digest was sent to %(email)s.", email=user.email or user.name),
            },
        }
