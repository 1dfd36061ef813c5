"""Fill an empty database with a synthetic portfolio of commitments, for benchmarks and demos.

    python manage.py generate_sample_data --commitments 1000 --updates 20000 --seed 1

The same options always give the same data (titles, slugs, values, dates, states): everything
is drawn from one `random.Random(seed)` and dated from fixed days, never from the clock, except
that nothing is dated after today. Only primary keys, save times and the sample users'
(unusable) password hashes differ between two runs, on SQLite or PostgreSQL alike.

Rows are written with `bulk_create`, which skips django-simple-history and signals: so the
commitments' stored standing is computed at the end by `standing.refresh_all()` (what
`manage.py refresh_standings` runs, one set-based query), which also bumps the public cache
generation; each update's stored citation text just before, by `citations.refresh_all()`,
and each commitment's search texts by `search.refresh_all()`.

Sectors, parties and events have Japanese and Hindi names; a share of the commitments has
Japanese and Hindi texts (`translate()`, by position), so that benchmarks and the sample
portfolio exercise translated pages, their fallbacks and search in each language.

The commitment `COMMITMENT_WITH_20_UPDATES` always exists with exactly 20 published updates:
the benchmark's detail page.
"""

import bisect
import datetime
import functools
import random
import time
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from commitments import citations as cited_sources
from commitments import numbers, search, standing
from commitments.cache import bump_public_generation
from commitments.languages import TranslationOrigin
from commitments.models import (
    ANALYST_GROUP,
    EDITOR_GROUP,
    Commitment,
    CommitmentParty,
    Conversion,
    DeadlinePrecision,
    Event,
    Party,
    PartyKind,
    PartyRole,
    Sector,
    Source,
    SourceKind,
    StatusUpdate,
    TargetUnit,
    UpdateState,
    UpdateStatus,
    User,
    end_of_period,
)
from commitments.roles import role_group

REVIEWED, UNREVIEWED = TranslationOrigin.REVIEWED, TranslationOrigin.UNREVIEWED

COMMITMENT_WITH_20_UPDATES = "twelve-joint-satellite-launches-by-2030"
UPDATES_OF_THE_20_UPDATE_COMMITMENT = 20

FIRST_ANNOUNCED_ON = datetime.date(2025, 8, 29)  # the India–Japan summit
# Nothing is dated after this day (or today, if earlier), so that the data does not depend on
# the day the command runs.
LAST_DAY = datetime.date(2026, 10, 31)
BATCH_SIZE = 2000
SAMPLE_NOTE = "*Synthetic sample data made by `generate_sample_data`: not a real commitment.*"

ANALYSTS = [f"sample-analyst-{n}" for n in range(1, 6)]
EDITORS = [f"sample-editor-{n}" for n in range(1, 3)]


@dataclass(frozen=True)
class SectorPlan:
    name: str
    topics: list[str]
    counted: str  # what a "count" target counts, in the plural
    other_unit: str = ""  # the unit of an "other" target, if the sector has one


SECTORS = [
    SectorPlan(
        "Space",
        [
            "lunar polar exploration",
            "Earth observation satellites",
            "launch services",
            "space situational awareness",
            "satellite navigation",
            "small-satellite constellations",
            "ground station networks",
            "space debris monitoring",
        ],
        "missions",
    ),
    SectorPlan(
        "Investment",
        [
            "manufacturing investment",
            "industrial townships",
            "start-up venture funds",
            "green bonds",
            "export credit lines",
            "automotive supply chains",
            "food processing parks",
            "special economic zones",
        ],
        "projects",
    ),
    SectorPlan(
        "People & skills",
        [
            "skilled worker mobility",
            "care-worker training",
            "Japanese-language teaching",
            "student exchanges",
            "engineering internships",
            "vocational training centres",
            "university partnerships",
            "research fellowships",
        ],
        "training centres",
    ),
    SectorPlan(
        "Defence & security",
        [
            "maritime domain awareness",
            "joint naval exercises",
            "defence equipment co-development",
            "coast guard cooperation",
            "cyber security dialogue",
            "counter-terrorism cooperation",
            "unmanned systems research",
            "shipbuilding and repair",
        ],
        "joint exercises",
    ),
    SectorPlan(
        "Energy",
        [
            "green hydrogen",
            "offshore wind",
            "rooftop solar",
            "battery storage",
            "grid modernisation",
            "clean ammonia",
            "small hydropower",
            "energy-efficiency retrofits",
        ],
        "plants",
        other_unit="MW",
    ),
    SectorPlan(
        "Health",
        [
            "generic medicine supply",
            "hospital upgrades",
            "medical device manufacturing",
            "digital health records",
            "tuberculosis elimination",
            "maternal health",
            "pandemic preparedness",
            "traditional medicine research",
        ],
        "hospitals",
    ),
    SectorPlan(
        "Digital",
        [
            "semiconductor fabrication",
            "5G and Open RAN",
            "undersea cables",
            "data centres",
            "AI research",
            "digital public infrastructure",
            "quantum computing",
            "cyber skills",
        ],
        "facilities",
        other_unit="Gbps",
    ),
    SectorPlan(
        "Infrastructure",
        [
            "high-speed rail",
            "metro rail",
            "freight corridors",
            "port modernisation",
            "urban water supply",
            "flood defences",
            "smart cities",
            "highway upgrades",
        ],
        "stations",
        other_unit="km",
    ),
]

