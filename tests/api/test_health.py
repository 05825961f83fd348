"""GET /healthz: what a load balancer asks before it sends traffic."""

from unittest import mock

from django.db import OperationalError


def test_healthz_answers_200_when_the_database_answers(db, client):
    """With the database reachable, /healthz is 200 with status "ok", and never cached."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(db, client):
    """If opening a cursor fails, /healthz is 503 with status "error" (and no traceback)."""
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("lianluo.core.views.connection", broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "refused" not in response.content.decode()


def test_healthz_needs_no_login(db, client):
    """A monitor without an account gets the answer, not a redirect to the log-in page."""
    assert client.get("/healthz", follow=False).status_code == 200
