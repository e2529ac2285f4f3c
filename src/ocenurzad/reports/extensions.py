"""Sections that apps above reports add to the report, without reports importing them.

Reports exposes this registry; a layer above it (``workflows/report_sections.py``, loaded
by ``WorkflowsConfig.ready``) registers each extra section once at start-up. Reports
never imports the apps that add sections (actions, later partnerships): it only calls
what was registered here.

A section is computed with the rest of the report (``report_compute``) and stored in the
computed report under ``report["extra_sections"][key]`` — so it is archived unchanged with
the figures and counts in the report's content key. It is printed (screen and PDF alike)
after "Obszary do poprawy", in the order of registration, by its own template, and listed
in the table of contents. A stored section whose key is not registered any more is not
printed (the JSON keeps it). Reports computed without extra sections have no
``extra_sections`` key at all (their content keys stay what they were).

Usage, from a module above reports::

    from ocenurzad.reports.extensions import ReportSection, report_section_register

    def _actions_compute(*, office, start, end, department_id, channel, report):
        ...                   # read-only; JSON data, or None to leave the section out
        return {"rows": [...]}

    def _actions_context(data, *, medium):
        return {"rows": data["rows"], "print": medium.print}   # what the template prints

    report_section_register(
        ReportSection(
            key="actions",
            title=lambda: gettext("Działania i ich zmiana po wdrożeniu"),
            compute=_actions_compute,
            template="actions/report_section.html",   # gets ``section`` and ``medium``
            context=_actions_context,                  # optional: default is the data
        )
    )
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSection:
    """One extra section of the report.

    - ``key``: stable name (letters, digits, ``_``); its data is stored under it and its
      HTML id is ``raport-<key>`` (``_`` as ``-``).
    - ``title()``: the section's heading, Polish (called while the report is drawn in
      Polish).
    - ``compute(*, office, start, end, department_id, channel, report)``: the section's
      data (JSON: dicts, lists, str, numbers, None) or None when there is nothing to
      show. ``report`` is the computed report so far (read it, do not change it). Runs
      inside ``report_compute``: read-only, no transaction of its own needed.
    - ``template``: included in the report body with ``section`` (the context below plus
      ``id``, ``title``, ``page``) and ``medium`` (``medium.print`` is True in the PDF).
    - ``context(data, *, medium)``: turns the stored data into what the template prints;
      by default the template gets the data itself as ``section.data``.
    - ``page``: begins a new sheet in the PDF.
    """

    key: str
    title: Callable[[], str]
    compute: Callable[..., dict | None]
    template: str
    context: Callable[..., dict] | None = None
    page: bool = True


_SECTIONS: dict[str, ReportSection] = {}


def report_section_register(section: ReportSection) -> ReportSection:
    """Add ``section`` to every report computed from now on. Registering the same key
    again replaces it (so a module imported twice does no harm)."""
    if not section.key.replace("_", "").isalnum():
        raise ValueError(f"report section key {section.key!r}: letters, digits and _ only")
    _SECTIONS[section.key] = section
    return section


def report_section_unregister(key: str) -> None:
    """Remove a registered section (tests)."""
    _SECTIONS.pop(key, None)


def report_sections_registered() -> list[ReportSection]:
    """The registered sections, in the order they were registered."""
    return list(_SECTIONS.values())


def extra_sections_compute(**kwargs) -> dict:
    """``{key: data}`` of every registered section that has something to show; the
    arguments are those of ``ReportSection.compute``."""
    result = {}
    for section in report_sections_registered():
        data = section.compute(**kwargs)
        if data is not None:
            result[section.key] = data
    return result


def extra_sections_context(report: dict, *, medium) -> list[dict]:
    """What the report body prints for the extra sections stored in ``report``."""
    stored = report.get("extra_sections") or {}
    printed = []
    for key, data in stored.items():
        section = _SECTIONS.get(key)
        if section is None or data is None:
            continue
        context = section.context(data, medium=medium) if section.context else {"data": data}
        printed.append(
            {
                **context,
                "key": key,
                "id": "raport-" + key.replace("_", "-"),
                "title": section.title(),
                "page": section.page,
                "template": section.template,
            }
        )
    return printed
