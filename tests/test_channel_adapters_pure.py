# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Channel adapters (channel_connectors/lib/): every signature scheme accepts the good and
refuses the bad, the handshakes, each provider's documented payloads, hostile bodies.

Run: ./dev test -k test_channel_adapters_pure (milliseconds once the database is up)
"""

import json
from datetime import datetime
from urllib.parse import urlencode

import pytest

from .channel_pure_common import (
    API_KEY,
    ASTERISK_NEWCHANNEL,
    GENERIC_FORM,
    NOW,
    PROVIDERS,
    SECRET,
    ZADARMA_START,
    base,
    compact,
    conf,
    data,
    generic_headers,
    mango_form,
    registry,
    sample,
    signed,
)
from .pure_lib import load_lib

telegram = load_lib("channel_connectors", "telegram")
whatsapp = load_lib("channel_connectors", "whatsapp")
zadarma = load_lib("channel_connectors", "zadarma")
mango = load_lib("channel_connectors", "mango")
asterisk = load_lib("channel_connectors", "asterisk")
generic = load_lib("channel_connectors", "generic")

MANGO = json.loads(data("mango_events.json"))


def receive(provider, headers, raw, path="", channel=None, now=NOW):
    """What the door does with a POST: verify, split, then (in the job) parse each event."""
    adapter = registry.get(provider)
    channel = channel or conf(provider)
    adapter.verify(channel, headers, raw, {}, path, now)
    events = adapter.split(channel, headers, raw, {}, path)
    return events, [adapter.parse(json.loads(json.dumps(event.payload))) for event in events]


def refused(provider, headers, raw, path="", channel=None, now=NOW):
    with pytest.raises(base.WebhookError) as caught:
        receive(provider, headers, raw, path, channel, now)
    return caught.value


# ----------------------------------------------------------------------------- registry


def test_every_provider_module_keeps_the_contract():
    assert (
        set(registry.ADAPTERS)
        == set(PROVIDERS)
        == {"telegram", "whatsapp", "zadarma", "mango", "asterisk", "generic"}
    )
    for key, adapter in registry.ADAPTERS.items():
        assert key == adapter.PROVIDER
        assert {"send_message", "originate_call"} >= adapter.CAPABILITIES
        for name in ("handshake", "verify", "split", "parse"):
            assert callable(getattr(adapter, name)), (key, name)
        for capability in adapter.CAPABILITIES:
            assert callable(getattr(adapter, capability)), (key, capability)
    with pytest.raises(KeyError):
        registry.get("fax")


def test_channel_conf_never_prints_its_secrets():
    channel = conf("whatsapp")
    assert SECRET not in repr(channel) and "EAAG" not in repr(channel) and "verify-me" not in repr(channel)


def test_status_rank_never_downgrades():
    assert base.STATUS_RANK["sent"] < base.STATUS_RANK["delivered"] < base.STATUS_RANK["read"]


def test_provider_error_keeps_its_template_for_translation():
    error = base.ProviderError(
        "Telegram asks to slow down: try again in %(seconds)s seconds.", "rate", seconds=7
    )
    assert error.user_message == "Telegram asks to slow down: try again in 7 seconds."
    assert error.template.endswith("%(seconds)s seconds.") and error.params == {"seconds": 7}
    assert error.code == "rate" and str(error) == error.user_message


# ----------------------------------------------------------------------------- signatures


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_well_signed_request_is_accepted(provider):
    body, path = sample(provider)
    events, parsed = receive(provider, *signed(provider, body), path)
    assert events and all(isinstance(e, base.RawEvent) for e in events)
    assert all(0 < len(e.event_id) <= 255 for e in events)
    assert all(isinstance(n, base.NormalisedEvent) for batch in parsed for n in batch)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_request_signed_with_another_secret_is_refused(provider):
    body, path = sample(provider)
    error = refused(provider, *signed(provider, body, secret="not-the-secret"), path)
    assert error.status == 401 and "not-the-secret" not in error.message and SECRET not in error.message


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_channel_without_secret_refuses_even_a_good_request(provider):
    body, path = sample(provider)
    headers, raw = signed(provider, body)
    error = refused(provider, headers, raw, path, channel=conf(provider, secret=""))
    assert error.status == 403 and error.code == "not_configured"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_request_without_its_signature_is_refused(provider):
    body, path = sample(provider)
    headers, raw = signed(provider, body)
    headers = {k: v for k, v in headers.items() if k == "Content-Type"}
    if provider == "mango":  # the signature travels in the form
        raw = urlencode({"vpbx_api_key": API_KEY, "json": body}).encode()
    assert refused(provider, headers, raw, path).status == 401


# Telegram signs nothing: its secret header alone authenticates the request (protocols.md 1.1).
@pytest.mark.parametrize("provider", [p for p in PROVIDERS if p != "telegram"])
def test_a_body_changed_after_signing_is_refused(provider):
    body, path = sample(provider)
    headers, raw = signed(provider, body)
    if provider == "zadarma":
        raw = raw.replace(b"79161234567", b"79161234568")
    elif provider == "mango":
        raw = raw.replace(b"79001234567", b"79001234568")
    else:
        raw = raw.replace(b"1", b"2", 1)
    assert refused(provider, headers, raw, path).status == 401


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_wrong_signature_of_the_right_shape_is_refused(provider):
    body, path = sample(provider)
    headers, raw = signed(provider, body)
    for name in ("X-Telegram-Bot-Api-Secret-Token", "X-Hub-Signature-256", "Signature", "X-Linear-Signature"):
        if name in headers:
            headers[name] = headers[name][:-2] + ("00" if headers[name][-2:] != "00" else "11")
    if provider == "mango":
        raw = raw.replace(b"sign=", b"sign=0", 1)
    assert refused(provider, headers, raw, path).status == 401


def test_signature_headers_are_found_whatever_their_case():
    body, _path = sample("whatsapp")
    headers, raw = signed("whatsapp", body)
    receive("whatsapp", {k.lower(): v for k, v in headers.items()}, raw)


@pytest.mark.parametrize("provider", ["generic", "asterisk"])
@pytest.mark.parametrize("skew", [-301, 301, -86400, 10**9])
def test_a_stale_or_replayed_timestamp_is_refused(provider, skew):
    body, _path = sample(provider)
    headers, raw = signed(provider, body, timestamp=NOW + skew if NOW + skew > 0 else 1)
    error = refused(provider, headers, raw)
    assert (error.status, error.code) == (401, "stale_timestamp")


@pytest.mark.parametrize("provider", ["generic", "asterisk"])
@pytest.mark.parametrize("skew", [-299, 0, 299])
def test_a_timestamp_inside_five_minutes_is_accepted(provider, skew):
    body, _path = sample(provider)
    receive(provider, *signed(provider, body, timestamp=NOW + skew))


@pytest.mark.parametrize("timestamp", ["", "soon", "1750000000.5", "-1750000000", "١٧٥٠٠٠٠٠٠٠", "9" * 40])
def test_a_timestamp_that_is_not_unix_seconds_is_refused(timestamp):
    raw = json.dumps(GENERIC_FORM).encode()
    headers = generic_headers(SECRET, raw)
    headers["X-Linear-Timestamp"] = timestamp
    assert refused("generic", headers, raw).status == 401


def test_generic_sign_matches_the_documented_scheme():
    raw = b'{"name":"x"}'
    assert generic.sign(SECRET, "1750000000", raw) == generic_headers(SECRET, raw)["X-Linear-Signature"]
    assert generic.TIMESTAMP_WINDOW == 300


def test_a_non_ascii_secret_header_is_refused_not_crashed():
    body, _path = sample("telegram")
    headers, raw = signed("telegram", body, secret="пароль")
    assert refused("telegram", headers, raw).status == 401


# ----------------------------------------------------------------------------- handshakes


def test_whatsapp_handshake_echoes_the_challenge():
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    assert whatsapp.handshake(conf("whatsapp"), query) == (200, "text/plain", b"1158201444")
    # PHP-style names (Meta's note: PHP turns dots into underscores)
    query = {"hub_mode": "subscribe", "hub_verify_token": "verify-me", "hub_challenge": "42"}
    assert whatsapp.handshake(conf("whatsapp"), query)[2] == b"42"


@pytest.mark.parametrize(
    "query, status",
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}, 403),
        ({"hub.mode": "subscribe", "hub.challenge": "1"}, 403),
        ({"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"}, 400),
        ({"hub.mode": "subscribe", "hub.verify_token": "verify-me"}, 400),
        ({"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "<script>"}, 400),
    ],
)
def test_whatsapp_handshake_refuses_the_bad(query, status):
    with pytest.raises(base.WebhookError) as caught:
        whatsapp.handshake(conf("whatsapp"), query)
    assert caught.value.status == status


def test_whatsapp_handshake_needs_a_configured_token():
    query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    with pytest.raises(base.WebhookError) as caught:
        whatsapp.handshake(conf("whatsapp", verify_token=""), query)
    assert caught.value.status == 403


def test_zadarma_handshake_echoes_zd_echo():
    assert zadarma.handshake(conf("zadarma"), {"zd_echo": "a1B2c3"}) == (200, "text/plain", b"a1B2c3")
    with pytest.raises(base.WebhookError):
        zadarma.handshake(conf("zadarma"), {"zd_echo": "<b>x</b>"})


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_get_without_handshake_parameters_is_no_handshake(provider):
    assert registry.get(provider).handshake(conf(provider), {}) is None
    assert registry.get(provider).handshake(conf(provider), {"foo": "bar"}) is None


# ----------------------------------------------------------------------------- Telegram


def test_telegram_documented_update():
    events, parsed = receive("telegram", *signed("telegram", data("telegram_update.json")))
    assert [(e.event_id, e.kind) for e in events] == [("10000", "message")]
    [event] = parsed[0]
    assert event.kind == "message" and event.direction == "in"
    assert event.external_id == "1111111:1365"
    assert (event.handle, event.handle_kind) == ("1111111", "telegram")
    assert event.name == "Test Firstname Test Lastname" and event.username == "Testusername"
    assert event.text == "/start" and event.phone is None
    assert event.occurred_at == datetime(2015, 9, 7, 17, 5, 32)


def update(**message):
    body = {"message_id": 7, "date": 1750000000, "chat": {"id": 55, "type": "private"}, "from": {"id": 55}}
    return {"update_id": 1, "message": {**body, **message}}


def test_telegram_shared_own_contact_gives_the_phone():
    [event] = telegram.parse(
        update(contact={"phone_number": "79161234567", "first_name": "A", "user_id": 55})
    )
    assert event.phone == "79161234567" and event.text == "[contact]"
    [event] = telegram.parse(
        update(contact={"phone_number": "79161234567", "first_name": "B", "user_id": 99})
    )
    assert event.phone is None  # someone else's card is not the client's phone


@pytest.mark.parametrize(
    "update_body, reason",
    [
        ({"update_id": 2, "chat_boost": {}}, "'chat_boost'"),
        ({"update_id": 3, "some_future_type": {"x": 1}}, "'some_future_type'"),
        ({"update_id": 4, "edited_message": {}}, "edited"),
        (update(chat={"id": -100, "type": "supergroup"}), "group"),
        (update(chat={"id": "55", "type": "private"}), "chat id"),
        ({"update_id": 5, "message": "hello"}, "chat id"),
    ],
)
def test_telegram_updates_that_are_not_client_messages_are_ignored(update_body, reason):
    [event] = telegram.parse(update_body)
    assert event.kind == "ignored" and reason in event.reason


def test_telegram_media_without_text_gets_a_placeholder():
    assert telegram.parse(update(photo=[{"file_id": "x"}]))[0].text == "[photo]"
    assert telegram.parse(update(document={"file_name": "offer.pdf"}))[0].text == "[document: offer.pdf]"
    assert telegram.parse(update(caption="see\x00 this", photo=[]))[0].text == "see this"


@pytest.mark.parametrize(
    "body", [b'{"message": {}}', b'{"update_id": "10000"}', b'{"update_id": true}', b"[1]"]
)
def test_telegram_update_without_integer_id_is_malformed(body):
    assert refused("telegram", *signed("telegram", body)).status == 400


# ----------------------------------------------------------------------------- WhatsApp


def test_whatsapp_documented_text_message():
    events, parsed = receive("whatsapp", *signed("whatsapp", data("whatsapp_message.json")))
    wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    assert [(e.event_id, e.kind) for e in events] == [(wamid, "message")]
    [event] = parsed[0]
    assert (event.kind, event.direction, event.external_id) == ("message", "in", wamid)
    assert (event.phone, event.handle, event.handle_kind) == ("+16505551234", "16505551234", "whatsapp")
    assert event.name == "Sheena Nelson" and event.text == "Does it come in another color?"
    assert event.occurred_at == datetime(2025, 6, 8, 20, 59, 43)


def test_whatsapp_documented_status():
    events, parsed = receive("whatsapp", *signed("whatsapp", data("whatsapp_status.json")))
    wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA"
    assert [(e.event_id, e.kind) for e in events] == [(f"{wamid}:delivered", "status")]
    [event] = parsed[0]
    assert (event.kind, event.direction, event.external_id, event.message_status) == (
        "status",
        "out",
        wamid,
        "delivered",
    )
    assert event.handle == "16505551234" and event.error is None


def test_whatsapp_failed_status_says_why_in_plain_words():
    body = json.loads(data("whatsapp_status.json"))
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    status.update(status="failed", errors=[{"code": 131047, "title": "Re-engagement message"}])
    events, parsed = receive("whatsapp", *signed("whatsapp", json.dumps(body).encode()))
    assert events[0].event_id.endswith(":failed")
    assert parsed[0][0].message_status == "failed"
    assert "24 hours" in parsed[0][0].error and "template" in parsed[0][0].error


def test_whatsapp_batch_gives_one_event_per_message_and_status():
    body = json.loads(data("whatsapp_message.json"))
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"].append({**value["messages"][0], "id": "wamid.second", "type": "image", "image": {}})
    value["statuses"] = [
        {"id": "wamid.out", "status": "read", "timestamp": "1750000000", "recipient_id": "1650"}
    ]
    body["entry"].append({"id": "2", "changes": [{"field": "account_update", "value": {"event": "X"}}]})
    events, parsed = receive("whatsapp", *signed("whatsapp", json.dumps(body).encode()))
    assert [e.kind for e in events] == ["message", "message", "status", "other"]
    assert parsed[1][0].text == "[image]" and parsed[2][0].message_status == "read"
    assert parsed[3][0].kind == "ignored" and "account_update" in parsed[3][0].reason
    # the same notification again gives the same ids: the door stores nothing twice
    again, _parsed = receive("whatsapp", *signed("whatsapp", json.dumps(body).encode()))
    assert [e.event_id for e in again] == [e.event_id for e in events]


def test_whatsapp_empty_notification_has_no_events():
    body = {"object": "whatsapp_business_account", "entry": []}
    assert receive("whatsapp", *signed("whatsapp", json.dumps(body).encode()))[0] == []


@pytest.mark.parametrize(
    "body",
    [
        {"object": "page", "entry": []},
        {"object": "whatsapp_business_account"},
        {"object": "whatsapp_business_account", "entry": [{"changes": "x"}]},
        {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "messages", "value": {"messages": [{}]}}]}],
        },
    ],
)
def test_whatsapp_malformed_notifications_are_refused(body):
    assert refused("whatsapp", *signed("whatsapp", json.dumps(body).encode())).status == 400


def test_whatsapp_sender_of_letters_is_ignored():
    [event] = whatsapp.parse(
        {"message": {"from": "not-a-phone", "id": "wamid.1", "type": "text", "text": {}}}
    )
    assert event.kind == "ignored" and "not a phone" in event.reason


# ----------------------------------------------------------------------------- Zadarma


def test_zadarma_signature_matches_the_verified_vector():
    string = "+79161234567" + "74951234567" + "2024-05-20 10:15:00"
    assert (
        zadarma.signature("YOUR_SECRET", string) == "NDYzNzAzMTJiZDlmNjA5OTVlNzNjYmY2ZGQ3N2VhNmUxNTlkMTA2Mw=="
    )


def zadarma_call(**fields):
    form = {**ZADARMA_START, **fields}
    events, parsed = receive("zadarma", *signed("zadarma", form))
    return events[0], parsed[0][0]


def test_zadarma_call_from_start_to_end():
    start_event, start = zadarma_call()
    assert start_event.event_id == "in_0892e63cb09c4d7a:NOTIFY_START"
    assert (start.kind, start.call_stage, start.call_status, start.phone) == (
        "call",
        "start",
        "ringing",
        "+79161234567",
    )
    internal_event, ringing = zadarma_call(event="NOTIFY_INTERNAL", internal="101")
    assert internal_event.event_id.endswith(":NOTIFY_INTERNAL:101") and ringing.extension == "101"
    _e, answer = zadarma_call(event="NOTIFY_ANSWER", destination="101", internal="101")
    assert (answer.call_stage, answer.call_status, answer.extension) == ("answer", "answered", "101")
    _e, end = zadarma_call(
        event="NOTIFY_END", internal="101", duration="42", disposition="answered", is_recorded="1"
    )
    assert (end.call_stage, end.call_status, end.duration, end.external_id) == (
        "end",
        "answered",
        42,
        "in_0892e63cb09c4d7a",
    )


@pytest.mark.parametrize(
    "disposition, status",
    [("no answer", "missed"), ("cancel", "missed"), ("busy", "busy"), ("no money", "failed")],
)
def test_zadarma_end_dispositions(disposition, status):
    _e, end = zadarma_call(event="NOTIFY_END", duration="0", disposition=disposition)
    assert end.call_status == status


def test_zadarma_outgoing_call_is_signed_by_extension_and_destination():
    form = {
        "event": "NOTIFY_OUT_START",
        "call_start": "2024-05-20 10:15:00",
        "pbx_call_id": "out_1",
        "internal": "101",
        "destination": "79161234567",
    }
    _e, event = zadarma_call(**form)
    assert (event.direction, event.phone, event.extension, event.call_stage) == (
        "out",
        "79161234567",
        "101",
        "start",
    )


@pytest.mark.parametrize("duration", ["-5", "86401", "1e9", "ten", "9" * 30])
def test_zadarma_impossible_duration_is_ignored(duration):
    _e, event = zadarma_call(event="NOTIFY_END", duration=duration, disposition="answered")
    assert event.kind == "ignored" and "duration" in event.reason


def test_zadarma_number_of_letters_is_ignored():
    _e, event = zadarma_call(caller_id="CALL-ME-MAYBE")
    assert event.kind == "ignored" and "not a phone number" in event.reason


def test_zadarma_hidden_number_is_a_call_without_number():
    _e, event = zadarma_call(caller_id="anonymous")
    assert event.kind == "call" and event.phone is None


def test_zadarma_record_and_unknown_events():
    _e, event = zadarma_call(event="NOTIFY_RECORD", call_id_with_rec="1647439288.1115107")
    assert event.kind == "ignored"
    assert refused("zadarma", *signed("zadarma", {**ZADARMA_START, "event": "NOTIFY_FAX"})).status == 400


# ----------------------------------------------------------------------------- Mango Office


def test_mango_sign_matches_the_verified_vector():
    text = compact(MANGO["events/record/added"])
    assert (
        mango.sign(API_KEY, text, "salt-example")
        == "5201a1ddab7653237f1e2f10cef375b6bee69d46d8c4d43b219d250132061f31"
    )


def test_mango_documented_call_event():
    events, parsed = receive("mango", *signed("mango", compact(MANGO["events/call"])), "events/call")
    assert events[0].event_id == "call:1MN0Q1MDOQ==:MIxEyNTzTo6NDxkzNMMOzNQ==:2"
    assert parsed[0][0].kind == "ignored" and "summary" in parsed[0][0].reason  # Disconnected
    appeared = {**MANGO["events/call"], "call_state": "Appeared", "seq": 1}
    _events, parsed = receive("mango", *signed("mango", compact(appeared)), "events/call")
    event = parsed[0][0]
    assert (event.kind, event.call_stage, event.call_status) == ("call", "start", "ringing")
    assert (event.direction, event.phone, event.extension, event.external_id) == (
        "in",
        "79001234567",
        "29",
        "1MN0Q1MDOQ==",
    )


def test_mango_documented_summary_closes_the_call():
    events, parsed = receive("mango", *signed("mango", compact(MANGO["events/summary"])), "events/summary")
    assert events[0].event_id == "summary:232wc3e3w3s222"
    event = parsed[0][0]
    assert (event.call_stage, event.call_status, event.duration) == ("end", "answered", 10)
    assert (event.direction, event.phone, event.extension) == ("in", "7800123635242", "123")
    missed = {**MANGO["events/summary"], "talk_time": 0, "entry_result": 0}
    _events, parsed = receive("mango", *signed("mango", compact(missed)), "events/summary")
    assert (parsed[0][0].call_status, parsed[0][0].duration) == ("missed", 0)


def test_mango_documented_record_added_and_ping():
    events, parsed = receive(
        "mango", *signed("mango", compact(MANGO["events/record/added"])), "events/record/added"
    )
    assert events[0].event_id == "recording:MToxMDAwNjA4NTo1MDA5NDExMDIyOjE=:added"
    assert parsed[0][0].kind == "ignored"
    assert receive("mango", *signed("mango", "{}"), "ping")[0] == []


def test_mango_pdf_example_with_its_stray_brace_is_malformed_json():
    text = compact(MANGO["events/record/added"]) + " }"
    error = refused("mango", *signed("mango", text), "events/record/added")
    assert (error.status, error.code) == (400, "malformed_json")


def test_mango_refuses_another_pbx_key_and_unknown_paths():
    text = compact(MANGO["events/summary"])
    raw = mango_form(text, key="other-key")
    assert refused("mango", {}, raw, "events/summary").status == 401
    assert refused("mango", *signed("mango", text), "events/../../etc").status == 400


def test_mango_summary_with_impossible_talk_time_is_ignored():
    long = {**MANGO["events/summary"], "end_time": MANGO["events/summary"]["talk_time"] + 90000}
    [event] = mango.parse({"path": "events/summary", "data": long})
    assert event.kind == "ignored" and "86400" in event.reason


# ----------------------------------------------------------------------------- Asterisk (bridge)


def asterisk_event(event, call=None, **fields):
    body = {"event": event, "fields": {**ASTERISK_NEWCHANNEL["fields"], "Event": event, **fields}}
    if call is not None:
        body["call"] = call
    events, parsed = receive("asterisk", *signed("asterisk", json.dumps(body).encode()))
    return events[0], parsed[0][0]


def test_asterisk_incoming_call_rings_is_answered_and_ends():
    raw, start = asterisk_event("Newchannel")
    assert raw.event_id == "1716200100.1:Newchannel"
    assert (start.kind, start.direction, start.phone, start.call_stage) == (
        "call",
        "in",
        "+79161234567",
        "start",
    )
    leg = {"Uniqueid": "1716200100.2", "CallerIDNum": "101", "ConnectedLineNum": "+79161234567"}
    _raw, ringing = asterisk_event("Newstate", ChannelState="5", ChannelStateDesc="Ringing", **leg)
    assert (ringing.call_stage, ringing.extension, ringing.phone) == ("start", "101", "+79161234567")
    _raw, answer = asterisk_event("Newstate", ChannelState="6", ChannelStateDesc="Up", **leg)
    assert (answer.call_stage, answer.call_status, answer.extension) == ("answer", "answered", "101")
    call = {"caller": "+79161234567", "dialled": "74951234567", "answered_by": "101", "talk_seconds": 65}
    _raw, end = asterisk_event("Hangup", call=call, Cause="16")
    assert (end.call_stage, end.call_status, end.duration, end.extension) == ("end", "answered", 65, "101")
    assert end.external_id == start.external_id == "1716200100.1"


def test_asterisk_unanswered_and_busy_calls():
    _raw, missed = asterisk_event("Hangup", call={"caller": "+79161234567", "dialled": "600"}, Cause="16")
    assert (missed.call_status, missed.duration) == ("missed", 0)
    _raw, busy = asterisk_event("Hangup", call={}, Cause="17")
    assert busy.call_status == "busy"


def test_asterisk_outgoing_call_from_an_extension():
    _raw, start = asterisk_event("Newchannel", CallerIDNum="101", Exten="89161234567")
    assert (start.direction, start.phone, start.extension) == ("out", "89161234567", "101")
    _raw, internal = asterisk_event("Newchannel", CallerIDNum="101", Exten="102")
    assert internal.kind == "ignored"


def test_asterisk_cdr_brings_disposition_and_recording():
    fields = {
        "UniqueID": "1716200100.1",
        "Source": "+79161234567",
        "Destination": "101",
        "Disposition": "ANSWERED",
        "BillableSeconds": "30",
        "UserField": "https://pbx.example.com/rec/1.wav",
    }
    _raw, end = asterisk_event("Cdr", **fields)
    assert (end.call_status, end.duration, end.extension) == ("answered", 30, "101")
    assert end.recording_url == "https://pbx.example.com/rec/1.wav"
    _raw, bad = asterisk_event("Cdr", **{**fields, "BillableSeconds": "-1"})
    assert bad.kind == "ignored"


def test_asterisk_refuses_other_events():
    body = json.dumps({"event": "PeerStatus", "fields": {"Uniqueid": "1"}}).encode()
    assert refused("asterisk", *signed("asterisk", body)).status == 400


# ----------------------------------------------------------------------------- site forms (generic)


def test_generic_json_form_becomes_a_message_with_its_utm():
    events, parsed = receive("generic", *signed("generic", json.dumps(GENERIC_FORM).encode()))
    assert [(e.event_id, e.kind) for e in events] == [("form-42", "form")]
    [event] = parsed[0]
    assert (event.kind, event.direction, event.external_id) == ("message", "in", "form-42")
    assert (event.name, event.phone, event.email) == ("Анна Петрова", "+7 916 123-45-67", "anna@example.com")
    assert event.text == "Перезвоните, пожалуйста"
    assert event.utm == {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "spring"}


def test_generic_urlencoded_form_is_the_same_form():
    raw = urlencode({**GENERIC_FORM, "company": "ООО Ромашка"}).encode()
    headers = {
        **generic_headers(SECRET, raw),
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    }
    _events, parsed = receive("generic", headers, raw)
    assert parsed[0][0].phone == "+7 916 123-45-67" and parsed[0][0].text.endswith("company: ООО Ромашка")


def test_generic_form_without_external_id_is_keyed_by_its_content():
    form = {k: v for k, v in GENERIC_FORM.items() if k != "external_id"}
    first, _p = receive("generic", *signed("generic", json.dumps(form).encode()))
    again, _p = receive("generic", *signed("generic", json.dumps(form, indent=2).encode(), timestamp=NOW + 5))
    assert first[0].event_id == again[0].event_id and first[0].event_id.startswith("sha256:")


def test_generic_batch_of_forms():
    forms = [{**GENERIC_FORM, "external_id": f"f{i}"} for i in range(3)]
    events, _parsed = receive("generic", *signed("generic", json.dumps(forms).encode()))
    assert [e.event_id for e in events] == ["f0", "f1", "f2"]
    too_many = json.dumps([GENERIC_FORM] * 101).encode()
    assert refused("generic", *signed("generic", too_many)).status == 400


@pytest.mark.parametrize(
    "form, reason",
    [
        ({"name": "Bot", "phone": "+79161234567", "linear_trap": "http://spam"}, "spam trap"),
        ({"name": "Nobody", "message": "hi"}, "neither"),
        ({"name": "Letters", "phone": "call me now"}, "not a phone number"),
    ],
)
def test_generic_forms_that_are_ignored(form, reason):
    _events, parsed = receive("generic", *signed("generic", json.dumps(form).encode()))
    assert parsed[0][0].kind == "ignored" and reason in parsed[0][0].reason


def test_generic_form_keeps_a_mistyped_phone_when_an_email_reaches_the_client():
    form = {"name": "Ann", "phone": "call me", "email": "ann@example.com"}
    [event] = generic.parse(form)
    assert event.kind == "message" and event.phone is None and "Phone as typed: call me" in event.text


def test_generic_browser_form_from_a_listed_origin_needs_no_signature():
    channel = conf("generic", settings={"form_origins": "https://shop.example.com, https://example.com/"})
    raw = urlencode(GENERIC_FORM).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://example.com"}
    events, _parsed = receive("generic", headers, raw, channel=channel)
    assert events[0].event_id == "form-42"
    assert generic.cors_origin(channel, headers) == "https://example.com"
    for origin in ("https://evil.example.net", None):
        hostile = {**headers, "Origin": origin} if origin else {"Content-Type": headers["Content-Type"]}
        assert refused("generic", hostile, raw, channel=channel).code == "unsigned_origin"
    # a site without listed origins refuses unsigned posts
    assert refused("generic", headers, raw).code == "missing_signature"
    # a signature, when sent, is always checked
    bad = {**headers, "X-Linear-Signature": "sha256=00", "X-Linear-Timestamp": str(int(NOW))}
    assert refused("generic", bad, raw, channel=channel).code == "bad_signature"


def test_generic_multipart_is_refused_with_a_hint():
    headers = {**generic_headers(SECRET, b"--x"), "Content-Type": "multipart/form-data; boundary=x"}
    error = refused("generic", headers, b"--x")
    assert error.status == 400 and "urlencoded" in error.message


# ----------------------------------------------------------------------------- hostile bodies


@pytest.mark.parametrize("provider", ["telegram", "whatsapp", "generic", "asterisk"])
@pytest.mark.parametrize(
    "raw, code",
    [
        (b'{"update_id": 1, "message": {"text": "cut', "malformed_json"),
        ('{"name": "Ren\xe9e"}'.encode("latin-1"), "bad_encoding"),
        (b"", "empty_body"),
        (b"[" * 100000 + b"]" * 100000, "malformed_json"),
        (b'{"update_id": NaN}', "malformed_json"),
        (b'{"update_id": ' + b"9" * 5000 + b"}", "malformed_json"),
    ],
)
def test_hostile_json_bodies_are_refused_with_what_is_wrong(provider, raw, code):
    error = refused(provider, *signed(provider, raw))
    assert (error.status, error.code) == (400, code) and error.message


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_five_megabyte_body_is_refused_as_too_large(provider):
    raw = b'{"a": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    with pytest.raises(base.WebhookError) as caught:
        registry.get(provider).split(
            conf(provider), {"Content-Type": "application/json"}, raw, {}, "events/call"
        )
    assert caught.value.status == 413


@pytest.mark.parametrize("provider", ["zadarma", "mango"])
def test_hostile_forms_are_refused(provider):
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Signature": "x"}
    for raw in (b"event=%FF%FE", "&".join(f"f{i}=1" for i in range(500)).encode(), b"\xff\xfe"):
        with pytest.raises(base.WebhookError) as caught:
            registry.get(provider).split(conf(provider), headers, raw, {}, "events/call")
        assert caught.value.status == 400


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("payload", [None, [], "text", {}, {"message": None}, {"data": [1]}, {"fields": "x"}])
def test_parse_never_raises_on_nonsense(provider, payload):
    events = registry.get(provider).parse(payload)
    assert events and all(isinstance(e, base.NormalisedEvent) for e in events)
    assert all(e.kind in ("call", "message", "status", "ignored") for e in events)


def test_nul_characters_never_reach_the_database():
    [event] = generic.parse(
        {"name": "A\x00nn", "email": "a@example.com", "message": "x\x00y", "extra\x00": "z"}
    )
    assert "\x00" not in (event.name + event.text)
