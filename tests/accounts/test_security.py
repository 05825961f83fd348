"""Log-in security: Argon2, the password policy, lock-out, CSP, sessions, production checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from config import settings as project_settings
from tests.factories import GrantFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = UserFactory()
    user.set_password("Some-Long-Passphrase-9")
    assert user.password.startswith("argon2$")


def test_staff_need_a_stronger_password_than_members():
    """ "harbourlights" (13 letters, one kind) is fine for a member, refused for office staff."""
    member = UserFactory()
    validate_password("harbourlights", user=member)
    staff = GrantFactory().user
    with pytest.raises(ValidationError) as refused:
        validate_password("harbourlights", user=staff)
    assert "staff_password_too_weak" in [e.code for e in refused.value.error_list]
    validate_password("Harbour-Lights-2026", user=staff)


def test_short_passwords_are_refused_for_everyone():
    with pytest.raises(ValidationError):
        validate_password("Ab1!xyz", user=UserFactory())


def test_repeated_failed_logins_lock_the_account(client, settings):
    """After 5 wrong passwords even the right one is refused (429) until the cool-off ends."""
    user = UserFactory(username="target")
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "target", "password": "wrong-password"})
    locked = client.post(url, {"username": "target", "password": "Correct-Horse-42!"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_a_correct_login_works_and_sessions_expire(client):
    UserFactory(username="someone")
    response = client.post(
        reverse("accounts:login"), {"username": "someone", "password": "Correct-Horse-42!"}
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert project_settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client, world):
    """CSP forbids them, so none may exist: check the rendered pages of each role."""
    client.force_login(world.users.xiangtan_office)
    for url in (
        reverse("directory:committee", args=["430300"]),
        reverse("directory:members", args=["430300"]),
        reverse("directory:person", args=[world.both.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url
        assert "onclick=" not in html


def test_post_without_csrf_token_is_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.xiangtan_office)
    response = client.post(reverse("directory:person_reveal", args=[world.both.pk]))
    assert response.status_code == 403


def test_check_deploy_passes_with_production_settings():
    """`manage.py check --deploy` reports nothing with the production environment set."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lianluo.example.org",
        "DATABASE_URL": "sqlite:////tmp/lianluo-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
