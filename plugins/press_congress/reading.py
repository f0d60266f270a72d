"""Reads and validates ``content/congresses/<number>/`` into :class:`~press_congress.model.Congresses`.

One folder per congress (docs/CONGRESS.md): ``congress.yml`` (facts, sessions, agenda),
``motions.yml`` (motions, amendments, votes, resolutions, dissenting opinions),
``elections.yml`` and ``minutes.<lang>.md``.  Every problem is reported as
``path:line: what — fix`` in the one problem list of the content read; results and
the elected are recomputed and compared with what the files state.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

from press_core.markup import has_remote_resource, plain_inline
from press_core.problems import setting_line
from press_core.yamlfile import LineDict, load_data_file

from .model import (
    AGE_BANDS,
    AMENDMENT_OUTCOMES,
    BALLOTS,
    GENDERS,
    OPTIONS,
    REQUIREMENTS,
    RESULTS,
    STATUSES,
    AgendaItem,
    Amendment,
    Candidate,
    Congress,
    Congresses,
    Counts,
    Dissent,
    Election,
    GroupCounts,
    Link,
    Localized,
    Motion,
    Proposer,
    Resolution,
    Session,
    VoteEvent,
)

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBER = re.compile(r"^[1-9][0-9]*$")
MINUTES = re.compile(r"^minutes\.(?P<lang>[^.]+)\.md$")
MINUTES_PART = re.compile(r"^##\s+(?P<id>\S+)\s*$")
DATA_FILES = ("congress.yml", "motions.yml", "elections.yml")
DEFAULT_TERM_LIMIT = 2
WHEN = 'write it as "YYYY-MM-DD HH:MM" (site time zone)'

CONGRESS_FIELDS = {
    "number", "name", "status", "place", "online", "eligible_members", "delegates", "quorum",
    "sessions", "livestream", "documents", "agenda",
}  # fmt: skip
SESSION_FIELDS = {"id", "start", "end", "accredited", "recording", "recording_start"}
AGENDA_FIELDS = {"id", "order", "title", "session", "at"}
MOTION_FIELDS = {
    "id", "agenda", "title", "text", "proposer", "requirement", "amendments", "vote", "resolution",
}  # fmt: skip
AMENDMENT_FIELDS = {"id", "proposer", "text", "requirement", "vote", "outcome"}
VOTE_FIELDS = {"ballot", "session", "at", "counts", "result", "by_bloc", "roll_call"}
DISSENT_FIELDS = {"id", "by", "text", "motion", "resolution"}
ELECTION_FIELDS = {"id", "body", "seats", "agenda", "session", "ballots", "valid", "invalid", "candidates"}
CANDIDATE_FIELDS = {"person", "votes", "elected", "gender", "age", "prior_terms"}


def options(mapping: LineDict) -> LineDict:
    """``mapping`` with YAML 1.1's booleans turned back into the options ``yes`` and ``no``.

    PyYAML reads an unquoted ``yes:``/``no:`` key as true/false; editors should not have to quote them.
    """
    found = LineDict()
    found.line, found.lines = mapping.line, {}
    for key, value in mapping.items():
        name = {True: "yes", False: "no"}.get(key, key) if isinstance(key, bool) else key
        found[name] = value
        found.lines[name] = mapping.line_of(key)
    return found


def term_limit_of(reader) -> int:
    value = reader.settings.get("CONGRESS_TERM_LIMIT", DEFAULT_TERM_LIMIT)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    path, line = setting_line(reader.settings, "CONGRESS_TERM_LIMIT")
    reader.problems.add(
        reader.content.parent / path,
        line,
        f"CONGRESS_TERM_LIMIT {value!r} is not a positive whole number",
        "write the statute's limit of consecutive terms, e.g. CONGRESS_TERM_LIMIT = 2",
    )
    return DEFAULT_TERM_LIMIT


def read(reader, graph) -> Congresses:
    """The ``register_section`` reader: every congress folder, then the official line's citations."""
    term_limit = term_limit_of(reader)
    blocs = graph.sections.get("blocs")
    folder = reader.content / "congresses"
    congresses = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if not path.is_dir() or not NUMBER.match(path.name):
                reader.problems.add(
                    path, 1, "not a congress folder", "name each folder by the congress number, e.g. 3/"
                )
                continue
            congress = CongressReader(reader, graph, blocs, path).read()
            if congress is not None:
                congresses.append(congress)
    section = Congresses(sorted(congresses, key=lambda c: -c.number), term_limit, reader.default_lang)
    for ref, source, line in getattr(blocs, "official_motions", None) or []:
        if section.motion(str(ref)) is None:
            reader.problems.add(
                source,
                line,
                f"motion '{ref}' is not a motion of any congress",
                "cite it as <congress-number>/<motion-id>, an id from content/congresses/<n>/motions.yml",
            )
    return section