COUNTRY, GOVERNMENT, AGENCY = PartyKind.COUNTRY, PartyKind.GOVERNMENT, PartyKind.AGENCY
STATE, PREFECTURE = PartyKind.STATE, PartyKind.PREFECTURE
PARTIES = [
    # name, short name, kind, country
    ("India", "", COUNTRY, "IN"),
    ("Japan", "", COUNTRY, "JP"),
    ("Australia", "", COUNTRY, "AU"),
    ("United States", "US", COUNTRY, "US"),
    ("Singapore", "", COUNTRY, "SG"),
    ("Indonesia", "", COUNTRY, "ID"),
    ("France", "", COUNTRY, "FR"),
    ("Germany", "", COUNTRY, "DE"),
    ("Ministry of External Affairs", "MEA", GOVERNMENT, "IN"),
    ("Ministry of Electronics and Information Technology", "MeitY", GOVERNMENT, "IN"),
    ("Ministry of Skill Development and Entrepreneurship", "MSDE", GOVERNMENT, "IN"),
    ("Ministry of New and Renewable Energy", "MNRE", GOVERNMENT, "IN"),
    ("Ministry of Foreign Affairs of Japan", "MOFA", GOVERNMENT, "JP"),
    ("Ministry of Economy, Trade and Industry", "METI", GOVERNMENT, "JP"),
    ("Ministry of Health, Labour and Welfare", "MHLW", GOVERNMENT, "JP"),
    ("Ministry of Land, Infrastructure, Transport and Tourism", "MLIT", GOVERNMENT, "JP"),
    ("Indian Space Research Organisation", "ISRO", AGENCY, "IN"),
    ("Defence Research and Development Organisation", "DRDO", AGENCY, "IN"),
    ("National Skill Development Corporation", "NSDC", AGENCY, "IN"),
    ("Indian Council of Medical Research", "ICMR", AGENCY, "IN"),
    ("Invest India", "", AGENCY, "IN"),
    ("Japan Aerospace Exploration Agency", "JAXA", AGENCY, "JP"),
    ("Japan International Cooperation Agency", "JICA", AGENCY, "JP"),
    ("Japan External Trade Organization", "JETRO", AGENCY, "JP"),
    ("New Energy and Industrial Technology Development Organization", "NEDO", AGENCY, "JP"),
    ("Acquisition, Technology and Logistics Agency", "ATLA", AGENCY, "JP"),
    *[
        (name, "", STATE, "IN")
        for name in [
            "Gujarat",
            "Maharashtra",
            "Uttar Pradesh",
            "Tamil Nadu",
            "Karnataka",
            "Andhra Pradesh",
            "Telangana",
            "Kerala",
        ]
    ],
    *[
        (name, "", PREFECTURE, "JP")
        for name in [
            "Shizuoka",
            "Wakayama",
            "Yamanashi",
            "Osaka",
            "Aichi",
            "Fukuoka",
            "Hyogo",
            "Kanagawa",
        ]
    ],
]
# Japanese and Hindi names of the reference data (name → (ja, hi)); short names → (ja, hi).
SECTOR_NAMES = {
    "Space": ("宇宙", "अंतरिक्ष"),
    "Investment": ("投資", "निवेश"),
    "People & skills": ("人材・技能", "लोग और कौशल"),
    "Defence & security": ("防衛・安全保障", "रक्षा और सुरक्षा"),
    "Energy": ("エネルギー", "ऊर्जा"),
    "Health": ("保健・医療", "स्वास्थ्य"),
    "Digital": ("デジタル", "डिजिटल"),
    "Infrastructure": ("インフラ", "बुनियादी ढांचा"),
}
PARTY_NAMES = {
    "India": ("インド", "भारत"),
    "Japan": ("日本", "जापान"),
    "Australia": ("オーストラリア", "ऑस्ट्रेलिया"),
    "United States": ("アメリカ合衆国", "संयुक्त राज्य अमेरिका"),
    "Singapore": ("シンガポール", "सिंगापुर"),
    "Indonesia": ("インドネシア", "इंडोनेशिया"),
    "France": ("フランス", "फ़्रांस"),
    "Germany": ("ドイツ", "जर्मनी"),
    "Ministry of External Affairs": ("インド外務省", "विदेश मंत्रालय"),
    "Ministry of Electronics and Information Technology": (
        "インド電子・情報技術省",
        "इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय",
    ),
    "Ministry of Skill Development and Entrepreneurship": (
        "インド技能開発・起業省",
        "कौशल विकास और उद्यमशीलता मंत्रालय",
    ),
    "Ministry of New and Renewable Energy": (
        "インド新・再生可能エネルギー省",
        "नवीन और नवीकरणीय ऊर्जा मंत्रालय",
    ),
    "Ministry of Foreign Affairs of Japan": ("外務省", "जापान का विदेश मंत्रालय"),
    "Ministry of Economy, Trade and Industry": (
        "経済産業省",
        "जापान का अर्थव्यवस्था, व्यापार और उद्योग मंत्रालय",
    ),
    "Ministry of Health, Labour and Welfare": (
        "厚生労働省",
        "जापान का स्वास्थ्य, श्रम और कल्याण मंत्रालय",
    ),
    "Ministry of Land, Infrastructure, Transport and Tourism": (
        "国土交通省",
        "जापान का भूमि, अवसंरचना, परिवहन और पर्यटन मंत्रालय",
    ),
    "Indian Space Research Organisation": ("インド宇宙研究機関", "भारतीय अंतरिक्ष अनुसंधान संगठन"),
    "Defence Research and Development Organisation": (
        "インド国防研究開発機構",
        "रक्षा अनुसंधान एवं विकास संगठन",
    ),
    "National Skill Development Corporation": ("インド国家技能開発公社", "राष्ट्रीय कौशल विकास निगम"),
    "Indian Council of Medical Research": ("インド医学研究評議会", "भारतीय आयुर्विज्ञान अनुसंधान परिषद"),
    "Invest India": ("インベスト・インディア", "इन्वेस्ट इंडिया"),
    "Japan Aerospace Exploration Agency": (
        "宇宙航空研究開発機構",
        "जापान एयरोस्पेस एक्सप्लोरेशन एजेंसी",
    ),
    "Japan International Cooperation Agency": ("国際協力機構", "जापान अंतर्राष्ट्रीय सहयोग एजेंसी"),
    "Japan External Trade Organization": ("日本貿易振興機構", "जापान विदेश व्यापार संगठन"),
    "New Energy and Industrial Technology Development Organization": (
        "新エネルギー・産業技術総合開発機構",
        "नवीन ऊर्जा और औद्योगिक प्रौद्योगिकी विकास संगठन",
    ),
    "Acquisition, Technology and Logistics Agency": (
        "防衛装備庁",
        "अधिग्रहण, प्रौद्योगिकी और लॉजिस्टिक्स एजेंसी",
    ),
    "Gujarat": ("グジャラート州", "गुजरात"),
    "Maharashtra": ("マハーラーシュトラ州", "महाराष्ट्र"),
    "Uttar Pradesh": ("ウッタル・プラデーシュ州", "उत्तर प्रदेश"),
    "Tamil Nadu": ("タミル・ナードゥ州", "तमिलनाडु"),
    "Karnataka": ("カルナータカ州", "कर्नाटक"),
    "Andhra Pradesh": ("アーンドラ・プラデーシュ州", "आंध्र प्रदेश"),
    "Telangana": ("テランガーナ州", "तेलंगाना"),
    "Kerala": ("ケーララ州", "केरल"),
    "Shizuoka": ("静岡県", "शिज़ुओका"),
    "Wakayama": ("和歌山県", "वाकायामा"),
    "Yamanashi": ("山梨県", "यामानाशी"),
    "Osaka": ("大阪府", "ओसाका"),
    "Aichi": ("愛知県", "आइची"),
    "Fukuoka": ("福岡県", "फ़ुकुओका"),
    "Hyogo": ("兵庫県", "ह्योगो"),
    "Kanagawa": ("神奈川県", "कानागावा"),
}
SHORT_NAMES = {
    "US": ("米国", "अमेरिका"),
    "MEA": ("MEA", "एमईए"),
    "MeitY": ("MeitY", "मेइटी"),
    "MSDE": ("MSDE", "एमएसडीई"),
    "MNRE": ("MNRE", "एमएनआरई"),
    "MOFA": ("MOFA", "एमओएफए"),
    "METI": ("METI", "मेटी"),
    "MHLW": ("MHLW", "एमएचएलडब्ल्यू"),
    "MLIT": ("MLIT", "एमएलआईटी"),
    "ISRO": ("ISRO", "इसरो"),
    "DRDO": ("DRDO", "डीआरडीओ"),
    "NSDC": ("NSDC", "एनएसडीसी"),
    "ICMR": ("ICMR", "आईसीएमआर"),
    "JAXA": ("JAXA", "जाक्सा"),
    "JICA": ("JICA", "जाइका"),
    "JETRO": ("JETRO", "जेट्रो"),
    "NEDO": ("NEDO", "नेडो"),
    "ATLA": ("ATLA", "एटीएलए"),
}
# Leads and counterparts are picked at the same level: country with country, state with
# prefecture, and so on.
PARTY_LEVELS = {COUNTRY: "country", GOVERNMENT: "government", AGENCY: "agency"}
LEVEL_WEIGHTS = {"country": 30, "government": 25, "agency": 25, "subnational": 20}

