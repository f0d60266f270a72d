"""The congresses section's model: congresses, their agenda, motions, votes, elections and dissent.

``graph.sections["congresses"]`` is a :class:`Congresses`.  Every figure a page shows
is either read from a file (counts, candidates' votes) or computed here from those
figures (results, thresholds, composition shares), never both: the reader checks that
what a file *states* (``result:``, ``elected:``) equals what is computed.

Written by hand because no library models party congresses: the counting rules are
the statute's (see :data:`REQUIREMENTS`), and the Popolo standard this mirrors for
open data (``press_congress.opendata``) is a JSON vocabulary, not a library.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

# Vote options in the order pages, JSON and CSV list them (Popolo's "option" values,
# plus the congress's own "excused" and "invalid").
OPTIONS = ("yes", "no", "abstain", "absent", "excused", "invalid")
TAKING_PART = ("yes", "no", "abstain", "invalid")  # present for the quorum
BALLOTS = ("open", "secret", "roll-call")
RESULTS = ("adopted", "rejected", "no-quorum")
AMENDMENT_OUTCOMES = ("accepted", "withdrawn")  # an amendment settled without a vote
STATUSES = ("planned", "in-session", "concluded")
GENDERS = ("woman", "man", "other", "not-stated")
AGE_BANDS = ("under-35", "35-54", "55-plus", "not-stated")


@dataclass(frozen=True)
class Requirement:
    """What a motion needs: at least ``share`` of ``base`` voting yes (more than, when ``strict``)."""

    key: str
    share: Fraction
    base: str  # "cast" (yes + no; abstentions do not count) or "accredited"
    strict: bool  # True: more than the share (a majority); False: at least (two thirds)

    def needed(self, counts: Counts, accredited: int) -> int:
        """The fewest yes votes that carry the motion."""
        base = counts.cast if self.base == "cast" else accredited
        if self.strict:
            return math.floor(self.share * base) + 1
        return max(1, math.ceil(self.share * base))

    def base_of(self, counts: Counts, accredited: int) -> int:
        return counts.cast if self.base == "cast" else accredited


REQUIREMENTS = {
    requirement.key: requirement
    for requirement in (
        Requirement("simple-majority", Fraction(1, 2), "cast", True),
        Requirement("two-thirds", Fraction(2, 3), "cast", False),
        Requirement("absolute-majority", Fraction(1, 2), "accredited", True),
        Requirement("two-thirds-of-accredited", Fraction(2, 3), "accredited", False),
    )
}


@dataclass
class Localized:
    """One text in several languages: the source as written and its sanitised HTML."""

    source: dict[str, str]  # lang -> text as written (Markdown or plain)
    html: dict[str, str]  # lang -> sanitised HTML (bidi-isolated in RTL languages)

    def has(self, lang: str) -> bool:
        return lang in self.html

    def pick(self, lang: str, default_lang: str) -> tuple[str, str]:
        """``(language used, html)``: ``lang`` if written in it, else the default, else any."""
        for code in (lang, default_lang, *self.html):
            if code in self.html:
                return code, self.html[code]
        return lang, ""

    def plain(self, lang: str, default_lang: str) -> str:
        for code in (lang, default_lang, *self.source):
            if code in self.source:
                return self.source[code]
        return ""


@dataclass
class Proposer:
    """Who proposes a motion or amendment, or dissents: a bloc, a body of the party, or delegates."""

    bloc: str | None = None
    body: Localized | None = None
    delegates: list[str] = field(default_factory=list)  # person keys

    @property
    def kind(self) -> str:
        return "bloc" if self.bloc else "body" if self.body else "delegates"

    @property
    def popolo_id(self) -> str | None:
        return f"bloc-{self.bloc}" if self.bloc else None


@dataclass
class Counts:
    yes: int
    no: int
    abstain: int
    absent: int | None = None
    excused: int | None = None
    invalid: int | None = None

    def get(self, option: str) -> int | None:
        return getattr(self, option)

    def used(self) -> list[tuple[str, int]]:
        """``(option, count)`` for every option the file gives, in :data:`OPTIONS` order."""
        return [(option, value) for option in OPTIONS if (value := self.get(option)) is not None]

    @property
    def cast(self) -> int:
        return self.yes + self.no

    @property
    def present(self) -> int:
        return sum(self.get(option) or 0 for option in TAKING_PART)

    @property
    def total(self) -> int:
        return sum(value for _, value in self.used())


@dataclass
class GroupCounts:
    bloc: str
    counts: Counts


@dataclass
class Session:
    id: str
    start: dt.datetime
    end: dt.datetime
    accredited: int
    recording: str | None = None  # the party's own recording of this session
    recording_start: dt.datetime | None = None  # when the recording begins (default: start)

    def recording_at(self, when: dt.datetime | None) -> str | None:
        """The recording at ``when``: a W3C Media Fragment (``#t=<seconds>``)."""
        if not self.recording or when is None:
            return None
        seconds = int((when - (self.recording_start or self.start)).total_seconds())
        return f"{self.recording.split('#', 1)[0]}#t={max(seconds, 0)}"


@dataclass
class VoteEvent:
    id: str  # unique in the congress: the motion id, or "<motion>-<amendment>"
    ballot: str  # one of BALLOTS
    session: Session
    at: dt.datetime | None
    counts: Counts
    requirement: Requirement
    quorum: Fraction
    stated: str  # the result the file states
    by_bloc: list[GroupCounts] = field(default_factory=list)
    roll_call: dict[str, list[str]] | None = None  # option -> person keys
    roll_call_complete: bool = False
    source: str = ""
    line: int = 1

    @property
    def accredited(self) -> int:
        return self.session.accredited

    @property
    def quorum_needed(self) -> int:
        return max(1, math.ceil(self.quorum * self.accredited))

    @property
    def has_quorum(self) -> bool:
        return self.counts.present >= self.quorum_needed

    @property
    def needed(self) -> int:
        return self.requirement.needed(self.counts, self.accredited)

    @property
    def base(self) -> int:
        return self.requirement.base_of(self.counts, self.accredited)

    @property
    def result(self) -> str:
        """Recomputed from the counts, the requirement and the quorum — never read from the file."""
        if not self.has_quorum:
            return "no-quorum"
        return "adopted" if self.counts.yes >= self.needed else "rejected"

    @property
    def date(self) -> dt.datetime:
        return self.at or self.session.end


@dataclass
class Dissent:
    id: str
    by: Proposer
    text: Localized
    target: str  # "motion" | "resolution"
    target_id: str
    source: str = ""
    line: int = 1


@dataclass
class Resolution:
    id: str
    title: Localized
    text: Localized
    motion: Motion | None = None
    dissents: list[Dissent] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.motion.congress.number}/{self.id}"

    @property
    def page_id(self) -> str:
        return f"resolution:{self.ref}"

    def path(self, lang: str) -> str:
        return f"{lang}/congresses/{self.motion.congress.number}/resolutions/{self.id}/index.html"


