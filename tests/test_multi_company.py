# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Company consistency (issue 8): a user of company B reads nothing of company A, relational
fields refuse records of another company, assignment never crosses companies, and requisites
follow the company's country as phone numbers do."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException


def make_company_world(env):
    """Company A (the current one) with a full process and a lead, company B with one user."""
    w = {"company_a": env.company}
    w["company_b"] = env["res.company"].create({"name": "LC Company B"})
    w["user_b"] = new_test_user(
        env,
        login="lc_mcomp_b",
        name="LC B Architect",
        groups="linear_crm.group_process_architect,sales_team.group_sale_manager,"
        "project.group_project_manager",
        company_id=w["company_b"].id,
        company_ids=[(6, 0, w["company_b"].ids)],
    )
    process = env["linear.process"].create({"name": "LC A process", "company_id": env.company.id})
    step = env["linear.process.step"].create({"process_id": process.id, "name": "Processing of the order"})
    result = env["linear.process.step.result"].create({"step_id": step.id, "name": "Order checked"})
    kpi = env["linear.process.kpi"].create({"process_id": process.id, "name": "Revenue"})
    project = env["project.project"].create({"name": "LC A project", "company_id": env.company.id})
    run = env["linear.process.run"].create({"process_id": process.id, "project_id": project.id})
    team = env["crm.team"].create({"name": "LC A team", "company_id": env.company.id})
    lead = (
        env["crm.lead"]
        .with_context(linear_skip_assignment=True)
        .create(
            {
                "name": "LC A lead",
                "type": "opportunity",
                "company_id": env.company.id,
                "team_id": team.id,
                "user_id": env.ref("base.user_admin").id,
            }
        )
    )
    preset = env.ref("linear_crm.preset_birthday")
    w["records"] = {
        "linear.process": process,
        "linear.process.goal": env["linear.process.goal"].create(
            {"process_id": process.id, "name": "Increase revenue"}
        ),
        "linear.process.step": step,
        "linear.process.step.result": result,
        "linear.process.kpi": kpi,
        "linear.process.kpi.measurement": env["linear.process.kpi.measurement"].create(
            {"kpi_id": kpi.id, "value": 3.0}
        ),
        "linear.process.finding": env["linear.process.finding"].create(
            {"process_id": process.id, "rule": "lc_test", "template": "LC finding"}
        ),
        "linear.process.step.action": env["linear.process.step.action"].create(
            {"step_id": step.id, "name": "Call the client back"}
        ),
        "linear.step.timing": env["linear.step.timing"].create(
            {"res_model": "crm.lead", "res_id": lead.id, "step_id": step.id}
        ),
        "linear.process.run": run,
        "linear.process.run.line": env["linear.process.run.line"].create(
            {"run_id": run.id, "step_id": step.id}
        ),
        "crm.lead.step.result": env["crm.lead.step.result"].create(
            {"lead_id": lead.id, "result_id": result.id}
        ),
        "crm.lead.objection": env["crm.lead.objection"].create(
            {"lead_id": lead.id, "type_id": env["crm.lead.objection.type"].create({"name": "LC dear"}).id}
        ),
        "linear.crm.preset": preset,
        "linear.crm.preset.log": env["linear.crm.preset.log"].create(
            {"preset_id": preset.id, "res_model": "res.partner", "res_id": 1, "key": "lc"}
        ),
    }
    w["lead"], w["project"], w["process"], w["step"] = lead, project, process, step
    return w


@tagged("post_install", "-at_install")
class TestMultiCompanyHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w = make_company_world(cls.env)

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_company_b_reads_nothing_of_company_a(self):
        records = self.w["records"]
        for model, record in records.items():
            self.assertEqual(record.company_id, self.w["company_a"], model)
        self.authenticate("lc_mcomp_b", "lc_mcomp_b")
        for model, record in records.items():
            with self.subTest(model=model):
                domain = [("id", "=", record.id)]
                self.assertEqual(self.call(model, "search_read", domain, fields=["id"]), [])
                self.assertEqual(self.call(model, "search_count", domain), 0)
                self.assertEqual(self.call(model, "name_search", "", domain), [])
                with self.assertRaises(JsonRpcException):
                    self.call(model, "read", [record.id], ["display_name"])
                if "sequence" in record:
                    with self.assertRaises(JsonRpcException):
                        self.call(model, "write", [record.id], {"sequence": 99})


