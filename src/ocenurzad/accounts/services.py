"""Changes to staff accounts. Each one is atomic and leaves an audit entry in the same
transaction; passwords, codes and TOTP secrets never reach the audit log."""

from axes.helpers import get_cache, get_cache_timeout
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocenurzad.audit.services import audit_record, changed_fields

from .models import Role, User
from .permissions import RAW_EXPORT_GRANTABLE
from .selectors import lock_clients_key, usernames_locked_out
from .throttling import client_key, client_login_reset

# Back-ends that do not deliver mail to anyone: with these, reset links cannot be sent.
UNDELIVERED_MAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }
)
RESET_SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
RESET_EMAIL_TEMPLATE = "accounts/password_reset_email.txt"
TOTP_DEVICE_NAME = "Aplikacja uwierzytelniająca"
ACCOUNT_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "is_active",
    "raw_export",
)


def mail_delivers() -> bool:
    """Is an e-mail back-end configured that really sends mail?"""
    return settings.EMAIL_BACKEND not in UNDELIVERED_MAIL_BACKENDS


# --- who may give which role -------------------------------------------------------------


def roles_assignable(*, actor) -> list[tuple[str, str]]:
    """The roles this actor may give: the operator role only by an operator."""
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.OPERATOR or actor.role == Role.OPERATOR
    ]


def _ensure_may_manage(*, actor, user: User) -> None:
    """Only an operator may change an operator account (or make one)."""
    if user.role == Role.OPERATOR and actor.role != Role.OPERATOR:
        raise PermissionDenied


def _ensure_role_assignable(*, actor, role: str) -> None:
    if role not in dict(roles_assignable(actor=actor)):
        raise ValidationError({"role": _("Nie możesz nadać tej roli.")})


def _snapshot(user: User) -> dict:
    return {field: getattr(user, field) for field in ACCOUNT_FIELDS}


# --- the office's staff accounts -----------------------------------------------------------


@transaction.atomic
def staff_user_create(
    *,
    office,
    actor,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a staff account of ``office``.

    Refuses (ValidationError) a login already taken (in any letter case), a role the
    actor may not give and a password the validators reject.
    """
    _ensure_role_assignable(actor=actor, role=role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("To konto (login) już istnieje.")})
    user = User(
        office=office,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        office=office, actor=actor, action="user.create", target=user, after=_snapshot(user)
    )
    return user


@transaction.atomic
def staff_user_update(
    *,
    office,
    actor,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    is_active: bool,
    raw_export: bool | None = None,
) -> User:
    """Change the name, e-mail, role, active state or the raw-export grant (downloading
    residents' answers response by response; only for the roles of
    ``RAW_EXPORT_GRANTABLE``, else it is cleared) of an account of ``office``.

    Nobody can change their own role or switch their own account off (an office would
    otherwise lose its last administrator by a slip), nor grant themselves the raw
    export; the operator role is given and taken only by an operator. Audited.
    """
    if user.office_id != office.pk:
        raise PermissionDenied
    _ensure_may_manage(actor=actor, user=user)
    if role != user.role:
        _ensure_role_assignable(actor=actor, role=role)
    if user.pk == actor.pk and (role != user.role or not is_active):
        raise ValidationError(
            _(
                "Nie możesz odebrać sobie roli ani wyłączyć własnego konta — "
                "poproś o to innego administratora."
            )
        )
    if raw_export is None:
        raw_export = user.raw_export
    if user.pk == actor.pk and raw_export and not user.raw_export:
        raise ValidationError(
            {"raw_export": _("Tego uprawnienia nie możesz nadać sobie — poproś administratora.")}
        )
    before = _snapshot(user)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.role, user.is_active = role, is_active
    user.raw_export = bool(raw_export) and role in RAW_EXPORT_GRANTABLE
    user.save(update_fields=["first_name", "last_name", "email", "role", "is_active", "raw_export"])
    old, new = changed_fields(before, _snapshot(user))
    if new:
        audit_record(
            office=office, actor=actor, action="user.update", target=user, before=old, after=new
        )
    return user


@transaction.atomic
def staff_user_password_set(*, office, actor, user: User, password: str) -> User:
    """Give an account of ``office`` a new password (hashed with the first hasher,
    Argon2). The account's other sessions end, as with any password change."""
    if user.office_id != office.pk:
        raise PermissionDenied
    _ensure_may_manage(actor=actor, user=user)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        office=office,
        actor=actor,
        action="user.password_set",
        target=user,
        before={"password": "—"},
        after={"password": "ustawione przez administratora"},
    )
    return user


@transaction.atomic
def staff_user_password_reset_send(
    *, office, actor, user: User, domain: str, use_https: bool
) -> User:
    """Mail the account a link to set its own password (sent once the transaction commits).

    Refuses when no mail back-end delivers or the account has no e-mail address.
    """
    if user.office_id != office.pk:
        raise PermissionDenied
    _ensure_may_manage(actor=actor, user=user)
    if not (mail_delivers() and user.email):
        raise ValidationError(_("Nie można wysłać wiadomości: brak adresu e-mail lub poczty."))
    subject, body = password_reset_mail_render(
        office=office, user=user, domain=domain, use_https=use_https
    )
    audit_record(
        office=office,
        actor=actor,
        action="user.password_reset_sent",
        target=user,
        after={"password_reset_link_sent_to": user.email},
    )
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
    return user


