# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The 1C exchange on records: export validates and round-trips; payments and order statuses from
1C are applied to the matched deals through Odoo's own operations; a second import changes
nothing; a bad document is reported while the others apply; hostile files are refused whole.
Access: only accountants and administrators, proven over JSON-RPC for a salesperson."""

import base64
import html
import io
import zipfile

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.misc import format_amount

from .pure_lib import load_lib

cml = load_lib("crm_extensions", "commerceml")

ACCESS_ERROR = "odoo.exceptions.AccessError"
INN = "7707083893"


def payment_xml(*documents, encoding="UTF-8", namespace=False):
    ns = ' xmlns="urn:1C.ru:commerceml_2"' if namespace else ""
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<КоммерческаяИнформация{ns} ВерсияСхемы="2.05" ДатаФормирования="2026-11-21T09:00:00">'
        + "".join(documents)
        + "</КоммерческаяИнформация>"
    )
    return text.encode("cp1251" if encoding == "windows-1251" else "utf-8")


def payment_doc(doc_id, number, amount, order_number="", inn=INN, cash=False, date="2026-11-21"):
    operation = "Выплата наличных денег" if cash else "Выплата безналичных денег"
    order = (
        f"<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Номер заказа</Наименование>"
        f"<Значение>{order_number}</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>"
        if order_number
        else ""
    )
    return (
        f"<Документ><Ид>{doc_id}</Ид><Номер>{number}</Номер><Дата>{date}</Дата>"
        f"<ХозОперация>{operation}</ХозОперация><Роль>Продавец</Роль><Валюта>руб</Валюта>"
        f"<Курс>1</Курс><Сумма>{amount}</Сумма><Контрагенты><Контрагент><Наименование>Ромашка</Наименование>"
        f"<ИНН>{inn}</ИНН><Роль>Плательщик</Роль></Контрагент></Контрагенты>{order}</Документ>"
    )


def status_doc(doc_id, number, requisites, date="2026-11-20"):
    values = "".join(
        f"<ЗначениеРеквизита><Наименование>{name}</Наименование><Значение>{value}</Значение></ЗначениеРеквизита>"
        for name, value in requisites
    )
    return (
        f"<Документ><Ид>{doc_id}</Ид><Номер>{number}</Номер><Дата>{date}</Дата>"
        f"<ХозОперация>Заказ товара</ХозОперация><Сумма>1000</Сумма>"
        f"<ЗначенияРеквизитов>{values}</ЗначенияРеквизитов></Документ>"
    )


@tagged("post_install", "-at_install")
class ExchangeCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.accountant = new_test_user(
            env, login="lc_1c_accountant", groups="linear_crm.group_linear_accountant", name="LC Accountant"
        )
        cls.salesman = new_test_user(env, login="lc_1c_sales", groups="sales_team.group_sale_salesman")
        cls.client = env["res.partner"].create(
            {
                "name": "ООО «Ромашка» LC1C",
                "is_company": True,
                "vat": INN,
                "kpp": "773601001",
                "country_id": env.ref("base.ru").id,
                "city": "Москва",
                "street": "ул. Ленина, 2",
                "legal_address": "125009, Москва, ул. Тверская, д. 1",
                "director_name": "Иванов Иван Иванович",
                "director_position": "Генеральный директор",
            }
        )
        team = env["crm.team"].create({"name": "LC 1C team"})
        cls.team = team
        Lead = env["crm.lead"].with_context(linear_skip_assignment=True, tracking_disable=True)
        cls.deal = Lead.create(
            {
                "name": "LC 1C office chairs",
                "type": "opportunity",
                "partner_id": cls.client.id,
                "expected_revenue": 1000,
                "team_id": team.id,
                "user_id": cls.salesman.id,
            }
        )
        cls.deal_no_invoice = Lead.create(
            {
                "name": "LC 1C desks",
                "type": "opportunity",
                "partner_id": cls.client.id,
                "expected_revenue": 777,
                "team_id": team.id,
            }
        )
        cls.invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.client.id,
                "linear_lead_id": cls.deal.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {"name": "Office chairs", "quantity": 1, "price_unit": 1000, "tax_ids": [(6, 0, [])]},
                    )
                ],
            }
        )
        cls.invoice.action_post()

    def exchange(self, user=None):
        return self.env["linear.exchange"].with_user(user or self.accountant)

    def import_data(self, data, name="1c.xml", user=None):
        log, refusal = self.exchange(user)._import_file(data, name, channel="manual")
        return log, refusal


@tagged("post_install", "-at_install")
class TestExchange1C(ExchangeCase):
    def test_export_of_deals_validates_and_reads_back(self):
        data, log = self.exchange()._export_leads(self.deal | self.deal_no_invoice, channel="manual")
        self.assertEqual(cml.validate(data), [])
        docs, problems = cml.read_documents(data)
        self.assertEqual(problems, [])
        self.assertEqual([d.number for d in docs], [f"CRM-{self.deal.id}", f"CRM-{self.deal_no_invoice.id}"])
        client = docs[0].counterparties[0]
        self.assertEqual((client.inn, client.kpp, client.director_last), (INN, "773601001", "Иванов"))
        self.assertEqual(docs[0].amount, 1000)
        self.assertEqual(
            (log.direction, log.channel, log.state, log.count_done), ("export", "manual", "ok", 2)
        )
        self.assertEqual(base64.b64decode(log.file), data)
        self.assertEqual(log.user_id, self.accountant)

    def test_export_of_counterparties_validates(self):
        data, log = self.exchange()._export_partners(self.deal.partner_id, channel="manual")
        self.assertEqual(cml.validate(data), [])
        (doc,), _problems = cml.read_documents(data)
        self.assertEqual([cp.inn for cp in doc.counterparties], [INN])
        self.assertTrue(log.file_name.startswith("counterparties-"))

    def test_export_wizard_as_accountant(self):
        wizard = (
            self.env["linear.exchange.export"].with_user(self.accountant).create({"team_id": self.team.id})
        )
        action = wizard.action_export()
        log = self.env["linear.exchange.log"].browse(action["res_id"])
        self.assertEqual(log.count_total, 2)
        self.assertEqual(action["views"], [(False, "form")])

    def test_payment_against_the_open_invoice_then_idempotent(self):
        data = payment_xml(payment_doc("pp-1", "ПП-1", "400,00", order_number=f"CRM-{self.deal.id}"))
        log, refusal = self.import_data(data)
        self.assertFalse(refusal)
        self.assertEqual((log.state, log.count_done), ("ok", 1), log.result)
        payment = self.env["account.payment"].search([("linear_1c_key", "=", "pp-1|ПП-1|2026-11-21")])
        self.assertEqual((payment.amount, payment.linear_lead_id), (400, self.deal))
        self.assertIn(self.invoice, payment.invoice_ids | payment.reconciled_invoice_ids)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertIn("400", self.deal.message_ids[:1].body)
        # the same file again changes nothing
        log2, _refusal = self.import_data(data)
        self.assertEqual((log2.count_done, log2.count_skipped), (0, 1), log2.result)
        self.assertEqual(self.env["account.payment"].search_count([("linear_lead_id", "=", self.deal.id)]), 1)

    def test_payment_by_inn_and_sum_in_windows_1251_without_namespace(self):
        data = payment_xml(payment_doc("pp-2", "ПП-2", "1000.00"), encoding="windows-1251")
        log, _refusal = self.import_data(data)
        self.assertEqual(log.count_done, 1, log.result)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_payment_on_a_deal_without_invoice_is_an_advance(self):
        data = payment_xml(
            payment_doc("pko-1", "ПКО-1", "777", order_number=f"CRM-{self.deal_no_invoice.id}", cash=True),
            namespace=True,
        )
        log, _refusal = self.import_data(data)
        self.assertEqual(log.count_done, 1, log.result)
        payment = self.env["account.payment"].search([("linear_lead_id", "=", self.deal_no_invoice.id)])
        has_cash = self.env["account.journal"].search_count(
            [("type", "=", "cash"), ("company_id", "=", self.env.company.id)]
        )
        expected_journal = "cash" if has_cash else "bank"
        self.assertEqual(
            (payment.amount, payment.journal_id.type, payment.partner_id),
            (777, expected_journal, self.client),
        )
        self.assertNotEqual(payment.state, "draft")

    def test_one_broken_and_one_unknown_document_reported_the_rest_applied(self):
        broken = payment_doc("pp-3", "ПП-3", "12,34.5")
        unknown = payment_doc("pp-4", "ПП-4", "50", inn="7827004526")
        good = payment_doc("pp-5", "ПП-5", "100", order_number=f"CRM-{self.deal.id}")
        log, _refusal = self.import_data(payment_xml(broken, unknown, good))
        self.assertEqual((log.state, log.count_done, log.count_failed), ("partial", 1, 2), log.result)
        self.assertIn("ПП-3", log.result)
        self.assertIn("12,34.5 is not a number", log.result)
        self.assertIn("7827004526", log.result)
        self.assertTrue(self.env["account.payment"].search([("linear_1c_key", "like", "pp-5|")]))
        self.assertFalse(self.env["account.payment"].search([("linear_1c_key", "like", "pp-4|")]))

    def test_order_statuses_move_win_and_lose_deals_once(self):
        stage = self.env["crm.stage"].create({"name": "LC 1C Shipped", "team_ids": [(6, 0, self.team.ids)]})
        data = payment_xml(
            status_doc("o-1", f"CRM-{self.deal.id}", [("Статус заказа", "[N] LC 1C Shipped")]),
            status_doc("o-2", f"CRM-{self.deal_no_invoice.id}", [("Отменен", "true")]),
        )
        log, _refusal = self.import_data(data)
        self.assertEqual(log.count_done, 2, log.result)
        self.assertEqual(self.deal.stage_id, stage)
        self.assertFalse(self.deal_no_invoice.active)
        self.assertEqual(self.deal.sudo().linear_1c_id, "o-1")  # 1C's own id kept for next time
        log2, _refusal = self.import_data(data)
        self.assertEqual(log2.count_skipped, 2, log2.result)
        final = payment_xml(
            status_doc("o-1", f"CRM-{self.deal.id}", [("Финальный статус", "true")], "2026-11-25")
        )
        self.import_data(final)
        self.assertTrue(self.deal.stage_id.is_won)

    def test_a_status_past_the_process_gate_is_refused_and_reported(self):
        lead = self.env.ref("linear_crm.demo_lead_process_2")
        team = self.env.ref("linear_crm.demo_team_process")
        first, target = lead.stage_id, team.linear_stage_ids.sorted("sequence")[1]
        data = payment_xml(status_doc("o-g", f"CRM-{lead.id}", [("Статус заказа", target.name)]))
        log, _refusal = self.import_data(data)
        self.assertEqual((log.state, log.count_failed), ("failed", 1), log.result)
        self.assertIn(f"CRM-{lead.id}", log.result)
        self.assertEqual(lead.stage_id, first)
        self.assertFalse(lead.sudo().linear_1c_status_key)  # not applied: 1C may send it again

    def test_hostile_and_broken_files_are_refused_whole(self):
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            '<КоммерческаяИнформация ВерсияСхемы="2.10" ДатаФормирования="2026-11-21T09:00:00">'
            "<Документ><Номер>&b;</Номер></Документ></КоммерческаяИнформация>"
        ).encode()
        for data, words in ((bomb, "DOCTYPE"), (b"<a><b></a>", "well-formed"), (b"PK\x03\x04broken", "zip")):
            with self.subTest(words=words):
                log, refusal = self.import_data(data)
                self.assertIn(words, refusal)
                self.assertEqual(log.state, "failed")
        self.env["ir.config_parameter"].sudo().set_param("linear_crm.1c_exchange_file_limit", "2048")
        _log, refusal = self.import_data(
            payment_xml(*[payment_doc(f"x{i}", f"X{i}", "1") for i in range(20)])
        )
        self.assertIn("over the limit", refusal)
        self.assertFalse(self.env["account.payment"].search([("linear_1c_key", "like", "x1|")]))

    def test_zip_upload(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(
                "orders.xml",
                payment_xml(payment_doc("pp-z", "ПП-Z", "10", order_number=f"CRM-{self.deal.id}")),
            )
        log, refusal = self.import_data(buffer.getvalue(), name="1c.zip")
        self.assertFalse(refusal)
        self.assertEqual(log.count_done, 1, log.result)
        # a member whose compressed data is damaged: refused whole, with a reason
        damaged = io.BytesIO()
        with zipfile.ZipFile(damaged, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("orders.xml", payment_xml(payment_doc("pp-d", "ПП-D", "10")) * 5)
        raw = bytearray(damaged.getvalue())
        raw[60:90] = b"\xff" * 30  # inside the deflated member
        _log, refusal = self.import_data(bytes(raw), name="damaged.zip")
        self.assertIn("zip", refusal)

    def test_import_wizard(self):
        data = payment_xml(payment_doc("pp-w", "ПП-W", "10", order_number=f"CRM-{self.deal.id}"))
        wizard = (
            self.env["linear.exchange.import"]
            .with_user(self.accountant)
            .create({"file": base64.b64encode(data), "file_name": "from1c.xml"})
        )
        log = self.env["linear.exchange.log"].browse(wizard.action_import()["res_id"])
        self.assertEqual((log.channel, log.direction, log.count_done), ("manual", "import", 1))


@tagged("post_install", "-at_install")
class TestExchange1CAccess(ExchangeCase):
    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assert_denied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        self.assertEqual(str(caught.exception), ACCESS_ERROR)

    def test_salesperson_cannot_read_logs_or_run_the_wizards(self):
        _data, log = self.exchange()._export_leads(self.deal, channel="manual")
        self.authenticate(self.salesman.login, self.salesman.login)
        self.assert_denied("linear.exchange.log", "search_read", [], fields=["result"])
        self.assert_denied("linear.exchange.log", "read", log.ids, ["file"])
        self.assert_denied("linear.exchange.export", "create", [{"what": "deals"}])
        self.assert_denied("linear.exchange.import", "create", [{"file": base64.b64encode(b"<a/>").decode()}])
        # private methods of the exchange are not callable over RPC at all
        with self.assertRaises(JsonRpcException):
            self.call("linear.exchange", "_import_file", "PGEvPg==", "x.xml", channel="manual")
        with self.assertRaises(AccessError):  # and in Python the exchange refuses the salesperson
            self.exchange(self.salesman)._export_leads(self.deal, channel="manual")

    def test_accountant_reads_logs_but_neither_edits_nor_deletes_them(self):
        _data, log = self.exchange()._export_leads(self.deal, channel="manual")
        self.authenticate(self.accountant.login, self.accountant.login)
        rows = self.call(
            "linear.exchange.log", "search_read", [("id", "=", log.id)], fields=["state", "file_name"]
        )
        self.assertEqual(rows[0]["state"], "ok")
        self.assert_denied("linear.exchange.log", "write", log.ids, {"state": "failed", "result": "forged"})
        self.assert_denied("linear.exchange.log", "unlink", log.ids)
        self.assert_denied(
            "linear.exchange.log", "create", [{"name": "x", "direction": "import", "channel": "http"}]
        )
        self.assertEqual(log.state, "ok")

    def test_exchange_fields_of_payments_cannot_be_forged(self):
        data = payment_xml(payment_doc("pp-f", "ПП-F", "10", order_number=f"CRM-{self.deal.id}"))
        self.import_data(data)
        payment = self.env["account.payment"].search([("linear_1c_key", "like", "pp-f|")])
        other = self.deal_no_invoice
        self.authenticate(self.accountant.login, self.accountant.login)
        for vals in ({"linear_1c_key": "forged|1|2026-01-01"}, {"linear_lead_id": other.id}):
            with self.subTest(vals=vals):
                self.assert_denied("account.payment", "write", payment.ids, vals)
        self.assert_denied(
            "account.payment",
            "create",
            [{"payment_type": "inbound", "partner_type": "customer", "amount": 1, "linear_1c_key": "x|y|z"}],
            context={"linear_exchange_write": True},
        )
        self.assertEqual(payment.linear_lead_id, self.deal)

    def test_admin_deletes_logs(self):
        _data, log = self.exchange()._export_leads(self.deal, channel="manual")
        self.authenticate("admin", "admin")
        self.call("linear.exchange.log", "unlink", log.ids)
        self.assertFalse(log.exists())


@tagged("post_install", "-at_install")
class TestExchange1CLanguage(ExchangeCase):
    """What the exchange stores and sends is in the accountant's language (review F8, F9): log
    lines, the deal's note and the payment memo, money as Odoo formats it, translated stage and
    country names in the export; a status named in that language or in English is matched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.accountant.lang = "ru_RU"
        cls.stage = cls.env["crm.stage"].create({"name": "LC Shipping", "team_ids": [(6, 0, cls.team.ids)]})
        cls.stage.with_context(lang="ru_RU").name = "LC Отгрузка"
        cls.ru = cls.env(context=dict(cls.env.context, lang="ru_RU"))

    def exchange(self, user=None):
        # no language in the context, as in a cron or the HTTP exchange before this fix
        return super().exchange(user).with_context(lang=None)

    def test_import_log_note_and_memo_in_the_users_language_with_formatted_money(self):
        good = payment_doc("pp-ru", "ПП-RU", "400", order_number=f"CRM-{self.deal.id}")
        unknown = payment_doc("pp-ru2", "ПП-RU2", "50", inn="5001000001")
        log, _refusal = self.import_data(payment_xml(good, unknown))
        self.assertEqual((log.count_done, log.count_failed), (1, 1), log.result)
        ru = self.ru
        money = format_amount(ru, 400, self.env.company.currency_id)
        memo = ru._("1C %(number)s of %(date)s", number="ПП-RU", date="21.11.2026")
        self.assertIn(money, log.result)
        self.assertNotIn("400.00", log.result)
        self.assertIn(f"[{ru._('done')}] {ru._('No. %(number)s', number='ПП-RU')} (21.11.2026)", log.result)
        self.assertIn("[ошибка]", log.result)  # a term the Russian translation already holds
        self.assertIn(ru._("unknown counterparty: no client has INN %(inn)s", inn="5001000001"), log.result)
        payment = self.env["account.payment"].search([("linear_1c_key", "like", "pp-ru|")])
        self.assertEqual(payment.memo, memo)
        self.assertTrue(memo.startswith("1С "), memo)  # Cyrillic «С»: the Russian text
        note = html.unescape(str(self.deal.message_ids[:1].body))
        self.assertIn(money, note)
        self.assertIn(memo, note)

    def test_export_sends_names_in_the_users_language_and_they_come_back(self):
        self.deal.stage_id = self.stage
        data, _log = self.exchange()._export_leads(self.deal, channel="manual")
        (doc,), _problems = cml.read_documents(data)
        self.assertEqual(dict(doc.requisites)["Статус заказа"], "LC Отгрузка")
        country = self.env.ref("base.ru").with_context(lang="ru_RU").name
        self.assertEqual(dict(doc.counterparties[0].address_fields)["Страна"], country)
        # the director as the field's help says: surname, first name, patronymic
        client = doc.counterparties[0]
        self.assertEqual(
            (client.director_last, client.director_first, client.director_middle),
            ("Иванов", "Иван", "Иванович"),
        )
        # 1C sends the status back in Russian, or with the English source name: both match
        other = self.env["crm.stage"].create({"name": "LC Other", "team_ids": [(6, 0, self.team.ids)]})
        for status, date in (("LC Отгрузка", "2026-11-22"), ("LC Shipping", "2026-11-24")):
            with self.subTest(status=status):
                self.deal.stage_id = other
                data = payment_xml(
                    status_doc("o-ru", f"CRM-{self.deal.id}", [("Статус заказа", status)], date)
                )
                log, _refusal = self.import_data(data)
                self.assertEqual(log.count_done, 1, log.result)
                self.assertEqual(self.deal.stage_id, self.stage)
                self.assertIn("«LC Отгрузка»", log.result)
