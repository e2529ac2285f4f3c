"""Layers: the domain layer of every app imports only downwards (README, "Architecture").

Every module under src/ocenurzad is parsed (the code is not run), and every import it
makes — at the top, inside a function, under ``if TYPE_CHECKING`` — is checked against
the order of the apps below. A domain module (models, services, selectors, forms,
management commands, anything that is not a view) may import its own app and the apps
below it, never an app above it: a rule that joins several apps lives in ``workflows``,
above them, or the lower app exposes a registry or a signal that the higher one fills.

View modules (``views.py``, ``panel_views``, ``panel_*.py``, ``urls.py``) are the panel's
vertical slices: they may import, besides their own layer and below, ``panel.access`` and
``accounts.permissions`` (the guard and the permissions every page needs) and
``workflows`` (panel views call the cross-app rules; they do not compose them), plus
the few named exceptions in ``VIEW_EXCEPTIONS``, each with its reason.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "ocenurzad"

# Lowest first. Each app may import the apps before it in this list.
ORDER = (
    "core",  # settings helpers, middleware, HTTP and database helpers
    "audit",  # the audit log: every app records its changes here
    "offices",  # the tenant: offices, departments, domains
    "accounts",  # staff accounts, roles, permissions
    "jobs",  # background jobs (records, lease, worker)
    "surveys",  # survey versions and answers' validation
    "banner",  # the banner (in the languages residents are offered) and the PDFs' fonts
    "printing",  # the printable form and its recorded layout
    "responses",  # residents' responses, paper entry
    "reports",  # report computation, rendering, the archive
    "actions",  # improvement actions (read reports)
    "scans",  # scanned paper sheets (read printing's layout, store responses)
    "workflows",  # cross-app rules: § 5, onboarding, the demo, the report's extra sections
    "panel",  # the panel's frame: dashboard, menu, manual
    "operations",  # backup, restore, office export and import, nightly purge
)
ROOT_MODULES = {"settings", "urls", "urls_office", "wsgi", "__init__"}

# What every view module may import whatever its layer.
VIEW_ALLOWED = ("ocenurzad.panel.access", "ocenurzad.accounts.permissions", "ocenurzad.workflows")
# View modules' other upward imports, each with its reason. Keep this list short.
VIEW_EXCEPTIONS = {
    # the draft's print preview is drawn by printing's PDF builder
    ("ocenurzad.surveys.panel_views.versions", "ocenurzad.printing.pdf"),
    # the audit log's page names the survey versions and accounts its entries mention
    ("ocenurzad.audit.views", "ocenurzad.accounts.models"),
    ("ocenurzad.audit.views", "ocenurzad.offices.models"),
    ("ocenurzad.audit.views", "ocenurzad.surveys.definition"),
    ("ocenurzad.audit.views", "ocenurzad.surveys.models"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_view(module: str) -> bool:
    parts = module.split(".")[2:]
    return any(
        part in ("views", "urls", "panel_views", "panel_urls") or part.startswith("panel_")
        for part in parts
    )


def _imports(path: Path, module: str):
    """(line, imported module) for every import in the file, wherever it is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "ocenurzad":  # from ocenurzad import reports
                for alias in node.names:
                    yield node.lineno, f"ocenurzad.{alias.name}"
            else:
                yield node.lineno, target


def _app(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "ocenurzad":
        return None
    return parts[1]


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, _module_name(path)


def _violations() -> list[str]:
    rank = {app: index for index, app in enumerate(ORDER)}
    found = []
    for path, module in _modules():
        app = _app(module)
        if app is None or app in ROOT_MODULES:
            continue
        view = _is_view(module)
        for line, target in _imports(path, module):
            other = _app(target)
            if other is None or other == app or other in ROOT_MODULES:
                continue
            if other not in rank:
                found.append(f"{path.relative_to(SRC.parent)}:{line} imports unknown {target}")
                continue
            if rank[other] < rank[app]:
                continue
            if view and (target.startswith(VIEW_ALLOWED) or (module, target) in VIEW_EXCEPTIONS):
                continue
            kind = "view" if view else "domain"
            found.append(f"{path.relative_to(SRC.parent)}:{line} ({kind}) {app} -> {target}")
    return found


def test_every_app_has_its_place_in_the_order():
    apps = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {
        "templates",
        "static",
        "locale",
    }
    assert apps == set(ORDER)


def test_domain_modules_import_only_downwards():
    assert _violations() == []


def test_the_exceptions_are_still_needed():
    used = set()
    for path, module in _modules():
        for _line, target in _imports(path, module):
            if (module, target) in VIEW_EXCEPTIONS:
                used.add((module, target))
    assert used == VIEW_EXCEPTIONS


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ocenurzad.reports.services import x", ["ocenurzad.surveys.x -> reports"]),
        ("def f():\n    from ocenurzad.reports import archive", ["ocenurzad.surveys.x -> reports"]),
        ("from ocenurzad import workflows", ["ocenurzad.surveys.x -> workflows"]),
        ("from ocenurzad.offices.models import Office", []),
        ("from .models import Survey", []),
        ("from ..offices import models", []),
    ],
)
def test_the_check_sees_upward_imports_anywhere_in_a_module(tmp_path, source, expected):
    """Negative control: an upward import, also one hidden in a function, is caught."""
    path = tmp_path / "x.py"
    path.write_text(source)
    module = "ocenurzad.surveys.x"
    rank = {app: index for index, app in enumerate(ORDER)}
    seen = [
        f"{module} -> {_app(target)}"
        for _line, target in _imports(path, module)
        if _app(target) not in (None, "surveys") and rank[_app(target)] > rank["surveys"]
    ]
    assert seen == expected
