# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Property-based fuzz of every channel adapter: 1,000 hostile requests per provider.

Half of them carry a valid signature (made here, as the provider would), so the hostile bodies
also reach split() and parse(). Whatever comes in, only a WebhookError with status 400, 401,
403 or 413 may come out of verify/split, every event id fits the log, every payload survives a
JSON round trip and parse() returns well-formed events: never another exception, never a 5xx.
derandomize=True: the same examples on every run, so CI stays stable.

Run: ./dev test -k test_channel_fuzz_pure
"""

import json
import os
from datetime import datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .channel_pure_common import NOW, PROVIDERS, SECRET, ZADARMA_SIGNED, base, conf, registry, sample, signed
from .pure_lib import load_lib

mango = load_lib("channel_connectors", "mango")

# CI runs 1,000 examples per provider; a longer hunt: LINEAR_FUZZ_EXAMPLES=100000 ./dev test -k fuzz
EXAMPLES = max(1000, int(os.environ.get("LINEAR_FUZZ_EXAMPLES") or 1000))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
REFUSALS = {400, 401, 403, 413}
KINDS = {"call", "message", "status", "ignored"}
CALL_STATUSES = {None, "ringing", "answered", "missed", "busy", "failed"}
MESSAGE_STATUSES = {None, "sent", "delivered", "read", "failed"}

# An explicit alphabet (ASCII, Cyrillic, controls, NUL, quotes, emoji, right-to-left, a lone
# combining mark): hostile enough, and it spares Hypothesis building its Unicode tables per run.
ALPHABET = "".join(map(chr, range(32, 127))) + "абвгдЖЯё\x00\t\n\r\x7f\u2028\u202e\u0301\ufeff😀\"'<>&%+="
texts = st.text(alphabet=ALPHABET, max_size=24)
hostile_text = st.one_of(
    texts,
    st.sampled_from(
        ["", "\x00", "-1", "86401", "9" * 30, "NaN", "+7 916 123-45-67", "abc", "anonymous", "1e9"]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=10,
)


DIGIT = st.integers(0, 9)
TWENTY = st.integers(0, 19)
FOUR, FIVE = st.integers(0, 3), st.integers(0, 4)
# sampled_from draws its first values most: the common cases come first
SIGNATURES = st.sampled_from(["good", "good", "wrong"])
BODIES = st.sampled_from(["document", "document", "truncated", "unquoted", "bytes"])
BOOL = st.booleans()
BYTES = st.binary(max_size=300)
ZADARMA_EVENTS = st.sampled_from(sorted(ZADARMA_SIGNED))
MANGO_PATHS = st.sampled_from(mango.PATHS)
WRONG_SECRETS = st.sampled_from(["wrong", "-", SECRET + "x"])
SKEWS = st.sampled_from([0, 0, 0, -400, 400, 10**10])
EXTRA_HEADERS = st.dictionaries(
    st.sampled_from(["Content-Type", "Origin", "X-Other", "signature"]), texts, max_size=2
)


def _mutate(draw, value, depth=0):
    """The documented payload with a few branches dropped or replaced by hostile values, so that
    many examples stay deep enough to reach parse(). Strategies are built once: building them per
    node is what makes Hypothesis slow. The rare choices are the high numbers, because Hypothesis
    draws zeros (its simplest values) far more often than chance."""
    if depth == 0 and draw(DIGIT) == 9:
        return draw(json_values)
    if isinstance(value, dict):
        result = {}
        for key, inner in value.items():
            what = draw(TWENTY)
            if what == 19:
                continue  # drop the field
            result[key] = draw(scalars) if what == 18 else _mutate(draw, inner, depth + 1)
        if draw(DIGIT) == 9:
            result[draw(texts)] = draw(scalars)
        return result
    if isinstance(value, list):
        return [_mutate(draw, inner, depth + 1) for inner in value]
    return draw(scalars) if draw(DIGIT) >= 8 else value


@st.composite
def mutated(draw, value):
    return _mutate(draw, value)


def documented(provider):
    body, path = sample(provider)
    if provider == "zadarma":
        return body, path
    return json.loads(body), path


@st.composite
def json_body(draw, provider):
    document, _path = documented(provider)
    kind = draw(BODIES)
    if kind == "bytes":
        return draw(BYTES)
    tree = draw(mutated(document))
    raw = json.dumps(tree, ensure_ascii=draw(BOOL)).encode()
    if kind == "truncated":
        return raw[: len(raw) * draw(DIGIT) // 10]  # truncated
    if kind == "unquoted":
        return raw.replace(b'"', b"", draw(FOUR))
    return raw


@st.composite
def requests_of(draw, provider):
    """(headers, raw, path) of a hostile request; valid signatures on about half of them."""
    path = ""
    good_signature = draw(SIGNATURES) == "good"
    if provider == "zadarma":
        document, _path = documented(provider)
        fields = draw(mutated(document))
        fields = fields if isinstance(fields, dict) else {}
        fields = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
        fields["event"] = draw(ZADARMA_EVENTS) if draw(DIGIT) < 8 else draw(texts)
        body = fields
    elif provider == "mango":
        document, path = documented(provider)
        path = draw(MANGO_PATHS) if draw(DIGIT) < 8 else draw(texts)
        body = json.dumps(draw(mutated(document)), separators=(",", ":"))
        if draw(FIVE) == 4:
            body = body[: len(body) * draw(DIGIT) // 10]
    else:
        body = draw(json_body(provider))
    secret = SECRET if good_signature else draw(WRONG_SECRETS)
    timestamp = NOW + draw(SKEWS)
    headers, raw = signed(provider, body, secret=secret, timestamp=timestamp)
    if provider == "zadarma" and draw(FIVE) == 4:
        raw = draw(BYTES)
    if provider == "mango" and draw(FIVE) == 4:
        raw = draw(BYTES) if draw(BOOL) else urlencode({"json": body}).encode()  # no signature
    headers = dict(headers)
    for name in list(headers):
        what = draw(TWENTY)
        if what == 19:
            del headers[name]
        elif what == 18:
            headers[name] = draw(hostile_text)
    headers.update(draw(EXTRA_HEADERS))
    return headers, raw, path


def check_normalised(event):
    assert isinstance(event, base.NormalisedEvent)
    assert event.kind in KINDS
    assert event.direction in ("in", "out")
    assert event.call_status in CALL_STATUSES and event.message_status in MESSAGE_STATUSES
    assert event.duration is None or (isinstance(event.duration, int) and 0 <= event.duration <= 86400)
    assert event.occurred_at is None or (
        isinstance(event.occurred_at, datetime) and event.occurred_at.tzinfo is None
    )
    if event.kind == "ignored":
        assert isinstance(event.reason, str) and event.reason
    for value in (
        event.external_id,
        event.phone,
        event.handle,
        event.name,
        event.text,
        event.email,
        event.extension,
    ):
        assert value is None or (isinstance(value, str) and "\x00" not in value)
    assert isinstance(event.utm, dict)


def through_the_door(provider, channel, headers, raw, path):
    adapter = registry.get(provider)
    try:
        adapter.verify(channel, headers, raw, {}, path, NOW)
        events = adapter.split(channel, headers, raw, {}, path)
    except base.WebhookError as error:
        assert error.status in REFUSALS, error
        assert isinstance(error.message, str) and error.message and SECRET not in error.message
        return 0
    assert isinstance(events, list)
    for event in events:
        assert (
            isinstance(event.event_id, str)
            and 0 < len(event.event_id) <= 255
            and "\x00" not in event.event_id
        )
        stored = json.loads(json.dumps(event.payload))  # what the job reads back from the log
        parsed = adapter.parse(stored)
        assert isinstance(parsed, list) and parsed
        for normalised in parsed:
            check_normalised(normalised)
    return len(events)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_hostile_requests_never_escape_as_other_errors(provider):
    channel = conf(provider)

    reached = []

    @FUZZ
    @given(request=requests_of(provider))
    def fuzz(request):
        reached.append(through_the_door(provider, channel, *request))

    fuzz()
    # the fuzz is worth something only if many hostile bodies get past the signature into parse()
    assert len(reached) >= EXAMPLES and sum(1 for n in reached if n) >= 50


@pytest.mark.parametrize("provider", PROVIDERS)
@settings(FUZZ, max_examples=300)
@given(payload=json_values)
def test_parse_of_any_stored_payload_never_raises(provider, payload):
    for normalised in registry.get(provider).parse(payload):
        check_normalised(normalised)


@pytest.mark.parametrize("provider", PROVIDERS)
@settings(FUZZ, max_examples=300)
@given(
    query=st.dictionaries(
        st.sampled_from(["hub.mode", "hub.verify_token", "hub.challenge", "zd_echo", "x"]), hostile_text
    )
)
def test_hostile_handshakes_are_answered_or_refused(provider, query):
    try:
        answer = registry.get(provider).handshake(conf(provider), query)
    except base.WebhookError as error:
        assert error.status in {400, 403}
        return
    if answer is not None:
        status, content_type, body = answer
        assert status == 200 and content_type == "text/plain" and isinstance(body, bytes)
        assert b"<" not in body and b">" not in body
