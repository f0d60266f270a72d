"""Open data for each congress: Popolo-aligned JSON and a CSV of every vote.

The JSON follows the Popolo data specification (https://www.popoloproject.com):
``organizations`` (the party, its blocs, each elected body), ``persons``,
``memberships`` (who was elected to which body), ``events`` (the congress and its
sessions), ``motions``, ``vote_events`` (with ``counts`` and ``group_results`` per
bloc) and ``votes`` (roll calls).  Text fields are language maps
(``{"ar": …, "ckb": …, "en": …}``, the source text as written), and results and
thresholds are the recomputed ones.  ``elections``, ``resolutions`` and
``dissents`` extend Popolo, which has no such classes.  ``popolo-congress.schema.json``
beside this module is the JSON Schema the files are tested against.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .model import OPTIONS, Congress, Congresses, Counts, Proposer, VoteEvent

SCHEMA = Path(__file__).with_name("popolo-congress.schema.json")
PARTY = "party"
CSV_COLUMNS = (
    "congress", "vote_event", "motion", "amendment", "group", "ballot", "requirement",
    *OPTIONS, "needed", "result",
)  # fmt: skip


def _counts(counts: Counts) -> list[dict]:
    return [{"option": option, "value": value} for option, value in counts.used()]


def _creator(proposer: Proposer) -> dict:
    if proposer.bloc:
        return {"creator_id": f"bloc-{proposer.bloc}"}
    if proposer.body:
        return {"creator": {"name": proposer.body.source}}
    return {"creator_ids": list(proposer.delegates)}


def _vote_event(vote: VoteEvent, motion_id: str, congress: Congress) -> dict:
    return {
        "id": f"{congress.number}/{vote.id}",
        "motion_id": motion_id,
        "legislative_session_id": f"congress-{congress.number}/{vote.session.id}",
        "start_date": vote.date.isoformat(),
        "ballot": vote.ballot,
        "requirement": vote.requirement.key,
        "accredited": vote.accredited,
        "quorum": vote.quorum_needed,
        "needed": vote.needed,
        "result": vote.result,
        "counts": _counts(vote.counts),
        "group_results": [
            {"group_id": f"bloc-{group.bloc}", "counts": _counts(group.counts)} for group in vote.by_bloc
        ],
    }


def popolo(congress: Congress, section: Congresses, graph, blocs, party_names: dict[str, str]) -> dict:
    """The congress as one Popolo-aligned document (a plain dict, ready for ``json.dumps``)."""
    number = congress.number
    event_id = f"congress-{number}"
    known_blocs = getattr(blocs, "blocs", None) or {}
    people: set[str] = set()
    bloc_ids: set[str] = set()

    def note(proposer: Proposer) -> None:
        people.update(proposer.delegates)
        if proposer.bloc:
            bloc_ids.add(proposer.bloc)

    motions, vote_events, votes = [], [], []
    for motion in congress.motions:
        note(motion.proposer)
        motion_id = f"{number}/{motion.id}"
        motions.append(
            {
                "id": motion_id,
                "classification": "motion",
                "organization_id": PARTY,
                "legislative_session_id": event_id,
                "agenda_item": motion.agenda,
                "title": motion.title.source,
                "text": motion.text.source,
                "requirement": motion.requirement.key,
                "date": motion.date.isoformat(),
                "result": motion.vote.result if motion.vote else None,
                **_creator(motion.proposer),
            }
        )
        for amendment in motion.amendments:
            note(amendment.proposer)
            motions.append(
                {
                    "id": f"{motion_id}/{amendment.id}",
                    "classification": "amendment",
                    "organization_id": PARTY,
                    "legislative_session_id": event_id,
                    "amends": motion_id,
                    "text": amendment.text.source,
                    "result": amendment.result,
                    **_creator(amendment.proposer),
                }
            )
        for what, vote in motion.vote_events():
            target = motion_id if what == "motion" else f"{motion_id}/{what.split()[-1]}"
            vote_events.append(_vote_event(vote, target, congress))
            bloc_ids.update(group.bloc for group in vote.by_bloc)
            for option, voters in (vote.roll_call or {}).items():
                people.update(voters)
                votes += [
                    {"vote_event_id": f"{number}/{vote.id}", "voter_id": voter, "option": option}
                    for voter in voters
                ]
    resolutions, dissents = [], []
    for motion in congress.motions:
        for dissent in motion.dissents + (motion.resolution.dissents if motion.resolution else []):
            note(dissent.by)
            dissents.append(
                {
                    "id": f"{number}/{dissent.id}",
                    "on": f"{number}/{dissent.target_id}",
                    "on_classification": dissent.target,
                    "text": dissent.text.source,
                    **_creator(dissent.by),
                }
            )
        if motion.resolution:
            resolution = motion.resolution
            resolutions.append(
                {
                    "id": f"{number}/{resolution.id}",
                    "motion_id": f"{number}/{motion.id}",
                    "title": resolution.title.source,
                    "text": resolution.text.source,
                }
            )
    organizations = [
        {"id": PARTY, "name": dict(party_names), "classification": "party"},
    ]
    for bloc_id in sorted(bloc_ids):
        bloc = known_blocs.get(bloc_id)
        name = dict(bloc.names) if bloc is not None else {section.default_lang: bloc_id}
        organizations.append(
            {"id": f"bloc-{bloc_id}", "name": name, "classification": "bloc", "parent_id": PARTY}
        )
    memberships, elections = [], []
    for election in congress.elections:
        body_id = f"body-{number}-{election.id}"
        organizations.append(
            {
                "id": body_id,
                "name": election.body.source,
                "classification": "elected-body",
                "parent_id": PARTY,
            }
        )
        composition = election.composition(section.term_limit)
        elections.append(
            {
                "id": f"{number}/{election.id}",
                "organization_id": body_id,
                "seats": election.seats,
                "ballots": election.ballots,
                "valid": election.valid,
                "invalid": election.invalid,
                "candidates": [
                    {
                        "person_id": c.person,
                        "votes": c.votes,
                        "elected": c.elected,
                        "gender": c.gender,
                        "age": c.age,
                        "prior_terms": c.prior_terms,
                    }
                    for c in election.candidates
                ],
                "composition": {
                    "members": composition.members,
                    "women": composition.women,
                    "under_35": composition.under_35,
                    "term_limit": composition.term_limit,
                    "over_term_limit": [c.person for c in composition.over_limit],
                },
            }
        )
        for candidate in election.candidates:
            people.add(candidate.person)
            if candidate.elected:
                memberships.append(
                    {
                        "id": f"{number}/{election.id}/{candidate.person}",
                        "person_id": candidate.person,
                        "organization_id": body_id,
                        "role": "member",
                        "start_date": congress.end.date().isoformat(),
                    }
                )
    events = [
        {
            "id": event_id,
            "classification": "congress",
            "name": congress.name.source,
            "organization_id": PARTY,
            "start_date": congress.start.isoformat(),
            "end_date": congress.end.isoformat(),
            "status": congress.status,
            "eligible_members": congress.eligible,
            "accredited_delegates": congress.delegates,
            "quorum": f"{congress.quorum.numerator}/{congress.quorum.denominator}",
        }
    ] + [
        {
            "id": f"{event_id}/{session.id}",
            "classification": "session",
            "parent_id": event_id,
            "start_date": session.start.isoformat(),
            "end_date": session.end.isoformat(),
            "accredited_delegates": session.accredited,
        }
        for session in congress.sessions
    ]
    persons = [{"id": key, "name": dict(graph.people.get(key, {}))} for key in sorted(people)]
    return {
        "sources": congress.sources + list(congress.minutes_sources.values()),
        "events": events,
        "organizations": organizations,
        "persons": persons,
        "memberships": memberships,
        "motions": motions,
        "vote_events": vote_events,
        "votes": votes,
        "resolutions": resolutions,
        "dissents": dissents,
        "elections": elections,
    }


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def vote_rows(congress: Congress) -> list[dict]:
    """One row per vote event (``group`` empty) and one per bloc of its breakdown."""
    rows = []
    for motion in congress.motions:
        for what, vote in motion.vote_events():
            amendment = "" if what == "motion" else what.split()[-1]
            common = {
                "congress": congress.number,
                "vote_event": vote.id,
                "motion": motion.id,
                "amendment": amendment,
                "ballot": vote.ballot,
                "requirement": vote.requirement.key,
            }
            rows.append(
                {
                    **common,
                    "group": "",
                    **{
                        option: "" if vote.counts.get(option) is None else vote.counts.get(option)
                        for option in OPTIONS
                    },
                    "needed": vote.needed,
                    "result": vote.result,
                }
            )
            for group in vote.by_bloc:
                counts = group.counts
                rows.append(
                    {
                        **common,
                        "group": group.bloc,
                        **{
                            option: "" if counts.get(option) is None else counts.get(option)
                            for option in OPTIONS
                        },
                        "needed": "",
                        "result": "",
                    }
                )
    return rows


def to_csv(congress: Congress) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(vote_rows(congress))
    return buffer.getvalue()
