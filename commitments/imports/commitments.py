"""The commitments import: one row a commitment, created or updated by its slug.

The columns are the public list export's (Commitment, Sector, Parties, Deadline, URL, Target
value, Unit; its computed columns such as Status or Progress are ignored) plus what a
commitment needs to be made whole: slug, summary, description, event, parent, announced_on,
deadline_precision, target_unit_label, baseline_value, target_wording, counts_toward_parent.
docs/imports-commitments.md is the reference.

- A column that is not in the file leaves that field as it is; an empty cell in a column
  that is there empties the field (and is a problem where the field is required).
- The rules are the model's: every row becomes an unsaved Commitment and goes through
  `full_clean()` (field checks, `Commitment.clean()`, the table's constraints), as the admin
  form does. Only what the model cannot know is checked here: unknown sector, event, parent
  or party, text that is not a date or a number, a slug given twice, a parent loop.
- `parent` may name an existing commitment or a row anywhere in the same file; rows are
  saved parents first.
- `parties` is one cell: `party:role` pairs separated by `;` (`isro:lead; jaxa:counterpart`),
  each party by slug, name or short name, each role by value or label; no role means lead.
  A cell that reads exactly as the export wrote the commitment's parties changes nothing.
- Only editors import commitments (commitments/rules.py), checked when planning and when
  applying. Nothing but commitments and their party roles is written: no update, no
  publication.
"""

from __future__ import annotations

import copy
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from commitments import rules, search
from commitments.imports import base
from commitments.imports.base import ImportFileError, RowPlan, Table
from commitments.models import (
    Commitment,
    CommitmentParty,
    DeadlinePrecision,
    Event,
    Party,
    PartyRole,
    Sector,
    TargetUnit,
)

PROGRESS_EVERY = 100
LOOKUP_CHUNK = 2000
NOTE_TEXT = 80  # characters of a text shown in a "before → after" note
STAND_IN = -1  # parent_id while validating a row whose parent is another row of the file

# Fields written straight from a cell (after parsing), in the order the notes list them.
FIELDS = [
    "title",
    "summary",
    "description",
    "sector",
    "event",
    "parent",
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
TEXT_FIELDS = {"title", "summary", "description", "target_wording", "target_unit_label"}
DATE_FIELDS = {"announced_on", "deadline"}
NUMBER_FIELDS = {"target_value", "baseline_value"}
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
# Thousands separators, Western (1,000,000) or Indian (10,00,000) grouping.
DETAIL_PATH = re.compile(r"(?:^|/)commitments/(?P<slug>[-\w]+)/?$")
GROUPED = re.compile(r"^\d{1,3}(,\d{2,3})+(\.\d+)?$")


@dataclass
class Draft:
    """What one good row will write."""

    slug: str
    number: int  # the row's
    pk: int | None  # the existing commitment, None to create one
    values: dict  # field name → value (sector/event as objects, parent as a slug or None)
    parties: list[tuple[Party, str]] | None  # None: leave the parties as they are
    changed: list[str] = field(default_factory=list)


def _display(value) -> str:
    if value is None or value == "":
        return gettext("(empty)")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (Sector, Event, Commitment)):
        return value.slug
    text = " ".join(str(value).split())  # a description's lines on one line
    return text if len(text) <= NOTE_TEXT else text[: NOTE_TEXT - 1] + "…"


def parties_text(pairs) -> str:
    """The parties cell for (party, role) pairs: `isro:lead; jaxa:counterpart`."""
    return "; ".join(f"{party.slug}:{role}" for party, role in pairs)