EVENTS = [
    # name, slug, location, starts on, ends on, share of the commitments
    (
        "15th India–Japan Annual Summit",
        "india-japan-annual-summit-2025",
        "Tokyo, Japan",
        FIRST_ANNOUNCED_ON,
        datetime.date(2025, 8, 30),
        55,
    ),
    (
        "India–Japan 2+2 Ministerial Dialogue",
        "india-japan-2-plus-2-2025",
        "New Delhi, India",
        datetime.date(2025, 11, 18),
        datetime.date(2025, 11, 18),
        15,
    ),
    (
        "Japan–India Business Leaders Forum",
        "japan-india-business-leaders-forum-2026",
        "Osaka, Japan",
        datetime.date(2026, 2, 16),
        datetime.date(2026, 2, 17),
        15,
    ),
]
NO_EVENT_WEIGHT = 15
# slug → ((name, location) in Japanese, in Hindi)
EVENT_NAMES = {
    "india-japan-annual-summit-2025": (
        ("第15回日印年次首脳会談", "日本・東京"),
        ("15वां भारत–जापान वार्षिक शिखर सम्मेलन", "टोक्यो, जापान"),
    ),
    "india-japan-2-plus-2-2025": (
        ("日印外務・防衛閣僚会合（2+2）", "インド・ニューデリー"),
        ("भारत–जापान 2+2 मंत्रिस्तरीय वार्ता", "नई दिल्ली, भारत"),
    ),
    "japan-india-business-leaders-forum-2026": (
        ("日印ビジネスリーダーズ・フォーラム", "日本・大阪"),
        ("जापान–भारत बिज़नेस लीडर्स फ़ोरम", "ओसाका, जापान"),
    ),
}
SAMPLE_NOTE_JA = "*`generate_sample_data` が作成した合成サンプルデータであり、実在の公約ではない。*"
SAMPLE_NOTE_HI = (
    "*`generate_sample_data` द्वारा बनाया गया कृत्रिम नमूना डेटा: यह कोई वास्तविक प्रतिबद्धता नहीं है।*"
)

NEWS_OUTLETS = [
    "Tokyo Economic Daily",
    "Deccan Ledger",
    "Indo-Pacific Business Review",
    "Kansai Evening Post",
    "Bay of Bengal Herald",
]
DATA_PUBLISHERS = ["National Statistics Office", "Open Data Portal", "Trade Statistics Service"]

UNIT_WEIGHTS = {
    "": 30,
    TargetUnit.PEOPLE: 14,
    TargetUnit.JPY: 10,
    TargetUnit.INR: 10,
    TargetUnit.USD: 8,
    TargetUnit.COUNT: 14,
    TargetUnit.PERCENT: 8,
    TargetUnit.OTHER: 6,
}
# Whole targets of a realistic size, in the unit's own terms (money in units of currency).
TARGETS = {
    TargetUnit.PEOPLE: [500, 1000, 2000, 5000, 10000, 20000, 25000, 50000, 100000, 500000],
    TargetUnit.JPY: [n * 10**9 for n in (5, 10, 20, 50, 100, 250, 500, 1000, 2000, 5000)],
    TargetUnit.INR: [n * 10**7 for n in (100, 250, 500, 1000, 2500, 5000, 10000, 25000)],
    TargetUnit.USD: [n * 10**6 for n in (25, 50, 100, 250, 500, 1000, 2000, 5000)],
    TargetUnit.COUNT: [3, 5, 8, 10, 12, 15, 20, 25, 40, 50, 100],
    TargetUnit.OTHER: [20, 50, 100, 250, 500, 1000, 2000],
}
SUMMABLE_UNITS = set(TARGETS)  # a part's figure adds up to its parent's (not so for percent)

UNTARGETED_ACTIONS = [
    "Cooperation on",
    "Joint roadmap for",
    "Working group on",
    "Memorandum of cooperation on",
    "Partnership on",
    "Dialogue on",
    "Joint study on",
]

FATES = {"achieved": 12, "on_track": 45, "delayed": 22, "stalled": 14, "abandoned": 7}

