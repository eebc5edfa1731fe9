# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import contextlib
import datetime
import random
from unittest import mock

from odoo import api, fields, models

from .crm_lead_process import gate_override_context

# Deterministic demo: the same leads, paths and amounts on every install.
SEED = 20260301
DEMO_DAYS = 120
COMPANIES = (
    "ООО «Альфа-Строй»",
    "АО «Технопарк»",
    "ООО «Сибирский лес»",
    "ИП Петров А. В.",
    "ООО «Волга-Логистик»",
    "ООО «Уральские окна»",
    "АО «Балтийская верфь»",
    "ООО «Кубань-Агро»",
    "ООО «Мегаполис»",
    "ООО «Северсталь-Сервис»",
    "ИП Сидорова Е. Н.",
    "ООО «Дальний Восток Трейд»",
)
GOODS = (
    "стеллажей",
    "офисной мебели",
    "складского оборудования",
    "торгового оборудования",
    "металлоконструкций",
    "упаковочной линии",
    "погрузчиков",
    "кассовых стоек",
)
# (xml id of the source, medium, campaign, monthly cost in roubles)
CHANNELS = (
    (
        "linear_crm.demo_utm_source_yandex",
        "utm.utm_medium_google_adwords",
        "linear_crm.demo_utm_campaign_spring",
        120000,
    ),
    ("linear_crm.demo_utm_source_avito", "utm.utm_medium_website", False, 40000),
    ("linear_crm.demo_utm_source_site", "utm.utm_medium_website", False, 25000),
    ("linear_crm.demo_utm_source_referral", "utm.utm_medium_direct", False, 0),
    ("linear_crm.demo_utm_source_expo", "utm.utm_medium_direct", "linear_crm.demo_utm_campaign_expo", 300000),
)
PROBABILITY_BY_STEP = (10, 30, 60, 80, 90)


