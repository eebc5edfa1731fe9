# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Telegram Bot API (protocols.md section 1).

Inbound: one Update per POST, authenticated only by ``X-Telegram-Bot-Api-Secret-Token`` (the
``secret_token`` given to setWebhook); Telegram does not sign the body. The event id is the
``update_id``. Outbound: sendMessage with the bot token (``api_key``).
"""

from . import base
from .base import _

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a sentence for Odoo's export; the models translate it)

PROVIDER = "telegram"
CAPABILITIES = frozenset({"send_message"})
API = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_MESSAGE = 4096
MESSAGE_KEYS = ("message", "business_message")
# a media message without text still shows up in the history, as a short placeholder
MEDIA = {
    "photo": "[photo]",
    "video": "[video]",
    "voice": "[voice message]",
    "audio": "[audio]",
    "video_note": "[video message]",
    "sticker": "[sticker]",
    "animation": "[animation]",
    "contact": "[contact]",
    "location": "[location]",
    "venue": "[venue]",
    "poll": "[poll]",
}


def handshake(conf, query):
    return None


def verify(conf, headers, raw, query, path, now):
    secret = base.need_secret(conf)
    given = base.header(headers, SECRET_HEADER)
    if given is None:
        raise base.WebhookError(401, "missing_secret_token", f"The {SECRET_HEADER} header is missing.")
    if not base.same_secret(secret, given):
        raise base.WebhookError(401, "bad_secret_token", f"The {SECRET_HEADER} header is wrong.")


def split(conf, headers, raw, query, path):
    update = base.decode_json_object(raw)
    update_id = update.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int) or not 0 <= update_id < 2**63:
        raise base.WebhookError(400, "missing_field", "The update has no integer update_id.")
    kind = "message" if any(key in update for key in MESSAGE_KEYS) else "other"
    return [base.RawEvent(event_id=str(update_id), payload=update, kind=kind)]


def _name(person):
    parts = [base.text(person.get("first_name"), 128), base.text(person.get("last_name"), 128)]
    return " ".join(p for p in parts if p) or None


def _message_text(message):
    text = base.text(message.get("text")) or base.text(message.get("caption"))
    if text:
        return text
    document = base.as_dict(message.get("document"))
    if document:
        return f"[document: {base.text(document.get('file_name'), 255) or 'file'}]"
    return next((label for key, label in MEDIA.items() if key in message), "[message]")


def parse(payload):
    update = base.as_dict(payload)
    key = next((k for k in MESSAGE_KEYS if k in update), None)
    if key is None:
        other = next((k for k in update if k != "update_id"), None)
        if other in ("edited_message", "edited_business_message"):
            return [base.ignored("An edited Telegram message: the first version is already recorded.")]
        return [base.ignored(f"Telegram update of type {str(other)[:60]!r} is not handled.")]
    message = base.as_dict(update[key])
    chat = base.as_dict(message.get("chat"))
    sender = base.as_dict(message.get("from"))
    chat_id = chat.get("id")
    message_id = message.get("message_id")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (chat_id, message_id)):
        return [base.ignored("The Telegram message has no chat id or message id.")]
    if chat.get("type", "private") != "private":
        return [base.ignored("A message in a Telegram group or channel, not a private chat with a client.")]
    if sender.get("is_bot") is True:
        return [base.ignored("A message from another bot.")]
    phone = None
    contact = base.as_dict(message.get("contact"))
    # only the sender's own contact (the "share my phone number" button) gives the client's phone
    if contact and contact.get("user_id") is not None and contact.get("user_id") == sender.get("id"):
        phone, _bad = base.phone(contact.get("phone_number"))
    return [
        base.NormalisedEvent(
            kind="message",
            external_id=f"{chat_id}:{message_id}",
            direction="in",
            phone=phone,
            handle=str(chat_id),
            handle_kind="telegram",
            name=_name(sender) or _name(chat),
            username=base.text(sender.get("username") or chat.get("username"), 64),
            text=_message_text(message),
            occurred_at=base.unix_time(message.get("date")),
        )
    ]


def _error(status, data):
    description = base.text(base.as_dict(data).get("description"), 300) or ""
    lowered = description.lower()
    if status == 401 or "unauthorized" in lowered:
        return base.ProviderError(
            _("The bot token is wrong or was revoked: copy the token from @BotFather into the channel."),
            "bad_token",
        )
    if "blocked by the user" in lowered:
        return base.ProviderError(
            _(
                "The client has blocked the bot: Telegram lets the bot write again only after they "
                "restart it."
            ),
            "blocked",
        )
    if "can't initiate conversation" in lowered or "bot can't send messages to bots" in lowered:
        return base.ProviderError(
            _(
                "The client has never written to the bot: a Telegram bot may only answer people who "
                "started it."
            ),
            "not_started",
        )
    if "user is deactivated" in lowered:
        return base.ProviderError(_("The client's Telegram account was deleted."), "deactivated")
    if "chat not found" in lowered:
        return base.ProviderError(
            _("Telegram does not know this chat: the client may have deleted it, or the chat id is wrong."),
            "chat_not_found",
        )
    if status == 429:
        retry = base.as_dict(base.as_dict(data).get("parameters")).get("retry_after")
        return base.ProviderError(
            _("Telegram asks to slow down: try again in %(seconds)s seconds."),
            "rate_limited",
            seconds=retry if isinstance(retry, int) else 30,
        )
    if status >= 500 or not description:
        return base.ProviderError(
            _("Telegram could not take the message now (HTTP %(status)s). Try again later."),
            "unavailable",
            status=status,
        )
    return base.ProviderError(_("Telegram refused the message: %(reason)s"), "refused", reason=description)


def send_message(conf, to, text, session=None, timeout=10.0):
    """Send ``text`` to chat ``to``; returns ``"<chat_id>:<message_id>"`` like inbound messages."""
    if not conf.api_key:
        raise base.ProviderError(
            _("The channel has no bot token: ask an administrator to set it."), "no_token"
        )
    text = (text or "").strip()
    if not text:
        raise base.ProviderError(_("The message is empty."), "empty")
    if len(text) > MAX_MESSAGE:
        raise base.ProviderError(
            _("The message is longer than Telegram's %(limit)s characters."), "too_long", limit=MAX_MESSAGE
        )
    url = f"{base.api_url(conf, API)}/bot{conf.api_key}/sendMessage"
    response = base.http_call(
        session, "POST", url, "Telegram", timeout=timeout, json={"chat_id": str(to), "text": text}
    )
    data = base.response_json(response)
    if response.status_code != 200 or not data or data.get("ok") is not True:
        raise _error(response.status_code, data)
    result = base.as_dict(data.get("result"))
    chat_id = base.as_dict(result.get("chat")).get("id", to)
    message_id = result.get("message_id")
    if message_id is None:
        raise base.ProviderError(_("Telegram answered without a message id."), "bad_answer")
    return f"{chat_id}:{message_id}"
