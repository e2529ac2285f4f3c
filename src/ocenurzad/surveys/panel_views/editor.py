"""The draft editor's main page: sections and their questions in order — add, move and
remove them. Each change is a small POST; success redirects back to the page at the
changed item; a refusal draws the page again (409 conflict, 400 errors) with what was
typed kept in its form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocenurzad.accounts.permissions import Perm
from ocenurzad.panel.access import panel_view

from .. import editor_forms as ef
from .. import services
from ..validation import SCALE_POINTS
from . import pages
from .pages import pl

NEW_SECTION = "nowy-obszar"


def _add_form_id(section_key: str) -> str:
    return f"dodaj-{section_key}"


def render_editor(request, draft, *, status=200, conflict=False, errors=(), forms=None):
    """The editor; ``forms`` ({prefix: bound form}) keeps refused input as it was typed."""
    definition = draft.definition
    forms = forms or {}
    if conflict:
        for form in forms.values():
            pages.refresh_revision(form, draft)
    taken = ef.question_keys_taken(definition)
    sections = pages.outline(definition, pages.languages_of(request))
    for section in sections:
        prefix = _add_form_id(section["key"])
        section["add_form"] = forms.get(prefix) or ef.QuestionAddForm(
            prefix=prefix,
            revision=draft.revision,
            suggested_key=ef.question_key_suggested(definition, section["key"]),
            taken=taken,
        )
        section["add_open"] = prefix in forms
    scale = definition.get("scale", {})
    context = {
        "draft": draft,
        "sections": sections,
        "section_form": forms.get(NEW_SECTION)
        or ef.SectionAddForm(prefix=NEW_SECTION, revision=draft.revision),
        "section_open": NEW_SECTION in forms,
        "scale": [(ef.SCALE_LABELS[p], pl(scale.get(p), "—")) for p in SCALE_POINTS],
        "title": pl(definition.get("title")),
        "intro": pl(definition.get("intro")),
        "missing": pages.missing_by_language(request, definition),
        "conflict": conflict,
        "errors": list(errors),
    }
    return render(request, "surveys/panel/editor.html", context, status=status)


def _editor_again(request, forms=None, field_for=None, form=None):
    def again(draft, *, status, conflict, exc):
        errors = pages.place_errors(exc, draft.definition, form, field_for=field_for) if exc else []
        return render_editor(
            request, draft, status=status, conflict=conflict, errors=errors, forms=forms
        )

    return again


def _conflict_or_404(request, draft, form):
    """The item named in the URL is not in the draft: removed by someone since the page
    was read (409, the draft as it is now), or it never was (404)."""
    if pages.stale(draft, form):
        return render_editor(request, draft, status=409, conflict=True)
    raise Http404


@require_GET
@panel_view(Perm.SURVEY)
def draft_editor(request):
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request)
    return render_editor(request, draft)


@require_POST
@panel_view(Perm.SURVEY)
def question_add(request, section_key):
    draft = pages.draft_now(request)
    if draft is None:
        return pages.draft_gone(request)
    prefix = _add_form_id(section_key)
    form = ef.QuestionAddForm(
        request.POST, prefix=prefix, taken=ef.question_keys_taken(draft.definition)
    )
    if form.revision_missing:
        return pages.bad_request(request)
    section = pages.find_section(draft.definition, section_key)
    if section is None:
        return _conflict_or_404(request, draft, form)
    forms = {prefix: form}
    if not form.is_valid():
        return render_editor(request, draft, status=400, errors=form.error_summary(), forms=forms)
    data = form.cleaned_data
    _changed, exc = pages.run(
        request,
        services.survey_draft_question_add,
        draft,
        form,
        section_key=section_key,
        kind=data["kind"],
        key=data["key"],
        text_pl=data["text_pl"],
    )
    if exc:
        field_for = {"key": "key", "kind": "kind", "text": "text_pl"}
        again = _editor_again(request, forms, lambda t: field_for.get(t.field), form)
        return pages.refused(request, exc, draft, again)
    messages.success(
        request,
        _(
            "Dodano pytanie „%(text)s” do obszaru „%(section)s”. Uzupełnij tłumaczenia "
            "i ustawienia pytania."
        )
        % {"text": data["text_pl"], "section": pl(section.get("title"), section_key)},
    )
    return pages.back(pages.QUESTION, data["key"], anchor="pytanie")


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def section_add(request):
    """POST: add a section (the editor's form). GET: the same form on a page of its own."""
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request) if request.method == "GET" else pages.draft_gone(request)
    if request.method == "GET":
        form = ef.SectionAddForm(prefix=NEW_SECTION, revision=draft.revision)
        return render(request, "surveys/panel/section_add.html", {"draft": draft, "form": form})
    taken = {s["key"] for s in draft.definition.get("sections", [])}
    form = ef.SectionAddForm(request.POST, prefix=NEW_SECTION, taken=taken)
    if form.revision_missing:
        return pages.bad_request(request)
    forms = {NEW_SECTION: form}
    if not form.is_valid():
        return render_editor(request, draft, status=400, errors=form.error_summary(), forms=forms)
    data = form.cleaned_data
    _changed, exc = pages.run(
        request,
        services.survey_draft_section_add,
        draft,
        form,
        key=data["key"],
        kind=data["kind"],
        title_pl=data["title_pl"],
    )
    if exc:
        field_for = {"key": "key", "kind": "kind", "title": "title_pl"}
        again = _editor_again(request, forms, lambda t: field_for.get(t.field), form)
        return pages.refused(request, exc, draft, again)
    messages.success(
        request,
        _("Dodano obszar „%(title)s”. Dodaj do niego pytania.") % {"title": data["title_pl"]},
    )
    return pages.back(pages.EDITOR, anchor=f"obszar-{data['key']}")


