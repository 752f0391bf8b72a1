"""The query page at /: what the server renders, and the page at work in a real browser.

The browser tests start the app on a free local port and drive a headless Chromium with
Playwright; they skip when no Chromium is installed (``make browser`` installs Debian's).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from werkzeug.serving import make_server

from alliance_kg.config import Settings
from alliance_kg.namespaces import Namespaces
from alliance_kg.queries import load_queries
from alliance_kg.web import create_app
from alliance_kg.web.protocol import GRAPH_FORMATS, RESULT_FORMATS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = load_queries(ROOT / "queries", pattern="examples/*.rq")
WHO_MET_WHOM = next(q for q in EXAMPLES if q.name == "examples/01-who-met-whom")
NS = Namespaces()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PERSONS = f"""PREFIX akg:  <{NS.ontology}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {{ ?person skos:prefLabel ?name }}
WHERE {{ ?person a akg:Person ; skos:prefLabel ?name }}
"""


class Page(HTMLParser):
    """The parts of the query page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.examples: list[str] = []
        self.editor = ""
        self.config = ""
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        elif tag == "script" and a.get("id") == "page-config":
            self._in = "config"
        elif tag == "link" and "stylesheet" in (a.get("rel") or "").split():
            self.stylesheets.append(a.get("href") or "")
        elif tag == "textarea" and a.get("id") == "query":
            self._in = "editor"
        elif tag == "a" and a.get("data-example"):
            self._in = "example"
            self.examples.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "textarea", "a"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "editor":
            self.editor += data
        elif self._in == "config":
            self.config += data
        elif self._in == "example":
            self.examples[-1] += data


@pytest.fixture(scope="module")
def app(default_build):
    return create_app(Settings(build_dir=default_build))


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def page_of(client, url: str = "/") -> Page:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


# -- the page as served ----------------------------------------------------------------------


def test_the_page_lists_every_example_by_title(client):
    assert len(EXAMPLES) >= 12
    assert page_of(client).examples == [q.title for q in EXAMPLES]


def test_the_page_opens_with_the_first_example_in_the_editor(client):
    assert page_of(client).editor.strip() == EXAMPLES[0].text.strip()


def test_a_query_in_the_url_lands_in_the_editor_escaped(client):
    query = 'SELECT ?x WHERE { ?x ?p "a < b & </textarea><script>alert(1)</script>" }'
    response = client.get("/?query=" + quote(query))
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert Page(html).editor == query


def test_static_files_are_served_with_their_content_types(client):
    for path, media in [
        ("/static/app.js", "javascript"),
        ("/static/style.css", "text/css"),
        ("/static/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/svg+xml"),
    ]:
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert media in response.mimetype, (path, response.mimetype)
            assert response.data, path


def test_the_page_loads_nothing_from_elsewhere(client):
    page = page_of(client)
    assert page.scripts and page.stylesheets
    for url in page.scripts + page.stylesheets:
        assert not url.startswith(("http:", "https:", "//")), url
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_the_page_config_describes_this_server(client):
    config = json.loads(page_of(client).config)
    assert config["endpoint"] == "/sparql"
    assert config["idNamespace"] == NS.id
    entity = config["entityPath"] + "person/takeshi-iwaya"
    with client.get(entity, headers={"Accept": "text/html"}) as response:
        assert response.status_code == 200
    assert [f["name"] for f in config["resultFormats"]] == [f.names[0] for f in RESULT_FORMATS]
    assert [f["name"] for f in config["graphFormats"]] == [f.names[0] for f in GRAPH_FORMATS]
    assert config["prefixes"]["id"] == NS.id


def test_the_header_states_the_dataset_and_limits(client, app):
    html = client.get("/").get_data(as_text=True)
    data = app.extensions["alliance_kg"]
    assert f"{data.triples:,} triples" in html
    assert f"{data.settings.max_rows:,} rows per result" in html
    assert "http://localhost/sparql<" in html
    assert 'href="/dumps/"' in html and 'href="/.well-known/void"' in html


# -- the page in a browser ------------------------------------------------------------------


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def buffered(app):
    """The app with each response read whole and closed before it is sent. Werkzeug's
    development server leaves a response's file open when the browser drops the connection
    first (a cached favicon's 304), which warnings-as-errors turn into a failed test."""

    def wsgi(environ, start_response):
        chunks = app(environ, start_response)
        try:
            return [b"".join(chunks)]
        finally:
            if hasattr(chunks, "close"):
                chunks.close()

    return wsgi


