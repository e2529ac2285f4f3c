"""Who may open which panel page: every role against every page without parameters.

The pages are found from the URL configuration, so a new page is checked without
anyone remembering to add it here; its expected answer follows from the permission its
guard (panel_view) names and the roles' permissions in accounts/permissions.py.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from ocenurzad.accounts.models import Role, User
from ocenurzad.accounts.permissions import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db


def _panel_pages():
    resolver = get_resolver(settings.OFFICE_URLCONF)
    panel = next(
        p for p in resolver.url_patterns if isinstance(p, URLResolver) and p.namespace == "panel"
    )
    pages = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and "<" not in route:
                perm = getattr(p.callback, "panel_perm", None)
                if perm is not None:
                    pages.append((p.name, "admin/" + route, perm))

    walk(panel.url_patterns, "")
    return pages


PAGES = _panel_pages()
# Pages that answer a download only with their parameters.
QUERY = {"print-batch": "?od=1&liczba=1", "print-pdf": "?jezyk=pl"}
# Numbered batches are for the administrator only (the PDF itself for reporters too).
ADMIN_ONLY = {"print-batch"}
# Pages that hand the work to a background job and send the allowed user to its page.
VIA_JOB = {"help-manual-pdf"}


def test_the_panel_has_guarded_pages_for_every_function():
    names = {name for name, _route, _perm in PAGES}
    assert {
        "dashboard",
        "paper-entry",
        "print",
        "reports",
        "office",
        "survey",
        "banner",
        "users",
        "audit",
        "help",
    } <= names


def _user(office, role, name):
    return User.objects.create_user(
        username=name, password="x", role=role, office=None if role == Role.OPERATOR else office
    )


@pytest.fixture
def people(office, other_office):
    return {role: _user(office, role, f"{role}-here") for role in Role.values} | {
        "foreign_admin": _user(other_office, Role.OFFICE_ADMIN, "admin-there")
    }


@pytest.mark.parametrize(("name", "route", "perm"), PAGES, ids=[p[0] for p in PAGES])
def test_role_matrix(client, office, people, name, route, perm):
    url = f"/{office.slug}/{route}" + QUERY.get(name, "")

    anonymous = client.get(url)
    if anonymous.status_code == 405:
        pytest.skip("POST-only action; its own tests check the roles")  # pragma: no cover
    assert anonymous.status_code == 302, f"{name}: anonymous must be sent to the login page"
    assert "/admin/logowanie/" in anonymous["Location"]

    for role in Role.values:
        client.force_login(people[role])
        status = client.get(url).status_code
        allowed = perm in ROLE_PERMISSIONS[role] and (
            name not in ADMIN_ONLY or role in (Role.OFFICE_ADMIN, Role.OPERATOR)
        )
        expected = (302 if name in VIA_JOB else 200) if allowed else 403
        assert status == expected, f"{name} as {role}: {status}, expected {expected}"

    client.force_login(people["foreign_admin"])
    assert client.get(url).status_code == 404, f"{name}: another office's admin must get 404"


@pytest.mark.parametrize(("name", "route", "perm"), PAGES, ids=[p[0] for p in PAGES])
def test_host_address_guards_the_same(client, office, people, name, route, perm):
    client.force_login(people["foreign_admin"])
    assert client.get(f"/{route}", HTTP_HOST=f"{office.slug}.localhost").status_code == 404


def _menu(response) -> str:
    html = response.content.decode()
    return html[
        html.index('<nav class="panel-nav"') : html.index(
            "</nav>", html.index('<nav class="panel-nav"')
        )
    ]


def test_navigation_shows_only_what_the_role_may_use(client, office, people):
    client.force_login(people[Role.CLERK])
    html = _menu(client.get(f"/{office.slug}/admin/pomoc/"))
    assert "Wprowadź ankietę (papierową)" in html
    assert "Generuj raport" not in html
    assert "Dane urzędu" not in html
    assert "Użytkownicy" not in html

    client.force_login(people[Role.REPORTER])
    html = _menu(client.get(f"/{office.slug}/admin/pulpit/"))
    assert "Generuj raport" in html
    assert "Wprowadź ankietę (papierową)" not in html
    assert "Użytkownicy" not in html

    client.force_login(people[Role.OFFICE_ADMIN])
    html = _menu(client.get(f"/{office.slug}/admin/pulpit/"))
    for label in (
        "Wprowadź ankietę (papierową)",
        "Pobierz ankietę do wydrukowania (PDF)",
        "Generuj raport",
        "Dane urzędu",
        "Ankieta",
        "Baner „Oceń Urząd”",
        "Użytkownicy",
        "Pomoc",
    ):
        assert label in html
    assert "Urzędy platformy" not in html
    # the three functions of the ordinance come first
    assert html.index("Wprowadź ankietę (papierową)") < html.index("Dane urzędu")


def test_panel_home_sends_each_role_to_its_start(client, office, people):
    assert client.get(f"/{office.slug}/admin/")["Location"].endswith("/admin/logowanie/")
    client.force_login(people[Role.CLERK])
    assert client.get(f"/{office.slug}/admin/")["Location"] == (
        f"/{office.slug}/admin/ankiety-papierowe/"
    )
    client.force_login(people[Role.REPORTER])
    assert client.get(f"/{office.slug}/admin/")["Location"] == f"/{office.slug}/admin/pulpit/"
