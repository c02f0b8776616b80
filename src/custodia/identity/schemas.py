"""Boundary models of the identity room (API bodies, service inputs and outputs)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Literal

from pydantic import BaseModel, Field

DecisionKind = Literal["same", "different", "unsure"]
MAX_NOTE = 4000  # a decision's note, whichever interface it comes through


class LaterName(BaseModel):
    """A name recorded after registration (an alias given at interview)."""

    name_id: int
    full_name: str
    kind: str
    recorded_at: dt.datetime
    recorded_by: str | None = Field(default=None, description="the user who recorded it")
    source: str
    withdrawn_at: dt.datetime | None = None
    withdrawn_by: str | None = Field(default=None, description="the user who withdrew it")
    withdrawal_reason: str | None = None


class PersonBrief(BaseModel):
    """What a reviewer needs to see of one side of a pair."""

    person_id: int
    survivor_id: int = Field(description="the identity this record is merged into (itself if none)")
    names: list[str] = Field(description="the names the record stands under (not withdrawn)")
    recorded_later: list[LaterName] = Field(
        default=[],
        description="the names recorded after registration, each with when, by whom and "
        "from what source, and any withdrawn since",
    )
    date_of_birth: str | None = None
    nationalities: list[str] = []
    mother_name: str | None = None
    place_of_birth: str | None = None
    sex: str | None = None
    category: str | None = None
    custody: str | None = Field(
        default=None,
        description="where the records say this record's person is: 'in custody at Derik "
        "Prison', 'in transit from … to …', 'released', 'not held', …",
    )


class WatchlistBrief(BaseModel):
    entry_id: int
    list_name: str
    reference: str
    name: str
    names: list[str]
    dates_of_birth: list[str] = []
    nationalities: list[str] = []
    # the list's other entries for the same individual (another sanctions regime)
    also_listed_as: list[str] = []
    # when the entry left its list (no longer screened)
    withdrawn_at: dt.datetime | None = None


class DecisionIn(BaseModel):
    decision: DecisionKind
    note: str = Field(default="", max_length=MAX_NOTE)


class SplitIn(BaseModel):
    note: str = Field(default="", max_length=MAX_NOTE)


class DecisionOut(BaseModel):
    id: int
    item_id: int
    decision: str
    note: str
    decided_by: int | None
    decided_by_username: str | None = Field(
        default=None, description="who decided; none only for a decision recorded without a user"
    )
    decided_at: dt.datetime


class ReviewItemOut(BaseModel):
    id: int
    kind: Literal["duplicate", "watchlist"]
    status: str
    score: float
    sources: list[str]
    evidence: dict[str, Any] = Field(description="evidence by source (names, biometrics, ...)")
    person_a: PersonBrief
    person_b: PersonBrief | None = None
    watchlist_entry: WatchlistBrief | None = None
    decisions: list[DecisionOut] = []
    created_at: dt.datetime
    updated_at: dt.datetime
    warnings: list[str] = Field(
        default_factory=list, description="what the decision just made did not settle"
    )


class Listing(BaseModel):
    """A listed individual a reviewer confirmed a record to be: a watchlist hit decided
    'same'."""

    item_id: int
    person_id: int = Field(description="the record the hit named")
    list_name: str
    reference: str
    name: str = Field(description="the listed individual's name as the list gives it")
    confirmed_at: dt.datetime
    confirmed_by: str | None = None
    withdrawn_at: dt.datetime | None = Field(
        default=None, description="when the entry left its list, if it has since"
    )


class IdentityOut(BaseModel):
    """Who a record really is: the identity it belongs to, every record merged into that
    identity, and every review item naming one of them (open ones first), with decisions."""

    person_id: int
    survivor_id: int = Field(description="the identity's surviving record")
    records: list[PersonBrief]
    listed_as: list[Listing] = Field(
        default=[],
        description="the listed individuals reviewers confirmed this identity to be",
    )
    review_items: list[ReviewItemOut]


class QueuePage(BaseModel):
    items: list[ReviewItemOut]
    total: int


class Candidate(BaseModel):
    person_id: int
    survivor_id: int
    score: float = Field(ge=0, le=1)
    names: list[str]
    date_of_birth: str | None = None
    nationalities: list[str] = []
    custody: str | None = Field(
        default=None, description="where custody holds this record now ('in custody at …')"
    )
    explanation: list[str] = Field(description="the evidence, one plain sentence each")


class SearchResult(BaseModel):
    query: str
    candidates: list[Candidate]
    behind_the_nom_de_guerre: list[Candidate] = Field(
        default_factory=list,
        description="for a name that is only a kunya or nom de guerre, given with a birth "
        "year: records sharing no name with it that its birth year, birthplace, "
        "nationality and mother's name make likely to be the man behind it (as intake "
        "weighs a new record), likeliest first; the score is that likelihood",
    )
    warnings: list[str] = Field(
        default_factory=list, description="what may make this result incomplete"
    )


class Comparison(BaseModel):
    name1: str
    name2: str
    score: float = Field(ge=0, le=1)
    match: bool
    threshold: float
    explanation: list[str]


class DedupeResult(BaseModel):
    records: int
    pairs_scored: int
    pairs_proposed: int
    # of those, a record known only by a nom de guerre and the man it is likeliest to be,
    # queued with its probability (from side.SIDE_THRESHOLD), not a name score
    nom_de_guerre_pairs: int = 0
    clusters: int
    seconds: float


class WatchlistImportResult(BaseModel):
    list_name: str
    individuals: int
    names: int
    replaced: int
    # entries of the list the file no longer holds: withdrawn, no longer screened
    withdrawn: int = 0
    # entries naming an individual the list names again under another regime
    listed_twice: int = 0


class WatchlistOut(BaseModel):
    """One loaded list: its name, how many individuals it lists, and when it was last
    imported."""

    list_name: str
    individuals: int
    imported_at: dt.datetime
    unscreened: int = Field(
        default=0,
        description="of its individuals, those new or changed since the last screening run: "
        "the next run screens every person against them",
    )


class ListedNameOut(BaseModel):
    name: str
    quality: str = Field(
        description="primary, original_script, good or low (a low-quality alias: the list "
        "itself doubts it)"
    )


class EntryHit(BaseModel):
    """A review item raised by a listed entry: the record it names, where custody holds it,
    and what the reviewers decided."""

    item_id: int
    person_id: int
    person_name: str
    custody: str | None = None
    status: str = Field(description="open, same, different or unsure")
    score: float


class ListedEntryOut(BaseModel):
    """One listed individual as the list gives it, and every review item naming it."""

    entry_id: int
    list_name: str
    reference: str
    list_type: str = ""
    name: str
    names: list[ListedNameOut]
    dates_of_birth: list[str] = []
    nationalities: list[str] = []
    places_of_birth: list[str] = []
    also_listed_as: list[str] = Field(
        default=[], description="the list's other entries for the same individual"
    )
    imported_at: dt.datetime
    withdrawn_at: dt.datetime | None = Field(
        default=None, description="when the entry left its list: no longer screened"
    )
    screened_at: dt.datetime | None = Field(
        default=None,
        description="when every person was last screened against the entry as it now reads "
        "(none: the next screening run does it)",
    )
    hits: list[EntryHit] = Field(
        default=[], description="review items naming this entry, the strongest first"
    )


class ListedCandidate(WatchlistBrief):
    """A listed individual a looked-up name may be."""

    score: float = Field(ge=0, le=1)
    would_be_a_hit: bool = Field(
        description="the score reaches the review threshold: screening would queue it"
    )
    explanation: list[str] = Field(description="the evidence, one plain sentence each")
    hits: list[EntryHit] = Field(default=[], description="review items this entry raised already")


class ListSearchResult(BaseModel):
    query: str
    candidates: list[ListedCandidate]
    threshold: float = Field(description="the review threshold screening queues hits from")
    warnings: list[str] = Field(
        default_factory=list, description="what may make this result incomplete"
    )


class WithdrawResult(BaseModel):
    list_name: str
    withdrawn: int  # entries no longer screened


class ScreenResult(BaseModel):
    persons: int
    entries: int = Field(description="listed entries screened against every person")
    already_screened: int = Field(
        default=0,
        description="entries left out: screened before as they now read (persons registered "
        "since were screened against them at intake); every=true screens them again",
    )
    hits: int
    proposed: int
    seconds: float


class PersonCheck(BaseModel):
    """One row of a checked file: the registry records and the listed individuals it may be."""

    row: int = Field(description="the row's number in the file, the header not counted")
    reference: str
    name: str
    registered: list[Candidate] = Field(
        description="registry identities it may be, from min_score up, best first (at most 3)"
    )
    behind_the_nom_de_guerre: list[Candidate] = Field(
        default=[],
        description="for a row known only by a kunya or nom de guerre, with a birth year: "
        "the registered men sharing no name with it that its other attributes make likely, "
        "weighed as intake weighs such a record, likeliest first, as a name search lists "
        "them (at most 3); the score is that likelihood",
    )
    listed: list[ListedCandidate] = Field(
        description="listed individuals it may be, from min_score up, best first (at most 3)"
    )


class CheckResult(BaseModel):
    """A file of people checked against the registry and the loaded watchlists, no one
    registered."""

    rows: int
    registered: int = Field(description="rows whose names match a registered person")
    may_stand_for: int = Field(
        default=0,
        description="rows known only by a nom de guerre with registered men it may stand for",
    )
    listed: int = Field(description="rows that may be a listed individual")
    min_score: float
    seconds: float
    people: list[PersonCheck]
    warnings: list[str] = Field(default_factory=list)

    def as_csv(self) -> str:
        """The answer for the partner who sent the file: a row for each of its rows."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CHECK_COLUMNS)
        for p in self.people:
            writer.writerow(
                (
                    p.row,
                    p.reference,
                    p.name,
                    ";".join(str(c.person_id) for c in p.registered),
                    ";".join(f"{c.score:.3f}" for c in p.registered),
                    ";".join(c.custody or "" for c in p.registered),
                    ";".join(str(c.person_id) for c in p.behind_the_nom_de_guerre),
                    ";".join(f"{c.score:.3f}" for c in p.behind_the_nom_de_guerre),
                    ";".join(f"{c.list_name} {c.reference}" for c in p.listed),
                    ";".join(f"{c.score:.3f}" for c in p.listed),
                )
            )
        return buffer.getvalue()