UPDATE_SUMMARIES = {
    UpdateStatus.ANNOUNCED: [
        "Announced in a joint statement; no implementation seen yet.",
        "Agreed at ministerial level; details still to come.",
    ],
    UpdateStatus.IN_PROGRESS: [
        "Work under way on {topic}.",
        "First phase of {topic} started.",
        "Joint working group met and agreed a work plan.",
        "Funding released for the next tranche.",
        "Sites selected and tenders issued.",
    ],
    UpdateStatus.DELAYED: [
        "Behind schedule: approvals still pending.",
        "Timeline slipped; the last milestone was missed.",
        "Procurement delays push the next phase back.",
    ],
    UpdateStatus.STALLED: [
        "No visible progress since the last review.",
        "Talks paused; no new activity reported on {topic}.",
        "Blocked pending a funding decision.",
    ],
    UpdateStatus.PARTIALLY_ACHIEVED: [
        "Part of the target delivered.",
        "First phase of {topic} completed; later phases outstanding.",
    ],
    UpdateStatus.ACHIEVED: [
        "Delivered in full.",
        "Completed, as the official release confirms.",
    ],
    UpdateStatus.ABANDONED: [
        "Dropped from the joint work plan.",
        "Officials confirm that {topic} will not go ahead as planned.",
    ],
}
REJECTION_COMMENTS = [
    "The cited article does not support this figure: please cite the official release.",
    "The as-of date is later than the source: check the date.",
    "Too strong: the source speaks of a plan, not of work started.",
]
SOURCE_TITLES = {
    SourceKind.OFFICIAL_STATEMENT: [
        "Joint statement on {topic}",
        "Press release: progress on {topic}",
        "Fact sheet: {topic}",
    ],
    SourceKind.GOVERNMENT_DATA: ["{Topic}: figures for {month}", "{Topic} dashboard, {month}"],
    SourceKind.NEWS: [
        "{Topic} plans gather pace",
        "Questions over the {topic} timeline",
        "Officials review {topic}",
    ],
    SourceKind.OTHER: ["Briefing note on {topic}", "Parliamentary answer on {topic}"],
}
SOURCE_KIND_WEIGHTS = {
    SourceKind.OFFICIAL_STATEMENT: 40,
    SourceKind.GOVERNMENT_DATA: 20,
    SourceKind.NEWS: 30,
    SourceKind.OTHER: 10,
}


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class CommitmentPlan:
    """A commitment to be, with what its updates are drawn from."""

    commitment: Commitment
    parties: list[tuple[Party, str]]  # (party, role), in order
    sector_index: int
    topic: str
    fate: str
    final_fraction: float  # how far towards the target its last update gets
    parent_index: int | None = None
    updates: int = 0
    all_published: bool = False