@tagged("post_install", "-at_install")
class TestMultiCompanyOrm(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.w = make_company_world(cls.env)

    def test_every_company_bound_model_has_a_company_rule(self):
        Rule = self.env["ir.rule"].sudo()
        for model in self.w["records"]:
            rules = Rule.search([("model_id.model", "=", model), ("global", "=", True)])
            self.assertTrue(
                any("company_ids" in (rule.domain_force or "") for rule in rules), f"{model}: no company rule"
            )

    def test_relations_refuse_another_company(self):
        user_b, company_b = self.w["user_b"], self.w["company_b"]
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["linear.process.step.action"].create(
                {
                    "step_id": self.w["step"].id,
                    "name": "Call",
                    "assignee": "fixed_user",
                    "user_id": user_b.id,
                }
            )
        project_b = self.env["project.project"].create({"name": "LC B project", "company_id": company_b.id})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["linear.process.run"].create(
                {"process_id": self.w["process"].id, "project_id": project_b.id}
            )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.w["process"].owner_id = user_b

    def test_assignment_never_picks_a_user_of_another_company(self):
        company_a = self.w["company_a"]
        seller_a = new_test_user(
            self.env, login="lc_mcomp_a", groups="sales_team.group_sale_salesman", name="LC A Seller"
        )
        # one team per user: crm moves a user's membership when they join another team
        seller_free = new_test_user(
            self.env, login="lc_mcomp_f", groups="sales_team.group_sale_salesman", name="LC A Seller 2"
        )
        team_a = self.env["crm.team"].create(
            {"name": "LC A rotation", "company_id": company_a.id, "member_ids": [(6, 0, seller_a.ids)]}
        )
        team_free = self.env["crm.team"].create(
            {"name": "LC shared rotation", "company_id": False, "member_ids": [(6, 0, seller_free.ids)]}
        )
        # the client's responsible manager works in company B only
        client = self.env["res.partner"].create({"name": "LC shared client", "user_id": self.w["user_b"].id})
        lead = self.env["crm.lead"].create(
            {"name": "LC incoming", "type": "opportunity", "team_id": team_a.id, "partner_id": client.id}
        )
        self.assertEqual(lead.user_id, seller_a, lead.assignment_reason)
        self.assertEqual(lead.assignment_rule, "rotation")
        self.assertEqual(lead.company_id, company_a)
        # nobody of the team may work in the lead's company: not assigned, and the reason says so
        company_c = self.env["res.company"].create({"name": "LC Company C"})
        # an English request: the reason is read in English (the demo company is Russian)
        Lead = self.env["crm.lead"].with_context(lang="en_US")
        lead_c = Lead.create(
            {
                "name": "LC incoming C",
                "type": "opportunity",
                "team_id": team_free.id,
                "partner_id": client.id,
                "company_id": company_c.id,
            }
        )
        self.assertFalse(lead_c.user_id)
        self.assertIn("not allowed in the lead's company", lead_c.assignment_reason)

    def test_hand_over_refuses_a_user_of_another_company(self):
        seller_a = new_test_user(
            self.env, login="lc_mcomp_a2", groups="sales_team.group_sale_salesman", name="LC A Leaver"
        )
        lead = self.w["lead"]
        lead.user_id = seller_a
        wizard = self.env["linear.reassign.wizard"].create({"user_ids": [(6, 0, seller_a.ids)]})
        wizard._build_lines()
        line = wizard.line_ids.filtered(lambda line: line.lead_id == lead)
        self.assertNotEqual(line.proposed_user_id, self.w["user_b"])
        line.new_user_id = self.w["user_b"]
        with self.assertRaisesRegex(UserError, "LC Company B|may not work in"):
            wizard.action_apply()
        self.assertEqual(lead.user_id, seller_a, lead.assignment_reason)

    def test_requisites_follow_the_company_country(self):
        russia = self.env.ref("base.ru")
        self.env.company.country_id = russia
        Partner = self.env["res.partner"]
        with self.assertRaisesRegex(ValidationError, "INN"), self.env.cr.savepoint():
            Partner.create({"name": "LC no country", "vat": "ABCDEFGHIJ"})
        with self.assertRaisesRegex(ValidationError, "KPP"), self.env.cr.savepoint():
            Partner.create({"name": "LC no country", "vat": "7707083893", "kpp": "12"})
        partner = Partner.create({"name": "LC valid", "vat": "7707083893", "kpp": "773601001"})
        with self.assertRaisesRegex(ValidationError, "INN"), self.env.cr.savepoint():
            partner.vat = "7707083894"
        # an explicit foreign country keeps its own rules
        Partner.create({"name": "LC German", "country_id": self.env.ref("base.de").id, "vat": "ABCDEFGHIJ"})
        # a bank without a country in a Russian company: the BIK is checked
        with self.assertRaisesRegex(ValidationError, "BIK"), self.env.cr.savepoint():
            self.env["res.bank"].create({"name": "LC bank", "bic": "ABCDEFGHI"})
