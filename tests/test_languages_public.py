import pytest

pytestmark = pytest.mark.django_db


def test_smoke(client, seeded):
    for url in ("/", "/ja/", "/hi/"):
        r = client.get(url)
        assert r.status_code == 200
        open(f"/tmp/pub/{url.strip('/') or 'en'}-dash.html", "w").write(r.content.decode())
