"""What the survey services refuse with. Every refusal carries a Polish ``message`` that
can be shown to the administrator as it is; nothing was changed when one is raised."""

from django.utils.translation import gettext as _

from ..validation import DefinitionError


class SurveyEditError(Exception):
    """Base of every refusal of the survey services."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotADraft(SurveyEditError):
    """The version is not a draft of this office: published (a published version never
    changes), or another office's, or gone. The same refusal for all of them."""


class DraftExists(SurveyEditError):
    """The survey already has a draft, started from another version (``draft``): ask the
    administrator whether to continue it or to discard it first."""

    def __init__(self, draft):
        super().__init__(
            _(
                "Ankieta ma już szkic (zaczęty od wersji %(base)s). Dokończ go albo odrzuć, "
                "zanim zaczniesz nowy."
            )
            % {"base": draft.based_on.number if draft.based_on_id else "—"}
        )
        self.draft = draft


class DraftConflict(SurveyEditError):
    """The draft was saved by someone else after the caller read it (``revision`` is
    stale). The stored draft is kept as it is; ``current_revision`` is the stored one."""

    def __init__(self, current_revision: int):
        super().__init__(
            _(
                "Ktoś inny zmienił ten szkic w międzyczasie. Twoja zmiana nie została "
                "zapisana — odśwież stronę, sprawdź zmiany i wprowadź ją ponownie."
            )
        )
        self.current_revision = current_revision


class DefinitionInvalid(SurveyEditError):
    """The definition the change would produce has problems; ``errors`` lists them, each
    with its path and Polish message."""

    def __init__(self, errors: list[DefinitionError]):
        super().__init__(
            _("Ankieta ma błędy (%(count)d) i nie została zapisana.") % {"count": len(errors)}
        )
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join([self.message, *(str(e) for e in self.errors)])


class PublishFailed(SurveyEditError):
    """Publishing was refused because the report of the results so far could not be
    archived first (the ordinance, § 5). Nothing changed."""
