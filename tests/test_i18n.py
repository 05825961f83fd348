"""zh-Hans by default, English on request."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_in_simplified_chinese_by_default(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="zh-hans"' in html
    assert "登录" in html


def test_the_language_switch_turns_pages_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html


def test_a_browser_asking_for_english_gets_english(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert "Log in" in html.decode()
