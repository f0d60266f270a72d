"""Congress files (press_congress): each validation rule, broken once, stops the check with its message.

The fixture is the minimal site plus ``tests/fixtures/congress`` (one congress of twelve
delegates, one bloc, eleven delegates in people.yml).  Each case edits one spot of a copy.
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, ROOT, run_build

from press_congress.reading import read
from press_core.build import check, load_settings
from press_core.reading import ContentReader

MOTIONS = "congresses/1/motions.yml"
CONGRESS = "congresses/1/congress.yml"
ELECTIONS = "congresses/1/elections.yml"
MINUTES = "congresses/1/minutes.en.md"

# case -> (file, [(old, new), ...], the expected problem line)
CASES = {
    "counts exceed the accredited delegates": (
        MOTIONS,
        [
            (
                "counts: {yes: 7, no: 3, abstain: 1}\n      result: adopted",
                "counts: {yes: 17, no: 3, abstain: 1}\n      result: adopted",
            )
        ],
        f"content/{MOTIONS}:11: vote 'm1' counts 21 votes, more than the 12 accredited delegates",
    ),
    "complete roll call does not sum to the accredited": (
        MOTIONS,
        [("abstain: 1, absent: 1}", "abstain: 1, absent: 0}"), ("absent: [delegate-11]", "absent: []")],
        f"content/{MOTIONS}:32: complete roll call of 'm2' lists 11 delegates, not the 12 accredited",
    ),
    "roll-call tally differs from the counts": (
        MOTIONS,
        [
            ("complete: true", "complete: false"),
            ("{yes: 7, no: 3, abstain: 1, absent: 1}", "{yes: 7, no: 2, abstain: 1, absent: 1}"),
        ],
        f"content/{MOTIONS}:34: roll call of 'm2' lists 3 no, the counts say 2",
    ),
    "voter listed twice": (
        MOTIONS,
        [("no: [delegate-07,", "no: [delegate-01,")],
        f"content/{MOTIONS}:34: 'delegate-01' is listed twice in the roll call (yes and no)",
    ),
    "stated result differs from the recomputed one": (
        MOTIONS,
        [("result: rejected", "result: adopted")],
        f"content/{MOTIONS}:47: vote 'm3' states 'adopted' but the counts give 'rejected' "
        "(7 yes, two-thirds needs 8)",
    ),
    "quorum not met": (
        MOTIONS,
        [("counts: {yes: 7, no: 4, abstain: 1}", "counts: {yes: 3, no: 1, abstain: 1}")],
        f"content/{MOTIONS}:47: vote 'm3' states 'rejected' but the counts give 'no-quorum' "
        "(5 present, quorum 6)",
    ),
    "unknown requirement": (
        MOTIONS,
        [("requirement: two-thirds", "requirement: three-quarters")],
        f"content/{MOTIONS}:40: unknown requirement 'three-quarters' — use one of: simple-majority",
    ),
    "per-bloc breakdown exceeds the counts": (
        MOTIONS,
        [("test-bloc: {yes: 5,", "test-bloc: {yes: 9,")],
        f"content/{MOTIONS}:13: vote 'm1': the blocs' yes votes add up to 9, more than the 7 counted",
    ),
    "unknown bloc": (
        MOTIONS,
        [("        test-bloc: {yes: 5,", "        no-such-bloc: {yes: 5,")],
        f"content/{MOTIONS}:14: unknown bloc 'no-such-bloc' — use a bloc id from content/blocs/",
    ),
    "resolution of a rejected motion": (
        MOTIONS,
        [
            (
                "counts: {yes: 7, no: 3, abstain: 1}\n      result: adopted",
                "counts: {yes: 5, no: 6, abstain: 0}\n      result: rejected",
            )
        ],
        f"content/{MOTIONS}:15: motion 'm1' was not adopted (rejected) but has a resolution",
    ),
    "dissent on an unknown resolution": (
        MOTIONS,
        [("resolution: r1\n", "resolution: r9\n")],
        f"content/{MOTIONS}:50: dissenting opinion on resolution 'r9', which motions.yml does not have",
    ),
    "motion on an unknown agenda item": (
        MOTIONS,
        [("agenda: motions\n    proposer: {bloc", "agenda: motion\n    proposer: {bloc")],
        f"content/{MOTIONS}:3: motion 'm1' names agenda item 'motion', which congress.yml does not list",
    ),
    "unknown person": (
        MOTIONS,
        [("delegates: [delegate-01, delegate-02]", "delegates: [delegate-01, delegate-99]")],
        f"content/{MOTIONS}:22: unknown person 'delegate-99' — use a key from content/people.yml",
    ),
    "agenda order used twice": (
        CONGRESS,
        [("order: 3", "order: 2")],
        f"content/{CONGRESS}:28: agenda order 2 is used twice ('motions' and 'elections')",
    ),
    "timestamp outside the session": (
        CONGRESS,
        [('at: "2024-05-10 09:15"', 'at: "2024-05-10 19:15"')],
        f"content/{CONGRESS}:19: agenda item 'opening' at 2024-05-10 19:15 is outside session 's1'",
    ),
    "vote outside the session": (
        MOTIONS,
        [('at: "2024-05-10 11:30"', 'at: "2024-05-11 11:30"')],
        f"content/{MOTIONS}:45: vote 'm3' at 2024-05-11 11:30 is outside session 's1'",
    ),
    "valid and invalid do not add up to the ballots": (
        ELECTIONS,
        [("ballots: 11", "ballots: 12")],
        f"content/{ELECTIONS}:6: election 'committee': 10 valid + 1 invalid = 11, not the 12 ballots",
    ),
    "elected are not the top vote-getters": (
        ELECTIONS,
        [
            ("votes: 6, elected: true", "votes: 6"),
            ("{person: delegate-03, votes: 5}", "{person: delegate-03, votes: 5, elected: true}"),
        ],
        f"content/{ELECTIONS}:9: election 'committee': the 2 top vote-getters are delegate-01, delegate-02",
    ),
    "tie for the last seat": (
        ELECTIONS,
        [("{person: delegate-03, votes: 5}", "{person: delegate-03, votes: 6}")],
        f"content/{ELECTIONS}:9: election 'committee': delegate-02, delegate-03 tie at 6 votes "
        "for the last seat",
    ),
    "minutes for an unknown agenda item": (
        MINUTES,
        [("## motions", "## motion")],
        f"content/{MINUTES}:5: minutes for agenda item 'motion', which congress.yml does not list",
    ),
}


@pytest.fixture
def congress_content(tmp_path):
    """A writable copy of the minimal site with the congress fixture on top."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    shutil.copytree(FIXTURES / "congress", target, dirs_exist_ok=True)
    return target


