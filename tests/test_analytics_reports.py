# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stage history and the sales analytics on a known history, with frozen time.

Six leads of one team move through three stages and a won stage by several paths (create, import,
write, won, lost, restore, a move to another pipeline's stage); every figure of the funnel, the
managers, discipline, channel (with a cost in another currency) and forecast (with targets)
reports is asserted exactly.
"""

import datetime
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools import SQL

D0 = datetime.datetime(2026, 3, 2, 9, 0)  # a Monday


def at(days=0, hours=0):
    return D0 + datetime.timedelta(days=days, hours=hours)


MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


class AnalyticsWorld(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, lang="en_US"))
        cls.sales = new_test_user(cls.env, login="an_sales", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, login="an_manager", groups="sales_team.group_sale_manager")
        cls.team = cls.env["crm.team"].create(
            {"name": "AN Team", "user_id": cls.manager.id, "member_ids": [Command.link(cls.sales.id)]}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "AN Other Team"})
        Stage = cls.env["crm.stage"]
        cls.s1, cls.s2, cls.s3 = Stage.create(
            [
                {"name": f"AN Stage {i}", "sequence": i, "team_ids": [Command.link(cls.team.id)]}
                for i in (1, 2, 3)
            ]
        )
        cls.won = Stage.create(
            {"name": "AN Won", "sequence": 4, "is_won": True, "team_ids": [Command.link(cls.team.id)]}
        )
        cls.foreign = Stage.create(
            {"name": "AN Other Pipeline", "sequence": 0, "team_ids": [Command.link(cls.other_team.id)]}
        )
        cls.yandex = cls.env["utm.source"].create({"name": "AN Yandex Direct"})
        cls.avito = cls.env["utm.source"].create({"name": "AN Avito"})
        cls.cpc = cls.env["utm.medium"].create({"name": "AN cpc"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "AN Spring"})

    def lead(self, name, **vals):
        values = {
            "name": name,
            "type": "opportunity",
            "team_id": self.team.id,
            "user_id": self.sales.id,
            "stage_id": self.s1.id,
        }
        values.update(vals)
        return self.env["crm.lead"].create(values)

    def history(self, lead):
        return self.env["linear.stage.history"].search([("lead_id", "=", lead.id)], order="date, id")

    def set_created(self, leads, when):
        """create_date and date_open come from the transaction clock (not frozen): set them."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s, date_open = %s WHERE id IN %s",
                when,
                when,
                tuple(leads.ids),
            )
        )
        leads.invalidate_recordset(["create_date", "date_open"])

    def build(self):
        """The known history (see the module docstring); returns the leads by name."""
        env = self.env
        with freeze_time(at()):
            l1 = self.lead(
                "L1", source_id=self.yandex.id, medium_id=self.cpc.id, campaign_id=self.campaign.id
            )
            l2 = self.lead(
                "L2", source_id=self.yandex.id, medium_id=self.cpc.id, campaign_id=self.campaign.id
            )
            l3 = self.lead("L3", source_id=self.avito.id)
            l4 = self.lead("L4")
            l6 = self.lead("L6")
            result = (
                env["crm.lead"]
                .with_context(import_file=True)
                .load(
                    ["name", "type", "team_id/.id", "user_id/.id", "stage_id/.id"],
                    [["L5", "opportunity", str(self.team.id), str(self.sales.id), str(self.s1.id)]],
                )
            )
            self.assertFalse(result["messages"])
            l5 = env["crm.lead"].browse(result["ids"])
            leads = l1 | l2 | l3 | l4 | l5 | l6
            self.set_created(leads, at())
            l1.write({"expected_revenue": 1000})
            activity = l1.activity_schedule("mail.mail_activity_data_call", user_id=self.sales.id)
        with freeze_time(at(hours=2)):
            activity.action_feedback(feedback="Called")
        with freeze_time(at(hours=10)):
            l1.write({"stage_id": self.s2.id})
        with freeze_time(at(days=1)):
            l2.write({"stage_id": self.s2.id})
            l2.activity_schedule("mail.mail_activity_data_call", user_id=self.sales.id).action_feedback()
            l3.action_set_lost()
            l6.action_set_lost()
            kind = env["crm.lead.objection.type"].create({"name": "AN Price"})
            env["crm.lead.objection"].create({"lead_id": l2.id, "type_id": kind.id})
            l4.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.sales.id, date_deadline=at().date()
            )
        with freeze_time(at(days=2)):
            l1.write({"stage_id": self.s3.id})
            l2.write({"stage_id": self.s1.id})
        with freeze_time(at(days=3)):
            l1.action_set_won()
            l6.action_restore()
        with freeze_time(at(days=4)):
            l4.write({"stage_id": self.foreign.id})
            l2.write({"expected_revenue": 500, "probability": 40, "date_deadline": "2026-03-20"})
            l4.write({"expected_revenue": 800, "probability": 25, "date_deadline": "2026-04-10"})
        return {"L1": l1, "L2": l2, "L3": l3, "L4": l4, "L5": l5, "L6": l6}


