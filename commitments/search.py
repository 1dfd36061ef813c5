"""Search, in one place: how text is folded, which words mean the same, what is searched, how
results are ranked, and the stored columns that make it the same on SQLite and PostgreSQL.

A commitment stores three folded texts (`fold()`): `search_title` (its titles, in every
language), `search_summary` (its summaries) and `search_text` (everything a reader may type a
word of: the titles and summaries again, the description, the source's wording of the target,
the sector, the parties and the event, each in English, Japanese and Hindi). A query is split
into words; a commitment matches when EVERY word (or one of its synonyms, or its singular)
begins a word of its `search_text`. Japanese is written without spaces, so a word holding
kana or kanji matches anywhere (and there is no stemming); Hindi separates its words with
spaces, so its words match at their start like English ones. Results are ranked by how many
of the words are in a title (of any language), then in a summary, then by English title.

The stored texts are written only by `refresh()` / `refresh_all()`, called when a commitment
is saved, when its parties change and when a sector, party or event is saved (signals at the
end of this module), by the migration that added them, by `generate_sample_data`, and found
in the fixture (loaded raw). A new searched field (or a new language in
`commitments.languages`): add it below, then run `refresh_all()` in a migration.
"""

import re
import unicodedata

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from commitments.languages import OTHER_LANGUAGES


def _in_every_language(*names: str) -> list[str]:
    """``title`` → ``title``, ``title_ja``, ``title_hi`` (the columns of commitments.languages)."""
    return [
        f"{name}{suffix}" for name in names for suffix in ("", *(f"_{c}" for c in OTHER_LANGUAGES))
    ]


# The commitment's own text fields, by rank, and the related rows' names (`compute()`).
TITLE_FIELDS = _in_every_language("title")
SUMMARY_FIELDS = _in_every_language("summary")
OTHER_FIELDS = _in_every_language("description", "target_wording")
RELATED_FIELDS = _in_every_language("sector__name", "event__name")
PARTY_FIELDS = _in_every_language("party__name", "party__short_name")

# What the "nothing matches" message says was searched.
SEARCHED_DESCRIPTION = gettext_lazy(
    "titles, summaries, descriptions, target wording, sectors, parties and events"
)

MAX_WORDS = 12  # words beyond these are ignored (a pasted paragraph stays cheap)

# Symbols read as words, so "¥10" is found by "yen 10" (and the reverse).
SYMBOLS = {
    "¥": " yen ",
    "円": " yen ",
    "￥": " yen ",
    "₹": " rupee ",
    "$": " dollar ",
    "€": " euro ",
    "£": " pound ",
    "&": " and ",
    "%": " percent ",
}

# Words a reader may type for words the commitments use. Each line is a group of words that
# mean the same here: a query word in a group also matches every other word of the group.
# Matching is by the start of a word, so "invest" already finds "investment", and plurals
# are tried singular: list a word once, in its shortest useful form. Keep it small and
# specific to what readers of the tracker look for (the seed data: fixtures/).
SYNONYMS = [
    ["yen", "jpy", "येन"],
    ["rupee", "inr", "ルピー", "रुपया", "रुपये"],
    ["dollar", "usd", "ドル", "डॉलर"],
    ["moon", "lunar"],
    ["worker", "professional", "personnel", "labour", "labor", "talent"],
    ["student", "scholar"],
    ["university", "universities", "college"],
    ["mou", "memorandum", "memoranda"],
    ["defence", "defense", "military"],
    ["organisation", "organization"],
    ["programme", "program"],
    ["decarbonising", "decarbonizing", "decarbonisation", "decarbonization", "emissions"],
    ["climate", "environment"],
    ["chip", "semiconductor"],
    ["ai", "artificial intelligence"],
    ["isro", "indian space research"],
    ["jaxa", "japan aerospace"],
    ["msme", "small business"],
    ["startup", "start-up", "start up"],
    ["maritime", "naval"],
    ["prefecture", "province"],
]