def test_the_fixture_itself_passes(congress_content):
    result = run_build("--check", "--content", congress_content)
    assert result.returncode == 0, result.stderr


def test_the_command_line_check_exits_non_zero(congress_content):
    path = congress_content / MOTIONS
    path.write_text(path.read_text(encoding="utf-8").replace("result: rejected", "result: adopted"), "utf-8")
    result = run_build("--check", "--content", congress_content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/{MOTIONS}:47: vote 'm3' states 'adopted'" in result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_broken_rule_is_reported(case, congress_content, capsys):
    relative, edits, expected = CASES[case]
    path = congress_content / relative
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"the fixture changed: {old!r}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    # The check entry point itself (`invoke check`, `press_core.build --check`), run in this process.
    assert check(ROOT / "pelicanconf.py", congress_content) == 1
    output = capsys.readouterr()
    assert "Traceback" not in output.err + output.out
    lines = [line for line in output.err.splitlines() if line.startswith("content/")]
    assert all(" — " in line for line in lines), lines
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


def test_an_official_paper_citing_no_motion_is_reported(congress_content):
    """The blocs section lists the `motion:` of each official paper; a ref to no motion is reported."""
    settings = load_settings(ROOT / "pelicanconf.py", congress_content)
    reader = ContentReader(settings)
    graph = SimpleNamespace(
        people={f"delegate-{n:02}": {"en": "x"} for n in range(1, 12)} | {"sara-aziz": {"en": "Sara"}},
        sections={
            "blocs": SimpleNamespace(
                blocs={"test-bloc": object()},
                official_motions=[
                    ("1/m2", "content/official/lists.en.md", 6),
                    ("1/m9", "content/official/water.en.md", 7),
                ],
            )
        },
    )
    section = read(reader, graph)
    assert section.motion("1/m2") is not None
    found = [str(problem) for problem in reader.problems.items]
    assert found == [
        "content/official/water.en.md:7: motion '1/m9' is not a motion of any congress — cite it as "
        "<congress-number>/<motion-id>, an id from content/congresses/<n>/motions.yml"
    ]


def test_a_bad_term_limit_setting_is_reported(congress_content):
    settings = load_settings(ROOT / "pelicanconf.py", congress_content, CONGRESS_TERM_LIMIT=0)
    reader = ContentReader(settings)
    read(reader, SimpleNamespace(people={}, sections={}))
    line = next(
        n
        for n, text in enumerate((ROOT / "pelicanconf.py").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("CONGRESS_TERM_LIMIT =")
    )
    assert str(reader.problems.items[0]).startswith(
        f"pelicanconf.py:{line}: CONGRESS_TERM_LIMIT 0 is not a positive whole number — "
    )
