"""Panel: which switched-on languages residents are offered, and what the others lack."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm
from ocenurzad.panel.access import panel_view

from .. import editor_forms as ef
from ..languages import LanguageGap, language_gaps_now
from ..selectors import survey_draft, survey_version_current
from . import pages


def gaps_for_page(request, definition: dict | None, *, link_draft: bool) -> list[dict]:
    """``language_gaps`` of ``definition`` (None: the published survey) ready for a
    template: names, labels and, for a draft, links to the editor's fields."""
    if definition is None:
        try:
            definition = survey_version_current(office=request.office).definition
        except Http404:
            definition = None
    result = []
    for gap in language_gaps_now(office=request.office, definition=definition):
        result.append(_describe(gap, definition, link_draft=link_draft))
    return result


def _describe(gap: LanguageGap, definition, *, link_draft: bool) -> dict:
    survey = []
    for path in gap.survey:
        target = pages.target_of(definition, path, language=gap.code)
        survey.append(
            {
                "label": pages.target_label(target),
                "href": pages.fix_url(target) if link_draft else "",
            }
        )
    return {
        "code": gap.code,
        "name": ef.language_label(gap.code),
        "native": dict(settings.LANGUAGES).get(gap.code, gap.code),
        "offered": gap.complete,
        "survey": survey,
        "departments": [d.name for d in gap.departments],
        "interface": len(gap.interface),
    }


@require_GET
@panel_view(Perm.SURVEY)
def survey_languages(request):
    draft = survey_draft(office=request.office)
    return render(
        request,
        "surveys/panel/languages.html",
        {
            "languages": gaps_for_page(request, None, link_draft=False),
            "draft": draft,
            "draft_languages": (
                gaps_for_page(request, draft.definition, link_draft=True) if draft else []
            ),
        },
    )