class CongressReader:
    """One congress folder; ``self.add`` records a problem in the file being read."""

    def __init__(self, reader, graph, blocs, folder: Path):
        self.reader, self.graph, self.blocs, self.folder = reader, graph, blocs, folder
        self.path = folder / "congress.yml"
        self.sessions: dict[str, Session] = {}
        self.agenda: dict[str, AgendaItem] = {}

    # -- reporting and small fields ---------------------------------------------------------
    def add(self, line, what: str, fix: str) -> None:
        self.reader.problems.add(self.path, line, what, fix)

    def known_fields(self, mapping: LineDict, allowed: set[str], what: str) -> None:
        for name in mapping:
            if name not in allowed:
                self.add(
                    mapping.line_of(name),
                    f"unknown field '{name}' in {what}",
                    f"use one of: {', '.join(sorted(allowed))} (docs/CONGRESS.md)",
                )

    def mapping(self, value, line: int, what: str, example: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.add(line, f"{what} is not a mapping", f"write it as {example}")
        return None

    def entries(self, mapping: LineDict, key: str, what: str) -> list[LineDict]:
        """The list under ``key`` (may be missing); each entry must be a mapping."""
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(mapping.line_of(key), f"'{key}' is not a list", f"write each {what} as a `- ` entry")
            return []
        found = []
        for entry in value:
            if isinstance(entry, LineDict):
                found.append(entry)
            else:
                self.add(mapping.line_of(key), f"{what} {entry!r} is not a mapping", "see docs/CONGRESS.md")
        return found

    def ident(self, mapping: LineDict, key: str, what: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            self.add(mapping.line, f"{what} without '{key}'", f"add `{key}: …` (lowercase a-z, 0-9, -)")
            return None
        if not isinstance(value, str) or not ID.match(value):
            self.add(
                mapping.line_of(key), f"{what} {key} {value!r} is not valid", "use lowercase a-z, 0-9, -"
            )
            return None
        return value

    def integer(self, mapping: LineDict, key: str, what: str, required: bool = True) -> int | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.add(mapping.line, f"{what} without '{key}'", f"add `{key}: <whole number>`")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add(mapping.line_of(key), f"{key} {value!r} is not a whole number", "write e.g. 0 or 12")
            return None
        return value

    def choice(self, mapping: LineDict, key: str, choices, default=None) -> str | None:
        value = mapping.get(key, default)
        if value is None:
            self.add(mapping.line, f"missing '{key}'", f"add `{key}:` one of {', '.join(choices)}")
            return None
        if value not in choices:
            self.add(mapping.line_of(key), f"unknown {key} {value!r}", f"use one of: {', '.join(choices)}")
            return None
        return value

    def when(self, mapping: LineDict, key: str, required: bool = True):
        if key not in mapping:
            if required:
                self.add(mapping.line, f"missing '{key}'", f"add `{key}:` and {WHEN}")
            return None
        if not isinstance(mapping[key], str) or ":" not in mapping[key]:
            self.add(mapping.line_of(key), f"{key} {mapping[key]!r} has no time of day", WHEN)
            return None
        return self.reader.parse_date(self.path, mapping, key)

    def url(self, mapping: LineDict, key: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+\S*$", value):
            self.add(
                mapping.line_of(key),
                f"{key} {value!r} is not a web address",
                "give the party's own https:// address of the recording or document",
            )
            return None
        return value

    def text(self, mapping: LineDict, key: str, what: str, markdown: bool, required: bool = True):
        value = mapping.get(key)
        if value is None:
            if required:
                self.add(
                    mapping.line, f"{what} without '{key}'", f"add `{key}:` with a text per language code"
                )
            return None
        if isinstance(value, str) or not isinstance(value, LineDict) or not value:
            self.add(
                mapping.line_of(key),
                f"{what} {key} is not a mapping of language code → text",
                f"write `{key}:` then lines such as `  en: …` ({self.reader.known_codes()})",
            )
            return None
        source, html = {}, {}
        for code, text in value.items():
            if code not in self.reader.languages:
                self.add(
                    value.line_of(code),
                    f"unknown language code '{code}'",
                    f"use one of {self.reader.known_codes()}",
                )
                continue
            if not isinstance(text, str | int) or not str(text).strip():
                self.add(
                    value.line_of(code),
                    f"empty {code} text of {what} {key}",
                    "write the text or remove the line",
                )
                continue
            text = str(text).strip()
            rtl = self.reader.languages[code].is_rtl
            rendered = self.reader.markdown.render(text, rtl) if markdown else plain_inline(text, rtl)
            if markdown and has_remote_resource(rendered):
                self.add(
                    value.line_of(code),
                    "an image is loaded from another host",
                    "add the image file to content/media/ and link it with a relative path",
                )
            source[code], html[code] = text, rendered
        return Localized(source, html) if html else None

    def person(self, key, line: int) -> str | None:
        if key not in self.graph.people:
            self.add(
                line, f"unknown person '{key}'", "use a key from content/people.yml or add the person there"
            )
            return None
        return key

    def bloc(self, key, line: int) -> str | None:
        known = getattr(self.blocs, "blocs", self.blocs)
        if known is not None and key not in known:
            choices = ", ".join(known) or "none defined"
            self.add(line, f"unknown bloc '{key}'", f"use a bloc id from content/blocs/ ({choices})")
            return None
        return key

    def session(self, mapping: LineDict, what: str) -> Session | None:
        key = mapping.get("session")
        if key is None:
            if len(self.sessions) == 1:
                return next(iter(self.sessions.values()))
            self.add(
                mapping.line, f"{what} without 'session'", f"add `session:` one of {', '.join(self.sessions)}"
            )
            return None
        if key not in self.sessions:
            self.add(
                mapping.line_of("session"),
                f"unknown session '{key}'",
                f"use a session id from congress.yml ({', '.join(self.sessions) or 'none defined'})",
            )
            return None
        return self.sessions[key]

    def inside(self, mapping: LineDict, key: str, session: Session, what: str):
        """The timestamp ``key`` of ``mapping``, which must fall inside ``session``."""
        when = self.when(mapping, key, required=False)
        if when is not None and not session.start <= when <= session.end:
            self.add(
                mapping.line_of(key),
                f"{what} at {when:%Y-%m-%d %H:%M} is outside session '{session.id}' "
                f"({session.start:%Y-%m-%d %H:%M}–{session.end:%H:%M})",
                "check the time, or name the right `session:`",
            )
            return None
        return when

    # -- congress.yml -----------------------------------------------------------------------
    def read(self) -> Congress | None:
        if not self.path.is_file():
            self.add(1, "congress folder without congress.yml", "add congress.yml (docs/CONGRESS.md)")
            return None
        data = load_data_file(self.path, self.reader.problems)
        if data is None:
            return None
        self.known_fields(data, CONGRESS_FIELDS, "congress.yml")
        number = data.get("number")
        if number != int(self.folder.name):
            self.add(
                data.line_of("number"),
                f"number {number!r} does not match the folder {self.folder.name}/",
                f"write `number: {int(self.folder.name)}` or rename the folder",
            )
        quorum = self.quorum(data)
        for entry in self.entries(data, "sessions", "session"):
            self.read_session(entry, data)
        if not self.sessions:
            self.add(
                data.line_of("sessions"),
                "congress without sessions",
                "list its `sessions:` (docs/CONGRESS.md)",
            )
            return None
        online = data.get("online", False)
        if not isinstance(online, bool):
            self.add(data.line_of("online"), "online must be true or false", "write true or false")
        place = self.text(data, "place", "congress", markdown=False, required=not online)
        documents = []
        for entry in self.entries(data, "documents", "document"):
            self.known_fields(entry, {"title", "url"}, "a document")
            title, url = self.text(entry, "title", "document", markdown=False), self.url(entry, "url")
            if url is None and "url" not in entry:
                self.add(entry.line, "document without 'url'", "add `url: https://…`")
            if title and url:
                documents.append(Link(title, url))
        congress = Congress(
            number=int(self.folder.name),
            name=self.text(data, "name", "congress", markdown=False) or Localized({}, {}),
            status=self.choice(data, "status", STATUSES) or "planned",
            place=place,
            online=online is True,
            eligible=self.integer(data, "eligible_members", "congress") or 0,
            delegates=self.integer(data, "delegates", "congress") or 0,
            quorum=quorum,
            sessions=list(self.sessions.values()),
            livestream=self.url(data, "livestream"),
            documents=documents,
            sources=[self.reader.problems.display_path(self.path)],
        )
        if congress.delegates > congress.eligible > 0:
            self.add(
                data.line_of("delegates"),
                f"{congress.delegates} accredited delegates but only {congress.eligible} eligible members",
                "check both figures",
            )
        self.read_agenda(data, congress)
        self.read_motions(congress)
        self.read_elections(congress)
        self.read_minutes(congress)
        return congress

    def quorum(self, data: LineDict) -> Fraction:
        value = data.get("quorum", "1/2")
        try:
            quorum = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            quorum = None
        if quorum is None or not 0 < quorum <= 1:
            self.add(
                data.line_of("quorum"),
                f"quorum {value!r} is not a share of the accredited delegates",
                'write a fraction such as "1/2" or "2/3"',
            )
            return Fraction(1, 2)
        return quorum

    def read_session(self, entry: LineDict, data: LineDict) -> None:
        self.known_fields(entry, SESSION_FIELDS, "a session")
        key = self.ident(entry, "id", "session")
        start, end = self.when(entry, "start"), self.when(entry, "end")
        accredited = self.integer(entry, "accredited", "session", required=False)
        if accredited is None:
            accredited = data.get("delegates") if isinstance(data.get("delegates"), int) else 0
        if key in self.sessions:
            self.add(entry.line_of("id"), f"session '{key}' is listed twice", "give each session its own id")
            return
        if start and end and end <= start:
            self.add(entry.line_of("end"), "the session ends before it starts", "check start and end")
            return
        if key and start and end:
            recording_start = self.when(entry, "recording_start", required=False)
            self.sessions[key] = Session(
                key, start, end, accredited, self.url(entry, "recording"), recording_start
            )

    def read_agenda(self, data: LineDict, congress: Congress) -> None:
        orders: dict[int, str] = {}
        for entry in self.entries(data, "agenda", "agenda item"):
            self.known_fields(entry, AGENDA_FIELDS, "an agenda item")
            key = self.ident(entry, "id", "agenda item")
            order = self.integer(entry, "order", "agenda item")
            title = self.text(entry, "title", "agenda item", markdown=False)
            session = self.session(entry, "agenda item")
            if key in self.agenda:
                self.add(
                    entry.line_of("id"), f"agenda item '{key}' is listed twice", "give each item its own id"
                )
                continue
            if order is not None and order in orders:
                self.add(
                    entry.line_of("order"),
                    f"agenda order {order} is used twice ('{orders[order]}' and '{key}')",
                    "give each agenda item its own order number",
                )
            if key is None or order is None or title is None or session is None:
                continue
            orders.setdefault(order, key)
            at = self.inside(entry, "at", session, f"agenda item '{key}'")
            self.agenda[key] = AgendaItem(key, order, title, session, at)
        congress.agenda = sorted(self.agenda.values(), key=lambda item: item.order)

    # -- motions.yml ------------------------------------------------------------------------
    def read_motions(self, congress: Congress) -> None:
        self.path = self.folder / "motions.yml"
        if not self.path.is_file():
            return
        data = load_data_file(self.path, self.reader.problems)
        if data is None:
            return
        congress.sources.append(self.reader.problems.display_path(self.path))
        self.known_fields(data, {"motions", "dissents"}, "motions.yml")
        seen_votes: set[str] = set()
        resolutions: dict[str, Resolution] = {}
        for entry in self.entries(data, "motions", "motion"):
            motion = self.read_motion(entry, congress)
            if motion is None:
                continue
            if congress.motion(motion.id):
                self.add(
                    entry.line_of("id"),
                    f"motion '{motion.id}' is listed twice",
                    "give each motion its own id",
                )
                continue
            for _, vote in motion.vote_events():
                if vote.id in seen_votes:
                    self.add(
                        vote.line, f"vote '{vote.id}' is recorded twice", "give each amendment its own id"
                    )
                seen_votes.add(vote.id)
            if motion.resolution:
                if motion.resolution.id in resolutions:
                    self.add(
                        entry.line_of("resolution"),
                        f"resolution '{motion.resolution.id}' is listed twice",
                        "give each resolution its own id",
                    )
                resolutions[motion.resolution.id] = motion.resolution
            congress.motions.append(motion)
            self.agenda[motion.agenda].motions.append(motion)
        for entry in self.entries(data, "dissents", "dissenting opinion"):
            self.read_dissent(entry, congress, resolutions)

    def proposer(self, mapping: LineDict, key: str, what: str) -> Proposer | None:
        value = mapping.get(key)
        example = (
            f"`{key}:` with one of `bloc: <id>`, `body: <name per language>` or `delegates: [<person>, …]`"
        )
        if (
            not isinstance(value, LineDict)
            or len(value) != 1
            or next(iter(value)) not in ("bloc", "body", "delegates")
        ):
            self.add(
                mapping.line_of(key),
                f"{what} needs one {key}: a bloc, a body or delegates",
                f"write {example}",
            )
            return None
        kind, given = next(iter(value.items()))
        line = value.line_of(kind)
        if kind == "bloc":
            bloc = self.bloc(given, line)
            return Proposer(bloc=bloc) if bloc else None
        if kind == "body":
            bodies = getattr(self.blocs, "bodies", None) or {}
            if isinstance(given, str) and given in bodies:
                body = bodies[given]
                return Proposer(body=Localized(dict(body.names), dict(body.names_html)))
            body = self.text(value, "body", what, markdown=False)
            return Proposer(body=body) if body else None
        if not isinstance(given, list) or not given:
            self.add(line, f"{what}: delegates is not a list of people", "write `delegates: [person-key, …]`")
            return None
        people = [self.person(person, line) for person in given]
        return Proposer(delegates=[p for p in people if p]) if all(people) else None

    def requirement(self, mapping: LineDict, default: str | None = None):
        key = mapping.get("requirement", default)
        if key not in REQUIREMENTS:
            self.add(
                mapping.line_of("requirement"),
                f"unknown requirement {key!r}" if key else "motion without 'requirement'",
                f"use one of: {', '.join(REQUIREMENTS)}",
            )
            return None
        return REQUIREMENTS[key]

    def read_motion(self, entry: LineDict, congress: Congress) -> Motion | None:
        self.known_fields(entry, MOTION_FIELDS, "a motion")
        key = self.ident(entry, "id", "motion")
        agenda = entry.get("agenda")
        if agenda not in self.agenda:
            self.add(
                entry.line_of("agenda"),
                f"motion '{key}' names agenda item {agenda!r}, which congress.yml does not list",
                f"use one of: {', '.join(self.agenda)}",
            )
        title = self.text(entry, "title", "motion", markdown=False)
        text = self.text(entry, "text", "motion", markdown=True)
        proposer = self.proposer(entry, "proposer", "motion")
        requirement = self.requirement(entry)
        if None in (key, title, text, proposer, requirement) or agenda not in self.agenda:
            return None
        motion = Motion(
            key, congress, agenda, title, text, proposer, requirement,
            source=self.reader.problems.display_path(self.path), line=entry.line,
        )  # fmt: skip
        amendment_ids = set()
        for item in self.entries(entry, "amendments", "amendment"):
            amendment = self.read_amendment(item, motion)
            if amendment and amendment.id in amendment_ids:
                self.add(
                    item.line_of("id"), f"amendment '{amendment.id}' is listed twice", "give each its own id"
                )
            elif amendment:
                amendment_ids.add(amendment.id)
                motion.amendments.append(amendment)
        if "vote" in entry:
            vote = self.mapping(
                entry["vote"], entry.line_of("vote"), "vote", "`vote:` with ballot, counts, result"
            )
            motion.vote = self.read_vote(vote, key, requirement, congress) if vote else None
        if "resolution" in entry:
            motion.resolution = self.read_resolution(entry, motion)
        return motion

    def read_amendment(self, item: LineDict, motion: Motion) -> Amendment | None:
        self.known_fields(item, AMENDMENT_FIELDS, "an amendment")
        key = self.ident(item, "id", "amendment")
        proposer = self.proposer(item, "proposer", "amendment")
        text = self.text(item, "text", "amendment", markdown=True)
        if None in (key, proposer, text):
            return None
        amendment = Amendment(key, proposer, text)
        if "vote" in item:
            requirement = self.requirement(item, "simple-majority")
            vote = self.mapping(
                item["vote"], item.line_of("vote"), "vote", "`vote:` with ballot, counts, result"
            )
            if vote and requirement:
                amendment.vote = self.read_vote(vote, f"{motion.id}-{key}", requirement, motion.congress)
        else:
            amendment.outcome = self.choice(item, "outcome", AMENDMENT_OUTCOMES)
        return amendment

    def read_vote(self, vote: LineDict, vote_id: str, requirement, congress: Congress) -> VoteEvent | None:
        self.known_fields(vote, VOTE_FIELDS, "a vote")
        ballot = self.choice(vote, "ballot", BALLOTS)
        session = self.session(vote, "vote")
        counts = self.counts(vote.get("counts"), vote.line_of("counts"))
        stated = self.choice(vote, "result", RESULTS)
        if None in (ballot, session, counts, stated):
            return None
        event = VoteEvent(
            vote_id, ballot, session, self.inside(vote, "at", session, f"vote '{vote_id}'"),
            counts, requirement, congress.quorum, stated,
            source=self.reader.problems.display_path(self.path), line=vote.line,
        )  # fmt: skip
        if counts.total > session.accredited:
            self.add(
                vote.line_of("counts"),
                f"vote '{vote_id}' counts {counts.total} votes, more than the {session.accredited} "
                f"accredited delegates of session '{session.id}'",
                "check the counts, or the session's `accredited:`",
            )
        if "by_bloc" in vote:
            event.by_bloc = sorted(self.by_bloc(vote, counts, vote_id), key=lambda group: group.bloc)
        if "roll_call" in vote:
            self.roll_call(vote, event)
        elif ballot == "roll-call":
            self.add(
                vote.line_of("ballot"),
                f"roll-call vote '{vote_id}' without names",
                "add `roll_call:` (docs/CONGRESS.md)",
            )
        if stated != event.result:
            self.add(
                vote.line_of("result"),
                f"vote '{vote_id}' states '{stated}' but the counts give '{event.result}' "
                f"({self.explain(event)})",
                "check the counts, the requirement and the stated result",
            )
        return event

    @staticmethod
    def explain(event: VoteEvent) -> str:
        if not event.has_quorum:
            return f"{event.counts.present} present, quorum {event.quorum_needed}"
        return f"{event.counts.yes} yes, {event.requirement.key} needs {event.needed}"

    def counts(self, value, line: int) -> Counts | None:
        counts = self.mapping(value, line, "counts", "`counts: {yes: 120, no: 30, abstain: 5}`")
        if counts is None:
            return None
        counts = options(counts)
        self.known_fields(counts, set(OPTIONS), "counts")
        figures = {
            option: self.integer(counts, option, "counts", option in ("yes", "no", "abstain"))
            for option in OPTIONS
        }
        if any(figures[option] is None for option in ("yes", "no", "abstain")):
            return None
        return Counts(**figures)

    def by_bloc(self, vote: LineDict, counts: Counts, vote_id: str) -> list[GroupCounts]:
        groups = self.mapping(
            vote["by_bloc"], vote.line_of("by_bloc"), "by_bloc", "`by_bloc:` bloc id → counts"
        )
        if groups is None:
            return []
        found = []
        for bloc, value in groups.items():
            line = groups.line_of(bloc)
            part = self.counts(value, line)
            if self.bloc(bloc, line) and part:
                found.append(GroupCounts(bloc, part))
        for option, total in counts.used():
            summed = sum(group.counts.get(option) or 0 for group in found)
            if summed > total:
                self.add(
                    vote.line_of("by_bloc"),
                    f"vote '{vote_id}': the blocs' {option} votes add up to {summed}, "
                    f"more than the {total} counted",
                    "check the per-bloc figures against `counts:`",
                )
        return found

    def roll_call(self, vote: LineDict, event: VoteEvent) -> None:
        names = self.mapping(
            vote["roll_call"], vote.line_of("roll_call"), "roll_call", "`roll_call:` option → people"
        )
        if names is None:
            return
        names = options(names)
        if event.ballot == "secret":
            self.add(
                vote.line_of("roll_call"),
                f"secret ballot '{event.id}' with a roll call",
                "remove the names or set `ballot: roll-call`",
            )
            return
        self.known_fields(names, {*OPTIONS, "complete"}, "roll_call")
        complete = names.get("complete", False)
        if not isinstance(complete, bool):
            self.add(
                names.line_of("complete"),
                "complete must be true or false",
                "write true when every delegate is listed",
            )
        seen: dict[str, str] = {}
        lists: dict[str, list[str]] = {}
        for option in OPTIONS:
            people = names.get(option) or []
            line = names.line_of(option)
            if not isinstance(people, list):
                self.add(line, f"roll_call {option} is not a list", f"write `{option}: [person-key, …]`")
                continue
            for person in people:
                if person in seen:
                    self.add(
                        line,
                        f"'{person}' is listed twice in the roll call ({seen[person]} and {option})",
                        "list each voter once",
                    )
                elif self.person(person, line):
                    seen[person] = option
            lists[option] = [str(person) for person in people]
            count = event.counts.get(option) or 0
            if (len(people) != count) if complete else (len(people) > count):
                self.add(
                    line,
                    f"roll call of '{event.id}' lists {len(people)} {option}, the counts say {count}",
                    "make the names and `counts:` agree",
                )
        listed = sum(len(people) for people in lists.values())
        if complete is True and listed != event.accredited:
            self.add(
                names.line_of("complete"),
                f"complete roll call of '{event.id}' lists {listed} delegates, "
                f"not the {event.accredited} accredited",
                "list every accredited delegate once (absent and excused too), or set `complete: false`",
            )
        event.roll_call = {option: people for option, people in lists.items() if people}
        event.roll_call_complete = complete is True

    def read_resolution(self, entry: LineDict, motion: Motion) -> Resolution | None:
        value = self.mapping(
            entry["resolution"],
            entry.line_of("resolution"),
            "resolution",
            "`resolution:` with id, title, text",
        )
        if value is None:
            return None
        self.known_fields(value, {"id", "title", "text"}, "a resolution")
        key = self.ident(value, "id", "resolution")
        title = self.text(value, "title", "resolution", markdown=False)
        text = self.text(value, "text", "resolution", markdown=True)
        if motion.vote is not None and motion.vote.result != "adopted":
            self.add(
                entry.line_of("resolution"),
                f"motion '{motion.id}' was not adopted ({motion.vote.result}) but has a resolution",
                "remove the resolution, or check the vote",
            )
            return None
        if motion.vote is None:
            self.add(
                entry.line_of("resolution"),
                f"resolution of motion '{motion.id}' without a vote",
                "record the motion's `vote:`",
            )
            return None
        if None in (key, title, text):
            return None
        return Resolution(key, title, text, motion)

    def read_dissent(self, entry: LineDict, congress: Congress, resolutions: dict[str, Resolution]) -> None:
        self.known_fields(entry, DISSENT_FIELDS, "a dissenting opinion")
        key = self.ident(entry, "id", "dissenting opinion")
        by = self.proposer(entry, "by", "dissenting opinion")
        text = self.text(entry, "text", "dissenting opinion", markdown=True)
        targets = [name for name in ("resolution", "motion") if name in entry]
        if len(targets) != 1:
            self.add(
                entry.line,
                "a dissenting opinion names one resolution or one motion",
                "add `resolution: <id>` or `motion: <id>`",
            )
            return
        target = targets[0]
        ref = entry[target]
        found = resolutions.get(ref) if target == "resolution" else congress.motion(ref)
        if found is None:
            self.add(
                entry.line_of(target),
                f"dissenting opinion on {target} '{ref}', which motions.yml does not have",
                f"use the id of a {target} of congress {congress.number}",
            )
            return
        if None in (key, by, text):
            return
        dissent = Dissent(
            key, by, text, target, ref, self.reader.problems.display_path(self.path), entry.line
        )
        found.dissents.append(dissent)

    # -- elections.yml ----------------------------------------------------------------------
    def read_elections(self, congress: Congress) -> None:
        self.path = self.folder / "elections.yml"
        if not self.path.is_file():
            return
        data = load_data_file(self.path, self.reader.problems)
        if data is None:
            return
        congress.sources.append(self.reader.problems.display_path(self.path))
        self.known_fields(data, {"elections"}, "elections.yml")
        for entry in self.entries(data, "elections", "election"):
            election = self.read_election(entry)
            if election is None:
                continue
            if any(e.id == election.id for e in congress.elections):
                self.add(
                    entry.line_of("id"), f"election '{election.id}' is listed twice", "give each its own id"
                )
                continue
            congress.elections.append(election)
            self.agenda[election.agenda].elections.append(election)

    def read_election(self, entry: LineDict) -> Election | None:
        self.known_fields(entry, ELECTION_FIELDS, "an election")
        key = self.ident(entry, "id", "election")
        body = self.text(entry, "body", "election", markdown=False)
        seats = self.integer(entry, "seats", "election")
        ballots, valid, invalid = (
            self.integer(entry, name, "election") for name in ("ballots", "valid", "invalid")
        )
        session = self.session(entry, "election")
        agenda = entry.get("agenda")
        if agenda not in self.agenda:
            self.add(
                entry.line_of("agenda"),
                f"election names agenda item {agenda!r}, which congress.yml does not list",
                f"use one of: {', '.join(self.agenda)}",
            )
        candidates = [
            c for item in self.entries(entry, "candidates", "candidate") if (c := self.candidate(item))
        ]
        if None in (key, body, seats, ballots, valid, invalid, session) or agenda not in self.agenda:
            return None
        if valid + invalid != ballots:
            self.add(
                entry.line_of("ballots"),
                f"election '{key}': {valid} valid + {invalid} invalid = {valid + invalid}, "
                f"not the {ballots} ballots",
                "check ballots, valid and invalid",
            )
        if ballots > session.accredited:
            self.add(
                entry.line_of("ballots"),
                f"election '{key}': {ballots} ballots, "
                f"more than the {session.accredited} accredited delegates",
                "check the ballots, or the session's `accredited:`",
            )
        twice = [person for person, n in Counter(c.person for c in candidates).items() if n > 1]
        if twice:
            self.add(
                entry.line_of("candidates"),
                f"candidate '{twice[0]}' is listed twice",
                "list each candidate once",
            )
        for candidate in candidates:
            if candidate.votes > valid:
                self.add(
                    entry.line_of("candidates"),
                    f"'{candidate.person}' has {candidate.votes} votes, more than the {valid} valid ballots",
                    "check the votes",
                )
        candidates.sort(key=lambda c: (-c.votes, c.person))
        self.check_elected(entry, key, seats, candidates)
        return Election(
            key, body, seats, agenda, session, ballots, valid, invalid, candidates,
            source=self.reader.problems.display_path(self.path), line=entry.line,
        )  # fmt: skip

    def candidate(self, item: LineDict) -> Candidate | None:
        self.known_fields(item, CANDIDATE_FIELDS, "a candidate")
        person = self.person(item.get("person"), item.line_of("person"))
        votes = self.integer(item, "votes", "candidate")
        elected = item.get("elected", False)
        if not isinstance(elected, bool):
            self.add(
                item.line_of("elected"),
                "elected must be true or false",
                "write `elected: true` for the elected",
            )
            return None
        gender = self.choice(item, "gender", GENDERS, "not-stated")
        age = self.choice(item, "age", AGE_BANDS, "not-stated")
        prior = self.integer(item, "prior_terms", "candidate", required=False) or 0
        if None in (person, votes, gender, age):
            return None
        return Candidate(person, votes, elected, gender, age, prior)

    def check_elected(self, entry: LineDict, key: str, seats: int, ranked: list[Candidate]) -> None:
        """The elected must be the ``seats`` top vote-getters; a tie at the last seat is flagged."""
        winners = ranked[:seats]
        if len(ranked) > seats and winners and ranked[seats].votes == winners[-1].votes:
            tied = [c.person for c in ranked if c.votes == winners[-1].votes]
            self.add(
                entry.line_of("candidates"),
                f"election '{key}': {', '.join(tied)} tie at {winners[-1].votes} votes for the last seat",
                "hold and record a run-off as its own election, or correct the votes",
            )
            return
        stated = {c.person for c in ranked if c.elected}
        computed = {c.person for c in winners}
        if stated != computed:
            wrong = sorted(stated - computed) or sorted(computed - stated)
            self.add(
                entry.line_of("candidates"),
                f"election '{key}': the {seats} top vote-getters are {', '.join(c.person for c in winners)}, "
                f"but the file marks {', '.join(sorted(stated)) or 'nobody'} elected "
                f"(check {', '.join(wrong)})",
                "mark exactly the top vote-getters `elected: true`",
            )

    # -- minutes.<lang>.md ------------------------------------------------------------------
    def read_minutes(self, congress: Congress) -> None:
        for path in sorted(self.folder.iterdir()):
            if path.name in DATA_FILES or path.name.startswith("."):
                continue
            self.path = path
            match = MINUTES.match(path.name)
            if not match:
                self.add(
                    1,
                    "unexpected file in a congress folder",
                    "name it congress.yml, motions.yml, elections.yml or minutes.<lang>.md",
                )
                continue
            lang = match["lang"]
            if lang not in self.reader.languages:
                self.add(1, f"unknown language code '{lang}'", f"use one of {self.reader.known_codes()}")
                continue
            congress.minutes_sources[lang] = self.reader.problems.display_path(path)
            self.read_minutes_file(path, lang, congress)

    def read_minutes_file(self, path: Path, lang: str, congress: Congress) -> None:
        text = self.reader.read_source(path)
        if text is None:
            self.add(1, "file is not UTF-8 text", "save the file as UTF-8")
            return
        rtl = self.reader.languages[lang].is_rtl
        parts: list[tuple[str | None, int, list[str]]] = [(None, 1, [])]
        for number, line in enumerate(text.splitlines(), start=1):
            match = MINUTES_PART.match(line)
            if match:
                parts.append((match["id"], number, []))
            else:
                parts[-1][2].append(line)
        seen = set()
        for key, line, lines in parts:
            html = self.reader.markdown.render("\n".join(lines), rtl) if "".join(lines).strip() else ""
            if has_remote_resource(html):
                self.add(
                    line,
                    "an image is loaded from another host",
                    "add the image to content/media/ and link it relatively",
                )
            if key is None:
                if html:
                    congress.minutes_preamble[lang] = html
            elif key not in self.agenda:
                self.add(
                    line,
                    f"minutes for agenda item '{key}', which congress.yml does not list",
                    f"start each part with `## <agenda-id>`: {', '.join(self.agenda)}",
                )
            elif key in seen:
                self.add(line, f"minutes for agenda item '{key}' twice", "write each item's minutes once")
            else:
                seen.add(key)
                self.agenda[key].minutes[lang] = html
