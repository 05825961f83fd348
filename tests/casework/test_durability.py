"""A server killed with SIGKILL while concerns are being submitted loses no concern whose code
was shown to the user.

A real server process (`manage.py runserver --noreload`) on a free port of 127.0.0.1 and its own
database — a SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL —
receives concerns from two client threads through the public form. When some codes have been
shown, the server is killed with SIGKILL, in the middle of requests; it is started again, and
every code a client received is looked up in the database. Bounded: at most a few hundred
requests and two minutes.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_REQUESTS = 400
DEADLINE_SECONDS = 120
KILL_AFTER_CODES = 15

pytestmark = pytest.mark.slow

SETTINGS = """
from config.settings import *  # noqa: F403

if "lianluo.casework" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "lianluo.casework"]  # noqa: F405
    ROOT_URLCONF = "durability_urls"
CASEWORK_RATE_LIMITS = {"address": (100000, 60), "phone": (100000, 3600)}
AXES_ENABLED = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
"""
URLS = """
from django.urls import include, path

from config.urls import urlpatterns as base

urlpatterns = [path("casework/", include("lianluo.casework.urls")), *base]
"""
SETUP = """
import django
django.setup()
from lianluo.directory.models import Committee
Committee.objects.get_or_create(
    code="430300", defaults={"name": "湘潭市政协", "short_name": "湘潭市政协", "level": "municipal"}
)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def server_env(tmp_path):
    """Environment for the server process: its own settings and database."""
    (tmp_path / "durability_settings.py").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "durability_urls.py").write_text(URLS, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "durability_settings",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    url = os.environ.get("DATABASE_URL", "")
    dropped = None
    if url.startswith("postgres"):
        import psycopg

        name = f"casework_durability_{uuid.uuid4().hex[:8]}"
        parts = urllib.parse.urlsplit(url)
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()
        dropped = (admin, name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'durability.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=60)
    yield env
    if dropped is not None:
        import psycopg

        admin, name = dropped
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(env, port):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start")


def submit_once(base: str, n: int) -> str | None:
    """GET the form, POST a concern; the code from the redirect, or None if none was shown."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form_url = f"{base}/casework/submit/?committee=430300"
    with opener.open(form_url, timeout=5) as page:
        html = page.read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, html
    token = found.group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "topic": f"路灯不亮 {n}",
            "description": f"第{n}条：建设路路灯不亮。",
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(form_url, data=data, headers={"Referer": form_url})
    try:
        opener.open(request, timeout=5)
    except urllib.error.HTTPError as answer:
        if answer.code == 302:
            found = re.search(r"/casework/track/([0-9A-Z]+)/", answer.headers["Location"])
            return found.group(1) if found else None
        return None
    return None


def codes_in_database(env) -> set[str]:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            return {row[0] for row in connection.execute("SELECT code FROM casework_concern")}
    import psycopg

    with psycopg.connect(url) as connection:
        return {row[0] for row in connection.execute("SELECT code FROM casework_concern")}


def test_sigkill_loses_no_concern_whose_code_was_shown(server_env):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(server_env, port)
    shown: list[str] = []
    cut: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()
    counter = iter(range(MAX_REQUESTS))

    def client():
        while not stop.is_set() and time.monotonic() - started < DEADLINE_SECONDS:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            began = time.monotonic()
            try:
                code = submit_once(base, n)
            except (OSError, AttributeError):
                code = None  # the server died under this request: nothing was shown
                with lock:
                    cut.append(began)
            if code:
                with lock:
                    shown.append(code)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        while len(shown) < KILL_AFTER_CODES and time.monotonic() - started < DEADLINE_SECONDS:
            time.sleep(0.05)
        killed_at = time.monotonic()
        os.kill(server.pid, signal.SIGKILL)  # in the middle of the clients' requests
        server.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        before_restart = list(shown)
        assert len(before_restart) >= KILL_AFTER_CODES

        server = start_server(server_env, port)
        stored = codes_in_database(server_env)
        missing = [code for code in before_restart if code not in stored]
        assert not missing, f"{len(missing)} shown codes were lost: {missing[:5]}"
        print(  # the figures of the demonstration (run with -s to see them)
            f"\nshown {len(before_restart)} codes, "
            f"{sum(began < killed_at for began in cut)} requests in flight cut by SIGKILL, "
            f"{len(stored)} concerns stored, 0 shown codes lost ({server_env['DATABASE_URL'][:8]})"
        )
        # The restarted server takes concerns again, and serves the codes' tracking pages.
        assert submit_once(base, 10_000) is not None
        with urllib.request.urlopen(
            f"{base}/casework/track/{before_restart[0]}/", timeout=5
        ) as page:
            assert page.status == 200
    finally:
        stop.set()
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