@dataclass
class Amendment:
    id: str
    proposer: Proposer
    text: Localized
    vote: VoteEvent | None = None
    outcome: str | None = None  # without a vote: "accepted" or "withdrawn"

    @property
    def result(self) -> str:
        return self.vote.result if self.vote else self.outcome or ""


@dataclass
class Motion:
    id: str
    congress: Congress
    agenda: str
    title: Localized
    text: Localized
    proposer: Proposer
    requirement: Requirement
    vote: VoteEvent | None = None
    amendments: list[Amendment] = field(default_factory=list)
    resolution: Resolution | None = None
    dissents: list[Dissent] = field(default_factory=list)  # dissent on the motion itself
    source: str = ""
    line: int = 1

    @property
    def ref(self) -> str:
        return f"{self.congress.number}/{self.id}"

    @property
    def page_id(self) -> str:
        return f"motion:{self.ref}"

    def path(self, lang: str) -> str:
        return f"{lang}/congresses/{self.congress.number}/motions/{self.id}/index.html"

    @property
    def date(self) -> dt.datetime:
        return self.vote.date if self.vote else self.congress.end

    def vote_events(self) -> list[tuple[str, VoteEvent]]:
        """``(what, vote)`` for the amendments' votes and then the motion's own."""
        found = [(f"amendment {a.id}", a.vote) for a in self.amendments if a.vote]
        return [*found, ("motion", self.vote)] if self.vote else found


