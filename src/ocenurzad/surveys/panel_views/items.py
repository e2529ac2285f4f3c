"""The editor's pages for one item: a question (texts in every language, settings, the
answers of a choice question), a section, the rating scale, the title and introduction."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocenurzad.accounts.permissions import Perm
from ocenurzad.core.templatetags.languages import pl_format
from ocenurzad.panel.access import panel_view

from .. import editor_forms as ef
from .. import services
from ..validation import KIND_LABELS
from . import pages
from .editor import render_editor
from .pages import pl

NEW_OPTION = "nowa-odpowiedz"


# A question


def render_question(
    request, draft, question, *, form=None, forms=None, status=200, conflict=False, errors=None
):
    """The question page. ``form``: the question's own form as typed; ``forms``: a refused
    answer form as typed ({prefix: form})."""
    languages = pages.languages_of(request)
    forms = forms or {}
    if conflict:
        for bound in (form, *forms.values()):
            pages.refresh_revision(bound, draft)
    form = form or ef.QuestionForm(question=question, languages=languages, revision=draft.revision)
    options = []
    entries = question.get("options") or []
    for index, option in enumerate(entries):
        prefix = ef.option_prefix(option["value"])
        options.append(
            {
                "value": option["value"],
                "label": pl(option.get("label"), option["value"]),
                "first": index == 0,
                "last": index == len(entries) - 1,
                "form": forms.get(prefix)
                or ef.OptionForm(
                    prefix=prefix, option=option, languages=languages, revision=draft.revision
                ),
            }
        )
    add_form = forms.get(NEW_OPTION) or ef.OptionAddForm(prefix=NEW_OPTION, revision=draft.revision)
    if errors is None:
        errors = [item for bound in (form, *forms.values()) for item in bound.error_summary()]
    section = pages.section_of(draft.definition, question["key"]) or {}
    context = {
        "draft": draft,
        "question": question,
        "text": pl(question.get("text"), question["key"]),
        "kind_label": KIND_LABELS.get(question["kind"], question["kind"]),
        "section": section,
        "section_title": pl(section.get("title"), section.get("key", "")),
        "form": form,
        "choice": question["kind"] in ("single", "multi"),
        "options": options,
        "add_form": add_form,
        "errors": errors,
        "conflict": conflict,
        "saved": [
            (ef.language_label(code), (question.get("text") or {}).get(code, ""))
            for code in languages
        ],
    }
    return render(request, "surveys/panel/question.html", context, status=status)


def _question_again(request, key, *, form=None, forms=None, field_for=None, target_form=None):
    """Draw the question page again after a refusal (the editor when it is gone)."""

    def again(draft, *, status, conflict, exc):
        question = pages.find_question(draft.definition, key)
        if question is None:
            return render_editor(request, draft, status=409, conflict=True)
        errors = None
        if exc is not None:
            errors = pages.place_errors(exc, draft.definition, target_form, field_for=field_for)
        return render_question(
            request,
            draft,
            question,
            form=form,
            forms=forms,
            status=status,
            conflict=conflict,
            errors=errors,
        )

    return again


def _question_field(key):
    def field_for(target):
        if target.question is not None and target.question["key"] == key and not target.option:
            return pages.input_name(target)
        return None

    return field_for


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def question_edit(request, key):
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request) if request.method == "GET" else pages.draft_gone(request)
    question = pages.find_question(draft.definition, key)
    languages = pages.languages_of(request)
    if request.method == "GET":
        if question is None:
            raise Http404
        return render_question(request, draft, question)
    form = ef.QuestionForm(request.POST, question=question or {}, languages=languages)
    if form.revision_missing:
        return pages.bad_request(request)
    if question is None:
        if pages.stale(draft, form):
            return render_editor(request, draft, status=409, conflict=True)
        raise Http404
    if not form.is_valid():
        return render_question(request, draft, question, form=form, status=400)
    _changed, exc = pages.run(
        request,
        services.survey_draft_question_update,
        draft,
        form,
        key=key,
        fields=form.question_fields(),
    )
    if exc:
        again = _question_again(
            request, key, form=form, field_for=_question_field(key), target_form=form
        )
        return pages.refused(request, exc, draft, again)
    messages.success(
        request, _("Zapisano pytanie „%(text)s”.") % {"text": form.cleaned_data["text_pl"]}
    )
    return pages.back(pages.EDITOR, anchor=f"pytanie-{key}")


# The answers of a choice question


def _option_post(request, key, value, form_class, form_kwargs):
    """The draft, question, option and bound form of an answer's POST, or a response."""
    draft = pages.draft_now(request)
    if draft is None:
        return None, None, None, None, pages.draft_gone(request)
    question = pages.find_question(draft.definition, key)
    option = pages.find_option(question, value) if value is not None else None
    form = form_class(request.POST, **form_kwargs(question, option))
    if form.revision_missing:
        return None, None, None, None, pages.bad_request(request)
    if question is None or (value is not None and option is None):
        if pages.stale(draft, form):
            again = _question_again(request, key)
            return None, None, None, None, again(draft, status=409, conflict=True, exc=None)
        raise Http404
    return draft, question, option, form, None