@require_POST
@panel_view(Perm.SURVEY)
def question_move(request, key):
    return _move(request, key, question=True)


@require_POST
@panel_view(Perm.SURVEY)
def section_move(request, key):
    return _move(request, key, question=False)


def _move(request, key, *, question: bool):
    draft = pages.draft_now(request)
    if draft is None:
        return pages.draft_gone(request)
    form = ef.MoveForm(request.POST)
    if not form.is_valid():
        return pages.bad_request(request)
    find = pages.find_question if question else pages.find_section
    item = find(draft.definition, key)
    if item is None:
        return _conflict_or_404(request, draft, form)
    direction = form.cleaned_data["direction"]
    operation = (
        services.survey_draft_question_move if question else services.survey_draft_section_move
    )
    changed, exc = pages.run(request, operation, draft, form, key=key, direction=direction)
    if exc:
        return pages.refused(request, exc, draft, _editor_again(request))
    definition = changed.definition
    name = pl(item.get("text" if question else "title"), key)
    text = (
        _("Przesunięto w górę: %(name)s.")
        if direction == "up"
        else _("Przesunięto w dół: %(name)s.")
    ) % {"name": name}
    if question:
        before, after = pages.section_of(draft.definition, key), pages.section_of(definition, key)
        if before and after and before["key"] != after["key"]:
            text += " " + _("Pytanie jest teraz w obszarze „%(section)s”.") % {
                "section": pl(after.get("title"), after["key"])
            }
        keys = [q["key"] for s in definition.get("sections", []) for q in s.get("questions", [])]
    else:
        keys = [s["key"] for s in definition.get("sections", [])]
    messages.success(request, text)
    prefix = "pytanie" if question else "obszar"
    return pages.back(pages.EDITOR, anchor=pages.move_anchor(keys, key, direction, prefix))


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def question_remove(request, key):
    return _remove(request, key, question=True)


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def section_remove(request, key):
    return _remove(request, key, question=False)


def _remove(request, key, *, question: bool):
    """A confirmation page (GET), then the removal (POST)."""
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request) if request.method == "GET" else pages.draft_gone(request)
    find = pages.find_question if question else pages.find_section
    form = ef.DraftForm(request.POST or None, revision=draft.revision)
    if request.method == "POST" and not form.is_valid():
        return pages.bad_request(request)
    item = find(draft.definition, key)
    if item is None:
        if request.method == "POST":
            return _conflict_or_404(request, draft, form)
        raise Http404

    def again(current, *, status, conflict, exc):
        current_item = find(current.definition, key)
        if current_item is None:  # removed by someone else meanwhile
            return render_editor(request, current, status=409, conflict=True)
        pages.refresh_revision(form, current)
        errors = pages.place_errors(exc, current.definition) if exc else []
        return _remove_page(
            request, current, current_item, form, question, status, conflict, errors
        )

    if request.method == "GET":
        return again(draft, status=200, conflict=False, exc=None)
    operation = (
        services.survey_draft_question_remove if question else services.survey_draft_section_remove
    )
    _changed, exc = pages.run(request, operation, draft, form, key=key)
    if exc:
        return pages.refused(request, exc, draft, again)
    if question:
        section = pages.section_of(draft.definition, key) or {}
        text = _("Usunięto pytanie „%(name)s”.") % {"name": pl(item.get("text"), key)}
        anchor = f"obszar-{section.get('key')}" if section else "obszary"
    else:
        text = _("Usunięto obszar „%(name)s” razem z jego pytaniami.") % {
            "name": pl(item.get("title"), key)
        }
        anchor = "obszary"
    messages.success(request, text)
    return pages.back(pages.EDITOR, anchor=anchor)


def _remove_page(request, draft, item, form, question, status, conflict, errors):
    key = item["key"]
    if question:
        section = pages.section_of(draft.definition, key) or {}
        context = {
            "question": True,
            "name": pl(item.get("text"), key),
            "where": pl(section.get("title"), section.get("key", "")),
            "action": reverse("panel:survey-draft-question-remove", args=[key]),
            "cancel": pages.url(pages.EDITOR, anchor=f"pytanie-{key}"),
        }
    else:
        context = {
            "question": False,
            "name": pl(item.get("title"), key),
            "questions": [pl(q.get("text"), q["key"]) for q in item.get("questions", [])],
            "action": reverse("panel:survey-draft-section-remove", args=[key]),
            "cancel": pages.url(pages.EDITOR, anchor=f"obszar-{key}"),
        }
    context.update(
        {"draft": draft, "key": key, "form": form, "conflict": conflict, "errors": errors}
    )
    return render(request, "surveys/panel/remove.html", context, status=status)
