"""Imports run one way: pages -> services -> models. The request engine never imports page code,
and nothing imports the root URLconf."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

APPS = ("config", "campaign", "dashboard", "requests_app")
# Page code: views, URLconfs and the organiser app. Services may not import these.
PAGE_MODULES = ("campaign.views", "campaign.embeds", "campaign.api", "campaign.urls", "campaign.urls_in_language")
PAGE_PACKAGES = ("dashboard",)
REQUEST_ENGINE_PAGES = ("requests_app.views", "requests_app.followup_views", "requests_app.urls")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules_of(app: str) -> list[tuple[str, Path]]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found.append((module, path))
    return found


def is_page(module: str) -> bool:
    return any(
        module == page or module.startswith(f"{page}.")
        for page in (*PAGE_MODULES, *REQUEST_ENGINE_PAGES, *PAGE_PACKAGES)
    )


def imported_pages(path: Path) -> set[str]:
    return {name for name in imports_of(path) if is_page(name)}


@pytest.mark.parametrize(("module", "path"), modules_of("requests_app"), ids=lambda value: str(value))
def test_the_request_engine_imports_no_page_code_but_its_own(module, path):
    if module in REQUEST_ENGINE_PAGES:
        # Its own pages may import each other, never the campaign's or the dashboard's.
        assert {name for name in imported_pages(path) if not name.startswith("requests_app.")} == set()
        return
    assert imported_pages(path) == set()


@pytest.mark.parametrize(
    ("module", "path"),
    [(module, path) for module, path in modules_of("campaign") if not is_page(module)],
    ids=lambda value: str(value),
)
def test_campaign_services_and_models_import_no_page_code(module, path):
    assert imported_pages(path) == set()


@pytest.mark.parametrize(
    ("module", "path"), [pair for app in APPS for pair in modules_of(app)], ids=lambda value: str(value)
)
def test_nothing_imports_the_root_urlconf(module, path):
    assert "config.urls" not in imports_of(path)


@pytest.mark.parametrize(
    ("module", "path"), [pair for app in APPS[1:] for pair in modules_of(app)], ids=lambda value: str(value)
)
def test_the_apps_import_only_config_plumbing(module, path):
    # Apps may use the project's plumbing (the Celery app, rate limits), never its settings module.
    assert "config.settings" not in imports_of(path)


def test_the_check_sees_a_backward_import(tmp_path):
    backwards = tmp_path / "sending.py"
    backwards.write_text("from campaign.views import submit_form\nfrom dashboard.numbers import outcome_summary\n")
    assert imported_pages(backwards) == {
        "campaign.views",
        "campaign.views.submit_form",
        "dashboard.numbers",
        "dashboard.numbers.outcome_summary",
    }
