# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The lead assignment engine, without Odoo.

Run: ./dev test -k test_crm_assignment_pure (milliseconds once the database is up)
"""

from collections import Counter

import pytest

from .pure_lib import load_lib

engine = load_lib("crm_extensions", "assignment")

Availability, Member = engine.Availability, engine.Member
OK = Availability()


def rotation(members, availability=None, check_hours=False):
    availability = availability or {m.user_id: OK for m in members}
    return engine.build_rotation(7, members, availability, check_hours)


def test_win_rate_and_floor_weight():
    assert engine.win_rate(0, 0) is None
    assert engine.win_rate(2, 3) == pytest.approx(0.4)
    assert engine.member_weight(2, 3, 0.1) == pytest.approx(0.4)
    assert engine.member_weight(0, 0, 0.1) == pytest.approx(0.1)  # new member: the floor
    assert engine.member_weight(0, 5, 0.2) == pytest.approx(0.2)  # nothing won yet
    assert engine.member_weight(0, 0, 0) > 0  # never a zero weight


def test_rotation_is_proportional_to_weights():
    members = [Member(1, weight=0.6), Member(2, weight=0.3), Member(3, weight=0.1)]
    rot = rotation(members)
    picks = Counter(rot.pick().user_id for _ in range(1000))
    assert picks == {1: 600, 2: 300, 3: 100}


def test_rotation_counts_recent_leads_so_batches_do_not_matter():
    # member 1 already got 3 leads in the window, member 2 none: equal weights -> 2 catches up first
    members = [Member(1, weight=0.5, recent=3), Member(2, weight=0.5, recent=0)]
    rot = rotation(members)
    assert [rot.pick().user_id for _ in range(4)] == [2, 2, 2, 1]
    # one-lead batches give the same sequence as one big batch
    one_by_one = []
    state = {1: 3, 2: 0}
    for _ in range(4):
        rot = rotation([Member(1, weight=0.5, recent=state[1]), Member(2, weight=0.5, recent=state[2])])
        chosen = rot.pick().user_id
        state[chosen] += 1
        one_by_one.append(chosen)
    assert one_by_one == [2, 2, 2, 1]


def test_rotation_skips_people_who_cannot_take_leads():
    members = [
        Member(1, weight=0.9),
        Member(2, weight=0.9),
        Member(3, weight=0.9),
        Member(4, weight=0.9, paused=True),
        Member(5, weight=0.9, open_leads=5, capacity=5),
        Member(6, weight=0.1),
        Member(7, weight=0.9),
    ]
    availability = {
        1: Availability(active=False),
        2: Availability(unavailable=True),
        3: Availability(on_leave=True),
        4: OK,
        5: OK,
        6: OK,
        7: Availability(in_working_hours=False),
    }
    rot = rotation(members, availability, check_hours=True)
    assert [m.user_id for m in rot.members] == [6]
    assert rot.skipped == {
        engine.SKIP_INACTIVE: 1,
        engine.SKIP_UNAVAILABLE: 1,
        engine.SKIP_ON_LEAVE: 1,
        engine.SKIP_PAUSED: 1,
        engine.SKIP_OVER_CAPACITY: 1,
        engine.SKIP_OFF_HOURS: 1,
    }
    # working hours only matter when the team asks for them
    assert 7 in [m.user_id for m in rotation(members, availability, check_hours=False).members]


def test_capacity_is_consumed_during_a_batch():
    members = [Member(1, weight=0.5, open_leads=1, capacity=2), Member(2, weight=0.5, capacity=1)]
    rot = rotation(members)
    assert {rot.pick().user_id, rot.pick().user_id} == {1, 2}
    assert rot.pick() is None
    assert rot.exhausted() == {engine.SKIP_OVER_CAPACITY: 2}


def test_leads_given_by_other_rules_count_in_the_rotation():
    rot = rotation([Member(1, weight=0.5, capacity=1), Member(2, weight=0.5)])
    rot.count(1)  # a lead of one of their clients
    assert [rot.pick().user_id for _ in range(3)] == [2, 2, 2]


def test_decide_client_manager_first():
    avail = {10: OK, 20: OK, 1: OK}
    decision = engine.decide(10, [20], avail, rotation([Member(1, 0.5)]))
    assert (decision.user_id, decision.rule) == (10, engine.RULE_CLIENT_MANAGER)


def test_decide_last_talker_when_manager_is_away():
    avail = {10: Availability(on_leave=True), 20: Availability(unavailable=True), 30: OK, 1: OK}
    decision = engine.decide(10, [20, 30], avail, rotation([Member(1, 0.5)]))
    assert (decision.user_id, decision.rule) == (30, engine.RULE_LAST_CONTACT)


def test_decide_rotation_reports_team_and_win_rate():
    decision = engine.decide(None, [], {1: OK}, rotation([Member(1, 0.4, win_rate=0.4)]))
    assert (decision.user_id, decision.rule, decision.team_id) == (1, engine.RULE_ROTATION, 7)
    assert decision.win_rate == pytest.approx(0.4)


def test_decide_excluded_user_is_never_chosen():
    avail = {10: OK, 1: OK, 2: OK}
    decision = engine.decide(10, [10], avail, rotation([Member(2, 0.5)]), excluded=[10])
    assert (decision.user_id, decision.rule) == (2, engine.RULE_ROTATION)


def test_decide_nobody_eligible_says_why():
    members = [Member(1, 0.5), Member(2, 0.5)]
    avail = {1: Availability(on_leave=True), 2: Availability(on_leave=True)}
    decision = engine.decide(None, [], avail, rotation(members, avail))
    assert decision.user_id is None and decision.rule == engine.RULE_NONE
    assert decision.skipped == {engine.SKIP_ON_LEAVE: 2}
    assert decision.team_id == 7


def test_decide_without_team_or_members():
    assert engine.decide(None, [], {}, None).missing == engine.NO_TEAM
    assert engine.decide(None, [], {}, rotation([])).missing == engine.NO_MEMBERS


def test_unknown_person_counts_as_inactive():
    assert engine.person_skip_reason(None) == engine.SKIP_INACTIVE
    assert engine.decide(99, [98], {}, None).rule == engine.RULE_NONE


def test_rotation_of_ten_thousand_is_fast():
    import time

    members = [Member(i, weight=0.1 + i / 100) for i in range(1, 21)]
    rot = rotation(members)
    start = time.perf_counter()
    for _ in range(10_000):
        rot.pick()
    assert time.perf_counter() - start < 1.0


# --- company (issue 8): nobody outside the lead's company is ever chosen ----------------------


def test_only_users_allowed_in_the_company_are_chosen():
    availability = dict.fromkeys((1, 2, 3, 4), OK)
    rot = rotation([Member(2, weight=0.9), Member(3, weight=0.1)], availability)
    # the client's manager (1) and the last talker (4) work in another company: rotation, and
    # within it only member 3, although member 2 weighs more
    decision = engine.decide(1, [4], availability, rot, allowed={3})
    assert (decision.user_id, decision.rule) == (3, engine.RULE_ROTATION)
    decision = engine.decide(1, [4], availability, rot, allowed={4, 3})
    assert (decision.user_id, decision.rule) == (4, engine.RULE_LAST_CONTACT)
    # nobody of the team is allowed: not assigned, and the reason says why
    decision = engine.decide(None, [], availability, rot, allowed=set())
    assert decision.user_id is None
    assert decision.skipped == {engine.SKIP_OTHER_COMPANY: 2}
    # None means no restriction (the previous behaviour)
    assert engine.decide(1, [], availability, rot).user_id == 1