@tagged("post_install", "-at_install")
class TestStageHistory(AnalyticsWorld):
    def test_every_path_writes_one_row(self):
        leads = self.build()
        rows = {
            name: [
                (
                    r.stage_from_id.name or False,
                    r.stage_to_id.name,
                    r.source,
                    r.is_won,
                    r.is_lost,
                    r.is_restore,
                )
                for r in self.history(lead)
            ]
            for name, lead in leads.items()
        }
        self.assertEqual(
            rows["L1"],
            [
                (False, "AN Stage 1", "create", False, False, False),
                ("AN Stage 1", "AN Stage 2", "server", False, False, False),
                ("AN Stage 2", "AN Stage 3", "server", False, False, False),
                ("AN Stage 3", "AN Won", "won", True, False, False),
            ],
        )
        self.assertEqual(rows["L5"], [(False, "AN Stage 1", "import", False, False, False)])
        self.assertEqual(
            rows["L6"],
            [
                (False, "AN Stage 1", "create", False, False, False),
                ("AN Stage 1", "AN Stage 1", "lost", False, True, False),
                ("AN Stage 1", "AN Stage 1", "restore", False, False, True),
            ],
        )
        self.assertEqual(rows["L4"][-1], ("AN Stage 1", "AN Other Pipeline", "server", False, False, False))
        # durations: time spent in the stage left, from the same clock as the moves
        l1 = self.history(leads["L1"])
        self.assertEqual(l1.mapped("duration_hours"), [0.0, 10.0, 38.0, 24.0])
        self.assertEqual(l1.mapped("hours_in_stage"), [10.0, 38.0, 24.0, 0.0])
        self.assertEqual(l1.mapped("moved_forward"), [True, True, True, False])
        self.assertEqual(l1.mapped("won_later"), [True, True, True, True])
        self.assertEqual(l1.mapped("is_open"), [False, False, False, True])
        self.assertEqual(l1[-1].date, at(days=3))
        self.assertEqual(l1[1].salesperson_id, self.sales)
        self.assertEqual(l1[1].team_id, self.team)
        l6 = self.history(leads["L6"])
        self.assertEqual(l6.mapped("duration_hours"), [0.0, 24.0, 0.0])
        self.assertTrue(l6[0].lost_in_stage, "lost in its first stage, and the restore keeps that fact")
        # a plain write that moves nothing writes nothing
        count = len(self.history(leads["L2"]))
        leads["L2"].write({"stage_id": leads["L2"].stage_id.id, "probability": 41})
        leads["L2"].write({"name": "L2 renamed"})
        self.assertEqual(len(self.history(leads["L2"])), count)

    def test_merge_moves_history_to_the_kept_lead(self):
        with freeze_time(at()):
            first = self.lead("M1", expected_revenue=10)
            second = self.lead("M2", stage_id=self.s2.id, expected_revenue=99999)
        with freeze_time(at(hours=5)):
            # merging into another team resets the stage to that team's first one: a merge move
            kept = (first | second)._merge_opportunity(team_id=self.other_team.id)
        self.assertFalse((first | second - kept).exists())
        rows = self.history(kept)
        self.assertEqual(set(rows.mapped("lead_id")), {kept})
        self.assertEqual(rows.filtered("is_open").stage_to_id, kept.stage_id, "one current entry")
        self.assertEqual(len(rows.filtered(lambda r: r.source == "create")), 2)
        merge = rows.filtered(lambda r: r.source == "merge")
        self.assertEqual(
            (merge.stage_from_id, merge.stage_to_id, merge.date), (self.s2, self.foreign, at(hours=5))
        )
        self.assertEqual(rows.filtered(lambda r: r.source == "create").mapped("left_date"), [at(hours=5)] * 2)

    def test_backfill_rebuilds_the_hook_rows_from_tracking(self):
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        Lead = env["crm.lead"]
        with freeze_time(at()):
            lead = Lead.create(
                {"name": "B1", "type": "opportunity", "team_id": self.team.id, "stage_id": self.s1.id}
            )
            self.set_created(lead, at())
            env.cr.flush()
        for day, stage in ((1, self.s2), (2, self.s1), (3, self.s3)):
            with freeze_time(at(days=day)):
                lead.write({"stage_id": stage.id})
                env.cr.flush()  # tracking values are written at the end of the request
        with freeze_time(at(days=4)):
            lead.action_set_lost()
            env.cr.flush()
        columns = [
            "stage_from_id", "stage_to_id", "date", "duration_hours", "is_entry", "is_open", "left_date",
            "hours_in_stage", "moved_forward", "lost_in_stage", "won_later", "is_lost", "is_won",
        ]  # fmt: skip
        before = [tuple(row[c] for c in columns) for row in self.history(lead).read(columns)]
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM linear_stage_history WHERE lead_id = %s", lead.id))
        self.env["linear.stage.history"].invalidate_model()
        self.assertEqual(self.env["linear.stage.history"]._linear_backfill(), 5)
        after = [tuple(row[c] for c in columns) for row in self.history(lead).read(columns)]
        self.assertEqual(after, before)
        self.assertEqual(set(self.history(lead).mapped("source")), {"backfill"})
        self.assertEqual(self.env["linear.stage.history"]._linear_backfill(), 0, "nothing twice")