class Planner(base.Planner):
    kind = "commitments"
    # The model's fields in the admin form's order, with the key first, the parties after
    # the parent, and the export's URL (read for the slug when that is empty) last.
    columns = ["slug", *FIELDS[: FIELDS.index("parent") + 1], "parties"]
    columns += [*FIELDS[FIELDS.index("parent") + 1 :], "url"]
    required: list[str] = []  # slug or url: checked in plan(), with a message that says so
    aliases = {
        # The public list export's headers (commitments/tables.py), in English.
        "commitment": "title",
        "sector": "sector",
        "parties": "parties",
        "deadline": "deadline",
        "url": "url",
        "target value": "target_value",
        "target": "target_value",
        "unit": "target_unit",
        # Spellings with spaces.
        "announced on": "announced_on",
        "deadline precision": "deadline_precision",
        "target unit": "target_unit",
        "unit name": "target_unit_label",
        "target unit label": "target_unit_label",
        "baseline value": "baseline_value",
        "baseline": "baseline_value",
        "target wording": "target_wording",
        "source's wording": "target_wording",
        "counts toward parent": "counts_toward_parent",
        "commitment url": "url",
        "commitment_url": "url",
    }

    # ------------------------------------------------------------------ checks

    def _require_editor(self) -> None:
        if not rules.is_editor(self.acting_user):
            raise ImportFileError(
                gettext("Only editors may import commitments: nothing was imported.")
            )

    def plan(self, table: Table, progress) -> list[RowPlan]:
        self._require_editor()
        if "slug" not in table.columns and "url" not in table.columns:
            raise ImportFileError(
                gettext(
                    "The file needs a “slug” column (or the “URL” column of the commitments "
                    "export): it says which commitment each row creates or updates."
                )
            )
        self.columns_present = set(table.columns)
        self._load_lookups(table)
        plans: list[RowPlan] = []
        drafts: dict[str, tuple[RowPlan, Draft]] = {}
        seen: dict[str, int] = {}
        for done, row in enumerate(table.rows, start=1):
            plan, draft = self._plan_row(row, seen)
            plans.append(plan)
            if draft is not None:
                drafts[draft.slug] = (plan, draft)
            if done % PROGRESS_EVERY == 0:
                progress(done)
        self._check_parents(plans, drafts)
        for plan in plans:
            if plan.problems:
                plan.action = "error"
                plan.payload = None
        progress(len(table.rows))
        return plans

    def _load_lookups(self, table: Table) -> None:
        """Everything the rows name, in a few queries (not one per row)."""
        slugs = {self._slug_of(row.cells)[0] for row in table.rows}
        self.file_slugs = {slug for slug in slugs if slug}
        parents = {row.cells.get("parent", "").strip() for row in table.rows}
        wanted = {slug for slug in slugs | parents if slug}
        self.existing = {}
        wanted = sorted(wanted)
        for start in range(0, len(wanted), LOOKUP_CHUNK):  # SQLite's bound parameters
            self.existing.update(
                (c.slug, c)
                for c in Commitment.objects.filter(slug__in=wanted[start : start + LOOKUP_CHUNK])
                .select_related("sector", "event", "parent")
                .prefetch_related("commitment_parties__party")
            )
        # Existing commitments' parents, to find loops through rows not in the file.
        self.db_parent = dict(
            Commitment.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        )
        self.sectors = {}
        for sector in Sector.objects.all():
            for name in (sector.slug, sector.name, sector.name_ja, sector.name_hi):
                if name:
                    self.sectors.setdefault(name.casefold(), sector)
        self.events = {}
        for event in Event.objects.all():
            for name in (event.slug, event.name):
                self.events.setdefault(name.casefold(), event)
        self.parties = {}
        for party in Party.objects.all():
            for name in (party.slug, party.name, party.short_name):
                if name:
                    self.parties.setdefault(name.casefold(), party)
        self.roles = {}
        for role in PartyRole:
            self.roles[role.value] = role.value
            self.roles[str(role.label).casefold()] = role.value
            with translation.override("en"):
                self.roles[str(role.label).casefold()] = role.value
        self.units = {}
        for unit in TargetUnit:
            self.units[unit.value.casefold()] = unit.value
            self.units[str(unit.label).casefold()] = unit.value
            with translation.override("en"):
                self.units[str(unit.label).casefold()] = unit.value
        self.precisions = {}
        for precision in DeadlinePrecision:
            self.precisions[precision.value] = precision.value
            self.precisions[str(precision.label).casefold()] = precision.value
            with translation.override("en"):
                self.precisions[str(precision.label).casefold()] = precision.value

    @staticmethod
    def _slug_of(cells: dict) -> tuple[str, str]:
        """(slug, how it was found): the slug cell, or the last part of the URL cell."""
        slug = cells.get("slug", "").strip()
        if slug:
            return slug, "slug"
        url = cells.get("url", "").strip()
        if url:
            # /commitments/<slug>/ under any language prefix (commitments/urls.py).
            match = DETAIL_PATH.search(urlsplit(url).path)
            if match:
                return match["slug"], "url"
            return "", "bad-url"
        return "", ""

    # ------------------------------------------------------------------ one row

    def _plan_row(self, row, seen) -> tuple[RowPlan, Draft | None]:
        cells = {name: (value or "").strip() for name, value in row.cells.items()}
        slug, found = self._slug_of(cells)
        plan = RowPlan(
            number=row.number, action="create", subject=slug, text=cells.get("title", "")
        )
        problems = plan.problems
        if not slug:
            if found == "bad-url":
                problems.append(
                    gettext("“%(url)s” is not the address of a commitment on this site.")
                    % {"url": cells.get("url", "")}
                )
            else:
                problems.append(gettext("The slug is missing: each row needs one."))
            return plan, None
        if slug in seen:
            problems.append(
                gettext("The slug “%(slug)s” is already used by row %(row)d of this file.")
                % {"slug": slug, "row": seen[slug]}
            )
            return plan, None
        seen[slug] = row.number
        existing = self.existing.get(slug)
        if existing is not None and not plan.text:
            plan.text = existing.title
        # A copy: `existing` keeps the saved values the notes compare with.
        instance = Commitment(slug=slug) if existing is None else copy.copy(existing)
        values = {}
        for name in FIELDS:
            if name not in self.columns_present:
                continue
            parsed = self._parse(name, cells.get(name, ""), existing, problems, values)
            if parsed is not _INVALID:
                values[name] = parsed
        # The export's Unit column holds the name of an 'other' unit: read it as such.
        if "target_unit" in values and isinstance(values["target_unit"], tuple):
            unit, label = values["target_unit"]
            values["target_unit"] = unit
            if label and not values.get("target_unit_label"):
                values["target_unit_label"] = label
        if values.get("target_unit", TargetUnit.OTHER) != TargetUnit.OTHER:
            values["target_unit_label"] = ""  # a name belongs to an 'other' unit only
        parties = None
        if "parties" in self.columns_present:
            parties = self._parse_parties(cells.get("parties", ""), existing, problems)
        # The model's own rules, on an unsaved copy (the admin form runs the same).
        for name, value in values.items():
            if name == "parent":
                continue
            setattr(instance, name, value)
        if "parent" in values:
            self._set_parent(instance, values["parent"], existing)
        errors = self._validate(instance, problems)
        if ("deadline" in values or "deadline_precision" in values) and "deadline" not in errors:
            values["deadline"] = instance.deadline  # clean() stores a period's last day
        draft = Draft(
            slug=slug,
            number=row.number,
            pk=existing.pk if existing else None,
            values=values,
            parties=parties,
        )
        if existing is not None:
            self._compare(existing, draft, plan)
        plan.payload = draft
        return plan, draft

    def _parse(self, name, text, existing, problems, values):
        column = name
        if name in TEXT_FIELDS:
            return text
        if name in DATE_FIELDS:
            if not text:
                return None
            day = parse_date(text)
            if day is None:
                problems.append(
                    gettext(
                        "%(column)s: “%(text)s” is not a date. Write it as YYYY-MM-DD, "
                        "e.g. 2030-03-31."
                    )
                    % {"column": column, "text": text}
                )
                return _INVALID
            return day
        if name in NUMBER_FIELDS:
            if not text:
                return None
            number = parse_number(text)
            if number is None:
                problems.append(
                    gettext("%(column)s: “%(text)s” is not a number.")
                    % {"column": column, "text": text}
                )
                return _INVALID
            return number
        if name == "sector":
            if not text:
                return None  # the model says a commitment needs one
            sector = self.sectors.get(text.casefold())
            if sector is None:
                problems.append(
                    gettext(
                        "Unknown sector “%(name)s”: use the slug or name of a sector that "
                        "exists (an import does not create sectors)."
                    )
                    % {"name": text}
                )
                return _INVALID
            return sector
        if name == "event":
            if not text:
                return None
            event = self.events.get(text.casefold())
            if event is None:
                problems.append(
                    gettext("Unknown event “%(name)s”: use the slug of an event that exists.")
                    % {"name": text}
                )
                return _INVALID
            return event
        if name == "parent":
            return text or None  # checked with the whole file (_check_parents)
        if name == "deadline_precision":
            if not text:
                return ""
            precision = self.precisions.get(text.casefold())
            if precision is None:
                problems.append(
                    gettext("deadline_precision: “%(text)s” is not one of day, month or year.")
                    % {"text": text}
                )
                return _INVALID
            return precision
        if name == "target_unit":
            if not text:
                return ""
            unit = self.units.get(text.casefold())
            if unit is not None:
                return unit
            # The export writes an 'other' unit by its name (e.g. MW).
            return (TargetUnit.OTHER.value, text)
        if name == "counts_toward_parent":
            word = text.casefold()
            if word in TRUE_WORDS or word == gettext("yes").casefold():
                return True
            if word in FALSE_WORDS or word == gettext("no").casefold():
                return False
            problems.append(
                gettext("counts_toward_parent: “%(text)s” is neither yes nor no.") % {"text": text}
            )
            return _INVALID
        raise AssertionError(name)

    def _parse_parties(self, text, existing, problems):
        if existing is not None:
            current = [(link.party, link.role) for link in existing.commitment_parties.all()]
            # The export's own rendering of the parties, unchanged: keep them as they are.
            if text == existing.party_pairs() or text == parties_text(current):
                return None
        pairs: list[tuple[Party, str]] = []
        seen = set()
        ok = True
        for entry in text.split(";"):
            entry = entry.strip()
            if not entry:
                continue
            name, _colon, role_text = entry.rpartition(":") if ":" in entry else (entry, "", "")
            name, role_text = name.strip(), role_text.strip()
            party = self.parties.get(name.casefold())
            role = self.roles.get(role_text.casefold()) if role_text else PartyRole.LEAD.value
            if party is None:
                ok = False
                problems.append(
                    gettext(
                        "parties: unknown party “%(name)s”: use the slug, name or short name "
                        "of a party that exists."
                    )
                    % {"name": name}
                )
            if role is None:
                ok = False
                problems.append(
                    gettext("parties: “%(role)s” is not a role. Use one of: %(roles)s.")
                    % {"role": role_text, "roles": ", ".join(PartyRole.values)}
                )
            if party is not None and role is not None:
                if party.pk in seen:
                    ok = False
                    problems.append(
                        gettext("parties: “%(name)s” is listed twice.") % {"name": name}
                    )
                    continue
                seen.add(party.pk)
                pairs.append((party, role))
        return pairs if ok else None

    def _set_parent(self, instance, parent_slug, existing):
        """The parent for validation: an existing commitment, or a stand-in for a row of the
        file (its values are checked by its own row; here only its unit matters)."""
        if not parent_slug:
            instance.parent = None
            return
        parent = self.existing.get(parent_slug)
        if parent is not None and parent_slug not in self.file_slugs:
            instance.parent = parent
            return
        # A row of the file (its values are checked on its own row, the units in
        # _check_parents) or a slug found nowhere (_check_parents says so): a stand-in with
        # this row's unit, so clean() checks everything else.
        stand_in = Commitment(
            slug=parent_slug,
            target_unit=instance.target_unit,
            target_unit_label=instance.target_unit_label,
        )
        instance.parent_id = STAND_IN
        Commitment.parent.field.set_cached_value(instance, stand_in)

    def _validate(self, instance, problems) -> dict:
        exclude = {"parent"} if instance.parent_id == STAND_IN else set()
        try:
            # Not the table's CheckConstraints: clean() makes each of their checks, in words
            # (and the database still refuses what they refuse). Checking them here cost a
            # query per constraint per row: 12 s for 1,000 rows.
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            said = set(problems)
            for name, messages in error.message_dict.items():
                for message in messages:
                    if name == NON_FIELD_ERRORS:
                        sentence = message
                    else:
                        sentence = gettext("%(column)s: %(message)s") % {
                            "column": name,
                            "message": message,
                        }
                    bare = {p.split(": ", 1)[-1] for p in said}
                    if sentence not in said and message not in bare:
                        problems.append(sentence)
                        said.add(sentence)
            return error.message_dict
        return {}

    def _compare(self, existing, draft, plan) -> None:
        for name in FIELDS:
            if name not in draft.values:
                continue
            before = getattr(existing, name)
            after = draft.values[name]
            if name == "parent":
                before = before.slug if before else None
            if _same(before, after):
                continue
            draft.changed.append(name)
            plan.notes.append(
                gettext("%(field)s: %(before)s → %(after)s")
                % {"field": name, "before": _display(before), "after": _display(after)}
            )
        if draft.parties is not None:
            current = [(link.party, link.role) for link in existing.commitment_parties.all()]
            if [(p.pk, r) for p, r in current] != [(p.pk, r) for p, r in draft.parties]:
                draft.changed.append("parties")
                plan.notes.append(
                    gettext("%(field)s: %(before)s → %(after)s")
                    % {
                        "field": "parties",
                        "before": parties_text(current) or gettext("(empty)"),
                        "after": parties_text(draft.parties) or gettext("(empty)"),
                    }
                )
        if draft.changed:
            plan.action = "update"
        else:
            plan.action = "skip"
            plan.notes.append(gettext("No change."))

    def _check_parents(self, plans, drafts) -> None:
        """Parents that exist nowhere, and loops (through the file and the database)."""
        in_file = {slug: draft.values.get("parent", "") for slug, (_p, draft) in drafts.items()}
        by_slug = {plan.subject: plan for plan in plans if plan.subject}

        def parent_of(slug):
            if slug in in_file and "parent" in drafts[slug][1].values:
                return in_file[slug] or None
            return self.db_parent.get(slug)

        for slug, (plan, draft) in drafts.items():
            wanted = draft.values.get("parent")
            if not wanted:
                continue
            if wanted == slug:
                plan.problems.append(gettext("A commitment cannot be its own parent."))
                continue
            if wanted not in self.existing and wanted not in drafts:
                if wanted in by_slug:
                    plan.problems.append(
                        gettext("parent: row %(row)d, which would create “%(slug)s”, has problems.")
                        % {"row": by_slug[wanted].number, "slug": wanted}
                    )
                else:
                    plan.problems.append(
                        gettext(
                            "parent: no commitment has the slug “%(slug)s”, here or in this file."
                        )
                        % {"slug": wanted}
                    )
                continue
            parent_plan = drafts[wanted][0] if wanted in drafts else None
            if parent_plan is not None and parent_plan.problems and wanted not in self.existing:
                plan.problems.append(
                    gettext("parent: row %(row)d, which would create “%(slug)s”, has problems.")
                    % {"row": parent_plan.number, "slug": wanted}
                )
                continue
            chain, node = [slug], wanted
            while node is not None and node not in chain:
                chain.append(node)
                node = parent_of(node)
            if node == slug and not any(p.startswith("parent: ") for p in plan.problems):
                plan.problems.append(
                    gettext("parent: these commitments would be each other's parents: %(loop)s.")
                    % {"loop": " → ".join([*chain, slug])}
                )
            elif wanted in drafts and not self._units_fit(draft, drafts[wanted][1]):
                plan.problems.append(
                    gettext(
                        "counts_toward_parent: It can count toward the parent's target only "
                        "when both have targets in the same unit."
                    )
                )

    def _units_fit(self, draft, parent_draft) -> bool:
        """counts_toward_parent with a parent in the file: the check Commitment.clean() makes
        on an existing parent, made on the values the parent will have."""
        if not self._final(draft, "counts_toward_parent"):
            return True
        if self._final(draft, "target_value") is None:
            return True  # clean() has said so already
        return _unit_label(self, draft) == _unit_label(self, parent_draft)

    def _final(self, draft, name):
        if name in draft.values:
            return draft.values[name]
        existing = self.existing.get(draft.slug)
        return getattr(existing, name) if existing is not None else None

    # ------------------------------------------------------------------ apply

    def apply(self, plans: list[RowPlan], progress) -> int:
        self._require_editor()
        user = self.acting_user
        reason = self.history_reason()
        drafts = {
            plan.payload.slug: plan.payload for plan in plans if plan.action in ("create", "update")
        }
        order = self._parents_first(drafts)
        saved: dict[str, Commitment] = {}
        locked = {
            c.pk: c
            for c in Commitment.objects.select_for_update().filter(
                pk__in=[d.pk for d in drafts.values() if d.pk]
            )
        }
        written, new_links = 0, []
        for done, slug in enumerate(order, start=1):
            draft = drafts[slug]
            instance = locked[draft.pk] if draft.pk else Commitment(slug=slug)
            for name, value in draft.values.items():
                if name == "parent":
                    if value is None:
                        instance.parent = None
                    else:
                        instance.parent = saved.get(value) or Commitment.objects.get(slug=value)
                else:
                    setattr(instance, name, value)
            if draft.pk:
                instance.version += 1  # an admin form opened before this import is refused
            instance._change_reason = reason
            instance._history_user = user
            try:
                # Commitment.save(): the stored standing and the parents' roll-ups
                # recomputed, the search texts rewritten (commitments/search.py's signal).
                with transaction.atomic():
                    instance.save()
            except IntegrityError as error:
                # The table's constraints, should clean() ever let something past them:
                # the whole import is undone (batches.apply's transaction).
                raise ImportFileError(
                    gettext("Row %(row)d could not be saved: %(error)s")
                    % {"row": draft.number, "error": error}
                ) from error
            saved[slug] = instance
            if draft.parties is not None and draft.pk is None:
                new_links += [
                    CommitmentParty(commitment=instance, party=party, role=role, position=position)
                    for position, (party, role) in enumerate(draft.parties)
                ]
            elif draft.parties is not None:
                new_links += self._set_parties(instance, draft.parties, user, reason)
            written += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        if new_links:
            # In bulk, with their history; then the search texts that name the parties.
            bulk_create_with_history(
                new_links,
                CommitmentParty,
                batch_size=500,
                default_user=user,
                default_change_reason=reason,
            )
            search.refresh(*{link.commitment_id for link in new_links})
        progress(len(plans))
        return written

    @staticmethod
    def _parents_first(drafts: dict) -> list[str]:
        order, placed = [], set()

        def place(slug, path=()):
            if slug in placed or slug not in drafts or slug in path:
                return
            parent = drafts[slug].values.get("parent")
            if parent:
                place(parent, (*path, slug))
            placed.add(slug)
            order.append(slug)

        for slug in drafts:
            place(slug)
        return order

    @staticmethod
    def _set_parties(instance, pairs, user, reason) -> list[CommitmentParty]:
        """Removes and changes the commitment's party roles to match `pairs`; returns the
        new ones, unsaved (apply() creates them in bulk)."""
        links = {link.party_id: link for link in instance.commitment_parties.all()}
        wanted = {party.pk for party, _role in pairs}
        for party_id, link in links.items():
            if party_id not in wanted:
                link._change_reason = reason
                link._history_user = user
                link.delete()
        new = []
        for position, (party, role) in enumerate(pairs):
            link = links.get(party.pk)
            if link is None:
                new.append(
                    CommitmentParty(commitment=instance, party=party, role=role, position=position)
                )
                continue
            if link.role == role and link.position == position:
                continue
            link.role, link.position = role, position
            link._change_reason = reason
            link._history_user = user
            link.save()
        return new


class _Invalid:
    pass


_INVALID = _Invalid()


def _same(before, after) -> bool:
    if before in (None, "") or after in (None, ""):
        return before in (None, "") and after in (None, "")
    return before == after


def _unit_label(planner, draft) -> str:
    unit = planner._final(draft, "target_unit") or ""
    if unit == TargetUnit.OTHER:
        return planner._final(draft, "target_unit_label") or ""
    return unit


def parse_date(text: str) -> datetime.date | None:
    """YYYY-MM-DD (a spreadsheet's date cell may come with a midnight time)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?", text):
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def parse_number(text: str) -> Decimal | None:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if GROUPED.match(text):
        text = text.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
