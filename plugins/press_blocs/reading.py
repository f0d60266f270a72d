"""Read blocs, questions, official bodies, position papers and outside voices.

Registered with :func:`press_core.reading.register_section` as ``"blocs"``; runs
inside the one content read, after the articles, and reports into the same
problem list.  Where the files live decides whose voice a text is::

    content/blocs/<bloc-id>/bloc.yml                 the bloc (names, status, editors …)
    content/blocs/<bloc-id>/papers/<key>.<lang>.md   a paper of that bloc (voice "bloc")
    content/official/bodies.yml                      bodies that adopt official positions
    content/official/<key>.<lang>.md                 the official line (voice "official")
    content/members/<key>.<lang>.md                  a member in personal capacity
    content/outside/<key>.<lang>.md                  an outside voice (its own section)
    content/questions.yml                            the questions under debate

Papers and outside pieces are built with press_core's own file reader
(:meth:`ContentReader.read_file`, ``check_fields``, ``make_item``), so they have
translations, corrections and stand-ins exactly like articles.
"""

from __future__ import annotations

import re
from pathlib import Path

from press_core.git import read_history, source_date
from press_core.markup import plain_inline, render_markdown
from press_core.model import ContentGraph, Item
from press_core.reading import FIELDS, FILE_NAME, KEY, ContentReader, by_parts
from press_core.yamlfile import LineDict, load_data_file

from .model import ORDER_MODES, STATUSES, Bloc, Blocs, Body, Paper, Question

BLOC_FIELDS = {
    "name",
    "description",
    "founded",
    "status",
    "ended",
    "merged_into",
    "contact",
    "editors",
    "logo",
}
QUESTION_FIELDS = {"title", "description", "opened"}
# Front matter of papers: the article fields less category, plus where the text stands.
PAPER_FIELDS = (FIELDS - {"category"}) | {
    "question",
    "reply_to",
    "joint_with",
    "adopted_by",
    "motion",
    "member_of",
    "by",
    "affiliation",
}
PAPER_ORIGINAL_ONLY = (
    "date", "authors", "question", "reply_to", "joint_with", "adopted_by", "motion", "member_of",
)  # fmt: skip
# field -> the voices (folders) it belongs to
VOICE_FIELDS = {
    "joint_with": ("bloc",),
    "adopted_by": ("official",),
    "motion": ("official",),
    "member_of": ("personal",),
    "by": ("outside",),
    "affiliation": ("outside",),
}
FOLDERS = {"official": "official", "personal": "members", "outside": "outside"}
MOTION = re.compile(r"^[0-9]+/[a-z0-9]+(?:-[a-z0-9]+)*$")
HANDLE = re.compile(
    r"^(@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$"
)
RESERVED_KEYS = {"page"}  # <lang>/papers/page/2/ is the listing's second page


