"""Citing and sharing a commitment's page: the plain-text citation, BibTeX and RIS, and
share links built on the server (no third-party script, no tracking parameter).

Everything here is made from what the public page shows: its title, summary, the status it
shows (today's, or on the day of an as-of view) and its address.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext

from commitments.languages import site_name, translated


def absolute(path: str) -> str:
    """A lasting, absolute address on this site: `SITE_URL` and the path, whatever host or
    scheme the request came by (as password-reset links): the canonical link, Open Graph,
    citations, share links, the feed and embed codes, the report's citable address."""
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Citation:
    """What a citation of one page of the tracker names."""

    site: str
    title: str
    summary: str
    url: str  # absolute, as_of included when the page shows a past day
    status: str  # the status shown, in words ("In progress")
    status_day: datetime.date  # the day the status is shown for (today, or the as-of day)
    last_update_on: datetime.date | None
    accessed: datetime.date

    @property
    def status_text(self) -> str:
        """'Status on 28 November 2026: In progress (last update 12 November 2026)'."""
        if self.last_update_on:
            return gettext("Status on %(day)s: %(status)s (last update %(update)s)") % {
                "day": long_date(self.status_day),
                "status": self.status,
                "update": long_date(self.last_update_on),
            }
        return gettext("Status on %(day)s: %(status)s") % {
            "day": long_date(self.status_day),
            "status": self.status,
        }

    def plain(self) -> str:
        """`Site. “Title.” Status on …. URL (accessed 28 November 2026).`"""
        title = self.title.rstrip(".")
        return gettext("%(site)s. “%(title)s.” %(status)s. %(url)s (accessed %(day)s).") % {
            "site": self.site,
            "title": title,
            "status": self.status_text,
            "url": self.url,
            "day": long_date(self.accessed),
        }

    def key(self) -> str:
        """A BibTeX key: the page's address in a few safe characters and the day shown."""
        slug = self.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in slug)
        return f"{safe}-{self.status_day:%Y%m%d}"

    def bibtex(self) -> str:
        fields = [
            ("title", "{" + latex(self.title) + "}"),
            ("author", "{" + latex(self.site) + "}"),
            ("organization", latex(self.site)),
            ("year", f"{self.status_day:%Y}"),
            ("month", f"{self.status_day:%b}".lower()),
            ("date", self.status_day.isoformat()),
            ("url", self.url),
            ("howpublished", "\\url{" + self.url.replace("%", "\\%") + "}"),
            ("urldate", self.accessed.isoformat()),
            ("abstract", latex(self.summary)),
            (
                "note",
                latex(
                    gettext("%(status)s. Accessed %(day)s")
                    % {"status": self.status_text, "day": long_date(self.accessed)}
                ),
            ),
        ]
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
            for name, value in fields
        )
        return f"@misc{{{self.key()},\n{body}\n}}\n"

    def ris(self) -> str:
        """RIS (Research Information Systems): tagged lines ending CR LF, one record."""
        lines = [
            ("TY", "ELEC"),
            ("TI", self.title),
            ("AU", self.site),
            ("PB", self.site),
            ("PY", f"{self.status_day:%Y}"),
            ("DA", f"{self.status_day:%Y/%m/%d}/"),
            ("Y2", f"{self.accessed:%Y/%m/%d}/"),
            ("UR", self.url),
            ("AB", self.summary),
            ("N1", f"{self.status_text}."),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def long_date(day: datetime.date) -> str:
    """29 August 2025, 2025年8月29日, 29 अगस्त 2025: in the reader's language."""
    return date_format(day, "DATE_FORMAT")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts those braces too, so one unbalanced brace would end the
    # field (and swallow the rest of the record).
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def latex(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX's special characters escaped, on one line."""
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in one_line(text))


def citation_for(commitment, url: str, accessed: datetime.date) -> Citation:
    return Citation(
        site=site_name(),
        title=str(translated(commitment, "title")),
        summary=str(translated(commitment, "summary")),
        url=url,
        status=str(commitment.get_current_status_display() or gettext("No update yet")),
        status_day=commitment.reference_day,
        last_update_on=commitment.last_update_on,
        accessed=accessed,
    )


def _query(params: dict) -> str:
    # %20 for spaces everywhere: a mailto: body reads "+" literally.
    return urlencode(params, quote_via=quote)


def share_links(title: str, text: str, url: str) -> list[tuple[str, str]]:
    """(name, address) of plain share links: e-mail, X, Facebook, LinkedIn, WhatsApp.
    Built here, URL-encoded; nothing is loaded from those sites until a reader follows one."""
    return [
        (gettext("E-mail"), "mailto:?" + _query({"subject": title, "body": f"{text}\n\n{url}"})),
        ("X (Twitter)", "https://twitter.com/intent/tweet?" + _query({"text": text, "url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})),
        (
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + _query({"url": url}),
        ),
        ("WhatsApp", "https://wa.me/?" + _query({"text": f"{text} {url}"})),
    ]
