# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Who gets a new lead, and why: the assignment rules as plain data in, plain data out.

Rules, in order:

1. the client's responsible manager, if active and available;
2. else the most recent manager who talked with the client and is available;
3. else a weighted rotation inside the lead's team: weights are win rates over a window
   (more wins, proportionally more leads) with a floor for new members; members that are
   inactive, paused, unavailable, on leave, off working hours (when the team says so) or at
   their open-lead capacity are skipped.

Only users allowed in the lead's company are ever chosen, by any rule: the caller passes them
as ``allowed`` (the others count as "other company" when nobody can take the lead).

No Odoo import: the models load the facts once per batch and call :func:`decide` per lead.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

RULE_CLIENT_MANAGER = "client_manager"
RULE_LAST_CONTACT = "last_contact"
RULE_ROTATION = "rotation"
RULE_NONE = "none"
RULE_MANUAL = "manual"  # chosen by a person, e.g. in the reassignment wizard
RULES = (RULE_CLIENT_MANAGER, RULE_LAST_CONTACT, RULE_ROTATION, RULE_NONE, RULE_MANUAL)

# Why a person cannot take a lead right now (a member of a team, or a client's manager).
SKIP_INACTIVE = "inactive"
SKIP_PAUSED = "paused"
SKIP_UNAVAILABLE = "unavailable"
SKIP_ON_LEAVE = "on_leave"
SKIP_OFF_HOURS = "off_hours"
SKIP_OVER_CAPACITY = "over_capacity"
SKIP_OTHER_COMPANY = "other_company"
SKIP_REASONS = (
    SKIP_INACTIVE,
    SKIP_PAUSED,
    SKIP_UNAVAILABLE,
    SKIP_ON_LEAVE,
    SKIP_OFF_HOURS,
    SKIP_OVER_CAPACITY,
    SKIP_OTHER_COMPANY,
)

# No team to rotate in, or a team without members at all.
NO_TEAM = "no_team"
NO_MEMBERS = "no_members"


@dataclass
class Availability:
    """What is known about one user at assignment time."""

    active: bool = True
    unavailable: bool = False
    on_leave: bool = False
    in_working_hours: bool = True


def person_skip_reason(avail: Availability | None, check_hours: bool = False) -> str | None:
    """Why this person cannot take a lead now, or None when they can."""
    if avail is None or not avail.active:
        return SKIP_INACTIVE
    if avail.unavailable:
        return SKIP_UNAVAILABLE
    if avail.on_leave:
        return SKIP_ON_LEAVE
    if check_hours and not avail.in_working_hours:
        return SKIP_OFF_HOURS
    return None


def win_rate(won: int, lost: int) -> float | None:
    """Share of won leads among the closed ones; None when nothing was closed."""
    closed = won + lost
    return won / closed if closed else None


def member_weight(won: int, lost: int, floor: float) -> float:
    """Rotation weight: the win rate, never below `floor` (so new members get leads too)."""
    rate = win_rate(won, lost) or 0.0
    return max(rate, floor, 1e-6)


@dataclass
class Member:
    """A team member as the rotation sees them."""

    user_id: int
    weight: float
    win_rate: float | None = None
    recent: int = 0  # leads assigned to them in this team within the window
    open_leads: int = 0  # open leads they hold, all teams
    capacity: int = 0  # 0 = no limit
    paused: bool = False

    def has_room(self) -> bool:
        return not self.capacity or self.open_leads < self.capacity


@dataclass
class Rotation:
    """Weighted fair rotation: the next lead goes to the member whose share is most behind.

    A member's "virtual finish" is ``(recent + 1) / weight``; the smallest wins, so over time each
    member receives leads in proportion to their weight, and the result does not depend on how
    leads are batched (the counts, not a cursor, carry the state between batches).
    """

    team_id: int | None
    members: list[Member] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> number of members

    def pick(self, allowed: set[int] | None = None) -> Member | None:
        """The next member; only among `allowed` user ids when given."""
        best, best_key = None, None
        for member in self.members:
            if not member.has_room() or (allowed is not None and member.user_id not in allowed):
                continue
            key = ((member.recent + 1) / member.weight, member.recent, member.user_id)
            if best_key is None or key < best_key:
                best, best_key = member, key
        if best is not None:
            best.recent += 1
            best.open_leads += 1
        return best

    def count(self, user_id: int) -> None:
        """A lead went to this member by another rule: it weighs on their share and capacity."""
        for member in self.members:
            if member.user_id == user_id:
                member.recent += 1
                member.open_leads += 1

    def exhausted(self, allowed: set[int] | None = None) -> Counter:
        """Skip reasons including members who filled their capacity during this batch and, when
        `allowed` is given, members who may not work in the lead's company."""
        reasons = Counter(self.skipped)
        for member in self.members:
            if allowed is not None and member.user_id not in allowed:
                reasons[SKIP_OTHER_COMPANY] += 1
            elif not member.has_room():
                reasons[SKIP_OVER_CAPACITY] += 1
        return +reasons


def build_rotation(
    team_id: int | None,
    members: Iterable[Member],
    availability: dict[int, Availability],
    check_hours: bool,
) -> Rotation:
    """Keep the members who may take leads now; count the others by reason."""
    rotation = Rotation(team_id=team_id)
    for member in members:
        reason = SKIP_PAUSED if member.paused else None
        reason = reason or person_skip_reason(availability.get(member.user_id), check_hours)
        if reason is None and not member.has_room():
            reason = SKIP_OVER_CAPACITY
        if reason:
            rotation.skipped[reason] += 1
        else:
            rotation.members.append(member)
    return rotation


@dataclass
class Decision:
    """The outcome for one lead: a user (or None), the rule that chose, and its facts."""

    user_id: int | None
    rule: str
    team_id: int | None = None
    win_rate: float | None = None
    skipped: dict = field(default_factory=dict)  # reason -> count, when nobody could be chosen
    missing: str | None = None  # NO_TEAM / NO_MEMBERS


def decide(
    client_manager_id: int | None,
    talker_ids: Iterable[int],
    availability: dict[int, Availability],
    rotation: Rotation | None,
    excluded: Iterable[int] = (),
    allowed: Iterable[int] | None = None,
) -> Decision:
    """Apply the three rules in order for one lead.

    `talker_ids` are the managers who talked with the client, most recent first.
    `excluded` users are never chosen (e.g. the manager being deactivated).
    `allowed`, when given, are the only users who may be chosen (those allowed in the lead's
    company); None means everybody.
    """
    excluded = set(excluded)
    allowed = None if allowed is None else set(allowed)

    def eligible(user_id):
        return user_id not in excluded and (allowed is None or user_id in allowed)

    if (
        client_manager_id
        and eligible(client_manager_id)
        and person_skip_reason(availability.get(client_manager_id)) is None
    ):
        return Decision(client_manager_id, RULE_CLIENT_MANAGER)
    for user_id in talker_ids:
        if not eligible(user_id) or user_id == client_manager_id:
            continue
        if person_skip_reason(availability.get(user_id)) is None:
            return Decision(user_id, RULE_LAST_CONTACT)
    if rotation is None:
        return Decision(None, RULE_NONE, missing=NO_TEAM)
    if not rotation.members and not rotation.skipped:
        return Decision(None, RULE_NONE, team_id=rotation.team_id, missing=NO_MEMBERS)
    member = rotation.pick(allowed)
    if member is None:
        skipped = dict(rotation.exhausted(allowed))
        return Decision(None, RULE_NONE, team_id=rotation.team_id, skipped=skipped)
    return Decision(member.user_id, RULE_ROTATION, team_id=rotation.team_id, win_rate=member.win_rate)