class SamplePortfolio:
    """Draws the whole portfolio from one seeded generator, then writes it in bulk."""

    def __init__(self, *, commitments: int, updates: int, sources: int, seed: int):
        self.rng = random.Random(seed)
        self.commitment_count = commitments
        self.update_count = updates
        self.source_count = sources
        self.last_day = min(LAST_DAY, timezone.localdate())
        self.used_slugs: set[str] = set()

    def create(self) -> dict:
        analysts = sample_users(ANALYSTS, ANALYST_GROUP, is_staff=False)
        editors = sample_users(EDITORS, EDITOR_GROUP, is_staff=True)
        self.create_sectors_parties_and_events()
        plans = self.plan_commitments()
        self.save_commitments(plans)
        roles = self.create_party_roles(plans)
        sources = self.create_sources(analysts)
        updates = self.create_updates(plans, analysts, editors)
        citations = self.cite_sources(updates, plans, sources)
        cited_sources.refresh_all()  # the stored text of each update's sources
        search.refresh_all()  # each commitment's folded search texts
        standing.refresh_all()
        return {
            "commitments": len(plans),
            "updates": len(updates),
            "published": sum(u.state == UpdateState.PUBLISHED for u, _ in updates),
            "sources": len(sources),
            "citations": citations,
            "party roles": roles,
        }

    # Reference data

    def create_sectors_parties_and_events(self):
        self.sectors = Sector.objects.bulk_create(
            Sector(
                name=plan.name,
                slug=slugify(plan.name),
                position=(i + 1) * 10,
                name_ja=SECTOR_NAMES[plan.name][0],
                name_hi=SECTOR_NAMES[plan.name][1],
                translation_ja=REVIEWED,
                translation_hi=REVIEWED,
            )
            for i, plan in enumerate(SECTORS)
        )
        self.parties = Party.objects.bulk_create(
            Party(
                name=name,
                short_name=short_name,
                slug=slugify(short_name if kind == AGENCY and short_name else name),
                kind=kind,
                country=country,
                name_ja=PARTY_NAMES[name][0],
                name_hi=PARTY_NAMES[name][1],
                short_name_ja=SHORT_NAMES[short_name][0] if short_name else "",
                short_name_hi=SHORT_NAMES[short_name][1] if short_name else "",
                translation_ja=REVIEWED,
                translation_hi=REVIEWED,
            )
            for name, short_name, kind, country in PARTIES
        )
        self.parties_by_side_and_level: dict[tuple[bool, str], list[Party]] = {}
        for party in self.parties:
            level = PARTY_LEVELS.get(party.kind, "subnational")
            key = (party.country == "IN", level)
            self.parties_by_side_and_level.setdefault(key, []).append(party)
        self.events = Event.objects.bulk_create(
            Event(
                name=name,
                slug=slug,
                location=location,
                starts_on=starts_on,
                ends_on=ends_on,
                description="Synthetic sample event.",
                name_ja=EVENT_NAMES[slug][0][0],
                location_ja=EVENT_NAMES[slug][0][1],
                description_ja="合成サンプルのイベント。",
                name_hi=EVENT_NAMES[slug][1][0],
                location_hi=EVENT_NAMES[slug][1][1],
                description_hi="कृत्रिम नमूना कार्यक्रम।",
                translation_ja=REVIEWED,
                translation_hi=REVIEWED,
            )
            for name, slug, location, starts_on, ends_on, _ in EVENTS
        )
        self.event_weights = {
            **{event: weight for event, (*_, weight) in zip(self.events, EVENTS, strict=True)},
            None: NO_EVENT_WEIGHT,
        }

    # Commitments

    def plan_commitments(self) -> list[CommitmentPlan]:
        plans = [self.plan_commitment_with_20_updates()]
        parts_of: Counter[int] = Counter()
        while len(plans) < self.commitment_count:
            # A part's parent is a recent commitment (not the 20-update one) with a summable
            # target and fewer than three parts.
            parents = [
                i
                for i in range(max(1, len(plans) - 50), len(plans))
                if plans[i].parent_index is None
                and plans[i].commitment.target_unit in SUMMABLE_UNITS
                and parts_of[i] < 3
            ]
            if parents and self.rng.random() < 0.1:
                parent_index = self.rng.choice(parents)
                parts_of[parent_index] += 1
                plans.append(self.plan_part(plans[parent_index], parent_index))
            else:
                plans.append(self.plan_commitment())
        self.allot_updates(plans)
        return plans

    def plan_commitment_with_20_updates(self) -> CommitmentPlan:
        self.used_slugs.add(COMMITMENT_WITH_20_UPDATES)
        commitment = Commitment(
            title="Twelve joint satellite launches by 2030",
            slug=COMMITMENT_WITH_20_UPDATES,
            summary="ISRO and JAXA commit to twelve joint satellite launches by 2030.",
            description=(
                "ISRO and JAXA agreed to launch twelve satellites together, sharing launch "
                f"services and ground stations.\n\n{SAMPLE_NOTE}"
            ),
            sector=self.sectors[0],
            event=self.events[0],
            announced_on=min(FIRST_ANNOUNCED_ON, self.last_day),
            deadline=datetime.date(2030, 12, 31),
            deadline_precision=DeadlinePrecision.YEAR,
            target_value=Decimal(12),
            target_unit=TargetUnit.COUNT,
            target_wording="twelve joint satellite launches",
        )
        return CommitmentPlan(
            commitment,
            parties=[
                (self.party("isro"), PartyRole.LEAD),
                (self.party("jaxa"), PartyRole.COUNTERPART),
            ],
            sector_index=0,
            topic="launch services",
            fate="on_track",
            final_fraction=0.6,
            updates=UPDATES_OF_THE_20_UPDATE_COMMITMENT,
            all_published=True,
        )

    def party(self, slug: str) -> Party:
        return next(party for party in self.parties if party.slug == slug)

    def plan_commitment(self) -> CommitmentPlan:
        rng = self.rng
        sector_index = rng.randrange(len(SECTORS))
        sector_plan = SECTORS[sector_index]
        topic = rng.choice(sector_plan.topics)
        parties = self.pick_parties()
        lead, counterpart = parties[0][0], parties[1][0] if len(parties) > 1 else None

        unit = weighted(rng, UNIT_WEIGHTS)
        if unit == TargetUnit.OTHER and not sector_plan.other_unit:
            unit = TargetUnit.COUNT
        target, baseline, wording = self.draw_target(unit, sector_plan)
        if target is None:
            title = f"{rng.choice(UNTARGETED_ACTIONS)} {topic}"
        else:
            title = f"{capitalised(topic)}: {wording}"
        if lead.kind in (STATE, PREFECTURE) and counterpart is not None:
            title += f" ({lead.name}–{counterpart.name})"

        event = weighted(rng, self.event_weights)
        if event is None:
            announced_on = FIRST_ANNOUNCED_ON + datetime.timedelta(days=rng.randint(0, 400))
        else:
            announced_on = rng.choice([event.starts_on, event.ends_on])
        announced_on = min(announced_on, self.last_day)
        deadline, precision = self.draw_deadline(announced_on)

        pair = " and ".join(p.display_name for p, _ in parties[:2])
        what = f"{topic}, {wording}" if wording else topic
        commitment = Commitment(
            title=title,
            slug=self.unique_slug(title),
            summary=f"{pair} commit to {what}.",
            description=(
                f"{pair} agreed to work together on {topic}"
                f"{f' with a target of {wording}' if wording else ''}.\n\n{SAMPLE_NOTE}"
            ),
            sector=self.sectors[sector_index],
            event=event,
            announced_on=announced_on,
            deadline=deadline,
            deadline_precision=precision,
            target_value=target,
            target_unit=unit,
            target_unit_label=sector_plan.other_unit if unit == TargetUnit.OTHER else "",
            baseline_value=baseline,
            target_wording=wording,
        )
        fate = weighted(rng, FATES)
        return CommitmentPlan(
            commitment,
            parties,
            sector_index,
            topic,
            fate,
            final_fraction=self.draw_final_fraction(fate),
        )

    def plan_part(self, parent_plan: CommitmentPlan, parent_index: int) -> CommitmentPlan:
        """A part of a larger commitment, in its unit, whose figure counts toward the parent's."""
        rng = self.rng
        parent = parent_plan.commitment
        target = max(1, int(parent.target_value * Decimal(rng.choice([10, 15, 20, 25, 30])) / 100))
        target = Decimal(target)
        wording = in_words(target, parent.target_unit, SECTORS[parent_plan.sector_index])
        # An Indian state or agency delivers the part, with the parent's party from the
        # other side, if it has one, as counterpart.
        parent_parties = [party for party, _ in parent_plan.parties]
        lead = rng.choice(
            [
                party
                for party in self.parties_by_side_and_level[(True, "subnational")]
                + self.parties_by_side_and_level[(True, "agency")]
                if party not in parent_parties
            ]
        )
        parties = [(lead, PartyRole.LEAD)]
        parties += [(p, PartyRole.COUNTERPART) for p in parent_parties if p.country != "IN"][:1]
        title = f"{capitalised(parent_plan.topic)}: {wording} through {lead.display_name}"
        commitment = Commitment(
            title=title,
            slug=self.unique_slug(title),
            summary=f"{lead.display_name}'s share of “{parent.title}”: {wording}.",
            description=f"A part of “{parent.title}”.\n\n{SAMPLE_NOTE}",
            sector=parent.sector,
            event=parent.event,
            announced_on=parent.announced_on,
            deadline=parent.deadline,
            deadline_precision=parent.deadline_precision,
            target_value=target,
            target_unit=parent.target_unit,
            target_unit_label=parent.target_unit_label,
            target_wording=wording,
            counts_toward_parent=rng.random() < 0.85,
        )
        fate = weighted(rng, FATES)
        return CommitmentPlan(
            commitment,
            parties,
            parent_plan.sector_index,
            parent_plan.topic,
            fate,
            final_fraction=self.draw_final_fraction(fate),
            parent_index=parent_index,
        )

    def pick_parties(self) -> list[tuple[Party, str]]:
        """A lead, usually a counterpart on the other side at the same level, sometimes a third."""
        rng = self.rng
        level = weighted(rng, LEVEL_WEIGHTS)
        if level == "country":
            indian = self.party("india")
            other_countries = self.parties_by_side_and_level[(False, "country")]
            other = self.party("japan") if rng.random() < 0.7 else rng.choice(other_countries)
        else:
            indian = rng.choice(self.parties_by_side_and_level[(True, level)])
            other = rng.choice(self.parties_by_side_and_level[(False, level)])
        lead, counterpart = (indian, other) if rng.random() < 0.5 else (other, indian)
        size = rng.choices([1, 2, 3], weights=[10, 60, 30])[0]
        parties = [(lead, PartyRole.LEAD), (counterpart, PartyRole.COUNTERPART)][:size]
        if size == 3:
            third = rng.choice([p for p in self.parties if p not in (lead, counterpart)])
            role = rng.choice([PartyRole.PARTNER, PartyRole.FUNDER, PartyRole.IMPLEMENTER])
            parties.append((third, role))
        return parties

    def draw_target(self, unit: str, sector_plan: SectorPlan):
        """(target, baseline, the source's wording); all None/'' for an untargeted pledge."""
        rng = self.rng
        if not unit:
            return None, None, ""
        if unit == TargetUnit.PERCENT:
            target = rng.randrange(40, 101, 5)
            baseline = rng.randrange(5, target - 10, 5)
            return Decimal(target), Decimal(baseline), f"from {baseline}% to {target}%"
        target = Decimal(rng.choice(TARGETS[unit]))
        baseline = None
        if unit in (TargetUnit.PEOPLE, TargetUnit.COUNT) and rng.random() < 0.2:
            baseline = Decimal(int(target * Decimal(rng.choice([10, 20, 30, 40])) / 100)) or None
        return target, baseline, in_words(target, unit, sector_plan)

    def draw_deadline(self, announced_on: datetime.date):
        rng = self.rng
        if rng.random() < 0.25:
            return None, ""
        precision = rng.choices(
            [DeadlinePrecision.YEAR, DeadlinePrecision.MONTH, DeadlinePrecision.DAY],
            weights=[50, 30, 20],
        )[0]
        # Some deadlines fall within the data's span, so that some commitments are overdue.
        days = rng.randint(90, 420) if rng.random() < 0.15 else rng.randint(365, 3650)
        return end_of_period(announced_on + datetime.timedelta(days=days), precision), precision

    def draw_final_fraction(self, fate: str) -> float:
        low, high = {
            "achieved": (1.0, 1.0),
            "on_track": (0.4, 0.95),
            "delayed": (0.1, 0.5),
            "stalled": (0.0, 0.2),
            "abandoned": (0.0, 0.3),
        }[fate]
        return self.rng.uniform(low, high)

    def unique_slug(self, title: str) -> str:
        base = slugify(title.replace("–", " "))[:240]  # "Gujarat–Shizuoka": two words
        slug, n = base, 2
        while slug in self.used_slugs:
            slug, n = f"{base}-{n}", n + 1
        self.used_slugs.add(slug)
        return slug

    def allot_updates(self, plans: list[CommitmentPlan]):
        """Share the updates out unevenly: a few commitments are followed closely, a few
        (weight 0) not yet at all."""
        rng = self.rng
        others = plans[1:]
        remaining = self.update_count - plans[0].updates
        weights = [0.0 if rng.random() < 0.03 else rng.lognormvariate(0, 0.8) for _ in others]
        if not any(weights):
            weights = [1.0] * len(others)
        for index in rng.choices(range(len(others)), weights=weights, k=remaining):
            others[index].updates += 1

    def save_commitments(self, plans: list[CommitmentPlan]):
        for index, plan in enumerate(plans):
            translate(plan, index)
        # Parents first: a part needs its parent's primary key.
        top_level = [plan.commitment for plan in plans if plan.parent_index is None]
        Commitment.objects.bulk_create(top_level, batch_size=BATCH_SIZE)
        parts = []
        for plan in plans:
            if plan.parent_index is not None:
                plan.commitment.parent = plans[plan.parent_index].commitment
                parts.append(plan.commitment)
        Commitment.objects.bulk_create(parts, batch_size=BATCH_SIZE)

    def create_party_roles(self, plans: list[CommitmentPlan]) -> int:
        roles = [
            CommitmentParty(commitment=plan.commitment, party=party, role=role, position=position)
            for plan in plans
            for position, (party, role) in enumerate(plan.parties)
        ]
        CommitmentParty.objects.bulk_create(roles, batch_size=BATCH_SIZE)
        return len(roles)

    # Sources

    def create_sources(self, analysts: list[User]) -> list[Source]:
        """Sources in per-sector pools, each pool's first dated the first announcement day so
        that any update can cite one published no later than its own date."""
        rng = self.rng
        span = (self.last_day - FIRST_ANNOUNCED_ON).days
        sources_with_sector = []
        for n in range(self.source_count):
            sector_index = n % len(SECTORS)
            topic = rng.choice(SECTORS[sector_index].topics)
            if n < len(SECTORS):
                published_on = min(FIRST_ANNOUNCED_ON, self.last_day)
            else:
                published_on = FIRST_ANNOUNCED_ON + datetime.timedelta(days=rng.randint(0, span))
            kind = weighted(rng, SOURCE_KIND_WEIGHTS)
            if kind == SourceKind.NEWS:
                publisher = rng.choice(NEWS_OUTLETS)
            elif kind == SourceKind.GOVERNMENT_DATA:
                publisher = rng.choice(DATA_PUBLISHERS)
            elif kind == SourceKind.OFFICIAL_STATEMENT:
                publisher = rng.choice(
                    [p for p in self.parties if p.kind in (GOVERNMENT, AGENCY)]
                ).display_name
            else:
                publisher = ""
            title = rng.choice(SOURCE_TITLES[kind]).format(
                topic=topic, Topic=capitalised(topic), month=f"{published_on:%B %Y}"
            )
            host = f"{cached_slugify(publisher) or 'library'}.example.org"
            url = f"https://{host}/{published_on:%Y/%m}/{cached_slugify(title)[:80]}-{n + 1}"
            source = Source(
                title=title,
                url=url,
                publisher=publisher,
                published_on=published_on,
                accessed_on=min(
                    published_on + datetime.timedelta(days=rng.randint(0, 20)), self.last_day
                ),
                archive_url=(
                    f"https://archive.example.net/{published_on:%Y%m%d}/{url}"
                    if rng.random() < 0.1
                    else ""
                ),
                kind=kind,
                added_by_id=rng.choice(analysts).pk,
            )
            sources_with_sector.append((source, sector_index))
        # Older sources get lower primary keys, as they would when entered over time.
        sources_with_sector.sort(key=lambda pair: (pair[0].published_on, pair[0].url))
        sources = [source for source, _ in sources_with_sector]
        Source.objects.bulk_create(sources, batch_size=BATCH_SIZE)
        self.create_conversions(sources)

        self.pools: list[list[Source]] = [[] for _ in SECTORS]
        for source, sector_index in sources_with_sector:
            self.pools[sector_index].append(source)
        self.pool_dates = [[s.published_on for s in pool] for pool in self.pools]
        return sources

    def create_conversions(self, sources: list[Source]):
        """A few official figures state an exchange rate, as real ones do."""
        rng = self.rng
        conversions = []
        for source in sources:
            if source.kind == SourceKind.NEWS or rng.random() >= 0.03:
                continue
            if rng.random() < 0.6:
                rate, pair = Decimal(rng.randint(560, 600)) / 1000, ("JPY", "INR")
                from_amount = Decimal(10**12)
            else:
                rate, pair = Decimal(rng.randint(8300, 8800)) / 100, ("USD", "INR")
                from_amount = Decimal(10**9)
            conversions.append(
                Conversion(
                    source=source,
                    from_currency=pair[0],
                    from_amount=from_amount,
                    to_currency=pair[1],
                    to_amount=from_amount * rate,
                )
            )
        Conversion.objects.bulk_create(conversions, batch_size=BATCH_SIZE)

    # Updates

    def create_updates(self, plans, analysts, editors) -> list[tuple[StatusUpdate, int]]:
        """Every update, with the index of its commitment's plan."""
        updates = []
        for index, plan in enumerate(plans):
            updates += [(update, index) for update in self.draw_updates(plan, analysts, editors)]
        StatusUpdate.objects.bulk_create([u for u, _ in updates], batch_size=BATCH_SIZE)
        return updates

    def draw_updates(self, plan: CommitmentPlan, analysts, editors) -> list[StatusUpdate]:
        rng = self.rng
        commitment = plan.commitment
        sector_plan = SECTORS[plan.sector_index]
        count = plan.updates
        span = (self.last_day - commitment.announced_on).days
        if plan.all_published and span >= count:
            offsets = sorted(rng.sample(range(span + 1), count))
        else:
            offsets = sorted(rng.randint(0, span) for _ in range(count))
        shape = rng.uniform(0.7, 1.6)
        fraction = 0.0
        updates = []
        for position, offset in enumerate(offsets):
            as_of = commitment.announced_on + datetime.timedelta(days=offset)
            through = (position + 1) / count
            last = position == count - 1
            if plan.fate == "achieved" and last:
                fraction = 1.0
            else:
                drawn = plan.final_fraction * through**shape + rng.uniform(-0.05, 0.05)
                fraction = min(max(fraction, drawn), plan.final_fraction)
            status = status_for(plan.fate, through, fraction, last)
            progress_value = None
            if commitment.target_value is not None and (last or rng.random() < 0.75):
                progress_value = progress_figure(commitment, fraction)
                if progress_value <= (commitment.baseline_value or 0):
                    progress_value = None  # nothing to report yet
            summary = rng.choice(UPDATE_SUMMARIES[status]).format(topic=plan.topic)
            if progress_value is not None:
                figure = in_words(progress_value, commitment.target_unit, sector_plan)
                summary += f" Reported so far: {figure}."
            update = StatusUpdate(
                commitment_id=commitment.pk,
                as_of=as_of,
                status=status,
                progress_value=progress_value,
                summary=summary,
                body=(
                    f"The cited sources report on {plan.topic} as of {as_of:%d %B %Y}.\n\n"
                    f"- Status: {status.label}\n- Next review in about three months."
                    if rng.random() < 0.4
                    else ""
                ),
                author_id=rng.choice(analysts).pk,
            )
            if plan.all_published:
                state = UpdateState.PUBLISHED
            else:
                state = self.draw_state(newest=position >= count - 2)
            self.set_review(update, state, editors)
            updates.append(update)
        return updates

    def draw_state(self, *, newest: bool) -> str:
        # Work in progress (drafts, updates awaiting review) is mostly the newest.
        weights = [65, 17, 13, 5] if newest else [95, 1, 2, 2]
        states = [UpdateState.PUBLISHED, UpdateState.SUBMITTED, UpdateState.DRAFT]
        return self.rng.choices([*states, UpdateState.REJECTED], weights=weights)[0]

    def set_review(self, update: StatusUpdate, state: str, editors: list[User]):
        """The workflow's traces: submitted a few days after the as-of date, reviewed after."""
        rng = self.rng
        update.state = state
        if state == UpdateState.DRAFT:
            return
        submitted_on = min(update.as_of + datetime.timedelta(days=rng.randint(0, 3)), self.last_day)
        update.submitted_at = at(submitted_on, rng.randint(6, 11), rng.randint(0, 59))
        update.version = 2
        if state == UpdateState.SUBMITTED:
            return
        reviewed_on = min(submitted_on + datetime.timedelta(days=rng.randint(0, 4)), self.last_day)
        update.reviewed_at = at(reviewed_on, rng.randint(12, 17), rng.randint(0, 59))
        update.reviewer_id = rng.choice(editors).pk
        update.version = 3
        if state == UpdateState.REJECTED:
            update.review_comment = rng.choice(REJECTION_COMMENTS)

    def cite_sources(self, updates, plans, sources) -> int:
        """Published updates cite one to three sources; drafts may not cite any yet."""
        rng = self.rng
        Citation = StatusUpdate.sources.through
        citations = []
        for update, index in updates:
            if update.state == UpdateState.PUBLISHED:
                wanted = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
            elif update.state == UpdateState.DRAFT:
                wanted = rng.randint(0, 1)
            else:
                wanted = rng.randint(1, 2)
            sector_index = plans[index].sector_index
            # Among the sector's 30 latest sources published by the update's date.
            newest = bisect.bisect_right(self.pool_dates[sector_index], update.as_of)
            window = self.pools[sector_index][max(0, newest - 30) : newest]
            citations += [
                Citation(statusupdate_id=update.pk, source_id=source.pk)
                for source in rng.sample(window, min(wanted, len(window)))
            ]
        Citation.objects.bulk_create(citations, batch_size=BATCH_SIZE)
        return len(citations)