class LinearSalesDemo(models.AbstractModel):
    """Demo data only: a few months of sales on two pipelines, so the funnel, managers,
    channels, forecast and process reports and the dashboard show something on a fresh demo.

    The leads are moved through their stages by the ordinary ORM calls (write, won, lost,
    restore), with the clock set back to each move's date, so the one stage-move hook writes
    history and step timing exactly as it would have, only in the past. Never called outside
    demo data.
    """

    _name = "linear.sales.demo"
    _description = "Sales Analytics Demo Data"

    @contextlib.contextmanager
    def _demo_clock(self, moment):
        """fields.Datetime.now() and the transaction's now() answer ``moment`` (demo only)."""
        cr = self.env.cr
        previous = getattr(cr, "_now", None)
        cr._now = moment
        try:
            with mock.patch.object(fields.Datetime, "now", staticmethod(lambda *args: moment)):
                yield
        finally:
            self.env.flush_all()
            cr._now = previous

    @api.model
    def _demo_own(self, prefix, records):
        """Name ``records`` linear_crm.<prefix>_<n>, as data files name their records: uninstalling
        the module removes them (a lead left behind would keep the process stages it stands in)."""
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"linear_crm.{prefix}_{number}", "record": record, "noupdate": True}
                for number, record in enumerate(records, start=1)
            ]
        )

    @api.model
    def _demo_generate(self, count=60):
        rng = random.Random(SEED)
        ref = self.env.ref
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        start = now - datetime.timedelta(days=DEMO_DAYS)
        wholesale = ref("linear_crm.demo_team_wholesale")
        process_team = ref("linear_crm.demo_team_process")
        teams = [
            (wholesale, [ref("linear_crm.demo_user_orlov"), ref("linear_crm.demo_user_volkova")], 0.6),
            (process_team, [ref("linear_crm.demo_user_ivanova"), ref("linear_crm.demo_user_smirnov")], 0.4),
        ]
        Lead = self.env["crm.lead"].with_context(
            mail_notrack=True, mail_create_nolog=True, tracking_disable=True
        )
        lost_reasons = self.env["crm.lost.reason"].search([], limit=3)
        objection_types = self.env["crm.lead.objection.type"].search([], limit=10)
        partners = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "lang": "ru_RU", "country_id": ref("base.ru").id}
                for name in COMPANIES
            ]
        )
        self._demo_own("demo_sales_client", partners)
        leads, objections = self.env["crm.lead"], self.env["crm.lead.objection"]
        for index in range(count):
            team, sellers, _share = teams[0] if rng.random() < teams[0][2] else teams[1]
            stages = self._demo_stages(team)
            if not stages:
                continue
            source, medium, campaign, _cost = rng.choice(CHANNELS)
            created = start + datetime.timedelta(hours=rng.randint(0, (DEMO_DAYS - 5) * 24))
            seller = rng.choice(sellers)
            partner = rng.choice(partners)
            outcome = rng.choices(("won", "lost", "open"), weights=(3, 2.5, 4.5))[0]
            last_step = rng.randint(0, len(stages) - 1)
            with self._demo_clock(created):
                lead = Lead.create(
                    {
                        "name": f"Поставка {rng.choice(GOODS)}: {partner.name}",
                        "type": "opportunity",
                        "team_id": team.id,
                        "user_id": seller.id,
                        "partner_id": partner.id,
                        "stage_id": stages[0].id,
                        "expected_revenue": rng.randrange(50, 1500) * 1000,
                        "source_id": ref(source).id,
                        "medium_id": ref(medium).id,
                        "campaign_id": ref(campaign).id if campaign else False,
                        "probability": PROBABILITY_BY_STEP[0],
                    }
                )
            leads |= lead
            moment = created
            gate = lead.with_context(**gate_override_context())
            for step in range(1, last_step + 1):
                moment += datetime.timedelta(hours=rng.randint(4, 10 * 24))
                if moment >= now:
                    break
                with self._demo_clock(moment):
                    gate.write(
                        {"stage_id": stages[step].id, "probability": PROBABILITY_BY_STEP[min(step, 4)]}
                    )
            moment += datetime.timedelta(hours=rng.randint(4, 7 * 24))
            if objection_types and rng.random() < 0.35:
                objections |= self.env["crm.lead.objection"].create(
                    {
                        "lead_id": lead.id,
                        "type_id": rng.choice(objection_types).id,
                        "date": min(moment, now),
                        "outcome": rng.choice(("overcome", "not_overcome", "pending")),
                    }
                )
            if moment >= now or outcome == "open":
                deadline = now.date() + datetime.timedelta(days=rng.randint(-5, 80))
                lead.write({"date_deadline": deadline})
                if index % 4 == 0:  # a forgotten call: the discipline view shows it
                    lead.activity_schedule(
                        "mail.mail_activity_data_call",
                        date_deadline=now.date() - datetime.timedelta(days=rng.randint(1, 10)),
                        user_id=seller.id,
                        summary="Перезвонить клиенту",
                    )
                continue
            with self._demo_clock(moment):
                if outcome == "won":
                    gate.action_set_won()
                else:
                    gate.action_set_lost(
                        lost_reason_id=rng.choice(lost_reasons).id if lost_reasons else False
                    )
            if outcome == "lost" and index % 9 == 0:  # the client came back
                moment += datetime.timedelta(days=rng.randint(1, 5))
                if moment < now:
                    with self._demo_clock(moment):
                        gate.action_unarchive()
        # Stage history, step timings, step results, activities and messages go with their lead.
        self._demo_own("demo_sales_lead", leads)
        self._demo_own("demo_sales_objection", objections)
        self._demo_costs_and_targets(now, [team for team, _sellers, _share in teams])

    @api.model
    def _demo_stages(self, team):
        """The open stages of the team's pipeline, in order (a process team has its own)."""
        if team.linear_process_id:
            domain = ["|", ("team_ids", "in", team.ids), ("linear_team_id", "=", team.id)]
        else:
            domain = ["|", ("team_ids", "=", False), ("team_ids", "in", team.ids)]
        return self.env["crm.stage"].search([("is_won", "=", False), *domain], order="sequence, id")

    @api.model
    def _demo_costs_and_targets(self, now, teams):
        ref = self.env.ref
        month = (now.date() - datetime.timedelta(days=DEMO_DAYS)).replace(day=1)
        last = (now.date() + datetime.timedelta(days=62)).replace(day=1)
        costs, targets = [], []
        while month <= last:
            if month <= now.date():
                for source, medium, campaign, amount in CHANNELS:
                    if amount and (campaign != "linear_crm.demo_utm_campaign_expo" or month.month % 3 == 0):
                        costs.append(
                            {
                                "month": month,
                                "source_id": ref(source).id,
                                "medium_id": ref(medium).id,
                                "campaign_id": ref(campaign).id if campaign else False,
                                "amount": amount,
                            }
                        )
            for index, team in enumerate(teams):
                targets.append({"month": month, "team_id": team.id, "amount": (3 - index) * 1_000_000})
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        self._demo_own("demo_sales_cost", self.env["linear.marketing.cost"].create(costs))
        self._demo_own("demo_sales_target", self.env["linear.sales.target"].create(targets))
