# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The access matrix (tests/access_matrix.json) walked over JSON-RPC, role by role.

The matrix is data: per role and per model of the addon, the operations its ACLs allow; per main
model, the records of the shared fixture below each role sees; and reads that cross from a
visible record into records the role must not read. This test proves every cell the way a
browser or a script would (`/web/dataset/call_kw`): search_read, formatted_read_group,
name_search, export_data and web_read with nested fields where reading is allowed; create, write
and unlink where they are denied raise AccessError and change nothing. A model of the addon
without a line in the matrix fails, so a new model cannot be forgotten.

To adjust the matrix after a deliberate change of the rules, edit the JSON: the failure message
lists every cell that differs, with the value found.
"""

import json
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

MATRIX = json.loads((Path(__file__).resolve().parent / "access_matrix.json").read_text())
OPERATIONS = {"r": "read", "c": "create", "w": "write", "u": "unlink"}
ACCESS_ERROR = "odoo.exceptions.AccessError"
FORGED = "MX forged value"
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
    "linear_skip_assignment": True,
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.records = {}  # fixture name -> record
        cls._build_fixture()
        cls.fixture_name = {(rec._name, rec.id): name for name, rec in cls.records.items()}

    # ------------------------------------------------------------------ fixture
    @classmethod
    def _build_fixture(cls):
        env, rec = cls.env, cls.records
        main = env.company
        other = env["res.company"].create({"name": "MX Other Company"})
        cls.companies = {"main": main, "other": other}

        def user(login, groups, company=main):
            return new_test_user(
                env,
                login=login,
                groups=groups,
                name=f"MX {login}",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.users = {
            role: user(spec["login"], spec["groups"], cls.companies[spec["company"]])
            for role, spec in MATRIX["roles"].items()
        }
        sales, leader, other_manager = (cls.users[r] for r in ("salesman", "team_leader", "other_company"))
        colleague = user("mx_sales2", "sales_team.group_sale_salesman")
        seller_b = user("mx_seller_b", "sales_team.group_sale_salesman")

        Team = env["crm.team"]
        team_a = Team.create(
            {
                "name": "MX Team A",
                "user_id": leader.id,
                "member_ids": [(6, 0, (sales | colleague).ids)],
                "company_id": main.id,
            }
        )
        team_b = Team.create(
            {"name": "MX Team B", "member_ids": [(6, 0, seller_b.ids)], "company_id": main.id}
        )
        team_other = Team.with_company(other).create(
            {"name": "MX Team Other", "company_id": other.id, "member_ids": [(6, 0, other_manager.ids)]}
        )

        # Clients belong to their company; the vendor is shared by both (no company).
        Partner = env["res.partner"]
        for name, owner, company in (
            ("client_own", sales, main),
            ("client_colleague", colleague, main),
            ("client_free", None, main),
            ("client_other_team", seller_b, main),
            ("vendor", None, None),
        ):
            rec[name] = Partner.create(
                {
                    "name": f"MX {name}",
                    "user_id": owner.id if owner else False,
                    "company_id": company and company.id,
                }
            )
        rec["client_company_b"] = Partner.with_company(other).create(
            {"name": "MX client_company_b", "user_id": other_manager.id, "company_id": other.id}
        )
        # Bank accounts follow their holder; the company's own account stays visible to sellers.
        bank = env["res.bank"].create({"name": "MX Bank", "country": env.ref("base.us").id})
        for number, (name, holder) in enumerate(
            (
                ("bank_client_own", rec["client_own"]),
                ("bank_client_colleague", rec["client_colleague"]),
                ("bank_company", main.partner_id),
                ("bank_client_company_b", rec["client_company_b"]),
            )
        ):
            rec[name] = env["res.partner.bank"].create(
                {"acc_number": f"MX4070{number}", "partner_id": holder.id, "bank_id": bank.id}
            )

        Lead = env["crm.lead"]
        for name, owner, team, client in (
            ("lead_own", sales, team_a, "client_own"),
            ("lead_colleague", colleague, team_a, "client_colleague"),
            ("lead_colleague_on_own_client", colleague, team_a, "client_own"),
            ("lead_free", None, team_a, "client_free"),
            ("lead_other_team", seller_b, team_b, "client_other_team"),
        ):
            rec[name] = Lead.create(
                {
                    "name": f"MX {name}",
                    "type": "opportunity",
                    "user_id": owner.id if owner else False,
                    "team_id": team.id,
                    "partner_id": rec[client].id,
                }
            )
        rec["lead_company_b"] = Lead.with_company(other).create(
            {
                "name": "MX lead_company_b",
                "type": "opportunity",
                "user_id": other_manager.id,
                "team_id": team_other.id,
                "partner_id": rec["client_company_b"].id,
                "company_id": other.id,
            }
        )

        price = env.ref("linear_crm.objection_type_price")
        for name, lead in (
            ("objection_own", "lead_own"),
            ("objection_colleague", "lead_colleague"),
            ("objection_company_b", "lead_company_b"),
        ):
            rec[name] = (
                env["crm.lead.objection"]
                .with_company(rec[lead].company_id)
                .create({"lead_id": rec[lead].id, "type_id": price.id, "client_statement": f"MX {name}"})
            )

        Process = env["linear.process"]
        architect = cls.users["architect"]
        rec["process_approved"] = Process.create(
            {
                "name": "MX process_approved",
                "architect_id": architect.id,
                "owner_id": architect.id,
                "step_ids": [
                    (0, 0, {"name": "MX step_approved", "result_ids": [(0, 0, {"name": "MX done"})]})
                ],
            }
        )
        rec["process_approved"].action_approve()
        rec["process_approved"].action_new_version()  # a draft next version, for the architect only
        rec["process_draft"] = rec["process_approved"].next_version_ids
        rec["process_company_b"] = Process.with_company(other).create(
            {
                "name": "MX process_company_b",
                "company_id": other.id,
                "owner_id": other_manager.id,
                "step_ids": [
                    (0, 0, {"name": "MX step_company_b", "result_ids": [(0, 0, {"name": "MX done"})]})
                ],
            }
        )
        rec["process_company_b"].with_company(other).action_approve()
        for process, step in (
            ("process_approved", "step_approved"),
            ("process_draft", "step_draft"),
            ("process_company_b", "step_company_b"),
        ):
            rec[step] = rec[process].step_ids[:1]

        Timing = env["linear.step.timing"]
        for name, lead, step, owner in (
            ("timing_own", "lead_own", "step_approved", sales),
            ("timing_colleague", "lead_colleague", "step_approved", colleague),
            ("timing_company_b", "lead_company_b", "step_company_b", other_manager),
        ):
            rec[name] = Timing.create(
                {
                    "res_model": "crm.lead",
                    "res_id": rec[lead].id,
                    "step_id": rec[step].id,
                    "user_id": owner.id,
                }
            )

        for name, company in (("channel_main", main), ("channel_company_b", other)):
            rec[name] = env["linear.channel"].create(
                {"name": f"MX {name}", "provider": "generic", "company_id": company.id, "secret": "mx"}
            )
        # Calls and messages follow their lead, else their client.
        for name, channel, client, lead in (
            ("interaction_own", "channel_main", "client_own", "lead_own"),
            ("interaction_colleague", "channel_main", "client_colleague", "lead_colleague"),
            ("interaction_client_own", "channel_main", "client_own", None),
            ("interaction_company_b", "channel_company_b", "client_company_b", "lead_company_b"),
        ):
            rec[name] = env["linear.interaction"].create(
                {
                    "kind": "call",
                    "channel_id": rec[channel].id,
                    "partner_id": rec[client].id,
                    "lead_id": rec[lead].id if lead else False,
                    "external_id": f"MX {name}",
                    "phone": "+7 900 000-00-00",
                    "status": "answered",
                    "company_id": rec[channel].company_id.id,
                }
            )

        Timeline = env["linear.client.timeline"]
        for client in ("client_own", "client_colleague"):
            rec[client].message_post(body=f"MX probe {client}", message_type="comment")
        env.flush_all()
        for client in ("client_own", "client_colleague"):
            rec[f"timeline_{client}"] = Timeline.search([("name", "ilike", f"MX probe {client}")], limit=1)
        rec["timeline_lead_colleague_on_own_client"] = Timeline.search(
            [("lead_id", "=", rec["lead_colleague_on_own_client"].id), ("kind", "=", "lead")], limit=1
        )
        missing = [name for name, record in rec.items() if not record]
        assert not missing, f"fixture records not created: {missing}"

    # ------------------------------------------------------------------ helpers
    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        )

    def denied(self, model, method, *args, **kwargs):
        """None when the call raised AccessError, else a description of what happened."""
        try:
            result = self.call(model, method, *args, **kwargs)
        except JsonRpcException as error:
            return None if str(error) == ACCESS_ERROR else f"{method} raised {error}, not AccessError"
        return f"{method} was allowed (returned {str(result)[:80]})"

    def fixture_ids(self, model):
        return [self.records[name].id for name in MATRIX["rows"][model]["_fixture"]]

    def names(self, model, ids):
        return {self.fixture_name[(model, rid)] for rid in ids}

    def probe_field(self, model):
        """A stored plain char field to forge in write probes (the record name when there is one)."""
        Model = self.env[model]
        candidates = [Model._rec_name, *sorted(Model._fields)]
        for name in candidates:
            field = Model._fields.get(name)
            if field and field.type == "char" and field.store and not field.compute and not field.related:
                return name
        return None

    def target_records(self, model):
        """Records to aim denied write/unlink at: the fixture's, else any existing one."""
        if model in MATRIX["rows"]:
            # exists(): when a rule is broken, an earlier role may already have deleted one
            return self.env[model].browse(self.fixture_ids(model)).exists()
        return self.env[model].with_context(active_test=False).search([], limit=1)

    # ------------------------------------------------------------------ tests
    def test_matrix_lists_every_model_of_the_addon(self):
        data = self.env["ir.model.data"].search([("module", "=", "linear_crm"), ("model", "=", "ir.model")])
        models = set(self.env["ir.model"].browse(data.mapped("res_id")).mapped("model"))
        listed = set(MATRIX["acl"])
        self.assertFalse(sorted(models - listed), "models of linear_crm without a line in access_matrix.json")
        self.assertFalse(sorted(listed - models), "lines of access_matrix.json for models linear_crm lacks")
        for model, cells in MATRIX["acl"].items():
            self.assertEqual(set(cells), set(MATRIX["roles"]), f"{model}: one cell per role")
        for model, rows in MATRIX["rows"].items():
            for role in set(rows) - {"_fixture"}:
                self.assertIn("r", MATRIX["acl"][model][role], f"rows of {model} for {role} without read")
            for role, cell in MATRIX["acl"][model].items():
                if "r" in cell:
                    self.assertIn(role, rows, f"{role} reads {model}: say which fixture rows it sees")

    def test_acl_cells(self):
        """Every cell, from the ACLs as the ORM applies them (the walk below proves the denials)."""
        found = []
        for model, cells in sorted(MATRIX["acl"].items()):
            for role, expected in cells.items():
                Model = self.env[model].with_user(self.users[role])
                actual = "".join(letter for letter, op in OPERATIONS.items() if Model.has_access(op))
                if actual != expected:
                    found.append(f'"{model}" {role}: matrix "{expected}", ACLs give "{actual}"')
        self.assertFalse(found, "access matrix cells that differ:\n" + "\n".join(found))

    def test_walk_matrix_over_jsonrpc(self):
        for role, user in self.users.items():
            with self.subTest(role=role):
                self.authenticate(user.login, user.login)
                problems = self.walk_acl(role) + self.walk_rows(role) + self.walk_leaks(role)
                self.assertFalse(problems, f"{role}:\n" + "\n".join(problems))

    # ------------------------------------------------------------------ walks
    def walk_acl(self, role):
        problems = []
        for model, cells in sorted(MATRIX["acl"].items()):
            Model = self.env[model]
            if Model._abstract:
                continue  # no table: nothing to read or forge, the ACL cell is all there is
            cell = cells[role]

            def fail(message, model=model):
                problems.append(f"{model}: {message}")

            if "r" in cell:
                try:
                    self.call(model, "search_read", [], fields=["display_name"], limit=2)
                    self.call(model, "formatted_read_group", [], [], ["__count"])
                    self.call(model, "name_search", "", limit=2)
                except JsonRpcException as error:
                    fail(f"read is allowed but a read call raised {error}")
            elif problem := self.denied(model, "search_read", [], fields=["display_name"], limit=2):
                fail(problem)
            if "c" not in cell:
                before = Model.with_context(active_test=False).search_count([])
                if problem := self.denied(model, "create", [MATRIX["probe_vals"].get(model, {})]):
                    fail(problem)
                if Model.with_context(active_test=False).search_count([]) != before:
                    fail("a denied create added records")
            targets = self.target_records(model)
            if targets and "w" not in cell:
                field = self.probe_field(model)
                vals = {field: FORGED} if field else {}
                if problem := self.denied(model, "write", targets.ids, vals):
                    fail(problem)
                if field:
                    targets.invalidate_recordset()
                    if FORGED in targets.mapped(field):
                        fail("a denied write changed a record")
            if targets and "u" not in cell:
                if problem := self.denied(model, "unlink", targets.ids):
                    fail(problem)
                if len(targets.exists()) != len(targets):
                    fail("a denied unlink deleted records")
        return problems

    def walk_rows(self, role):
        problems = []
        for model, rows in MATRIX["rows"].items():
            if role not in rows:
                continue  # no read at all: walk_acl proved the AccessError
            expected, ids = set(rows[role]), self.fixture_ids(model)
            cell = MATRIX["acl"][model][role]
            domain = [("id", "in", ids)]

            try:
                read = self.call(model, "search_read", domain, fields=["display_name"])
                found = self.names(model, [r["id"] for r in read])
                if found != expected:
                    problems.append(f"{model} search_read: expected {sorted(expected)}, got {sorted(found)}")
                groups = self.call(model, "formatted_read_group", domain, [], ["__count"])
                count = groups[0]["__count"] if groups else 0
                if count != len(expected):
                    problems.append(f"{model} formatted_read_group: {count} rows, expected {len(expected)}")
                pairs = self.call(model, "name_search", "", domain=domain, limit=100)
                found = self.names(model, [pair[0] for pair in pairs])
                if found != expected:
                    problems.append(f"{model} name_search: expected {sorted(expected)}, got {sorted(found)}")
                problems.extend(self.check_export(role, model, [r["id"] for r in read]))
            except JsonRpcException as error:
                problems.append(f"{model}: reading the fixture raised {error}")
                continue
            hidden = [
                rid
                for rid in ids
                if self.fixture_name[(model, rid)] not in expected and self.env[model].browse(rid).exists()
            ]
            for rid in hidden:
                name = self.fixture_name[(model, rid)]
                if problem := self.denied(model, "read", [rid], ["display_name"]):
                    problems.append(f"{model} {name}: read of a hidden record: {problem}")
                record = self.env[model].browse(rid)
                field = self.probe_field(model)
                if "w" in cell and field:
                    if problem := self.denied(model, "write", [rid], {field: FORGED}):
                        problems.append(f"{model} {name}: write of a hidden record: {problem}")
                    record.invalidate_recordset()
                    if record[field] == FORGED:
                        problems.append(f"{model} {name}: a hidden record was changed")
                if "u" in cell:
                    if problem := self.denied(model, "unlink", [rid]):
                        problems.append(f"{model} {name}: unlink of a hidden record: {problem}")
                    if not record.exists():
                        problems.append(f"{model} {name}: a hidden record was deleted")
        return problems

    def check_export(self, role, model, visible):
        """Exporters export what they see and nothing hidden; the others are refused by Odoo."""
        hidden = [rid for rid in self.fixture_ids(model) if rid not in visible]
        if not self.users[role].has_group("base.group_allow_export"):
            try:
                self.call(model, "export_data", visible or hidden[:1], ["display_name"])
            except JsonRpcException as error:
                return (
                    []
                    if str(error) == "odoo.exceptions.UserError"
                    else [f"{model} export_data raised {error}"]
                )
            return [f"{model}: export_data allowed without the export group"]
        problems = []
        if visible:
            # Odoo refuses to export the "id" column of an SQL view (no ordinary table)
            columns = ["id", "display_name"] if self.env[model]._auto else ["display_name"]
            exported = self.call(model, "export_data", visible, columns)
            if len(exported["datas"]) != len(visible):
                problems.append(f"{model} export_data: {len(exported['datas'])} rows for {len(visible)}")
        if hidden and (problem := self.denied(model, "export_data", hidden, ["display_name"])):
            problems.append(f"{model} export_data of hidden records: {problem}")
        return problems

    def walk_leaks(self, role):
        problems = []
        for probe in MATRIX["leaks"]:
            if probe["role"] != role:
                continue
            model, record = probe["model"], self.records[probe["record"]]
            forbidden = {(self.records[name]._name, self.records[name].id) for name in probe["forbidden"]}
            try:
                result = self.call(model, "web_read", [record.id], probe["spec"])
            except JsonRpcException as error:
                if str(error) != ACCESS_ERROR:
                    problems.append(f"leak probe {probe['doc']!r}: raised {error}")
                continue  # refused: nothing leaked
            leaked = forbidden & set(self.nested_records(model, probe["spec"], result))
            if leaked:
                names = sorted(self.fixture_name[key] for key in leaked)
                problems.append(f"leak probe {probe['doc']!r}: read {names}")
        return problems

    def nested_records(self, model, spec, rows):
        """(model, id) of every record a web_read result reaches through the spec."""
        for row in rows if isinstance(rows, list) else [rows]:
            if not isinstance(row, dict):
                continue
            for fname, sub in spec.items():
                if "fields" not in sub or not row.get(fname):
                    continue
                comodel = self.env[model]._fields[fname].comodel_name
                values = row[fname] if isinstance(row[fname], list) else [row[fname]]
                for value in values:
                    rid = value.get("id") if isinstance(value, dict) else value
                    yield (comodel, rid)
                    if isinstance(value, dict):
                        yield from self.nested_records(comodel, sub["fields"], value)