def translate(plan: CommitmentPlan, index: int):
    """Japanese and Hindi texts for a share of the commitments, by position (no draw from the
    generator, so the rest of the data stays what it was): three in four have Japanese, one in
    two Hindi, some reviewed and some not, and the source's wording of a target is left in
    English, so that translated pages, their fallbacks and their markers all get exercised."""
    commitment = plan.commitment
    sector_ja, sector_hi = SECTOR_NAMES[SECTORS[plan.sector_index].name]
    names = [party for party, _ in plan.parties[:2]]
    if index % 4 != 3:
        pair = "・".join(party.short_name_ja or party.name_ja for party in names)
        commitment.title_ja = f"{sector_ja}分野の協力（{pair}）"
        commitment.summary_ja = f"{pair}は{sector_ja}分野で協力することを約束した。"
        commitment.description_ja = f"{commitment.summary_ja}\n\n{SAMPLE_NOTE_JA}"
        commitment.translation_ja = REVIEWED if index % 8 < 4 else UNREVIEWED
    if index % 2 == 0:
        pair = " और ".join(party.short_name_hi or party.name_hi for party in names)
        commitment.title_hi = f"{sector_hi} में सहयोग ({pair})"
        commitment.summary_hi = f"{pair} ने {sector_hi} में सहयोग की प्रतिबद्धता जताई।"
        commitment.description_hi = f"{commitment.summary_hi}\n\n{SAMPLE_NOTE_HI}"
        commitment.translation_hi = REVIEWED if index % 6 < 4 else UNREVIEWED