@pytest.fixture(scope="module")
def live_server(app):
    """The app on a free local port, served from a thread for the module's tests."""
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium found (`make browser` installs Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as err:
        playwright.stop()
        pytest.skip(f"Chromium at {executable} does not start under Playwright: {err}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh page; script errors on it fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    yield tab
    context.close()
    assert errors == []


@pytest.mark.browser
def test_browser_runs_an_example_and_shows_its_rows(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name=WHO_MET_WHOM.title).click()
    assert page.locator("#query").input_value() == WHO_MET_WHOM.text
    page.get_by_role("button", name="Run query").click()

    row = page.locator(".results-table tbody tr", has_text="Japan-U.S. Summit Meeting").first
    row.wait_for()
    event = row.locator("a.iri.local").first
    assert event.inner_text().startswith("id:event/")
    assert event.get_attribute("href").startswith("/id/event/")
    rows = page.locator(".results-table tbody tr").count()
    assert page.locator("#summary").inner_text().startswith(f"{rows} rows in ")
    assert page.locator("#truncated").is_hidden()

    # The address bar now carries the query, and the downloads fetch the same result.
    assert parse_qs(urlsplit(page.url).query)["query"] == [WHO_MET_WHOM.text]
    links = page.locator("#downloads a")
    assert links.all_inner_texts() == [f.names[0] for f in RESULT_FORMATS]
    csv_href = page.locator("#downloads a", has_text="csv").get_attribute("href")
    with urllib.request.urlopen(live_server + csv_href, timeout=10) as response:
        lines = response.read().decode("utf-8").splitlines()
    assert lines[0] == "event,label,date,participants"
    assert len(lines) - 1 == rows


@pytest.mark.browser
def test_browser_shows_a_syntax_error_and_the_row_cap(page, live_server):
    page.goto(live_server + "/")
    page.locator("#query").fill("SELECT * WHERE { ?s ?p }")
    page.locator("#query").press("Control+Enter")
    error = page.locator("#error")
    error.wait_for()
    assert "400" in error.inner_text()
    assert "query syntax error" in error.inner_text()
    assert page.locator(".results-table").count() == 0

    page.locator("#query").fill("SELECT * WHERE { ?s ?p ?o }")
    page.get_by_role("button", name="Run query").click()
    notice = page.locator("#truncated")
    notice.wait_for()
    assert "10,000" in notice.inner_text()
    assert error.is_hidden()
    shown = page.locator(".results-table tbody tr").count()
    assert 0 < shown < 10_000
    page.get_by_role("button", name="Show").click()
    assert page.locator(".results-table tbody tr").count() > shown


@pytest.mark.browser
def test_browser_opens_a_permalink_with_its_query(page, live_server):
    page.goto(f"{live_server}/?query={quote(PERSONS)}")
    assert page.locator("#query").input_value() == PERSONS
    # A permalink runs its query: a CONSTRUCT comes back as Turtle with linked entities.
    person = page.locator(".graph > pre.turtle a.iri.local").first
    person.wait_for()
    assert person.get_attribute("href").startswith("/id/person/")
    assert page.locator("#downloads a").all_inner_texts() == [f.names[0] for f in GRAPH_FORMATS]


@pytest.mark.browser
def test_browser_sends_the_fields_of_the_options_hook(page, live_server):
    """Named inputs in #query-options (where a later switch goes) reach the endpoint, the
    address bar and the downloads; here a checkbox that narrows the default graph."""
    nowhere = "https://example.org/no-such-graph"
    page.goto(live_server + "/")
    page.evaluate(
        """(graph) => {
            const box = Object.assign(document.createElement("input"),
                {type: "checkbox", name: "default-graph-uri", value: graph, checked: true});
            document.getElementById("query-options").append(box);
        }""",
        nowhere,
    )
    page.locator("#query").fill("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    page.get_by_role("button", name="Run query").click()
    count = page.locator(".results-table td.num .literal")
    count.wait_for()
    assert count.inner_text() == "0"
    assert parse_qs(urlsplit(page.url).query)["default-graph-uri"] == [nowhere]
    href = page.locator("#downloads a").first.get_attribute("href")
    assert parse_qs(urlsplit(href).query)["default-graph-uri"] == [nowhere]

    page.locator("#query-options input[name=default-graph-uri]").uncheck()
    page.get_by_role("button", name="Run query").click()
    page.locator(".results-table td.num .literal", has_text=re.compile(r"^[1-9]")).wait_for()
    assert "default-graph-uri" not in parse_qs(urlsplit(page.url).query)


@pytest.mark.browser
def test_browser_offers_a_construct_result_to_gephi(page, live_server):
    page.goto(f"{live_server}/?query={quote(PERSONS)}")
    links = page.locator("#gephi a")
    links.first.wait_for()
    assert page.locator("#gephi").inner_text().startswith("Open this CONSTRUCT result in Gephi")
    assert links.all_inner_texts() == ["GEXF", "GEXF with timeline", "GraphML", "CSV"]
    href = links.first.get_attribute("href")
    assert href.startswith("/exports/query.gexf?")
    with urllib.request.urlopen(live_server + href, timeout=10) as response:
        body = response.read().decode("utf-8")
    assert '<gexf xmlns="http://gexf.net/1.3"' in body
    assert f'id="{NS.id}person/takeshi-iwaya" label="Takeshi Iwaya"' in body

    # A table without ?source and ?target is no network: no Gephi links.
    page.locator("#query").fill("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    page.get_by_role("button", name="Run query").click()
    page.locator(".results-table").wait_for()
    assert page.locator("#gephi").is_hidden()


def test_browser_inference_checkbox_switches_the_inferred_graph(page, live_server):
    """Actors are only typed akg:Actor by inference: unticking "include inferred triples"
    leaves none, and the choice travels in the address bar."""
    page.goto(live_server + "/")
    box = page.get_by_label("include inferred triples")
    assert box.is_checked()
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?x a <https://w3id.org/alliance-kg/ontology#Actor> }"
    page.locator("#query").fill(query)
    page.get_by_role("button", name="Run query").click()
    page.locator(".results-table td.num .literal", has_text=re.compile(r"^[1-9]")).wait_for()
    assert parse_qs(urlsplit(page.url).query)["inference"] == ["true"]

    box.uncheck()
    page.get_by_role("button", name="Run query").click()
    page.locator(".results-table td.num .literal", has_text=re.compile(r"^0$")).wait_for()
    assert parse_qs(urlsplit(page.url).query)["inference"] == ["false"]
    page.goto(page.url)  # the permalink restores the choice
    assert not page.get_by_label("include inferred triples").is_checked()