@require_POST
@panel_view(Perm.SURVEY)
def option_add(request, key):
    draft, question, _option, form, response = _option_post(
        request,
        key,
        None,
        ef.OptionAddForm,
        lambda q, o: {
            "prefix": NEW_OPTION,
            "taken": {x["value"] for x in (q or {}).get("options") or []},
        },
    )
    if response:
        return response
    forms = {NEW_OPTION: form}
    if not form.is_valid():
        return render_question(request, draft, question, forms=forms, status=400)
    value = form.cleaned_data["value"]
    _changed, exc = pages.run(
        request,
        services.survey_draft_option_add,
        draft,
        form,
        key=key,
        value=value,
        label={"pl": form.cleaned_data["label_pl"]},
    )
    if exc:
        field_for = {"value": "value", "label": "label_pl", "options": "value"}
        again = _question_again(
            request, key, forms=forms, field_for=lambda t: field_for.get(t.field), target_form=form
        )
        return pages.refused(request, exc, draft, again)
    messages.success(
        request,
        _("Dodano odpowiedź „%(label)s”. Możesz teraz dopisać jej tłumaczenia.")
        % {"label": form.cleaned_data["label_pl"]},
    )
    return pages.back(pages.QUESTION, key, anchor=f"odpowiedz-{value}")


@require_POST
@panel_view(Perm.SURVEY)
def option_update(request, key, value):
    languages = pages.languages_of(request)
    prefix = ef.option_prefix(value)
    draft, question, _option, form, response = _option_post(
        request,
        key,
        value,
        ef.OptionForm,
        lambda q, o: {"prefix": prefix, "option": o or {}, "languages": languages},
    )
    if response:
        return response
    forms = {prefix: form}
    if not form.is_valid():
        return render_question(request, draft, question, forms=forms, status=400)
    _changed, exc = pages.run(
        request,
        services.survey_draft_option_update,
        draft,
        form,
        key=key,
        value=value,
        label=form.texts("label", languages),
    )
    if exc:

        def field_for(target):
            if target.option is not None and target.option["value"] == value:
                return pages.input_name(target)
            return None

        again = _question_again(request, key, forms=forms, field_for=field_for, target_form=form)
        return pages.refused(request, exc, draft, again)
    messages.success(
        request, _("Zapisano odpowiedź „%(label)s”.") % {"label": form.cleaned_data["label_pl"]}
    )
    return pages.back(pages.QUESTION, key, anchor=f"odpowiedz-{value}")


@require_POST
@panel_view(Perm.SURVEY)
def option_move(request, key, value):
    draft, _question, option, form, response = _option_post(
        request, key, value, ef.MoveForm, lambda q, o: {}
    )
    if response:
        return response
    if not form.is_valid():
        return pages.bad_request(request)
    direction = form.cleaned_data["direction"]
    changed, exc = pages.run(
        request,
        services.survey_draft_option_move,
        draft,
        form,
        key=key,
        value=value,
        direction=direction,
    )
    if exc:
        return pages.refused(request, exc, draft, _question_again(request, key))
    name = pl(option.get("label"), value)
    text = (
        _("Przesunięto w górę: %(name)s.")
        if direction == "up"
        else _("Przesunięto w dół: %(name)s.")
    ) % {"name": name}
    messages.success(request, text)
    values = [o["value"] for o in pages.find_question(changed.definition, key).get("options", [])]
    anchor = pages.move_anchor(values, value, direction, "odpowiedz")
    return pages.back(pages.QUESTION, key, anchor=anchor)


@require_POST
@panel_view(Perm.SURVEY)
def option_remove(request, key, value):
    draft, _question, option, form, response = _option_post(
        request, key, value, ef.DraftForm, lambda q, o: {}
    )
    if response:
        return response
    if not form.is_valid():
        return pages.bad_request(request)
    _changed, exc = pages.run(
        request, services.survey_draft_option_remove, draft, form, key=key, value=value
    )
    if exc:
        return pages.refused(request, exc, draft, _question_again(request, key))
    messages.success(
        request, _("Usunięto odpowiedź „%(label)s”.") % {"label": pl(option.get("label"), value)}
    )
    return pages.back(pages.QUESTION, key, anchor="odpowiedzi")