# Scripts written without spaces between words (kana, kanji, half-width katakana): a query
# word holding one of their letters matches anywhere, not only at the start of a word.
_CJK = re.compile(r"[\u3005-\u3007\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
# The same letters after NFKC (which makes half-width katakana full-width).
_JAPANESE = re.compile(r"[\u3005-\u3007\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_DIGIT_GROUPS = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009'’](?=\d{2,3}\b)")


def _kind_of(char: str) -> str:
    """How `fold()` treats a character: "m" a combining mark (Devanagari's vowel signs, virama
    and anusvara, the kana voicing marks; an accent on a Latin letter), "j" a Japanese letter,
    "l" a letter or digit below U+0530 (Latin, Greek, Cyrillic: their marks are accents),
    "w" any other letter or digit (its marks carry meaning), " " anything else."""
    if unicodedata.category(char).startswith("M"):
        return "m"
    if not char.isalnum():
        return " "
    if _JAPANESE.match(char):
        return "j"
    return "l" if ord(char) < 0x0530 else "w"


_KINDS: dict[str, str] = {}


def _kind(char: str) -> str:
    kind = _KINDS.get(char)
    if kind is None:
        if len(_KINDS) > 20_000:  # any text may be folded: keep the memo bounded
            _KINDS.clear()
        kind = _KINDS[char] = _kind_of(char)
    return kind


def _words(text: str) -> str:
    """`text` with punctuation and symbols as spaces, marks kept only on a letter of a script
    that needs them (accents go from Latin letters, and a mark on nothing means nothing), and
    a space where Japanese changes to another script ("isroとjaxa", "10兆"), so that "isro" and
    "10" begin words there too. One pass, in Python: `re` knows no \\p{M}."""
    out = []
    base = " "  # the kind of the last letter kept, or " " after a space
    for char in text:
        kind = _kind(char)
        if kind == "m":
            if base in ("w", "j"):
                out.append(char)
        elif kind == " ":
            if base != " ":
                out.append(" ")
            base = " "
        else:
            if base != " " and (base == "j") != (kind == "j"):
                out.append(" ")
            out.append(char)
            base = kind
    return "".join(out)


def _symbols_as_words(text: str) -> str:
    for symbol, word in SYMBOLS.items():
        if symbol in text:
            text = text.replace(symbol, word)
    return text


_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_ANY_MARK = re.compile(
    "[{}]".format(
        "".join(
            re.escape(chr(code))
            for code in range(0x300, 0x20000)
            if unicodedata.category(chr(code)).startswith("M")
        )
    )
)
_INDIAN_DIGIT = re.compile(r"[\u0966-\u0def]")
# Digits of other scripts read as ASCII ones ("५०" is "50"), the way NFKC does full-width ones.
_DIGITS = {
    code: str(unicodedata.digit(chr(code)))
    for code in range(0x0966, 0x0DF0)
    if unicodedata.category(chr(code)) == "Nd"
}


def fold(text: str) -> str:
    """`text` as search compares it: compatibility forms unified by NFKC (full-width and
    half-width letters, "ｊａｘａ" → "jaxa", "ｶﾀｶﾅ" → "カタカナ", ligatures), accents dropped
    from Latin, Greek and Cyrillic letters ("Tōkyō" → "tokyo") while other scripts keep their
    marks, which carry meaning (Devanagari vowel signs and virama, dakuten), case folded,
    Indian digits read as ASCII, currency symbols read as words, digit groups joined
    ("50,000" → "50000"), punctuation to single spaces, a space where Japanese changes to
    Latin letters or digits. Idempotent: `fold(fold(x)) == fold(x)`."""
    if not text:
        return ""
    if text.isascii():  # most text: no accents, marks or other scripts to look after
        text = _DIGIT_GROUPS.sub("", _symbols_as_words(text).lower())
        return " ".join(_NOT_ASCII_WORD.sub(" ", text).split())
    text = unicodedata.normalize("NFKD", _symbols_as_words(text))
    if _ANY_MARK.search(text):  # accents off Latin letters, before NFKC puts them back
        kept = []
        base = " "
        for char in text:
            kind = _kind(char)
            if kind != "m":
                base = kind
            elif base not in ("w", "j"):
                continue
            kept.append(char)
        text = "".join(kept)
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    if _INDIAN_DIGIT.search(text):
        text = text.translate(_DIGITS)
    text = _symbols_as_words(text)  # again: NFKC may have made one ("￥" → "¥")
    text = _DIGIT_GROUPS.sub("", text)
    words = (
        _NOT_ASCII_WORD.sub(" ", token) if token.isascii() else _words(token)
        for token in text.split()
    )
    return " ".join(" ".join(words).split())


def _stored(*parts: str) -> str:
    """A stored search text: folded, with a space before every word (and one at the end), so
    that `contains(" " + word)` means "a word starts with `word`"."""
    folded = " ".join(filter(None, (fold(part) for part in parts)))
    return f" {folded} " if folded else ""


_GROUPS: dict[str, list[str]] = {}
for _group in SYNONYMS:
    _folded = [fold(word) for word in _group]
    for _word in _folded:
        _GROUPS.setdefault(_word, [])
        _GROUPS[_word] += [w for w in _folded if w not in _GROUPS[_word]]


def _singular(word: str) -> str | None:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


def words(query: str) -> list[str]:
    """The distinct folded words of a query, in order, at most MAX_WORDS."""
    seen = []
    for word in fold(query).split():
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def alternatives(word: str) -> list[str]:
    """A folded query word and what else it may be written as: its singular, its synonyms."""
    found = [word]
    singular = _singular(word)
    if singular:
        found.append(singular)
    for each in list(found):
        for synonym in _GROUPS.get(each, []):
            if synonym not in found:
                found.append(synonym)
    return found


def _word_q(field: str, word: str) -> Q:
    condition = Q()
    for each in alternatives(word):
        needle = each if _CJK.search(each) else f" {each}"
        condition |= Q(**{f"{field}__contains": needle})
    return condition


def search(queryset, query: str):
    """Commitments of `queryset` in which every word of `query` is found (see the module's
    docstring), ranked title matches first, then summary matches, then by title. Annotates
    `search_title_hits` and `search_summary_hits`. An empty query changes nothing."""
    query_words = words(query)
    if not query_words:
        return queryset
    for word in query_words:
        queryset = queryset.filter(_word_q("search_text", word))

    def hits(field):
        return sum(
            (
                Case(When(_word_q(field, word), then=Value(1)), default=Value(0))
                for word in query_words
            ),
            start=Value(0),
        )

    return queryset.annotate(
        search_title_hits=Coalesce(hits("search_title"), 0, output_field=IntegerField()),
        search_summary_hits=Coalesce(hits("search_summary"), 0, output_field=IntegerField()),
    ).order_by("-search_title_hits", "-search_summary_hits", "title", "pk")


# Writing the stored texts --------------------------------------------------------------------

SEARCH_FIELDS = ("search_title", "search_summary", "search_text")


def _texts(row: dict, related: list[str]) -> dict[str, str]:
    titles = [row.get(name) or "" for name in TITLE_FIELDS]
    summaries = [row.get(name) or "" for name in SUMMARY_FIELDS]
    others = [row.get(name) or "" for name in OTHER_FIELDS]
    return {
        "search_title": _stored(*titles),
        "search_summary": _stored(*summaries),
        "search_text": _stored(*titles, *summaries, *others, *related),
    }


def _existing(model, paths: list[str]) -> list[str]:
    """The `paths` (``title_ja``, ``sector__name_ja``) that `model` has: a migration older
    than the translated columns gets a historical model without them."""
    found = []
    for path in paths:
        current = model
        try:
            for name in path.split("__"):
                field = current._meta.get_field(name)
                current = field.related_model
        except FieldDoesNotExist:
            continue
        found.append(path)
    return found


def compute(commitments) -> dict[int, dict[str, str]]:
    """{pk: {search field: text}} for a queryset of commitments, in two queries. Works with
    the historical models a migration gets from `apps.get_model()`."""
    model = commitments.model
    own = _existing(model, [*TITLE_FIELDS, *SUMMARY_FIELDS, *OTHER_FIELDS, *RELATED_FIELDS])
    rows = list(commitments.values("pk", *own))
    through = model._meta.get_field("commitment_parties").related_model
    related: dict[int, list[str]] = {
        row["pk"]: [row.get(name) or "" for name in RELATED_FIELDS] for row in rows
    }
    links = through.objects.filter(commitment__in=[row["pk"] for row in rows]).values_list(
        "commitment_id", *_existing(through, PARTY_FIELDS), "contribution"
    )
    for commitment_id, *names in links:
        related[commitment_id] += [name or "" for name in names]
    return {row["pk"]: _texts(row, related[row["pk"]]) for row in rows}


def _write(commitments, batch_size: int = 1000) -> int:
    fresh = compute(commitments)
    current = commitments.model.objects.filter(pk__in=list(fresh)).values_list("pk", *SEARCH_FIELDS)
    stale = []
    for pk, *stored in current:
        new = fresh[pk]
        if list(stored) != [new[name] for name in SEARCH_FIELDS]:
            stale.append(commitments.model(pk=pk, **new))
    if stale:
        # bulk_update: one UPDATE per batch, never a save() (no history entry: the texts are
        # derived, not edited).
        commitments.model.objects.bulk_update(stale, SEARCH_FIELDS, batch_size=batch_size)
    return len(stale)


def refresh(*pks) -> int:
    """Rewrite the stored search texts of these commitments where they changed, in a bounded
    number of queries (read, parties, one UPDATE per batch). Returns how many changed."""
    from commitments.models import Commitment

    wanted = [pk for pk in pks if pk is not None]
    if not wanted:
        return 0
    return _write(Commitment.objects.filter(pk__in=wanted))


def refresh_where(**lookup) -> int:
    """Refresh every commitment matching `lookup` (a renamed sector, party or event)."""
    from commitments.models import Commitment

    return _write(Commitment.objects.filter(**lookup))


def refresh_all(model=None) -> int:
    """Every commitment's stored search texts (the migration passes its historical model)."""
    if model is None:
        from commitments.models import Commitment as model
    with transaction.atomic():
        return _write(model.objects.all())


# Keeping them current ------------------------------------------------------------------------


def _commitment_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # a fixture carries its stored texts (tests/test_fixture.py checks them)
    if update_fields is not None and not (
        set(update_fields) & {*TITLE_FIELDS, *SUMMARY_FIELDS, *OTHER_FIELDS, "sector", "event"}
    ):
        return  # e.g. the stored standing or a version bump
    refresh(instance.pk)


def _link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(instance.commitment_id)


def _parties_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # from the party's side: these commitments
        if pk_set:
            refresh(*pk_set)
        else:
            refresh_where(parties=instance)
    else:
        refresh(instance.pk)


def _related_saved(lookup):
    def handler(sender, instance, raw=False, created=False, **kwargs):
        if not raw and not created:
            refresh_where(**{lookup: instance})

    return handler


_sector_saved = _related_saved("sector")
_party_saved = _related_saved("parties")
_event_saved = _related_saved("event")


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from commitments.models import Commitment, CommitmentParty, Event, Party, Sector

    post_save.connect(_commitment_saved, sender=Commitment, dispatch_uid="search-commitment")
    post_save.connect(_link_changed, sender=CommitmentParty, dispatch_uid="search-link-save")
    post_delete.connect(_link_changed, sender=CommitmentParty, dispatch_uid="search-link-del")
    m2m_changed.connect(
        _parties_changed, sender=Commitment.parties.through, dispatch_uid="search-parties"
    )
    post_save.connect(_sector_saved, sender=Sector, dispatch_uid="search-sector")
    post_save.connect(_party_saved, sender=Party, dispatch_uid="search-party")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="search-event")
