"""Paths into a definition and the texts found at them (what translations lack)."""

import re
from collections.abc import Iterator

from .rules import SCALE_POINTS, has_text

_PATH_PART_RE = re.compile(r"([a-z_]+)((?:\[\d+\])*)$")


def path_parse(path: str) -> list[str | int]:
    """``"sections[2].questions[0].text"`` -> ``["sections", 2, "questions", 0, "text"]``;
    ``"scale.3"`` -> ``["scale", "3"]``. Raises ValueError for anything else."""
    parts: list[str | int] = []
    for index, token in enumerate((path or "").split(".")):
        if index > 0 and parts[:1] == ["scale"] and token in SCALE_POINTS:
            parts.append(token)
            continue
        match = _PATH_PART_RE.match(token)
        if not match:
            raise ValueError(f"not a definition path: {path!r}")
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return parts


def definition_texts(definition: dict) -> Iterator[tuple[str, dict]]:
    """Every translatable text of a definition as (path, {lang: text}), in reading order.
    Texts that are not there (an optional help) or not dicts are skipped."""
    if not isinstance(definition, dict):
        return
    for name in ("title", "intro"):
        if isinstance(definition.get(name), dict):
            yield name, definition[name]
    scale = definition.get("scale")
    if isinstance(scale, dict):
        for point in SCALE_POINTS:
            if isinstance(scale.get(point), dict):
                yield f"scale.{point}", scale[point]
    for s_path, section in _items(definition.get("sections"), "sections"):
        for name in ("title", "help"):
            if isinstance(section.get(name), dict):
                yield f"{s_path}.{name}", section[name]
        for q_path, question in _items(section.get("questions"), f"{s_path}.questions"):
            for name in ("text", "help"):
                if isinstance(question.get(name), dict):
                    yield f"{q_path}.{name}", question[name]
            for o_path, option in _items(question.get("options"), f"{q_path}.options"):
                if isinstance(option.get("label"), dict):
                    yield f"{o_path}.label", option["label"]


def _items(value, path: str) -> Iterator[tuple[str, dict]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield f"{path}[{index}]", item


def missing_translations(definition: dict, *, languages: list[str]) -> dict[str, list[str]]:
    """For each language other than Polish: the paths of texts that have Polish but not
    this language (residents see the Polish text there). Every language asked for is a
    key, with an empty list when nothing is missing."""
    wanted = [lang for lang in dict.fromkeys(languages) if lang != "pl"]
    missing: dict[str, list[str]] = {lang: [] for lang in wanted}
    for path, texts in definition_texts(definition):
        if not has_text(texts.get("pl")):
            continue
        for lang in wanted:
            if not has_text(texts.get(lang)):
                missing[lang].append(path)
    return missing