# A section, the rating scale, the title and introduction: texts in every language


def _header_save(*, office, actor, draft, revision, header):
    """The title and introduction: saved with the whole definition (one revision check)."""
    definition = {**draft.definition, "title": header["title"]}
    if header["intro"]:
        definition["intro"] = header["intro"]
    else:
        definition.pop("intro", None)
    return services.survey_draft_save(
        office=office, actor=actor, draft=draft, definition=definition, revision=revision
    )


TEXT_PAGES = {
    # kind: (page name, anchor in the editor, confirmation)
    "section": (pages.SECTION, "obszar-{key}", _("Zapisano obszar „%(name)s”.")),
    "scale": (pages.SCALE, "skala", _("Zapisano opisy skali ocen.")),
    "header": (pages.HEADER, "naglowek", _("Zapisano tytuł i wstęp ankiety.")),
}


def _text_form(kind, draft, key, languages, data=None):
    """The page's form, or None when its section is not in the draft."""
    definition = draft.definition
    if kind == "section":
        section = pages.find_section(definition, key)
        if section is None:
            return None
        return ef.SectionForm(data, section=section, languages=languages, revision=draft.revision)
    if kind == "scale":
        scale = definition.get("scale", {})
        return ef.ScaleForm(data, scale=scale, languages=languages, revision=draft.revision)
    return ef.HeaderForm(data, definition=definition, languages=languages, revision=draft.revision)


def _text_save(kind, form, key):
    if kind == "section":
        return services.survey_draft_section_update, {"key": key, "fields": form.section_fields()}
    if kind == "scale":
        return services.survey_draft_scale_labels_update, {"labels": form.labels()}
    return _header_save, {"header": form.header()}


def _texts_view(request, kind, key=None):
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request) if request.method == "GET" else pages.draft_gone(request)
    languages = pages.languages_of(request)
    if request.method == "GET":
        form = _text_form(kind, draft, key, languages)
        if form is None:
            raise Http404
        return _texts_page(request, kind, draft, form, key)
    form = _text_form(kind, draft, key, languages, data=request.POST)
    if form is None:
        probe = ef.DraftForm(request.POST)
        if not probe.is_valid():
            return pages.bad_request(request)
        if pages.stale(draft, probe):
            return render_editor(request, draft, status=409, conflict=True)
        raise Http404
    if form.revision_missing:
        return pages.bad_request(request)
    if not form.is_valid():
        return _texts_page(request, kind, draft, form, key, status=400)
    operation, arguments = _text_save(kind, form, key)
    _changed, exc = pages.run(request, operation, draft, form, **arguments)
    if exc:

        def again(current, *, status, conflict, exc):
            if kind == "section" and pages.find_section(current.definition, key) is None:
                return render_editor(request, current, status=409, conflict=True)
            if conflict:
                pages.refresh_revision(form, current)
            errors = None
            if exc is not None:
                errors = pages.place_errors(
                    exc, current.definition, form, field_for=pages.input_name
                )
            return _texts_page(
                request, kind, current, form, key, status=status, conflict=conflict, errors=errors
            )

        return pages.refused(request, exc, draft, again)
    _name, anchor, done = TEXT_PAGES[kind]
    name = form.cleaned_data.get("title_pl", "")
    messages.success(request, pl_format(done, name=name) if kind == "section" else done)
    return pages.back(pages.EDITOR, anchor=anchor.format(key=key))


def _texts_page(request, kind, draft, form, key, *, status=200, conflict=False, errors=None):
    page, anchor, _done = TEXT_PAGES[kind]
    section = pages.find_section(draft.definition, key) if kind == "section" else None
    if kind == "section":
        name = pl(section.get("title"), key)
        heading = _("Obszar „%(name)s”") % {"name": name}
        heading_html = pl_format(_("Obszar „%(name)s”"), name=name)
    elif kind == "scale":
        heading = _("Skala ocen")
    else:
        heading = _("Tytuł i wstęp ankiety")
    if kind != "section":
        heading_html = heading
    return render(
        request,
        "surveys/panel/texts.html",
        {
            "draft": draft,
            "kind": kind,
            "heading": heading,
            "heading_html": heading_html,
            "action": reverse(page, args=[key] if key else []),
            "cancel": pages.url(pages.EDITOR, anchor=anchor.format(key=key)),
            "form": form,
            "errors": form.error_summary() if errors is None else errors,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def section_edit(request, key):
    return _texts_view(request, "section", key)


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def scale_edit(request):
    return _texts_view(request, "scale")


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def header_edit(request):
    return _texts_view(request, "header")
