"""YAML data files and Markdown front matter that remember line numbers.

PyYAML's safe loader gives plain dicts; editors need ``path:line`` in every
message, so this loader returns :class:`LineDict` mappings whose ``lines``
attribute maps each key to the 1-based line it was written on.  Nothing here is
specific to one content type: blocs, finance and congress files use it too.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .problems import Problems


class LineDict(dict):
    """A dict that knows the line of each key (``lines``) and of itself (``line``)."""

    line: int = 1
    lines: dict

    def line_of(self, key, default: int | None = None) -> int:
        return self.lines.get(key, default if default is not None else self.line)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    unique_keys = False  # a repeated key silently replaces the first (YAML's default)


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result and loader.unique_keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {result.lines[key]})", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: the readers parse them and report a malformed one with its line
# (YAML's own timestamp type would crash on 2024-13-45 instead).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _LineLoader.yaml_implicit_resolvers.items()
}


class _ExactLoader(_LineLoader):
    """Numbers stay text as well (``exact_numbers=True``): money is read as ``Decimal`` from
    the characters written, never through a binary float (press_finance).  A repeated key is
    a syntax error here, so no figure is silently replaced."""

    unique_keys = True


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_ExactLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NUMBER_TAGS]
    for first, resolvers in _LineLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def parse_yaml(text: str, first_line: int = 1, exact_numbers: bool = False):
    """Parse YAML text that starts on ``first_line`` of its file.

    Line numbers (in :class:`LineDict` and in :class:`YamlSyntaxError`) are the
    file's own: the text is parsed behind ``first_line - 1`` empty lines.
    ``exact_numbers``: numbers stay text (``1250.50`` → ``"1250.50"``) for exact decimals.
    """
    loader = _ExactLoader if exact_numbers else _LineLoader
    try:
        return yaml.load("\n" * (first_line - 1) + text, Loader=loader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(
            mark.line + 1 if mark else first_line, str(exc.problem or exc.context)
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlSyntaxError(first_line, str(exc)) from None


def load_data_file(path: Path, problems: Problems, expect=LineDict, exact_numbers: bool = False):
    """Load a YAML data file; on a syntax error record a problem and return None."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), exact_numbers=exact_numbers)
    except YamlSyntaxError as exc:
        problems.add(path, exc.line, f"not valid YAML ({exc})", "fix the YAML syntax on that line")
        return None
    except UnicodeDecodeError:
        problems.add(path, 1, "file is not UTF-8 text", "save the file as UTF-8")
        return None
    if data is None:
        data = expect()
        if isinstance(data, LineDict):
            data.lines = {}
    if not isinstance(data, expect):
        kind = "a mapping of keys to values" if expect is LineDict else "a list"
        problems.add(path, 1, f"expected {kind} at the top of the file", "see the example in README.md")
        return None
    return data


def split_front_matter(text: str):
    """Split ``---`` YAML front matter from a Markdown body.

    Returns ``(front_matter_text, body_text, body_first_line)`` or ``None`` when
    the file does not start with front matter.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None