@dataclass
class Candidate:
    person: str
    votes: int
    elected: bool
    gender: str = "not-stated"
    age: str = "not-stated"
    prior_terms: int = 0


@dataclass
class Composition:
    """The facts about an elected body that the statute makes promises about."""

    members: int
    women: int
    under_35: int
    over_limit: list[Candidate]  # members whose new term exceeds the term limit
    term_limit: int

    @property
    def women_share(self) -> Fraction:
        return Fraction(self.women, self.members) if self.members else Fraction(0)

    @property
    def under_35_share(self) -> Fraction:
        return Fraction(self.under_35, self.members) if self.members else Fraction(0)


@dataclass
class Election:
    id: str
    body: Localized
    seats: int
    agenda: str
    session: Session
    ballots: int
    valid: int
    invalid: int
    candidates: list[Candidate]  # most votes first (ties by key)
    source: str = ""
    line: int = 1

    @property
    def elected(self) -> list[Candidate]:
        return [candidate for candidate in self.candidates if candidate.elected]

    def composition(self, term_limit: int) -> Composition:
        members = self.elected
        return Composition(
            members=len(members),
            women=sum(1 for c in members if c.gender == "woman"),
            under_35=sum(1 for c in members if c.age == "under-35"),
            over_limit=[c for c in members if c.prior_terms >= term_limit],
            term_limit=term_limit,
        )


@dataclass
class AgendaItem:
    id: str
    order: int
    title: Localized
    session: Session
    at: dt.datetime | None = None
    minutes: dict[str, str] = field(default_factory=dict)  # lang -> sanitised HTML of its part
    motions: list[Motion] = field(default_factory=list)
    elections: list[Election] = field(default_factory=list)

    @property
    def recording(self) -> str | None:
        return self.session.recording_at(self.at)


@dataclass
class Link:
    title: Localized
    url: str


@dataclass
class Congress:
    number: int
    name: Localized
    status: str
    place: Localized | None
    online: bool
    eligible: int
    delegates: int  # accredited at the opening
    quorum: Fraction
    sessions: list[Session]
    livestream: str | None
    documents: list[Link]
    agenda: list[AgendaItem] = field(default_factory=list)  # in order
    motions: list[Motion] = field(default_factory=list)
    elections: list[Election] = field(default_factory=list)
    minutes_preamble: dict[str, str] = field(default_factory=dict)  # lang -> HTML before the first part
    minutes_sources: dict[str, str] = field(default_factory=dict)  # lang -> repository path
    sources: list[str] = field(default_factory=list)  # repository paths of its data files

    @property
    def page_id(self) -> str:
        return f"congress:{self.number}"

    def path(self, lang: str) -> str:
        return f"{lang}/congresses/{self.number}/index.html"

    @property
    def data_folder(self) -> str:
        return f"congresses/{self.number}"

    @property
    def json_path(self) -> str:
        return f"{self.data_folder}/congress-{self.number}.popolo.json"

    @property
    def csv_path(self) -> str:
        return f"{self.data_folder}/congress-{self.number}-votes.csv"

    @property
    def start(self) -> dt.datetime:
        return min(session.start for session in self.sessions)

    @property
    def end(self) -> dt.datetime:
        return max(session.end for session in self.sessions)

    @property
    def resolutions(self) -> list[Resolution]:
        return [motion.resolution for motion in self.motions if motion.resolution]

    def motion(self, motion_id: str) -> Motion | None:
        return next((m for m in self.motions if m.id == motion_id), None)


@dataclass
class Congresses:
    """``graph.sections["congresses"]``: every congress, newest first."""

    congresses: list[Congress]
    term_limit: int
    default_lang: str

    def by_number(self, number: int) -> Congress | None:
        return next((c for c in self.congresses if c.number == number), None)

    def motion(self, ref: str) -> Motion | None:
        """``"<congress-number>/<motion-id>"`` → the motion, or None."""
        number, _, motion_id = ref.partition("/")
        congress = self.by_number(int(number)) if number.isdigit() else None
        return congress.motion(motion_id) if congress else None
