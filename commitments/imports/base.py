"""What every kind of import shares: the row plan, the file error, the planner contract."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class ImportFileError(Exception):
    """The file as a whole cannot be imported (too large, not a spreadsheet, no header …).
    The message is for the person who uploaded it, in words."""


@dataclass
class Row:
    """A spreadsheet row: its number as the spreadsheet program shows it (the header is row
    1) and its cells by canonical column name, as text ("" when empty)."""

    number: int
    cells: dict[str, str]


@dataclass
class Table:
    columns: list[str]  # the canonical names found in the header, in the file's order
    rows: list[Row]
    ignored_columns: list[str] = field(default_factory=list)  # header names not understood
    notes: list[str] = field(
        default_factory=list
    )  # file-level remarks (e.g. "read as Windows-1252")


@dataclass
class RowPlan:
    number: int
    action: str  # ImportRow.Action: "create", "update", "skip" or "error"
    subject: str = ""  # the commitment's slug
    text: str = ""  # the update's summary or the commitment's title
    problems: list[str] = field(default_factory=list)  # each one a sentence, "error" rows only
    notes: list[str] = field(default_factory=list)  # remarks that do not block (e.g. skipped)
    payload: Any = None  # what apply() needs (not stored)


Progress = Callable[[int], None]  # called with how many rows are done


class Planner:
    """Contract for one kind of import (commitments/imports/updates.py, commitments.py).

    `batch` is the ImportBatch (its created_by, submit, filename, checksum are used).
    plan() must not write anything; apply() runs inside the transaction batches.apply opens,
    gets the plans of a fresh plan() (so nothing changed since is missed) and returns how many
    objects it created or changed. Both call `progress(done)` every few hundred rows."""

    kind: str = ""
    columns: list[str] = []  # canonical column names, in the order the template/export uses
    required: list[str] = []
    aliases: dict[str, str] = {}  # other header spellings → canonical name

    def __init__(self, batch):
        self.batch = batch

    def header_hint(self, names: set[str]) -> str:
        """More words for a header without the required columns, given its normalised
        names (e.g. "this looks like another export"); "" or a sentence starting with a
        space."""
        return ""

    def plan(self, table: Table, progress: Progress) -> list[RowPlan]:
        raise NotImplementedError

    def apply(self, plans: list[RowPlan], progress: Progress) -> int:
        raise NotImplementedError

    @property
    def acting_user(self):
        """Who writes what the batch says: whoever confirmed it, else its uploader."""
        return self.batch.applied_by or self.batch.created_by

    def history_reason(self) -> str:
        """What each created or changed object's history says (file, checksum, by whom)."""
        user = self.acting_user
        name = self.batch.filename
        if len(name) > 40:
            name = name[:39] + "…"
        # simple-history keeps 100 characters: who, the file and the start of its checksum.
        who = user.get_username()[:30]
        return f"Imported by {who} from {name} (SHA-256 {self.batch.checksum[:12]})"[:100]
