import pytest

pytestmark = pytest.mark.django_db


def test_smoke(client, seeded):
    from commitments.models import Commitment, Sector, Party, Event
    c = Commitment.objects.public().order_by("pk")
    urls = ["/", "/commitments/", "/reports/progress/", "/commitments/?q=zzzz", "/commitments/?as_of=2025-09-01"]
    for x in c[:6]:
        urls += [x.get_absolute_url(), x.get_absolute_url()+"history/"]
    urls += [s.get_absolute_url() for s in Sector.objects.all()[:2]]
    urls += [p.get_absolute_url() for p in Party.objects.public()[:2]]
    urls += ["/events/%s/" % e.slug for e in Event.objects.all()[:1]]
    
    for lang in ("", "/ja", "/hi"):
        for url in urls:
            r = client.get(lang + url)
            print(lang+url, r.status_code)
            if r.status_code != 200: continue
            name = (lang + url).strip("/").replace("/", "_") or "en"
            open(f"/tmp/pub/{name}.html", "w").write(r.content.decode())