CHECK_COLUMNS = (
    *("row", "reference", "name"),
    *("registered_as", "registry_scores", "custody"),
    *("may_stand_for", "may_stand_for_scores", "listed_as", "list_scores"),
)


class HeldListed(BaseModel):
    """One identity confirmed to be a listed individual: where custody holds it."""

    survivor_id: int
    names: list[str]
    date_of_birth: str | None = None
    nationalities: list[str] = []
    custody: str | None = Field(default=None, description="where the records say he is")
    held: bool = Field(description="in custody or in transit between facilities")
    listed_as: list[Listing]


class HeldListedOut(BaseModel):
    """The identities confirmed to be listed individuals, those held first, and the hits
    still awaiting review."""

    persons: list[HeldListed]
    held: int = Field(description="of them, in custody or in transit")
    open_hits: int = Field(description="watchlist hits not decided yet")

    def as_csv(self) -> str:
        """A row per confirmed listing, for a spreadsheet or a sanctions report."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HELD_COLUMNS)
        for p in self.persons:
            for listing in p.listed_as:
                writer.writerow(
                    (
                        p.survivor_id,
                        "; ".join(p.names),
                        p.date_of_birth or "",
                        ";".join(p.nationalities),
                        p.custody or "",
                        "yes" if p.held else "no",
                        listing.list_name,
                        listing.reference,
                        listing.name,
                        listing.confirmed_at.strftime("%Y-%m-%d %H:%M"),
                        listing.confirmed_by or "",
                        listing.item_id,
                        listing.withdrawn_at.strftime("%Y-%m-%d") if listing.withdrawn_at else "",
                    )
                )
        return buffer.getvalue()


HELD_COLUMNS = (
    *("identity", "names", "date_of_birth", "nationality", "custody", "held"),
    *("list", "reference", "listed_name", "confirmed_at_utc", "confirmed_by", "review_item"),
    "withdrawn_from_list",
)


class ReviewPoint(BaseModel):
    start: dt.datetime = Field(description="the hour or day (UTC) the counts are of")
    raised_duplicates: int
    raised_hits: int
    settled: int = Field(
        description="items decided same or different in it, less those reopened as unsure"
    )
    backlog: int = Field(description="items raised and not settled at its end")


class ReviewProgress(BaseModel):
    """How identity review keeps up, hour by hour (a history under three days) or day by
    day."""

    bucket: Literal["hour", "day"]
    points: list[ReviewPoint]
