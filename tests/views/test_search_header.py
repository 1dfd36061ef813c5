"""The header on every page: a search box that searches the list, a plain sign-in link, and a
compact account menu when signed in."""

import re

import pytest

PUBLIC_PAGES = [
    "/",
    "/commitments/",
    "/commitments/?q=moon",
    "/commitments/chandrayaan-5/",
    "/commitments/chandrayaan-5/history/",
    "/sectors/space/",
    "/parties/isro/",
    "/events/india-japan-annual-summit-2025/",
    "/about/",
    "/reports/progress/",
    "/no-such-page/",
]

SEARCH_FORM = re.compile(
    r'<form role="search" method="get" action="/commitments/" class="site-search">\s*'
    r'<label for="site-search-q"[^>]*>Search commitments</label>\s*'
    r'<input type="search" name="q" id="site-search-q"[^>]*>\s*'
    r'<button type="submit">Search</button>\s*</form>'
)


def header(response):
    return re.search(r"<header.*?</header>", response.content.decode(), re.S).group(0)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_the_search_box_and_a_plain_sign_in_link(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    top = header(response)
    assert SEARCH_FORM.search(top), top
    assert '<a href="/accounts/login/">Sign in</a>' in top
    # The sign-in link has no `next` (the page is the same for everyone, and cached); the
    # language switcher's links name the page they switch.
    assert "next=" not in re.sub(r'<nav class="language-switcher".*?</nav>', "", top, flags=re.S)


@pytest.mark.usefixtures("seeded")
def test_the_search_box_searches_the_list(client):
    # What the header form sends: GET /commitments/?q=...
    page = client.get("/commitments/", {"q": "Moon"}).content.decode()
    assert "1 commitment matches <q>Moon</q>" in page


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("analyst", "/workspace/"),
        ("analyst", "/commitments/"),
        ("editor", "/review/"),
        ("editor", "/"),
        ("superuser", "/about/"),
    ],
)
def test_signed_in_pages_have_the_box_and_a_compact_account_menu(client, request, who, url):
    user = request.getfixturevalue(who)
    client.force_login(user)
    top = header(client.get(url))
    assert SEARCH_FORM.search(top)
    assert "Sign in" not in top
    menu = re.search(r'<details class="account-menu">.*?</details>', top, re.S).group(0)
    assert f'<strong translate="no">{user.get_username()}</strong>' in menu
    assert 'href="/accounts/password_change/"' in menu
    assert 'action="/accounts/logout/"' in menu
    assert ">Sign out</button>" in menu


@pytest.mark.usefixtures("seeded")
def test_the_nav_offers_the_work_each_role_may_do(client, analyst, editor):
    assert "Workspace" not in header(client.get("/"))
    client.force_login(analyst)
    top = header(client.get("/"))
    assert 'href="/workspace/"' in top
    assert 'href="/review/"' not in top
    client.force_login(editor)
    assert 'href="/review/"' in header(client.get("/"))
