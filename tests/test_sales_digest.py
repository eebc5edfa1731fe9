# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The weekly sales digest: who gets which figures, computed with the recipient's rights and
rendered in the recipient's language."""

import datetime
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .sales_analytics_common import SalesAnalyticsSetup

RU_SUBJECT = "Ваша неделя продаж: {{ ctx.get('linear_digest', {}).get('period') }}"


@tagged("post_install", "-at_install")
class TestSalesDigest(SalesAnalyticsSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_sales_data()
        cls.Digest = cls.env["linear.sales.digest"]
        if not cls.env["res.lang"]._lang_get("ru_RU"):
            cls.env["res.lang"]._activate_lang("ru_RU")
        cls.seller_b.lang = "ru_RU"
        template = cls.env.ref("linear_crm.mail_template_sales_digest")
        template.with_context(lang="ru_RU").subject = RU_SUBJECT
        # The digest of the week that ends today (the moves above were made today).
        cls.period = (fields.Date.today() - datetime.timedelta(days=6), fields.Date.today())

    def _values(self, user):
        scopes = dict(self.Digest._digest_recipients())[user]
        return self.Digest._digest_values(user, scopes, *self.period)

    def test_recipients_and_scopes(self):
        recipients = dict(self.Digest._digest_recipients())
        self.assertEqual(recipients[self.seller_a], [("user", self.seller_a)])
        self.assertEqual(recipients[self.seller_b], [("user", self.seller_b)])
        self.assertIn(("team", self.team), recipients[self.leader])
        self.assertEqual(recipients[self.manager], [("all", False)])
        self.assertTrue(self.env.ref("linear_crm.ir_cron_linear_sales_digest").active is False)

    def test_each_salesperson_gets_own_figures(self):
        values = self._values(self.seller_a)
        (section,) = values["sections"]
        self.assertEqual([row["user_id"] for row in section["rows"]], [self.seller_a.id])
        self.assertEqual(section["new_leads"], 3)
        self.assertEqual(section["won_count"], 1)
        self.assertEqual(section["revenue_won"], 300000)
        self.assertEqual(section["totals"]["leads"], 3)
        values = self._values(self.seller_b)
        (section,) = values["sections"]
        self.assertEqual((section["new_leads"], section["won_count"], section["revenue_won"]), (2, 1, 500000))

    def test_team_leader_gets_the_team(self):
        sections = {section["kind"]: section for section in self._values(self.leader)["sections"]}
        team = sections["team"]
        self.assertEqual({row["user_id"] for row in team["rows"]}, {self.seller_a.id, self.seller_b.id})
        self.assertEqual((team["new_leads"], team["won_count"], team["revenue_won"]), (5, 2, 800000))
        self.assertIn(self.team.name, team["title"])

    def test_rendered_in_each_recipients_language(self):
        mails = self.env["mail.mail"]
        for user in (self.seller_a, self.seller_b, self.leader):
            mails |= self.Digest._digest_send(user, self._values(user))
        mail_a, mail_b, mail_leader = mails
        # Seller A reads English, seller B Russian: subject, dates and amounts in their language.
        self.assertTrue(mail_a.subject.startswith("Your sales week: "))
        self.assertTrue(mail_b.subject.startswith("Ваша неделя продаж: "))
        self.assertIn("300,000", mail_a.body_html)
        self.assertIn("500\xa0000", mail_b.body_html.replace("&nbsp;", "\xa0").replace(" ", "\xa0"))
        self.assertIn(self.seller_a.name, mail_a.body_html)
        # Each salesperson sees only their own figures; the leader sees both.
        self.assertNotIn(self.seller_b.name, mail_a.body_html)
        self.assertNotIn("300,000", mail_b.body_html)
        self.assertIn(self.seller_a.name, mail_leader.body_html)
        self.assertIn(self.seller_b.name, mail_leader.body_html)
        self.assertIn("SA Новая", mail_leader.body_html)
        self.assertEqual(mail_a.recipient_ids, self.seller_a.partner_id)

    def test_cron_sends_one_digest_per_recipient(self):
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        with patch.object(type(self.Digest), "_digest_period", lambda self_, today=None: self.period):
            self.Digest._cron_send_weekly()
        sent = Mail.search([]) - before
        recipients = {user.partner_id for user, _scopes in self.Digest._digest_recipients()}
        self.assertEqual(set(sent.recipient_ids), recipients)
        mine = sent.filtered(lambda mail: mail.recipient_ids == self.seller_a.partner_id)
        self.assertEqual(len(mine), 1)
        self.assertIn("300,000", mine.body_html)

    def test_send_test_digest_to_me(self):
        sent = []
        with patch.object(
            type(self.Digest),
            "_digest_send",
            lambda self_, user, values, force_send=False: sent.append((user, values, force_send)),
        ):
            action = self.Digest.with_user(self.seller_a).action_send_test_digest()
        self.assertEqual(action["tag"], "display_notification")
        ((user, values, force_send),) = sent
        self.assertEqual((user, force_send), (self.seller_a, True))
        self.assertEqual([section["kind"] for section in values["sections"]], ["user"])