def password_reset_mail_render(*, office, user: User, domain: str, use_https: bool):
    """Subject and text of the reset message, with links to the office's own panel.

    Rendered at once (not when sent) so links carry the office's address form."""
    protocol = "https" if use_https else "http"
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": office.name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
        **password_reset_mail_context(office=office, domain=domain, protocol=protocol),
    }
    subject = "".join(render_to_string(RESET_SUBJECT_TEMPLATE, context).splitlines())
    return subject, render_to_string(RESET_EMAIL_TEMPLATE, context)


def password_reset_mail_context(*, office, domain: str, protocol: str) -> dict:
    return {"office": office, "panel_url": f"{protocol}://{domain}{reverse('panel:home')}"}


# --- login throttling ----------------------------------------------------------------------


def login_failure_record(*, request, username: str) -> bool:
    """Count a failed login step (a wrong code, or a right password at the wrong office)
    as django-axes counts wrong passwords. Returns True when this locks the account."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    if locked:
        login_lock_remember(request=request, username=username)
    return locked


def login_lock_remember(*, request, username: str) -> None:
    """Remember which (hashed) client locked the account, so that unlocking it also
    frees the computer the person works at. Kept only as long as the lock lasts."""
    client = client_key(request)
    if not client or not username:
        return
    cache = get_cache()
    key = lock_clients_key(username)
    clients = set(cache.get(key) or ())
    clients.add(client)
    cache.set(key, sorted(clients), get_cache_timeout(request))


@transaction.atomic
def staff_user_unlock(*, office, actor, user: User) -> bool:
    """Lift the lock-out of an account (and of the clients that locked it).

    Returns whether the account was locked."""
    if user.office_id != office.pk:
        raise PermissionDenied
    _ensure_may_manage(actor=actor, user=user)
    was_locked = user.username in usernames_locked_out(usernames=[user.username])
    axes_reset(username=user.username)
    cache = get_cache()
    client_login_reset(clients=cache.get(lock_clients_key(user.username)) or ())
    cache.delete(lock_clients_key(user.username))
    audit_record(
        office=office,
        actor=actor,
        action="user.unlock",
        target=user,
        before={"locked_out": was_locked},
        after={"locked_out": False},
    )
    return was_locked


# --- own account: password and second factor ------------------------------------------------


@transaction.atomic
def account_password_change(*, office, actor, password: str) -> None:
    """The signed-in person changes their own password (already validated by the form)."""
    actor.set_password(password)
    actor.save(update_fields=["password"])
    audit_record(
        office=office,
        actor=actor,
        action="user.password_change",
        target=actor,
        before={"password": "—"},
        after={"password": "zmienione przez właściciela konta"},
    )


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The account's unconfirmed TOTP device, made once: reloading the set-up page keeps
    the secret already scanned. Nothing changes for logging in until it is confirmed."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk")
    device = pending.first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, office, actor, device: TOTPDevice, token: str) -> bool:
    """Turn logging in with a code on, if ``token`` is the device's current code.

    Other devices of the account are removed: one account, one phone. Subject to the
    device's own throttling (each wrong code doubles the wait before the next)."""
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied
    verified = verify_token(actor, device.persistent_id, token)
    if verified is None:
        return False
    TOTPDevice.objects.filter(user_id=actor.pk).exclude(pk=device.pk).delete()
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    audit_record(
        office=office,
        actor=actor,
        action="user.2fa_on",
        target=actor,
        before={"two_factor": False},
        after={"two_factor": True},
    )
    return True


def totp_code_check(*, user, device: TOTPDevice, token: str) -> bool:
    """Does ``token`` match the account's confirmed device? (django-otp throttles it.)"""
    return verify_token(user, device.persistent_id, token) is not None


def _totp_remove(*, office, actor, user: User, action: str) -> bool:
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            office=office,
            actor=actor,
            action=action,
            target=user,
            before={"two_factor": True},
            after={"two_factor": False},
        )
    return bool(deleted)


@transaction.atomic
def totp_disable(*, office, actor) -> bool:
    """The signed-in person turns their second factor off; refused where the office
    requires it."""
    if office.require_2fa:
        raise ValidationError(_("Ten urząd wymaga logowania dwuetapowego — nie można go wyłączyć."))
    return _totp_remove(office=office, actor=actor, user=actor, action="user.2fa_off")


@transaction.atomic
def staff_user_totp_reset(*, office, actor, user: User) -> bool:
    """An administrator removes a staff member's second factor (a lost phone). Where the
    office requires it, that person sets up a new one at their next login."""
    if user.office_id != office.pk:
        raise PermissionDenied
    _ensure_may_manage(actor=actor, user=user)
    return _totp_remove(office=office, actor=actor, user=user, action="user.2fa_reset")
