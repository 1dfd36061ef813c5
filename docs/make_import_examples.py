"""Writes the commitments import's example files (docs/imports-commitments.md):

- fixtures/imports/new-portfolio-30.xlsx: 30 commitments of a next summit (the 16th
  India–Japan Annual Summit, New Delhi, October 2026), with the seed data's sectors and
  parties (fixtures/india_japan_2025.json). The event is the one thing to create first
  (Admin → Events → Add, slug `india-japan-annual-summit-2026`): an import makes commitments
  only. Some rows name a parent that comes later in the file, and parts count toward it.
- fixtures/imports/commitments-template.csv: the header and one example row, as the admin's
  "Download a template" link serves it.

Run: `.venv/bin/python docs/make_import_examples.py` (the files are committed; a test checks
they are what this script writes)."""

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENT = "india-japan-annual-summit-2026"
DAY = "2026-10-16"

COLUMNS = [
    "slug",
    "title",
    "summary",
    "sector",
    "event",
    "parent",
    "parties",
    "announced_on",
    "deadline",
    "deadline_precision",
    "target_value",
    "target_unit",
    "target_unit_label",
    "baseline_value",
    "target_wording",
    "counts_toward_parent",
]

JAPAN_LEADS = "japan:lead; india:counterpart"
INDIA_LEADS = "india:lead; japan:counterpart"
SPACE = "isro:lead; jaxa:counterpart"


def row(slug, title, summary, sector, parties, deadline="", precision="", **target):
    return {
        "slug": slug,
        "title": title,
        "summary": summary,
        "sector": sector,
        "event": EVENT,
        "parent": target.get("parent", ""),
        "parties": parties,
        "announced_on": DAY,
        "deadline": deadline,
        "deadline_precision": precision,
        "target_value": target.get("value", ""),
        "target_unit": target.get("unit", ""),
        "target_unit_label": target.get("label", ""),
        "baseline_value": target.get("baseline", ""),
        "target_wording": target.get("wording", ""),
        "counts_toward_parent": "yes" if target.get("counts") else "no",
    }


