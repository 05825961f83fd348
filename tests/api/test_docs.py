"""The OpenAPI schema and the interactive docs, which must work under the site's strict CSP."""

import re
from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command


class _Tags(HTMLParser):
    """Collects <script>, <style> and <link> tags and any inline event handler attributes."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles = 0
        self.stylesheets: list[str] = []
        self.inline_handlers: list[str] = []
        self._in_script = False
        self.inline_script_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.inline_handlers += [name for name in attrs if name.startswith("on")]
        if "style" in attrs:
            self.inline_handlers.append("style")
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = True
        elif tag == "style":
            self.styles += 1
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_script_text += data.strip()


@pytest.fixture
def docs(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    return response


def test_schema_is_openapi_3_and_documents_every_endpoint(db, client):
    """GET /api/schema/ (public) is an OpenAPI 3 document listing the registry, token and
    Popolo endpoints."""
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/committees/",
        "/api/committees/{code}/",
        "/api/organizations/",
        "/api/people/",
        "/api/people/{id}/",
        "/api/memberships/",
        "/api/token/",
        "/api/popolo/",
        "/api/popolo/{code}.json",
    } <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert schema["paths"]["/api/token/"]["post"]["responses"]["200"]


def test_schema_says_the_registry_needs_credentials_and_popolo_does_not(db, client):
    """Registry operations require a session or a token (no anonymous `{}` alternative); the
    token endpoint and the Popolo export need none."""
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    for path in ("/api/committees/", "/api/organizations/", "/api/people/", "/api/memberships/"):
        security = paths[path]["get"]["security"]
        assert {} not in security, path
        assert {"tokenAuth": []} in security, path
    for path, method in [
        ("/api/token/", "post"),
        ("/api/popolo/", "get"),
        ("/api/popolo/{code}.json", "get"),
    ]:
        assert paths[path][method].get("security", [{}]) in ([{}], []), path


def test_schema_validates_without_warnings(db, tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_docs_page_has_no_inline_script_or_style(docs):
    """The docs page's scripts are all files (src=…), with no inline code, <style> or style=,
    so the CSP `script-src 'self'; style-src 'self'` lets it run."""
    tags = _Tags()
    tags.feed(docs.content.decode())
    assert tags.scripts, "the page loads Swagger UI"
    assert all(script.get("src") for script in tags.scripts)
    assert tags.inline_script_text == ""
    assert tags.styles == 0
    assert tags.inline_handlers == []


def test_docs_page_is_served_with_the_strict_csp(docs):
    """The docs page carries the site's CSP, which allows no inline script."""
    csp = docs["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'self'" in script_src
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_docs_assets_are_local_files(docs, settings):
    """Swagger UI's scripts and styles come from our own static files (the sidecar), not a CDN."""
    tags = _Tags()
    tags.feed(docs.content.decode())
    for url in [s["src"] for s in tags.scripts] + tags.stylesheets:
        if "script=" in url:
            continue
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url


def test_docs_init_script_is_javascript_pointing_at_the_schema(docs, client):
    """The split init script (the one that would be inline) is a separate JavaScript request
    that loads /api/schema/."""
    tags = _Tags()
    tags.feed(docs.content.decode())
    [init] = [s["src"] for s in tags.scripts if "script=" in s["src"]]
    response = client.get(init.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "SwaggerUIBundle" in body
    assert "/api/schema/" in body
