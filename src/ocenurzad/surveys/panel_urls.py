"""The survey in the panel, included at admin/ankieta/ in the "panel" namespace.

Question and section keys and answer values are the definition's own keys
(``[a-z0-9_]``); a key that is not in the draft is a 404.
"""

from django.urls import path

from . import panel_views as views

urlpatterns = [
    path("", views.survey, name="survey"),
    path("wersje/<int:pk>/", views.version_detail, name="survey-version"),
    path("jezyki/", views.survey_languages, name="survey-languages"),
    path("szkic/utworz/", views.draft_create, name="survey-draft-create"),
    path("szkic/", views.draft_editor, name="survey-draft"),
    path("szkic/odrzuc/", views.draft_discard, name="survey-draft-discard"),
    path("szkic/podglad/", views.draft_preview, name="survey-draft-preview"),
    path("szkic/podglad.pdf", views.draft_preview_pdf, name="survey-draft-preview-pdf"),
    path("szkic/opublikuj/", views.draft_publish, name="survey-draft-publish"),
    path("szkic/naglowek/", views.header_edit, name="survey-draft-header"),
    path("szkic/skala/", views.scale_edit, name="survey-draft-scale"),
    path("szkic/obszary/dodaj/", views.section_add, name="survey-draft-section-add"),
    path("szkic/obszary/<slug:key>/", views.section_edit, name="survey-draft-section"),
    path(
        "szkic/obszary/<slug:key>/przesun/",
        views.section_move,
        name="survey-draft-section-move",
    ),
    path(
        "szkic/obszary/<slug:key>/usun/",
        views.section_remove,
        name="survey-draft-section-remove",
    ),
    path(
        "szkic/obszary/<slug:section_key>/dodaj-pytanie/",
        views.question_add,
        name="survey-draft-question-add",
    ),
    path("szkic/pytanie/<slug:key>/", views.question_edit, name="survey-draft-question"),
    path(
        "szkic/pytanie/<slug:key>/przesun/",
        views.question_move,
        name="survey-draft-question-move",
    ),
    path(
        "szkic/pytanie/<slug:key>/usun/",
        views.question_remove,
        name="survey-draft-question-remove",
    ),
    path(
        "szkic/pytanie/<slug:key>/odpowiedzi/dodaj/",
        views.option_add,
        name="survey-draft-option-add",
    ),
    path(
        "szkic/pytanie/<slug:key>/odpowiedzi/<slug:value>/",
        views.option_update,
        name="survey-draft-option",
    ),
    path(
        "szkic/pytanie/<slug:key>/odpowiedzi/<slug:value>/przesun/",
        views.option_move,
        name="survey-draft-option-move",
    ),
    path(
        "szkic/pytanie/<slug:key>/odpowiedzi/<slug:value>/usun/",
        views.option_remove,
        name="survey-draft-option-remove",
    ),
]