# Source titles repeat (a few templates, topics and months): slugify each only once.
cached_slugify = functools.cache(slugify)


def status_for(fate: str, through: float, fraction: float, last: bool) -> UpdateStatus:
    """The status of an update `through` (0–1) of the way along a commitment's updates, its
    figure `fraction` of the way to the target. It only moves forward, as figures do."""
    if fraction < 0.02 and through < 0.3:
        return UpdateStatus.ANNOUNCED
    if fate == "achieved" and last:
        return UpdateStatus.ACHIEVED
    if fate == "abandoned" and through > 0.7:
        return UpdateStatus.ABANDONED
    if fate == "stalled" and through > 0.4:
        return UpdateStatus.STALLED
    if fate == "delayed" and through > 0.3:
        return UpdateStatus.DELAYED
    if fraction >= 0.8:
        return UpdateStatus.PARTIALLY_ACHIEVED
    return UpdateStatus.IN_PROGRESS


def in_words(value: Decimal, unit: str, sector_plan: SectorPlan) -> str:
    """A target or figure as a source would put it: '¥25 billion', '₹2,500 crore', '12 plants'."""
    system = numbers.INDIAN if unit == TargetUnit.INR else numbers.INTERNATIONAL
    if unit == TargetUnit.COUNT:
        counted = sector_plan.counted[:-1] if value == 1 else sector_plan.counted
        return f"{numbers.format_count(value, system)} {counted}"
    if unit == TargetUnit.PERCENT:
        return f"{numbers.group_digits(value, system)}%"
    return numbers.format_quantity(value, unit, system, sector_plan.other_unit)


