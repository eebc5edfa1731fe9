# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Client lookup by phone: linear.client.lookup (E.164, indexed) against native phone_mobile_search.

Run inside an Odoo shell on a database where linear_crm is installed (a dedicated one is best):

    ODOO=".venv/bin/python /opt/odoo/odoo-bin -c .local/odoo.conf --no-http"
    $ODOO -d lc_bench -i linear_crm --stop-after-init      # once: a database for the benchmark
    $ODOO shell -d lc_bench < bench/bench_lookup.py

Settings (environment variables): BENCH_N clients to generate (100000; as many leads, a quarter of
them without a client), BENCH_QUERIES lookups to time (1000), BENCH_SEED (5), BENCH_CLEAN=1 to
delete the generated rows at the end (they are kept, and reused by the next run, otherwise).

The generator writes clients and leads with bulk INSERTs (the ORM would take many minutes for
100,000 rows), each phone spelled in one of the usual formats; phone_e164 is filled with the same
normaliser the ORM uses. Each lookup asks for a random generated client by its number typed in
another format. Reported: correctness (the right client among the results) and p50 / p95 latency
for our service and for the native search field in its two operators: "=" (exact after stripping
separators) and "ilike" (what the search bar uses; trigram index). Nothing here asserts a time.
"""

import os
import random
import time

from psycopg2.extras import execute_values

from odoo.addons.linear_crm.crm_extensions.lib import phones

N = int(os.environ.get("BENCH_N", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "1000"))
SEED = int(os.environ.get("BENCH_SEED", "5"))
CLEAN = os.environ.get("BENCH_CLEAN") == "1"
MARK = "linear-bench"  # res_partner.ref and crm_lead.referred of generated rows
PREFIXES = ("903", "905", "906", "909", "915", "916", "917", "925", "926", "977", "985", "999")
FORMATS = (
    lambda d: f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}",
    lambda d: f"8 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}",
    lambda d: f"8{d}",
    lambda d: f"+7{d}",
    lambda d: f"7{d}",
    lambda d: f"+7 ({d[:3]}) {d[3:]}",
    lambda d: d,
)


def generated_numbers(rng, count):
    """``count`` distinct valid Russian mobile numbers as 10 national digits."""
    seen = set()
    while len(seen) < count:
        digits = rng.choice(PREFIXES) + f"{rng.randrange(10**7):07d}"
        if digits not in seen and phones.normalize(digits):
            seen.add(digits)
    return sorted(seen)


def generate(env, rng):
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE ref = %s", [MARK])
    existing = cr.fetchone()[0]
    if existing >= N:
        print(f"reusing {existing} generated clients")
        cr.execute(
            "SELECT id, phone_e164 FROM res_partner"
            " WHERE ref = %s AND phone_e164 IS NOT NULL ORDER BY id LIMIT %s",
            [MARK, N],
        )
        return cr.fetchall()
    cleanup(env)
    started = time.perf_counter()
    numbers = generated_numbers(rng, N)
    rows = []
    for i, digits in enumerate(numbers):
        raw = rng.choice(FORMATS)(digits)
        rows.append((f"Bench client {i}", f"Bench client {i}", raw, phones.normalize(raw), MARK, "contact"))
    partner_ids = [
        row[0]
        for row in execute_values(
            cr,
            "INSERT INTO res_partner (name, complete_name, phone, phone_e164, ref, type, active, is_company,"
            " create_date, write_date) VALUES %s RETURNING id",
            rows,
            template="(%s, %s, %s, %s, %s, %s, TRUE, FALSE,"
            " now() at time zone 'utc', now() at time zone 'utc')",
            page_size=2000,
            fetch=True,
        )
    ]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref = %s", [MARK])
    leads = []
    for i, (partner_id, digits) in enumerate(zip(partner_ids, numbers, strict=True)):
        raw = rng.choice(FORMATS)(digits)
        with_client = i % 4 != 0
        leads.append(
            (f"Bench lead {i}", raw, phones.normalize(raw), partner_id if with_client else None, MARK)
        )
    execute_values(
        cr,
        "INSERT INTO crm_lead (name, phone, phone_e164, partner_id, referred, type, active, won_status,"
        " probability, create_date, write_date) VALUES %s",
        leads,
        template="(%s, %s, %s, %s, %s, 'lead', TRUE, 'pending', 10, now() at time zone 'utc',"
        " now() at time zone 'utc')",
        page_size=2000,
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE crm_lead")
    cr.commit()
    print(f"generated {N} clients and {N} leads in {time.perf_counter() - started:.1f} s")
    return list(zip(partner_ids, [phones.normalize(d) for d in numbers], strict=True))


def cleanup(env):
    env.cr.execute("DELETE FROM crm_lead WHERE referred = %s", [MARK])
    env.cr.execute("DELETE FROM res_partner WHERE ref = %s", [MARK])
    env.cr.commit()


def timed(env, func, queries):
    """(share of correct answers, list of latencies in ms); caches cleared before each call."""
    correct, latencies = 0, []
    for expected, typed in queries:
        env.invalidate_all()
        started = time.perf_counter()
        found = func(typed)
        latencies.append((time.perf_counter() - started) * 1000)
        correct += expected in found
    return correct / len(queries), latencies


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(env):
    rng = random.Random(SEED)
    clients = generate(env, rng)
    # The company's country is the default region of national numbers (rolled back at the end).
    env.company.country_id = env.ref("base.ru")
    Partner = env["res.partner"]
    Lead = env["crm.lead"]
    Lookup = env["linear.client.lookup"]
    sample = rng.sample(clients, min(QUERIES, len(clients)))
    queries = []
    for partner_id, e164 in sample:
        queries.append((partner_id, rng.choice(FORMATS)(e164[2:])))

    def ours(typed):
        found = Lookup.find(phone=typed)
        return set((found["contact"] | found["candidates"]).ids)

    def ours_partner_only(typed):
        return set(Partner.search([("phone_e164", "=", phones.normalize(typed))]).ids)

    def native(operator):
        def search(typed):
            return set(Partner.search([("phone_mobile_search", operator, typed)]).ids)

        return search

    def native_full(operator):
        # What find() does, the native way: the client, then open leads by phone or client.
        def search(typed):
            domain = [("phone_mobile_search", operator, typed)]
            partners = Partner.search_fetch(domain, ["commercial_partner_id"])
            if partners:
                domain = ["|", *domain, ("partner_id", "in", partners.commercial_partner_id.ids)]
            Lead.search_fetch([*domain, ("won_status", "=", "pending")], ["partner_id"], limit=100)
            return set(partners.ids)

        return search

    candidates = {
        "linear.client.lookup.find (client + open leads)": ours,
        "native phone_mobile_search '=' (client + open leads)": native_full("="),
        "native phone_mobile_search 'ilike' (client + open leads)": native_full("ilike"),
        "phone_e164 = normalize(typed) (client only)": ours_partner_only,
        "native phone_mobile_search '=' (client only)": native("="),
        "native phone_mobile_search 'ilike' (client only)": native("ilike"),
    }
    for func in candidates.values():  # warm-up: plans, caches, connections
        timed(env, func, queries[:20])
    results = {name: timed(env, func, queries) for name, func in candidates.items()}
    env.cr.execute("SELECT count(*) FROM res_partner")
    total_partners = env.cr.fetchone()[0]
    print(f"\n{len(queries)} lookups by phone in random formats, {total_partners} partners in the database")
    print(f"{'method':58} {'correct':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (share, latencies) in results.items():
        print(f"{name:58} {share:8.1%} {percentile(latencies, 0.5):8.2f} {percentile(latencies, 0.95):8.2f}")

    def p95(name):
        return percentile(results[name][1], 0.95)

    for scope in ("client + open leads", "client only"):
        ours_name = next(name for name in results if name.endswith(f"({scope})") and "native" not in name)
        for operator in ("=", "ilike"):
            native_name = f"native phone_mobile_search '{operator}' ({scope})"
            print(
                f"p95 native '{operator}' / ours ({scope}): {p95(native_name) / p95(ours_name):.1f}x"
                f"  (ours {p95(ours_name):.2f} ms, native {p95(native_name):.2f} ms)"
            )
    if CLEAN:
        cleanup(env)
        print("generated rows deleted")
    env.cr.rollback()


if "env" in globals():  # run by ``odoo-bin shell``; bench_visibility imports the generator only
    main(env)  # noqa: F821 - ``env`` is provided by ``odoo-bin shell``
