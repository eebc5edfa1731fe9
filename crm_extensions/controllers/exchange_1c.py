# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""1C's "exchange with a site" for orders: /linear_crm/1c_exchange?type=sale&mode=…

1C is the client (protocols §4.2): ``checkauth`` with HTTP Basic auth of a user in the group
Accountant (Linear CRM) (or an administrator; an API key works as the password) answers
``success``, a cookie name and value; every later call carries that cookie (or Basic auth again).
``init`` answers ``zip=yes`` and the file limit; ``file`` (POST body, XML or zip) imports payments
and order statuses at once; ``query`` answers the deals new or changed since 1C last confirmed;
``success`` confirms the last query. Answers are text lines (``success`` / ``failure\\n<reason>``)
with a 2xx/4xx status, whatever a client sends; every file, query and refusal is logged.

The cookie is stateless: the user id and an expiry signed with the database secret (HMAC), so it
is bound to that user, expires, and cannot be forged or moved to another database.
"""

import base64
import binascii
import logging
import time

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request
from odoo.tools.misc import consteq, hmac

_logger = logging.getLogger(__name__)

COOKIE = "linear_1c_session"
SESSION_SECONDS = 2 * 3600
HMAC_SCOPE = "linear_crm.1c_exchange"
MODES = ("checkauth", "init", "file", "import", "query", "success")


class Refusal(Exception):
    def __init__(self, status, reason, log=True):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.log = log


def sign(env, uid, login, expires):
    return hmac(env(user=SUPERUSER_ID, su=True), HMAC_SCOPE, (uid, login, expires))


def make_token(env, user, now=None):
    expires = int(now or time.time()) + SESSION_SECONDS
    return f"{user.id}.{expires}.{sign(env, user.id, user.login, expires)}"


def user_from_token(env, token, now=None):
    """The user a cookie was issued to, or None when it is malformed, forged or expired."""
    try:
        uid, expires, signature = (token or "").split(".", 2)
        uid, expires = int(uid), int(expires)
    except ValueError:
        return None
    if expires < (now or time.time()):
        return None
    user = env["res.users"].with_user(SUPERUSER_ID).browse(uid).exists()
    if not user or not user.active or not consteq(signature, sign(env, uid, user.login, expires)):
        return None
    return user


class Exchange1C(http.Controller):
    @http.route(
        "/linear_crm/1c_exchange",
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        readonly=False,  # auth="none" routes default to a read-only cursor; imports and logs write
    )
    def exchange(self, **params):
        # 1C's own Accept-Language says nothing about the accountant: answers and logs before
        # sign-in are in the default company's language, after it in the user's (see _user)
        env = request.env(user=SUPERUSER_ID)
        env = env(context=dict(env.context, lang=self._lang(env, env.company)))
        mode = (params.get("mode") or "").strip().lower()
        try:
            if (params.get("type") or "").strip().lower() != "sale":
                raise Refusal(400, env._("only type=sale (orders and payments) is exchanged here"), log=False)
            if mode not in MODES:
                raise Refusal(400, env._("unknown mode %(mode)s", mode=mode or "-"), log=False)
            return getattr(self, f"_mode_{mode}")(env, params)
        except Refusal as refusal:
            if refusal.log:
                env["linear.exchange"].sudo()._log_refusal(
                    f"mode={mode}: {refusal.reason}", login=self._basic_login()
                )
            return self._text(f"failure\n{refusal.reason}", refusal.status)

    # ------------------------------------------------------------------ authentication
    def _basic(self):
        header = request.httprequest.headers.get("Authorization", "")
        kind, _sep, value = header.partition(" ")
        if kind.lower() != "basic" or not value.strip():
            return None
        try:
            raw = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            return ("", "")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1251")  # 1C on Windows may send its own code page
        login, _sep, password = text.partition(":")
        return login, password

    @staticmethod
    def _lang(env, company, user=None):
        """The language of the texts 1C receives and the exchange stores: the user's, else the
        company's; an inactive language falls back to the next one."""
        installed = {code for code, _name in env["res.lang"].get_installed()}
        for lang in (user and user.lang, company.partner_id.lang):
            if lang in installed:
                return lang
        return env.context.get("lang") or "en_US"

    def _basic_login(self):
        credentials = self._basic()
        return credentials[0][:64] if credentials else None

    def _check_password(self, env, login, password):
        if not login or not password:
            raise Refusal(401, env._("wrong login or password"))
        try:
            # non-interactive: an API key is accepted as the password, as for any RPC client
            auth = env["res.users"].authenticate(
                {"login": login, "password": password, "type": "password"}, {"interactive": False}
            )
        except AccessDenied as error:
            raise Refusal(401, env._("wrong login or password")) from error
        return env["res.users"].browse(auth["uid"])

    def _user(self, env, allow_cookie=True):
        """The exchange user: from the cookie, else from Basic auth; refused unless accountant."""
        user = None
        if allow_cookie:
            token = request.httprequest.cookies.get(COOKIE)
            user = user_from_token(env, token) if token else None
        if user is None:
            credentials = self._basic()
            if credentials is None:
                raise Refusal(
                    401, env._("sign in first: mode=checkauth with the login and password"), log=False
                )
            user = self._check_password(env, *credentials)
        lang = self._lang(env, user.company_id, user)
        user_env = env(user=user.id, su=False, context=dict(env.context, lang=lang))
        if not user_env["linear.exchange"]._is_exchange_user(user_env.user):
            raise Refusal(403, user_env._("user %(login)s is not an accountant", login=user.login))
        # the request now runs as that user, in its language: flushes and recomputations see its
        # company, and logs, chatter notes and payment memos are written as the accountant reads them
        request.update_env(user=user.id, context=dict(request.env.context, lang=lang))
        return request.env

    # ------------------------------------------------------------------ modes
    def _mode_checkauth(self, env, params):
        if self._basic() is None:
            raise Refusal(401, env._("HTTP Basic authentication is required"), log=False)
        user_env = self._user(env, allow_cookie=False)
        token = make_token(env, user_env.user)
        response = self._text(f"success\n{COOKIE}\n{token}")
        response.set_cookie(
            COOKIE,
            token,
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.httprequest.scheme == "https",
        )
        return response

    def _mode_init(self, env, params):
        user_env = self._user(env)
        limit = user_env["linear.exchange"]._file_limit()
        return self._text(f"zip=yes\nfile_limit={limit}")

    def _mode_file(self, env, params):
        user_env = self._user(env)
        exchange = user_env["linear.exchange"]
        limit = exchange._file_limit()
        name = (params.get("filename") or "").strip()[:255]
        httprequest = request.httprequest
        if not name:
            raise Refusal(400, user_env._("the filename parameter is missing"))
        if httprequest.method != "POST":
            raise Refusal(400, user_env._("send the file with POST"), log=False)
        if (httprequest.content_length or 0) > limit:
            raise Refusal(413, user_env._("the file is over the limit of %(limit)s bytes", limit=limit))
        httprequest.max_content_length = limit  # werkzeug stops reading a longer (chunked) body
        try:
            data = httprequest.get_data(cache=False, parse_form_data=False)
        except RequestEntityTooLarge:
            data = None
        if data == b"" and httprequest.files:  # a multipart upload instead of a raw body
            upload = next(iter(httprequest.files.values()))
            data = upload.stream.read(limit + 1)
        if data is None or len(data) > limit:
            raise Refusal(413, user_env._("the file is over the limit of %(limit)s bytes", limit=limit))
        log, refusal = exchange._import_file(data, name, channel="http")
        if refusal:
            return self._text(f"failure\n{refusal}", 400)
        summary = user_env._(
            "%(done)s applied, %(skipped)s skipped, %(failed)s with errors (exchange log %(log)s)",
            done=log.count_done,
            skipped=log.count_skipped,
            failed=log.count_failed,
            log=log.id,
        )
        return self._text(f"success\n{summary}")

    def _mode_import(self, env, params):
        # the catalog flow's "import" after "file": the file was already imported on arrival
        self._user(env)
        return self._text("success")

    def _mode_query(self, env, params):
        user_env = self._user(env)
        exchange = user_env["linear.exchange"]
        try:
            data, _log = exchange._export_leads(
                exchange._pending_leads(), channel="http", name=user_env._("Orders for 1C"), bom=True
            )
        except UserError as error:
            raise Refusal(400, str(error.args[0] if error.args else error)) from error
        return request.make_response(
            data,
            headers=[("Content-Type", "application/xml; charset=utf-8"), ("Cache-Control", "no-store")],
        )

    def _mode_success(self, env, params):
        user_env = self._user(env)
        user_env["linear.exchange"]._confirm_query()
        return self._text("success")

    # ------------------------------------------------------------------ answers
    def _text(self, body, status=200):
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Basic realm="1C exchange", charset="UTF-8"'))
        return request.make_response(body.encode("utf-8"), headers=headers, status=status)
