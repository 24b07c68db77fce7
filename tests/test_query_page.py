# ruff: noqa: F811  (fixtures imported from test_serve are arguments of the tests)
"""The query page of `kg serve` in a real browser: a saved question's parameters are inputs, and
the page answers what `/saved/NAME` and `kg query --saved` answer (it ran the question's text
without them before: every baseline's rows instead of one's).

Headless chromium through playwright, as tests/test_viz_chromium.py; skipped where missing.
"""

from __future__ import annotations

import json

import pytest
from conftest import kg
from test_serve import http, server, store  # noqa: F401 - fixtures
from test_viz_chromium import ARGS, chromium_executable

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module")
def page(server):  # noqa: F811
    executable = chromium_executable()
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        tab = browser.new_page()
        tab.goto(server.url)
        tab.wait_for_function("document.querySelectorAll('#saved option').length > 5")
        yield tab
        browser.close()


def _cli_rows(store, name: str, **params: str) -> int:  # noqa: F811
    args = [f"--param={k}={v}" for k, v in params.items()]
    done = kg("query", "--saved", name, *args, "--format", "json", "--store", store)
    return len(json.loads(done.stdout)["results"]["bindings"])


def _page_rows(page, name: str, **params: str) -> int:
    page.select_option("#saved", name)
    for key, value in params.items():
        page.fill(f"#params input[name={key}]", value)
    page.click("#run")
    page.wait_for_function("/ rows? in /.test(document.getElementById('status').textContent)")
    return page.locator("#out table tr").count() - 1


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("methods-compared-against", {}),
        ("methods-compared-against", {"baseline": "TensorRT-LLM"}),
        ("methods-in-topic", {"topic": "serving", "limit": "5"}),
    ],
)
def test_the_page_answers_as_saved_and_the_command_line(page, server, store, name, params):  # noqa: F811
    page.select_option("#saved", name)
    shown = {i.get_attribute("name"): i.input_value() for i in page.locator("#params input").all()}
    assert "limit" in shown  # every declared parameter is an input
    rows = _page_rows(page, name, **params)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    status, _, body = http(f"{server.url}saved/{name}?{query}&format=json")
    assert status == 200
    assert rows == len(json.loads(body)["results"]["bindings"]) == _cli_rows(store, name, **params)
    assert rows > 0


def test_editing_the_text_runs_your_own_sparql(page):
    page.select_option("#saved", "methods-compared-against")
    page.fill("#q", "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }")
    page.dispatch_event("#q", "input")
    assert page.locator("#params input").count() == 0
    page.click("#run")
    page.wait_for_function("/ rows? in /.test(document.getElementById('status').textContent)")
    assert page.locator("#out table tr").count() - 1 == 3