ROWS = [
    # Parts before their whole: the import saves parents first whatever the order.
    row(
        "green-hydrogen-hubs-finance",
        "Finance for green hydrogen hubs",
        "Japanese public and private finance for three green hydrogen hubs on India's coasts.",
        "environment-climate",
        JAPAN_LEADS,
        "2030-12-31",
        "year",
        parent="clean-energy-investment-3-trillion-yen",
        value="1200000000000",
        unit="JPY",
        wording="¥1.2 trillion",
        counts=True,
    ),
    row(
        "offshore-wind-finance",
        "Finance for offshore wind off Gujarat and Tamil Nadu",
        "Loans and equity for India's first offshore wind farms.",
        "environment-climate",
        JAPAN_LEADS,
        "2031-12-31",
        "year",
        parent="clean-energy-investment-3-trillion-yen",
        value="800000000000",
        unit="JPY",
        wording="¥800 billion",
        counts=True,
    ),
    row(
        "grid-storage-finance",
        "Finance for grid-scale battery storage",
        "Japanese finance for battery storage alongside India's renewable capacity.",
        "environment-climate",
        JAPAN_LEADS,
        "2030-12-31",
        "year",
        parent="clean-energy-investment-3-trillion-yen",
        value="1000000000000",
        unit="JPY",
        wording="¥1 trillion",
        counts=True,
    ),
    row(
        "clean-energy-investment-3-trillion-yen",
        "¥3 trillion for India's clean energy transition",
        "Japan to mobilise ¥3 trillion of public and private finance for clean energy in India.",
        "investment",
        JAPAN_LEADS,
        "2031-12-31",
        "year",
        value="3000000000000",
        unit="JPY",
        wording="¥3 trillion (about ₹1.7 lakh crore)",
    ),
    row(
        "semiconductor-internships-japan",
        "Semiconductor internships in Japan",
        "Indian engineering students intern at Japanese chip makers.",
        "people-skills",
        INDIA_LEADS,
        "2029-03-31",
        "month",
        parent="semiconductor-talent-50000",
        value="5000",
        unit="people",
        counts=True,
    ),
    row(
        "semiconductor-talent-50000",
        "50,000 semiconductor professionals",
        "Train 50,000 Indian semiconductor engineers and technicians with Japanese industry.",
        "people-skills",
        INDIA_LEADS,
        "2031-03-31",
        "month",
        value="50000",
        unit="people",
        wording="50,000 professionals over five years",
    ),
    row(
        "lupex-landing-2028",
        "LUPEX lander and rover on the lunar south pole",
        "Land the joint ISRO–JAXA lunar polar exploration mission.",
        "space",
        SPACE,
        "2028-12-31",
        "year",
    ),
    row(
        "joint-earth-observation-constellation",
        "Joint Earth observation constellation",
        "Six small satellites for disaster monitoring, built and operated jointly.",
        "space",
        SPACE,
        "2030-12-31",
        "year",
        value="6",
        unit="count",
        wording="six satellites",
    ),
    row(
        "space-debris-tracking-data-sharing",
        "Space debris tracking data shared",
        "ISRO and JAXA exchange space situational awareness data under a new arrangement.",
        "space",
        SPACE,
        "2027-06-30",
        "month",
    ),
    row(
        "india-japan-digital-partnership-2",
        "India–Japan Digital Partnership 2.0",
        "A renewed digital partnership covering digital public infrastructure and data flows.",
        "digital-technology",
        INDIA_LEADS,
        "2027-12-31",
        "year",
    ),
    row(
        "ai-research-fellowships",
        "500 joint AI research fellowships",
        "Fellowships for Indian and Japanese researchers in artificial intelligence.",
        "digital-technology",
        "japan:lead; india:partner",
        "2029-12-31",
        "year",
        value="500",
        unit="people",
    ),
    row(
        "open-ran-pilots",
        "Open RAN pilots in ten Indian cities",
        "Japanese vendors and Indian operators pilot Open RAN networks.",
        "digital-technology",
        JAPAN_LEADS,
        "2028-03-31",
        "day",
        value="10",
        unit="count",
    ),
    row(
        "jcm-projects-expansion",
        "25 new Joint Crediting Mechanism projects",
        "Expand the Joint Crediting Mechanism with 25 low-carbon projects in India.",
        "environment-climate",
        JAPAN_LEADS,
        "2030-12-31",
        "year",
        value="25",
        unit="count",
    ),
    row(
        "mangrove-restoration-gujarat",
        "Mangrove restoration on the Gujarat coast",
        "Restore 2,000 hectares of mangroves with Japanese technical cooperation.",
        "environment-climate",
        "gujarat:lead; shizuoka:partner",
        "2029-12-31",
        "year",
        value="2000",
        unit="other",
        label="ha",
        wording="2,000 hectares",
    ),
    row(
        "rooftop-solar-500-mw",
        "500 MW of rooftop solar for MSMEs",
        "Concessional finance for rooftop solar on small and medium enterprises.",
        "environment-climate",
        JAPAN_LEADS,
        "2028-12-31",
        "year",
        value="500",
        unit="other",
        label="MW",
    ),
    row(
        "disaster-resilience-early-warning",
        "Early warning systems for cyclones and floods",
        "Japanese early warning technology deployed in five Indian coastal states.",
        "environment-climate",
        JAPAN_LEADS,
        "2028-06-30",
        "month",
        value="5",
        unit="count",
        wording="five coastal states",
    ),
    row(
        "critical-minerals-supply-chain",
        "Critical minerals supply chain partnership",
        "Joint exploration, processing and stockpiling of critical minerals.",
        "economic-security",
        INDIA_LEADS,
        "2028-12-31",
        "year",
    ),
    row(
        "rare-earth-processing-pilot",
        "Rare earth processing pilot plant",
        "A pilot plant in Odisha with Japanese processing technology.",
        "economic-security",
        "india:lead; japan:partner",
        "2029-12-31",
        "year",
    ),
    row(
        "unmanned-ground-vehicle-co-development",
        "Co-development of unmanned ground vehicles",
        "Joint research and development of unmanned ground vehicles and robotics.",
        "defence-security",
        INDIA_LEADS,
        "2029-12-31",
        "year",
    ),
    row(
        "maritime-domain-awareness-exercises",
        "Four maritime domain awareness exercises a year",
        "Coast guards and navies hold regular maritime domain awareness exercises.",
        "defence-security",
        INDIA_LEADS,
        "2027-12-31",
        "year",
        value="4",
        unit="count",
    ),
    row(
        "india-japan-year-of-science-2027",
        "India–Japan Year of Science 2027",
        "A year of joint science events, exchanges and exhibitions.",
        "culture",
        "india:lead; japan:lead",
        "2027-12-31",
        "year",
    ),
    row(
        "nalanda-japanese-studies-chair",
        "Japanese studies chair at Nalanda University",
        "Japan endows a chair in Japanese studies at Nalanda University.",
        "culture",
        "japan:funder; india:implementer",
        "2027-08-31",
        "month",
    ),
    row(
        "gujarat-shizuoka-tea-and-textiles",
        "Gujarat–Shizuoka tea and textiles exchange",
        "Trade missions and a joint design programme for tea and textiles.",
        "subnational-partnerships",
        "gujarat:lead; shizuoka:counterpart",
        "2027-12-31",
        "year",
    ),
    row(
        "maharashtra-wakayama-fisheries",
        "Maharashtra–Wakayama fisheries cooperation",
        "Cold chain and sustainable fisheries know-how for Maharashtra's coast.",
        "subnational-partnerships",
        "maharashtra:lead; wakayama:counterpart",
        "2028-03-31",
        "month",
    ),
    row(
        "uttar-pradesh-yamanashi-horticulture",
        "Uttar Pradesh–Yamanashi horticulture partnership",
        "Fruit growing and wine-making techniques shared with Uttar Pradesh farmers.",
        "subnational-partnerships",
        "uttar-pradesh:lead; yamanashi:counterpart",
        "2028-12-31",
        "year",
    ),
    row(
        "msme-matchmaking-platform",
        "MSME matchmaking platform",
        "An online platform matching Indian and Japanese small and medium enterprises.",
        "business-msmes",
        INDIA_LEADS,
        "2027-03-31",
        "month",
        value="1000",
        unit="count",
        wording="1,000 business matches",
    ),
    row(
        "india-japan-startup-fund",
        "India–Japan startup fund",
        "A fund of USD 100 million for Indian startups with Japanese partners.",
        "business-msmes",
        JAPAN_LEADS,
        "2029-12-31",
        "year",
        value="100000000",
        unit="USD",
        wording="USD 100 million",
    ),
    row(
        "nursing-caregivers-japan",
        "10,000 Indian nurses and caregivers in Japan",
        "Training and placement of Indian nurses and caregivers in Japan.",
        "people-skills",
        "japan:lead; india:counterpart",
        "2030-03-31",
        "month",
        value="10000",
        unit="people",
    ),
    row(
        "skilled-worker-test-pass-rate",
        "Skilled worker test pass rate to 75 %",
        "Raise the pass rate of Indian candidates in Japan's skilled worker tests.",
        "people-skills",
        INDIA_LEADS,
        "2028-12-31",
        "year",
        value="75",
        unit="percent",
        baseline="50",
    ),
    row(
        "high-speed-rail-second-corridor-study",
        "Feasibility study for a second high-speed rail corridor",
        "Japan funds the feasibility study of a second Shinkansen-based corridor.",
        "investment",
        JAPAN_LEADS,
        "2027-12-31",
        "year",
    ),
]


def portfolio_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Commitments"
    sheet.append(COLUMNS)
    for item in ROWS:
        sheet.append([item[name] for name in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from commitments.admin_imports import template_csv

    folder = ROOT / "fixtures" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "new-portfolio-30.xlsx").write_bytes(portfolio_xlsx())
    (folder / "commitments-template.csv").write_text(template_csv(), encoding="utf-8", newline="")
    print(f"Wrote {len(ROWS)} commitments to {folder / 'new-portfolio-30.xlsx'}")


if __name__ == "__main__":
    main()