@tagged("post_install", "-at_install")
class TestSalesAnalytics(AnalyticsWorld):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Analytics = cls.env["linear.sales.analytics"].with_user(cls.manager)

    def test_funnel_figures(self):
        self.build()
        with freeze_time(at(days=5)):
            result = self.Analytics.funnel(dict(MARCH, team_id=self.team.id))
        rows = {row["stage_id"]: row for row in result["stages"]}
        keys = ["entered", "forward", "lost", "won_later", "conversion_next", "conversion_cumulative",
                "avg_hours", "median_hours"]  # fmt: skip
        figures = {
            stage.name: [rows[stage.id][key] for key in keys]
            for stage in (self.s1, self.s2, self.s3, self.won)
        }
        self.assertEqual(
            figures,
            {
                "AN Stage 1": [6, 2, 2, 1, 0.3333, 1.0, 43.33, 24.0],
                "AN Stage 2": [2, 1, 0, 1, 0.5, 0.3333, 31.0, 31.0],
                "AN Stage 3": [1, 1, 0, 1, 1.0, 0.1667, 24.0, 24.0],
                # nobody left the won stage: its stay is not measured (None), not 0 hours
                "AN Won": [1, 0, 0, 1, 0.0, 0.1667, None, None],
            },
        )
        order = [row["stage_id"] for row in result["stages"]]
        self.assertLess(order.index(self.s1.id), order.index(self.won.id))
        self.assertNotIn(self.foreign.id, rows, "another pipeline's stage is not a row of this one")
        others = [
            row
            for row in result["stages"]
            if row["stage_id"] not in (self.s1 | self.s2 | self.s3 | self.won).ids
        ]
        self.assertFalse(any(row["entered"] for row in others))
        self.assertEqual(
            {k: result["totals"][k] for k in ("leads", "lost", "won", "conversion")},
            {"leads": 6, "lost": 2, "won": 1, "conversion": 0.1667},
        )
        self.assertIn("1 stage entries are in stages of other pipelines", result["message"])
        # drill-down: the leads of a row
        drill = self.env["crm.lead"].search(rows[self.s2.id]["lead_domain"])
        self.assertEqual(set(drill.mapped("name")), {"L1", "L2"})
        lost = self.env["crm.lead"].search(rows[self.s1.id]["lead_domain"])
        self.assertEqual(len(lost), 6, "lost (archived) leads are drilled into too")
        # the salesperson filter and a period without entries
        by_user = self.Analytics.funnel(dict(MARCH, team_id=self.team.id, user_id=self.manager.id))
        self.assertEqual(by_user["totals"]["leads"], 0)
        empty = self.Analytics.funnel(
            {"date_from": "2026-05-01", "date_to": "2026-05-31", "team_id": self.team.id}
        )
        self.assertEqual(empty["totals"]["leads"], 0)
        self.assertEqual(empty["message"], "No lead entered a stage in this period.")
        self.assertTrue(all(row["conversion_next"] == 0 for row in empty["stages"]))

    def test_funnel_report_view_matches_the_api(self):
        self.build()
        groups = self.env["linear.report.funnel"]._read_group(
            [("team_id", "=", self.team.id)],
            ["stage_id"],
            ["entered:sum", "forward:sum", "lost:sum", "won_later:sum"],
        )
        by_stage = {stage.name: rest for stage, *rest in groups}
        # one row per lead and stage: L2 entered stage 1 twice, its first entry counts
        self.assertEqual(by_stage["AN Stage 1"], [6, 2, 2, 1])
        self.assertEqual(by_stage["AN Stage 2"], [2, 1, 0, 1])
        self.assertEqual(by_stage["AN Other Pipeline"], [1, 0, 0, 0])

    def test_managers_figures(self):
        leads = self.build()

        def interactions(_self, user_ids, date_from, date_to):
            return {
                self.sales.id: {
                    "calls_in": 3,
                    "calls_out": 5,
                    "calls_missed": 1,
                    "messages": 7,
                    "first_outbound": {leads["L4"].id: at(hours=1)},
                }
            }

        Analytics = type(self.Analytics)
        with freeze_time(at(days=5)), patch.object(Analytics, "_linear_interaction_counts", interactions):
            result = self.Analytics.managers(MARCH)
        self.assertEqual(len(result["rows"]), 1)
        row = dict(result["rows"][0])
        domain = row.pop("lead_domain")
        self.assertEqual(
            row,
            {
                "user_id": self.sales.id,
                "name": self.sales.name,
                "new_leads": 6,
                # L1 answered by a done call in 2 h, L2 in 24 h, L4 by an outbound call in 1 h
                "first_response_median_hours": 2.0,
                "calls_in": 3,
                "calls_out": 5,
                "calls_missed": 1,
                "messages": 7,
                "activities_done": 2,
                "activities_overdue": 1,
                "won_count": 1,
                "win_rate": 0.5,
                "revenue_won": 1000.0,
                "average_deal": 1000.0,
                "average_cycle_days": 3.0,
                "objections": {"AN Price": 1},
            },
        )
        self.assertEqual(len(self.env["crm.lead"].search(domain)), 6)
        # without channel_connectors' override: zeros, nothing fails
        with freeze_time(at(days=5)):
            plain = self.Analytics.managers(MARCH)["rows"][0]
        self.assertEqual(
            (plain["calls_in"], plain["messages"], plain["first_response_median_hours"]), (0, 0, 13.0)
        )
        # A salesperson whose new lead nobody answered and who won nothing: not measured (None),
        # not "answered in 0 hours" nor "deals of 0 roubles in 0 days".
        idle = new_test_user(self.env, login="an_idle", groups="sales_team.group_sale_salesman")
        self.set_created(self.lead("AN unanswered", user_id=idle.id), at(days=1))
        with freeze_time(at(days=5)):
            rows = {row["user_id"]: row for row in self.Analytics.managers(MARCH)["rows"]}
        self.assertEqual(rows[idle.id]["new_leads"], 1)
        keys = ("first_response_median_hours", "average_deal", "average_cycle_days")
        self.assertEqual([rows[idle.id][key] for key in keys], [None, None, None])

    def test_discipline(self):
        leads = self.build()
        with freeze_time(at(days=20)):
            leads["L5"].activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.sales.id, date_deadline=at(days=30).date()
            )
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET write_date = %s WHERE id IN %s",
                    at(days=4),
                    tuple(self.team_leads().ids),
                )
            )
            result = self.Analytics.discipline({"team_id": self.team.id}, idle_days=7)
        row = result["rows"][0]
        # open leads: L2, L4, L5, L6 (L1 won, L3 lost); L5 has a planned action, L4 an overdue one
        self.assertEqual(
            (row["user_id"], row["no_next_activity"], row["overdue_actions"], row["untouched"]),
            (self.sales.id, 2, 1, 4),
        )
        Lead = self.env["crm.lead"]
        self.assertEqual(set(Lead.search(row["no_next_activity_domain"]).mapped("name")), {"L2", "L6"})
        self.assertEqual(set(Lead.search(row["overdue_actions_domain"]).mapped("name")), {"L4"})
        with freeze_time(at(days=20)):
            self.assertEqual(len(Lead.search(row["untouched_domain"])), 4)
        with self.assertRaises(UserError):
            self.Analytics.discipline({}, idle_days=0)

    def team_leads(self):
        return self.env["crm.lead"].with_context(active_test=False).search([("team_id", "=", self.team.id)])

    def test_channels_with_a_cost_in_another_currency(self):
        self.build()
        company = self.env.company
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", company.currency_id.id), ("name", "in", ["EUR", "USD"])], limit=1)
        )
        other.active = True
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (other | company.currency_id).ids)]).unlink()
        Rate.create({"currency_id": other.id, "name": "2026-03-01", "rate": 2.0, "company_id": company.id})
        self.env["linear.marketing.cost"].create(
            {
                "month": "2026-03-17",
                "source_id": self.yandex.id,
                "medium_id": self.cpc.id,
                "campaign_id": self.campaign.id,
                "amount": 300.0,
                "currency_id": other.id,
            }
        )
        self.env["linear.marketing.cost"].create(
            {"month": "2026-04-01", "source_id": self.avito.id, "amount": 50}
        )
        result = self.Analytics.channels(dict(MARCH, team_id=self.team.id))
        rows = {row["source"]: row for row in result["rows"]}
        keys = ["leads", "won", "revenue", "conversion", "cost", "cost_per_lead", "cac", "romi"]
        self.assertEqual(
            [rows["AN Yandex Direct"][k] for k in keys], [2, 1, 1000.0, 0.5, 150.0, 75.0, 150.0, 5.6667]
        )
        self.assertEqual([rows["AN Avito"][k] for k in keys], [1, 0, 0.0, 0.0, None, None, None, None])
        self.assertEqual([rows[""][k] for k in keys], [3, 0, 0.0, 0.0, None, None, None, None])
        self.assertEqual(result["currency"], company.currency_id.name)
        self.assertEqual(
            self.env["linear.marketing.cost"].search([("source_id", "=", self.avito.id)]).month,
            datetime.date(2026, 4, 1),
        )
        drill = self.env["crm.lead"].search(rows["AN Avito"]["lead_domain"])
        self.assertEqual(drill.mapped("name"), ["L3"])

    def test_forecast_against_targets(self):
        self.build()
        Target = self.env["linear.sales.target"]
        Target.create(
            {"month": "2026-03-05", "team_id": self.team.id, "user_id": self.sales.id, "amount": 700}
        )
        Target.create({"month": "2026-03-01", "team_id": self.team.id, "amount": 1000})
        result = self.Analytics.forecast(
            {"date_from": "2026-03-01", "date_to": "2026-04-30", "team_id": self.team.id}
        )
        rows = [
            (r["month"], r["team_id"], r["user_id"], r["leads"], r["expected"], r["weighted"], r["target"])
            for r in result["rows"]
        ]
        self.assertEqual(
            rows,
            [
                ("2026-03-01", self.team.id, False, 0, 0.0, 0.0, 1000.0),
                ("2026-03-01", self.team.id, self.sales.id, 1, 500.0, 200.0, 700.0),
                ("2026-04-01", self.team.id, self.sales.id, 1, 800.0, 200.0, False),
            ],
        )
        self.assertEqual(self.env["crm.lead"].search(result["rows"][2]["lead_domain"]).mapped("name"), ["L4"])
        view = self.env["linear.report.forecast"]._read_group(
            [("team_id", "=", self.team.id), ("date_deadline", "!=", False)],
            [],
            ["weighted:sum", "expected:sum"],
        )
        self.assertEqual(view, [(400.0, 1300.0)])

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self.Analytics.funnel({"date_from": "2026-04-01", "date_to": "2026-03-01"})
        with self.assertRaises(UserError):
            self.Analytics.funnel({"date_from": "2026-13-45"})
        with self.assertRaises(UserError):
            self.Analytics.managers({"team": 1})
        with self.assertRaises(UserError):
            self.Analytics.channels({"team_id": "1"})
        # a pipeline without stages: a message, no traceback
        empty_team = self.env["crm.team"].create({"name": "AN Empty"})
        self.env["crm.stage"].search([("team_ids", "=", False)]).write(
            {"team_ids": [Command.link(self.other_team.id)]}
        )
        result = self.Analytics.funnel(dict(MARCH, team_id=empty_team.id))
        self.assertEqual((result["stages"], result["message"]), ([], "This pipeline has no stages."))
        # a team without a bound process has no process panel
        process = self.Analytics.process(dict(MARCH, team_id=self.team.id))
        self.assertEqual(process["steps"], [])
        self.assertTrue(process["message"])
        # nothing in a period: empty rows with a message
        for method in ("managers", "channels", "forecast"):
            result = getattr(self.Analytics, method)({"date_from": "2001-01-01", "date_to": "2001-01-31"})
            self.assertEqual(result["rows"], [], method)
            self.assertTrue(result["message"], method)