def progress_figure(commitment: Commitment, fraction: float) -> Decimal:
    """The cumulative figure `fraction` of the way from baseline to target, rounded down as
    the unit is counted (so figures never pass the target and never go down)."""
    baseline = commitment.baseline_value or Decimal(0)
    value = baseline + (commitment.target_value - baseline) * Decimal(str(round(fraction, 4)))
    places = Decimal("0.1") if commitment.target_unit == TargetUnit.PERCENT else Decimal(1)
    return value.quantize(places, rounding=ROUND_DOWN)


def sample_users(usernames: list[str], group_name: str, *, is_staff: bool) -> list[User]:
    """The sample authors and reviewers: they cannot sign in (unusable passwords)."""
    group = role_group(group_name)
    users = []
    for username in usernames:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"password": make_password(None), "is_staff": is_staff}
        )
        user.groups.add(group)
        users.append(user)
    return users


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic, deterministic portfolio of commitments, "
        "updates and sources, for benchmarks and demos. "
        f"The commitment '{COMMITMENT_WITH_20_UPDATES}' has exactly 20 published updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=1000, help="Default: 1000.")
        parser.add_argument(
            "--updates", type=int, default=20000, help="Status updates in all. Default: 20000."
        )
        parser.add_argument(
            "--sources", type=int, default=None, help="Default: a quarter of the updates."
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data. Default: 1.")

    def handle(self, *args, **options):
        commitments, updates = options["commitments"], options["updates"]
        sources = options["sources"]
        if sources is None:
            sources = max(len(SECTORS) * 5, updates // 4)
        self.check_options(commitments, updates, sources)
        self.check_database_is_empty()

        started = time.perf_counter()
        with transaction.atomic():
            counts = SamplePortfolio(
                commitments=commitments, updates=updates, sources=sources, seed=options["seed"]
            ).create()
        # Fresh planner statistics: without them PostgreSQL plans for the empty tables it saw.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        bump_public_generation()
        elapsed = time.perf_counter() - started

        summary = ", ".join(f"{number} {name}" for name, number in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Created {summary} in {elapsed:.1f} s."))
        self.stdout.write(
            f"Commitment with {UPDATES_OF_THE_20_UPDATE_COMMITMENT} published updates: "
            f"{COMMITMENT_WITH_20_UPDATES} (/commitments/{COMMITMENT_WITH_20_UPDATES}/)"
        )

    def check_options(self, commitments: int, updates: int, sources: int):
        if commitments < 1:
            raise CommandError("--commitments must be at least 1.")
        if updates < UPDATES_OF_THE_20_UPDATE_COMMITMENT:
            raise CommandError(
                f"--updates must be at least {UPDATES_OF_THE_20_UPDATE_COMMITMENT}: the first "
                f"commitment always has {UPDATES_OF_THE_20_UPDATE_COMMITMENT} published updates."
            )
        if commitments == 1 and updates > UPDATES_OF_THE_20_UPDATE_COMMITMENT:
            raise CommandError(
                "With one commitment, --updates must be "
                f"{UPDATES_OF_THE_20_UPDATE_COMMITMENT}: ask for more commitments."
            )
        if sources < len(SECTORS):
            raise CommandError(f"--sources must be at least {len(SECTORS)} (one per sector).")

    def check_database_is_empty(self):
        present = [
            f"{model.objects.count()} {model._meta.verbose_name_plural}"
            for model in (Commitment, StatusUpdate, Source, Sector, Party, Event)
            if model.objects.exists()
        ]
        if present:
            raise CommandError(
                f"This database already holds {', '.join(present)}. generate_sample_data "
                "fills an empty database only: run it on a new one, e.g. "
                "DATABASE_URL=sqlite:////tmp/sample.sqlite3 manage.py migrate, then this command."
            )
