# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Take the README / Apps page screenshots from a running demo, in Russian, at 1600×1000.

Run by `./dev screenshots`, which starts Odoo on a free loopback port first. Drives Debian's
headless Chromium through the DevTools protocol (websocket-client), the browser the tours use,
so the pictures always show what the product shows today.

    python tools/screenshots.py --url http://127.0.0.1:8077 --db linear_crm_demo --out static/description
"""

import argparse
import base64
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

WIDTH, HEIGHT = 1600, 1000
MAX_BYTES = 300 * 1024
LANG = "ru_RU"


class Demo:
    """A JSON-RPC session on the demo database, as the admin user."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        response = self.http.post(
            f"{self.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
            timeout=60,
        )
        response.raise_for_status()
        result = response.json()
        if result.get("error") or not result.get("result", {}).get("uid"):
            raise SystemExit(f"screenshots: cannot log in as {login} on {db}: {result.get('error')}")
        self.uid = result["result"]["uid"]
        self.session_id = self.http.cookies["session_id"]

    def call(self, model, method, *args, **kwargs):
        response = self.http.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
            timeout=300,
        )
        response.raise_for_status()
        payload = response.json()
        if payload.get("error"):
            raise SystemExit(f"screenshots: {model}.{method} failed: {payload['error']['data']['message']}")
        return payload["result"]

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"]
        )
        if not rows:
            raise SystemExit(
                f"screenshots: the demo record {xmlid} is missing — is this a database with demo data?"
            )
        return rows[0]["res_id"]

    def speak_russian(self):
        """Russian with the terms of every installed module, and the admin's language."""
        langs = self.call(
            "res.lang",
            "search_read",
            [("code", "=", LANG)],
            fields=["active"],
            context={"active_test": False},
        )
        if not langs:
            raise SystemExit(f"screenshots: the language {LANG} is unknown to this database")
        # Settings › Languages › Add, even when active: it loads missing terms, never overwrites
        wizard = self.call("base.language.install", "create", [{"lang_ids": [(6, 0, [langs[0]["id"]])]}])
        self.call("base.language.install", "lang_install", wizard)
        self.call("res.users", "write", [self.uid], {"lang": LANG})


class Chromium:
    """Headless Chromium driven through the DevTools protocol."""

    def __init__(self, executable):
        self.profile = tempfile.mkdtemp(prefix="linear_crm_screens_")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--remote-allow-origins=*",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        for _ in range(200):
            if port_file.is_file() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        else:
            self.close()
            raise SystemExit("screenshots: Chromium did not start (no DevToolsActivePort)")
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [t for t in json.load(response) if t["type"] == "page"]
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=120, suppress_origin=True
        )
        self._id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise SystemExit(f"screenshots: {method} failed: {message['error']}")
                return message.get("result", {})
            if message.get("method") == "Runtime.exceptionThrown":
                details = message["params"]["exceptionDetails"]
                print(f"screenshots: page error: {details.get('exception', {}).get('description', details)}")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        deadline = time.time() + timeout
        check = f"!!document.querySelector({json.dumps(selector)})"
        while time.time() < deadline:
            if self.evaluate(check):
                return
            time.sleep(0.25)
        raise SystemExit(f"screenshots: {selector} did not appear within {timeout} s")

    def click(self, selector):
        self.wait_for(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def open(self, url, selector):
        self.send("Page.navigate", url=url)
        self.wait_for(selector)

    def settle(self):
        """Let the last RPCs and transitions finish, and hide what does not belong in a picture."""
        time.sleep(1.5)
        self.evaluate(
            "document.querySelectorAll('.o_notification_manager, .o-mail-ChatWindowContainer, "
            ".o_debug_manager').forEach((el) => el.remove()); document.activeElement?.blur?.()"
        )
        time.sleep(0.3)

    def screenshot(self):
        return base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])

    def close(self):
        with contextlib.suppress(Exception):  # the browser may already be gone
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def fit(png):
    """Keep a picture under MAX_BYTES: a 256-colour palette is plenty for a UI screenshot."""
    if len(png) <= MAX_BYTES:
        return png
    from PIL import Image  # Pillow comes with Odoo; only needed for large pictures

    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colors in (256, 128, 64):
        buffer = io.BytesIO()
        image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
        if buffer.tell() <= MAX_BYTES:
            return buffer.getvalue()
    return buffer.getvalue()


def shots(demo):
    """(file name, URL path, what to wait for, then ("click"|"wait"|"js", argument) steps)."""
    process = demo.ref("linear_crm.demo_process_order")
    lead = demo.ref("linear_crm.demo_lead_process_2")  # results still to confirm
    client = demo.ref("linear_crm.demo_partner_romashka")
    team = demo.ref("linear_crm.demo_team_process")
    team_pipeline = (
        "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
        f"'crm.crm_case_form_view_salesteams_opportunity', {{additionalContext: {{active_id: {team}}}, "
        "clearBreadcrumbs: true})"
    )
    return [
        (
            "screenshot_board.png",
            f"/odoo/action-linear_crm.linear_process_action/{process}",
            ".o_form_view button[name='action_open_board']",
            [("click", "button[name='action_open_board']"), ("wait", ".o_lc_passport .o_lc_passport_name")],
        ),
        (
            "screenshot_pipeline.png",
            "/odoo/crm",
            ".o_kanban_view .o_kanban_group",
            [
                ("js", team_pipeline),
                (
                    "wait",
                    ".o_searchview_facet + .o_searchview_input_container, .o_searchview .o_facet_values",
                ),
                ("wait", ".o_kanban_view .o_kanban_group .o_kanban_record"),
            ],
        ),
        (
            "screenshot_lead_checklist.png",
            f"/odoo/crm/{lead}",
            ".o_form_view .o_notebook a[name='linear_checklist']",
            [("click", "a[name='linear_checklist']"), ("wait", ".o_linear_checklist .o_data_row")],
        ),
        (
            "screenshot_client_requisites.png",
            f"/odoo/contacts/{client}",
            ".o_form_view .o_notebook a[name='linear_requisites']",
            [("click", "a[name='linear_requisites']"), ("wait", ".o_notebook .o_field_widget[name='kpp']")],
        ),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the running Odoo, e.g. http://127.0.0.1:8077")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent.parent / "static" / "description")
    )
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)

    demo = Demo(args.url, args.db, args.login, args.password)
    demo.speak_russian()
    plan = shots(demo)
    browser = Chromium(args.chromium)
    try:
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=demo.session_id,
            url=args.url,
            path="/",
            httpOnly=True,
        )
        for name, path, ready, steps in plan:
            browser.open(f"{demo.url}{path}", ready)
            for kind, argument in steps:
                if kind == "click":
                    browser.click(argument)
                elif kind == "wait":
                    browser.wait_for(argument)
                else:
                    browser.evaluate(argument)
            browser.settle()
            if browser.evaluate("!!document.querySelector('.o_error_dialog')"):
                raise SystemExit(
                    f"screenshots: an error dialog is open on {path} — fix it before taking pictures"
                )
            png = fit(browser.screenshot())
            target = Path(args.out, name)
            target.write_bytes(png)
            print(f"screenshots: {target} ({len(png) // 1024} KB)")
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