def read_blocs(reader: ContentReader, graph: ContentGraph) -> Blocs:
    default = reader.default_lang
    order = check_order(reader)
    rotation_day = 0
    if order == "rotation":  # the build date: SOURCE_DATE_EPOCH, else the built commit's date
        built = source_date() or source_date(read_history(reader.content, reader.timezone))
        rotation_day = built.toordinal() if built else 0
    section = Blocs(
        blocs={},
        questions=read_questions(reader),
        bodies=read_bodies(reader),
        order=order,
        default_lang=default,
        rotation_day=rotation_day,
    )
    found = {}
    folder = reader.content / "blocs"
    for bloc_dir in sorted(path for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []:
        bloc = read_bloc(reader, bloc_dir)
        if bloc is not None:
            found[bloc.id] = bloc
    for bloc in found.values():
        if bloc.merged_into and bloc.merged_into not in found:
            reader.problems.add(
                bloc.source,
                bloc_line(reader, bloc, "merged_into"),
                f"merged into unknown bloc '{bloc.merged_into}'",
                f"use one of: {one_of(found)}",
            )
    section.blocs = found
    if isinstance(order, list):
        for bloc_id in order:
            if bloc_id not in found:
                path, line = setting_where(reader, "BLOC_ORDER")
                reader.problems.add(
                    path,
                    line,
                    f"BLOC_ORDER names unknown bloc '{bloc_id}'",
                    f"use: {', '.join(sorted(found))}",
                )
    section.blocs = {bloc.id: bloc for bloc in section.ordered(default)}
    read_papers(reader, graph, section)
    return section


def setting_where(reader: ContentReader, name: str) -> tuple[str, int]:
    from press_core.problems import setting_line

    return setting_line(reader.settings, name)


def check_order(reader: ContentReader):
    order = reader.settings.get("BLOC_ORDER", "alphabetical")
    if isinstance(order, list | tuple) and all(isinstance(entry, str) for entry in order):
        return list(order)
    if order in ORDER_MODES:
        return order
    path, line = setting_where(reader, "BLOC_ORDER")
    reader.problems.add(
        path,
        line,
        f"BLOC_ORDER is {order!r}",
        'use "alphabetical", "founded", "rotation" or a list of bloc ids',
    )
    return "alphabetical"


def bloc_line(reader, bloc: Bloc, key: str) -> int:
    data = load_data_file(reader.content.parent / bloc.source, reader.problems)
    return data.line_of(key) if data is not None else 1


def texts(reader: ContentReader, path: Path, data: LineDict, key: str, required: bool) -> dict[str, str]:
    """A ``key:`` mapping of language code → text; problems for unknown codes or a non-mapping."""
    value = data.get(key)
    if value is None:
        if required:
            reader.problems.add(
                path,
                data.line,
                f"missing '{key}'",
                f"add `{key}:` with one line per language ({reader.known_codes()})",
            )
        return {}
    if not isinstance(value, LineDict) or not value:
        reader.problems.add(
            path,
            data.line_of(key),
            f"'{key}' is not a mapping of language → text",
            f"write {key}: then `  en: …`",
        )
        return {}
    result = {}
    for code, text in value.items():
        if code not in reader.languages:
            reader.problems.add(
                path,
                value.line_of(code),
                f"unknown language code '{code}'",
                f"use one of {reader.known_codes()}",
            )
        elif not isinstance(text, str) or not text.strip():
            reader.problems.add(
                path, value.line_of(code), f"empty {key} in {code}", "write the text or drop the line"
            )
        else:
            result[code] = text.strip()
    if required and reader.default_lang not in result and result:
        reader.problems.add(
            path,
            data.line_of(key),
            f"'{key}' has no {reader.default_lang} text",
            f"add `  {reader.default_lang}: …` (the default language is the fallback for the others)",
        )
    return result


def rtl(reader: ContentReader, code: str) -> bool:
    return reader.languages[code].is_rtl


def unknown_fields(reader, path, data: LineDict, allowed: set[str]) -> None:
    for name in data:
        if name not in allowed:
            reader.problems.add(
                path,
                data.line_of(name),
                f"unknown field '{name}'",
                f"use one of: {', '.join(sorted(allowed))}",
            )


def read_bloc(reader: ContentReader, bloc_dir: Path) -> Bloc | None:
    path = bloc_dir / "bloc.yml"
    if not path.exists():
        first = next(iter(sorted(bloc_dir.rglob("*.*"))), None)
        reader.problems.add(
            first or bloc_dir,
            1,
            f"bloc folder '{bloc_dir.name}' has no bloc.yml",
            f"add content/blocs/{bloc_dir.name}/bloc.yml with name, description, founded, status, "
            "editors (docs/BLOCS.md)",
        )
        return None
    if not KEY.match(bloc_dir.name):
        reader.problems.add(
            path, 1, f"bloc id '{bloc_dir.name}' is not valid", "rename the folder: a-z, 0-9, -"
        )
        return None
    data = load_data_file(path, reader.problems)
    if data is None:
        return None
    unknown_fields(reader, path, data, BLOC_FIELDS)
    names = texts(reader, path, data, "name", True)
    descriptions = texts(reader, path, data, "description", True)
    founded = reader.parse_date(path, data, "founded") if "founded" in data else None
    if "founded" not in data:
        reader.problems.add(path, data.line, "missing 'founded'", "add `founded: YYYY-MM-DD`")
    status = data.get("status", "active")
    if status not in STATUSES:
        reader.problems.add(
            path, data.line_of("status"), f"unknown status {status!r}", f"use one of: {', '.join(STATUSES)}"
        )
        status = "active"
    ended = reader.parse_date(path, data, "ended") if "ended" in data else None
    if status != "active" and "ended" not in data:
        reader.problems.add(
            path,
            data.line_of("status"),
            f"a {status} bloc without its date",
            f"add `ended: YYYY-MM-DD` (when it {status})",
        )
    if status == "active" and "ended" in data:
        reader.problems.add(
            path,
            data.line_of("ended"),
            "an active bloc has an `ended:` date",
            "set `status: dissolved` or `merged`",
        )
    merged_into = data.get("merged_into")
    if (status == "merged") != (merged_into is not None):
        reader.problems.add(
            path,
            data.line_of("merged_into" if merged_into is not None else "status"),
            "`merged_into:` goes with `status: merged`",
            "give both (merged_into: <bloc-id>) or neither",
        )
    editors = data.get("editors") or []
    if not isinstance(editors, list) or not editors:
        reader.problems.add(
            path,
            data.line_of("editors"),
            "a bloc needs its editors",
            'add `editors: ["@git-handle"]` (the people who approve changes to this folder)',
        )
        editors = []
    for editor in editors:
        if not isinstance(editor, str) or not HANDLE.match(editor):
            reader.problems.add(
                path,
                data.line_of("editors"),
                f"editor {editor!r} is not a git handle or e-mail address",
                'write handles as "@name" (quoted) or e-mail addresses',
            )
    logo = data.get("logo")
    if logo is not None and not (bloc_dir / str(logo)).is_file():
        reader.problems.add(
            path,
            data.line_of("logo"),
            f"logo file '{logo}' not found",
            f"put it in content/blocs/{bloc_dir.name}/",
        )
        logo = None
    contact = data.get("contact") or ""
    return Bloc(
        id=bloc_dir.name,
        names={code: text for code, text in names.items()},
        names_html={code: plain_inline(text, rtl(reader, code)) for code, text in names.items()},
        descriptions={code: render_markdown(text, rtl(reader, code)) for code, text in descriptions.items()},
        founded=founded,
        status=status,
        source=reader.problems.display_path(path),
        default_lang=reader.default_lang,
        ended=ended,
        merged_into=merged_into,
        contact=str(contact),
        editors=[str(editor) for editor in editors],
        logo=(bloc_dir / str(logo)).relative_to(reader.content).as_posix() if logo else None,
    )


def read_questions(reader: ContentReader) -> dict[str, Question]:
    path = reader.content / "questions.yml"
    if not path.exists():
        return {}
    data = load_data_file(path, reader.problems)
    questions = {}
    for key, entry in (data or {}).items():
        line = data.line_of(key)
        if not isinstance(key, str) or not KEY.match(key):
            reader.problems.add(
                path, line, f"question id {key!r} is not valid", "use lowercase a-z, 0-9 and -"
            )
            continue
        if not isinstance(entry, LineDict):
            reader.problems.add(
                path, line, f"question '{key}' is not a mapping", "give it title: and opened:"
            )
            continue
        unknown_fields(reader, path, entry, QUESTION_FIELDS)
        titles = texts(reader, path, entry, "title", True)
        descriptions = texts(reader, path, entry, "description", False)
        opened = reader.parse_date(path, entry, "opened") if "opened" in entry else None
        questions[key] = Question(
            id=key,
            titles=titles,
            titles_html={code: plain_inline(text, rtl(reader, code)) for code, text in titles.items()},
            descriptions={
                code: render_markdown(text, rtl(reader, code)) for code, text in descriptions.items()
            },
            opened=opened,
            source=reader.problems.display_path(path),
            line=line,
            default_lang=reader.default_lang,
        )
    return questions


def read_bodies(reader: ContentReader) -> dict[str, Body]:
    path = reader.content / "official" / "bodies.yml"
    bodies = {}
    for key, names in reader.read_labels("official/bodies.yml", "name").items() if path.exists() else []:
        bodies[key] = Body(
            key,
            names,
            {code: plain_inline(text, rtl(reader, code)) for code, text in names.items()},
            reader.default_lang,
        )
    return bodies


def paper_files(reader: ContentReader, blocs: dict[str, Bloc]) -> list[tuple[str, str, str | None, Path]]:
    """``(kind, voice, owner bloc, path)`` for every paper and outside file, in path order."""
    found = []
    folder = reader.content / "blocs"
    for bloc_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        if bloc_dir.name not in blocs:
            continue  # its missing or broken bloc.yml is reported already
        for path in sorted((bloc_dir / "papers").rglob("*.md"), key=by_parts):
            found.append(("paper", "bloc", bloc_dir.name, path))
        for path in sorted(bloc_dir.glob("*.md")):
            reader.problems.add(
                path,
                1,
                "a paper outside its bloc's papers/ folder",
                f"move it to content/blocs/{bloc_dir.name}/papers/",
            )
    for voice, name in FOLDERS.items():
        kind = "outside" if voice == "outside" else "paper"
        for path in sorted((reader.content / name).rglob("*.md"), key=by_parts):
            found.append((kind, voice, None, path))
    return found


def read_papers(reader: ContentReader, graph: ContentGraph, section: Blocs) -> None:
    groups: dict[str, list] = {}  # key -> [(kind, voice, owner, source)]
    broken: set[str] = set()
    found = paper_files(reader, section.blocs)
    reader.parse_ahead([path for *_, path in found])
    for kind, voice, owner, path in found:
        match = FILE_NAME.match(path.name)
        parsed = reader.read_file(kind, path)
        if parsed is None:
            broken.add(match["key"] if match else path.name)
            continue
        if parsed.meta.get("status") == "draft":
            continue
        if parsed.key in RESERVED_KEYS:
            reader.problems.add(
                path, 1, f"the key '{parsed.key}' is reserved", "rename the file to another key"
            )
            continue
        ok = reader.check_fields(path, parsed.meta, parsed.is_translation, PAPER_FIELDS, PAPER_ORIGINAL_ONLY)
        for name in parsed.meta:
            if name in VOICE_FIELDS and voice not in VOICE_FIELDS[name]:
                reader.problems.add(
                    path,
                    parsed.meta.line_of(name),
                    f"'{name}' does not apply to {voice_label(voice)}",
                    "remove it (docs/BLOCS.md lists the fields of each kind of paper)",
                )
                ok = False
        if not ok:
            broken.add(parsed.key)
            continue
        groups.setdefault(parsed.key, []).append((kind, voice, owner, parsed))
    reader.prefetch_markdown([parsed for _, files in sorted(groups.items()) for *_, parsed in files])
    items = []
    for key, files in sorted(groups.items()):
        first = files[0]
        others = [entry for entry in files if entry[:3] != first[:3]]
        reported = set()
        for *place, parsed in others:  # the key's first folder keeps it; each other folder is reported
            if tuple(place) not in reported:
                reported.add(tuple(place))
                reader.problems.add(
                    parsed.path,
                    1,
                    f"duplicate key '{key}': {reader.problems.display_path(first[3].path)} uses it too",
                    "rename one of the files to another key (keys are shared by all papers)",
                )
        files = [entry for entry in files if entry[:3] == first[:3]]
        kind, voice, owner, _ = first
        item = reader.make_item(kind, key, [parsed for *_, parsed in files], key in broken)
        if item is None:
            continue
        sources = [parsed for *_, parsed in files]
        original = next(parsed for parsed in sources if parsed.lang == item.original_lang)
        item.details = paper_details(reader, section, item, voice, owner, original, sources)
        items.append((item, original))
    known = {item.key: item for item, _ in items}
    for item, original in items:
        path, meta = original.path, original.meta
        reply_to = item.details.reply_to
        if reply_to is None:
            continue
        if reply_to not in known:
            reader.problems.add(
                path,
                meta.line_of("reply_to"),
                f"replies to '{reply_to}', which does not exist",
                "use the key (file name without .<lang>.md) of a paper or outside voice",
            )
            item.details.reply_to = None
        elif reply_to == item.key:
            reader.problems.add(
                path, meta.line_of("reply_to"), "a paper replies to itself", "name another paper"
            )
            item.details.reply_to = None
        else:
            known[reply_to].details.replies.append(item)
    for item, _ in items:
        item.details.replies.sort(key=lambda reply: (reply.date.timestamp() if reply.date else 0, reply.key))
    graph.items.extend(item for item, _ in items)


def voice_label(voice: str) -> str:
    return {
        "bloc": "a bloc's paper",
        "official": "an official position",
        "personal": "a member's personal paper",
        "outside": "an outside voice",
    }[voice]


def paper_details(
    reader, section: Blocs, item: Item, voice: str, owner: str | None, source, sources
) -> Paper:
    path, meta = source.path, source.meta
    details = Paper(voice=voice)
    if item.date is None and "date" not in meta:
        reader.problems.add(path, meta.line, "missing date", "add `date: YYYY-MM-DD` to the front matter")
    blocs = section.blocs
    if voice == "bloc":
        details.blocs = [owner] if owner in blocs else []
        joint = meta.get("joint_with") or []
        joint = [joint] if isinstance(joint, str) else joint
        for bloc_id in joint:
            if bloc_id not in blocs:
                reader.problems.add(
                    path,
                    meta.line_of("joint_with"),
                    f"unknown bloc id '{bloc_id}'",
                    f"use one of: {one_of(blocs)} (folders in content/blocs/)",
                )
            elif bloc_id not in details.blocs:
                details.blocs.append(bloc_id)
        for bloc_id in details.blocs:
            bloc = blocs[bloc_id]
            if bloc.ended is not None and item.date is not None and item.date > bloc.ended:
                line = meta.line_of("date") if bloc_id == owner else meta.line_of("joint_with")
                reader.problems.add(
                    path,
                    line,
                    f"dated {item.date.date().isoformat()}, after bloc '{bloc_id}' {bloc.status} on "
                    f"{bloc.ended.date().isoformat()}",
                    "check the date, or publish it as a member's personal paper (content/members/)",
                )
    elif voice == "official":
        body = meta.get("adopted_by")
        if body is None:
            reader.problems.add(
                path,
                meta.line,
                "an official position without `adopted_by:`",
                "name the body (content/official/bodies.yml)",
            )
        elif body not in section.bodies:
            reader.problems.add(
                path,
                meta.line_of("adopted_by"),
                f"unknown body '{body}'",
                f"use one of: {one_of(section.bodies)} (content/official/bodies.yml)",
            )
        else:
            details.body = body
        motion = meta.get("motion")
        if motion is not None:
            motion = str(motion)
            if not MOTION.match(motion):
                reader.problems.add(
                    path,
                    meta.line_of("motion"),
                    f"motion {motion!r} is not <congress-number>/<motion-id>",
                    "write e.g. `motion: 2/m3`",
                )
            else:
                details.motion = motion
                section.official_motions.append((motion, source_path(reader, path), meta.line_of("motion")))
    elif voice == "personal":
        if not item.authors:
            reader.problems.add(
                path,
                meta.line,
                "a personal paper without `authors:`",
                "name the member(s) (content/people.yml)",
            )
        member_of = meta.get("member_of")
        if member_of is not None:
            if member_of not in blocs:
                reader.problems.add(
                    path,
                    meta.line_of("member_of"),
                    f"unknown bloc id '{member_of}'",
                    f"use one of: {one_of(blocs)}",
                )
            else:
                details.member_of = member_of
    else:  # outside
        details.by = outside_texts(sources, "by")
        if source.lang not in details.by:
            reader.problems.add(
                path, meta.line, "an outside voice without `by:`", "add `by: <the writer's name>`"
            )
        details.affiliation = outside_texts(sources, "affiliation")
    question = meta.get("question")
    if question is not None:
        if question not in section.questions:
            reader.problems.add(
                path,
                meta.line_of("question"),
                f"unknown question '{question}'",
                f"use one of: {one_of(section.questions)} (content/questions.yml)",
            )
        else:
            details.question = question
    reply_to = meta.get("reply_to")
    if reply_to is not None:
        details.reply_to = str(reply_to)
    return details


def outside_texts(sources, field_name: str) -> dict[str, str]:
    """``by:``/``affiliation:`` per language: each file may write the name in its own script."""
    return {
        source.lang: str(source.meta[field_name]).strip() for source in sources if source.meta.get(field_name)
    }


def source_path(reader, path: Path) -> str:
    return reader.problems.display_path(path)


def one_of(names) -> str:
    return ", ".join(sorted(names)) or "none defined yet"
