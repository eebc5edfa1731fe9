# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""1C's "exchange with a site" walked step by step over real HTTP, as 1C calls it:
checkauth (Basic auth) → init → file → query → success, with the cookie from checkauth's answer;
wrong credentials, forged cookies, other users, oversize and garbage get a "failure" line and a
4xx status, never a 500."""

import base64
import html
import io
import zipfile

from odoo.tests import tagged
from odoo.tests.common import get_db_name
from odoo.tools.misc import format_amount

from .pure_lib import load_lib
from .test_exchange_1c import ExchangeCase, payment_doc, payment_xml, status_doc

cml = load_lib("crm_extensions", "commerceml")

PATH = "/linear_crm/1c_exchange"
COOKIE = "linear_1c_session"


def basic(login, password):
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


@tagged("post_install", "-at_install")
class TestExchange1CHttp(ExchangeCase):
    def setUp(self):
        super().setUp()
        # a client with no Odoo session, like 1C: the database comes from a header (dbfilter in
        # production), the exchange session only from the cookie the protocol hands out
        # (Odoo's test opener is kept for its test-cursor cookie; its web session is dropped)
        self.opener.cookies.clear()
        self.opener.headers["X-Odoo-Database"] = get_db_name()

    def request(self, method, params, cookie=None, auth=None, data=None):
        self.opener.cookies.pop(COOKIE, None)  # only the cookie a step passes explicitly
        cookies = dict([cookie.split("=", 1)]) if cookie else None
        headers = {"Authorization": auth} if auth else {}
        response = self.url_open(
            PATH, method=method, params=params, headers=headers, cookies=cookies, data=data, timeout=60
        )
        self.assertLess(response.status_code, 500, response.text)
        return response

    def get(self, mode, cookie=None, auth=None, method="GET", data=None, **params):
        return self.request(
            method, {"type": "sale", "mode": mode, **params}, cookie=cookie, auth=auth, data=data
        )

    def checkauth(self, login=None, password=None):
        login = login or self.accountant.login
        response = self.get("checkauth", auth=basic(login, password or login))
        lines = response.text.split("\n")
        self.assertEqual(
            (response.status_code, lines[0], lines[1]),
            (200, "success", "linear_1c_session"),
            response.text[:3000],
        )
        return f"{lines[1]}={lines[2]}"

    def test_protocol_step_by_step(self):
        cookie = self.checkauth()
        # init: zip allowed, the file limit
        response = self.get("init", cookie=cookie, version="2.10")
        self.assertEqual(response.text.split("\n")[0], "zip=yes")
        self.assertTrue(response.text.split("\n")[1].startswith("file_limit="))
        self.assertEqual(response.headers["Content-Type"], "text/plain; charset=utf-8")
        # file: 1C sends a payment for the deal (as a zip)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(
                "documents.xml",
                payment_xml(payment_doc("pp-h1", "ПП-H1", "250", order_number=f"CRM-{self.deal.id}")),
            )
        response = self.get(
            "file", cookie=cookie, method="POST", data=buffer.getvalue(), filename="documents.zip"
        )
        self.assertEqual(response.text.split("\n")[0], "success", response.text)
        payment = self.env["account.payment"].search([("linear_1c_key", "=", "pp-h1|ПП-H1|2026-11-21")])
        self.assertEqual((payment.amount, payment.linear_lead_id), (250, self.deal))
        log = self.env["linear.exchange.log"].search([("what", "=", "documents.zip")])
        self.assertEqual((log.channel, log.user_id, log.count_done), ("http", self.accountant, 1))
        # query: the deals for 1C, a valid CommerceML file with a BOM
        response = self.get("query", cookie=cookie)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("application/xml"))
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(cml.validate(response.content[3:]), [])
        numbers = {doc.number for doc in cml.read_documents(response.content)[0]}
        self.assertIn(f"CRM-{self.deal.id}", numbers)
        # without success, a second query sends the same deals again
        again = {doc.number for doc in cml.read_documents(self.get("query", cookie=cookie).content)[0]}
        self.assertEqual(again, numbers)
        # success: 1C recorded them; the next query leaves them out until they change
        self.assertEqual(self.get("success", cookie=cookie).text, "success")
        self.assertTrue(self.deal.sudo().linear_1c_exported_date)
        after = {doc.number for doc in cml.read_documents(self.get("query", cookie=cookie).content)[0]}
        self.assertNotIn(f"CRM-{self.deal.id}", after)
        # a status changes the deal: it is sent again
        stage = self.env["crm.stage"].create({"name": "LC 1C Invoiced", "team_ids": [(6, 0, self.team.ids)]})
        data = payment_xml(status_doc("o-h", f"CRM-{self.deal.id}", [("Статус заказа", "LC 1C Invoiced")]))
        response = self.get("file", cookie=cookie, method="POST", data=data, filename="orders.xml")
        self.assertEqual(response.text.split("\n")[0], "success", response.text)
        self.assertEqual(self.deal.stage_id, stage)

    def test_a_russian_accountant_gets_russian_names_logs_and_notes(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.accountant.lang = "ru_RU"
        stage = self.env["crm.stage"].create({"name": "LC 1C Delivery", "team_ids": [(6, 0, self.team.ids)]})
        stage.with_context(lang="ru_RU").name = "LC 1C Доставка"
        self.deal.stage_id = stage
        cookie = self.checkauth()
        docs = cml.read_documents(self.get("query", cookie=cookie).content)[0]
        (doc,) = [doc for doc in docs if doc.number == f"CRM-{self.deal.id}"]
        self.assertEqual(dict(doc.requisites)["Статус заказа"], "LC 1C Доставка")
        data = payment_xml(
            payment_doc("pp-hr", "ПП-HR", "50000", order_number=f"CRM-{self.deal_no_invoice.id}")
        )
        response = self.get("file", cookie=cookie, method="POST", data=data, filename="ru.xml")
        self.assertEqual(response.text.split("\n")[0], "success", response.text)
        ru = self.env(context=dict(self.env.context, lang="ru_RU"))
        money = format_amount(ru, 50000, self.env.company.currency_id)
        log = self.env["linear.exchange.log"].search([("what", "=", "ru.xml")])
        self.assertIn(f"[выполнено] № ПП-HR (21.11.2026): CRM-{self.deal_no_invoice.id}: ", log.result)
        self.assertIn(money, log.result)
        note = html.unescape(str(self.deal_no_invoice.message_ids[:1].body))
        self.assertIn(money, note)
        self.assertIn("1С № ПП-HR от 21.11.2026", note)

    def test_wrong_credentials_and_other_users_are_refused(self):
        # before sign-in 1C is answered in the default company's language, after it in the user's
        company_env = self.env(context=dict(self.env.context, lang=self.env.company.partner_id.lang))
        wrong = company_env._("wrong login or password")
        response = self.get("checkauth")
        self.assertEqual((response.status_code, response.text.split("\n")[0]), (401, "failure"))
        self.assertIn("Basic", response.headers.get("WWW-Authenticate", ""))
        response = self.get("checkauth", auth=basic(self.accountant.login, "wrong"))
        self.assertEqual((response.status_code, response.text), (401, f"failure\n{wrong}"))
        response = self.get("checkauth", auth="Basic !!!not-base64")
        self.assertEqual(response.status_code, 401)
        self.env["res.lang"]._activate_lang("ru_RU")
        self.salesman.lang = "ru_RU"
        response = self.get("checkauth", auth=basic(self.salesman.login, self.salesman.login))
        self.assertEqual(
            (response.status_code, response.text),
            (403, "failure\nпользователь lc_1c_sales не является бухгалтером"),  # translated already
        )
        refusals = self.env["linear.exchange.log"].search([("direction", "=", "auth")])
        self.assertIn(self.salesman.login, "\n".join(refusals.mapped("result")))
        self.assertIn(wrong, "\n".join(refusals.mapped("result")))

    def test_cookies_are_bound_signed_and_required(self):
        cookie = self.checkauth()
        uid, expires, signature = cookie.split("=", 1)[1].split(".")
        forged = [
            "linear_1c_session=" + ".".join((str(self.salesman.id), expires, signature)),  # other user
            "linear_1c_session=" + ".".join((uid, str(int(expires) + 3600), signature)),  # longer life
            "linear_1c_session=" + ".".join((uid, "1", signature)),  # expired
            "linear_1c_session=garbage",
        ]
        for bad in [None, *forged]:
            with self.subTest(cookie=bad):
                response = self.get("init", cookie=bad)
                self.assertEqual((response.status_code, response.text.split("\n")[0]), (401, "failure"))
        # an accountant who lost the group loses the session with it
        self.accountant.group_ids = [(3, self.env.ref("linear_crm.group_linear_accountant").id)]
        self.assertEqual(self.get("init", cookie=cookie).status_code, 403)

    def test_bad_requests_get_failure_lines_not_errors(self):
        cookie = self.checkauth()
        cases = [
            ({"mode": "init", "type": "catalog"}, 400),
            ({"mode": "explode"}, 400),
            ({"mode": "file", "method": "POST", "data": b"<a><b></a>", "filename": "x.xml"}, 400),
            ({"mode": "file", "method": "POST", "data": b"\x00\xff" * 50, "filename": "x.xml"}, 400),
            ({"mode": "file", "method": "POST", "data": b"PK\x03\x04garbage", "filename": "x.zip"}, 400),
            ({"mode": "file", "method": "POST", "data": b"<a/>"}, 400),  # no filename
        ]
        for kwargs, status in cases:
            with self.subTest(kwargs=str(kwargs)[:60]):
                mode = kwargs.pop("mode")
                kind = kwargs.pop("type", "sale")
                method, data = kwargs.pop("method", "GET"), kwargs.pop("data", None)
                params = {"type": kind, "mode": mode, **kwargs}
                response = self.request(method, params, cookie=cookie, data=data)
                self.assertEqual(response.status_code, status, response.text)
                self.assertTrue(response.text.startswith("failure\n"), response.text)

    def test_file_over_the_limit_is_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("linear_crm.1c_exchange_file_limit", "2048")
        cookie = self.checkauth()
        self.assertEqual(self.get("init", cookie=cookie).text, "zip=yes\nfile_limit=2048")
        data = payment_xml(*[payment_doc(f"big{i}", f"B{i}", "1") for i in range(30)])
        response = self.get("file", cookie=cookie, method="POST", data=data, filename="big.xml")
        self.assertEqual(response.status_code, 413)
        self.assertTrue(response.text.startswith("failure\n"))
        self.assertFalse(self.env["account.payment"].search([("linear_1c_key", "like", "big1|")]))

    def test_basic_auth_on_every_call_works_without_cookie(self):
        response = self.get("init", auth=basic(self.accountant.login, self.accountant.login))
        self.assertEqual(response.text.split("\n")[0], "zip=yes")

    def test_multipart_upload_is_accepted_too(self):
        cookie = self.checkauth()
        self.opener.cookies.pop(COOKIE, None)
        data = payment_xml(payment_doc("pp-m", "ПП-M", "20", order_number=f"CRM-{self.deal.id}"))
        response = self.url_open(
            PATH,
            params={"type": "sale", "mode": "file", "filename": "upload.xml"},
            files={"file": ("upload.xml", data, "text/xml")},
            cookies=dict([cookie.split("=", 1)]),
            timeout=60,
        )
        self.assertEqual(response.text.split("\n")[0], "success", response.text)
        self.assertTrue(self.env["account.payment"].search([("linear_1c_key", "like", "pp-m|")]))
