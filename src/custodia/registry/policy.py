"""The role policy: which roles may do what. The API's dependencies and the command line
read the same policy, so an operator at the command line, acting as a registered user, is
held to that user's role."""

from __future__ import annotations

from typing import NamedTuple

from custodia.errors import Forbidden
from custodia.registry.models import Role


class Policy(NamedTuple):
    action: str
    roles: tuple[Role, ...]

    def check(self, *, username: str, role: Role) -> None:
        """Refuse a user whose role may not do ``action``, saying which roles may."""
        if role not in self.roles:
            names = " or ".join(r.value for r in self.roles)
            raise Forbidden(
                f"{self.action} is for the role {names}; {username} has the role {role.value}"
            )


# A monitor reads everything and writes nothing, except that asking for a signed checkpoint
# is how a monitor reads the ledger's state.
ADMINISTER = Policy("administering organizations, users, tokens and facilities", (Role.ADMIN,))
ASSESS_THREAT = Policy("setting a facility's threat level", (Role.PLANNER, Role.ADMIN))
READ_AUDIT_LOG = Policy("reading the audit log", (Role.ADMIN, Role.MONITOR))
REQUEST_CHECKPOINT = Policy("requesting a signed checkpoint", (Role.ADMIN, Role.MONITOR))
ADJUDICATE_IDENTITY = Policy(
    "adjudicating identity candidates", (Role.ANALYST, Role.CUSTODY_OFFICER, Role.ADMIN)
)
# an analyst learns aliases from reports, a custody officer at interview
RECORD_NAMES = Policy(
    "recording a person's names learnt after registration",
    (Role.ANALYST, Role.CUSTODY_OFFICER, Role.ADMIN),
)
PLAN_TRANSFERS = Policy("planning transfers and recording assessments", (Role.PLANNER, Role.ADMIN))
ENROL_FINGERPRINTS = Policy("enrolling fingerprints", (Role.CUSTODY_OFFICER, Role.ADMIN))
SEARCH_FINGERPRINTS = Policy(
    "searching and verifying fingerprints",
    (Role.CUSTODY_OFFICER, Role.ANALYST, Role.PLANNER, Role.ADMIN),
)
READ_FINGER_IMAGES = Policy("reading raw finger images", (Role.CUSTODY_OFFICER, Role.ADMIN))
READ_FINGER_TEMPLATES = Policy(
    "reading fingerprint templates",
    (Role.CUSTODY_OFFICER, Role.ANALYST, Role.ADMIN, Role.MONITOR),
)
MANAGE_WATCHLISTS = Policy("importing watchlists and batch jobs", (Role.ANALYST, Role.ADMIN))
WRITE_CUSTODY = Policy(
    "recording persons, custody events, roll calls and their reconciliation",
    (Role.CUSTODY_OFFICER, Role.ADMIN),
)
