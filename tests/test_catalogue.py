"""The interface catalogues are complete: every string the code and templates mark for
translation has a Japanese and a Hindi translation, none fuzzy, placeholders kept.

The first test regenerates the catalogues from the sources the way a developer would
(`makemessages`, which needs gettext's xgettext: Debian's `gettext`, installed by .ci/run) in a
copy of the project, so a new `{% translate %}` without its `ja` or `hi` entry fails here."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ja", "hi")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|\{[a-z_]*\}|%[sd]")


def catalogue(path: Path):
    with path.open("rb") as po:
        return read_po(po)


def missing_entries(path: Path) -> list[str]:
    problems = []
    for message in catalogue(path):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        elif not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
        else:
            wanted = sorted(set(PLACEHOLDER.findall(" ".join(ids))))
            for s in strings:
                got = sorted(set(PLACEHOLDER.findall(s)))
                if got != wanted and not (message.pluralizable and set(got) <= set(wanted)):
                    problems.append(f"placeholders {wanted} → {got}: {ids[0]!r}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_the_committed_catalogue_is_translated(language):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no catalogue for {language}"
    problems = missing_entries(path)
    assert not problems, f"{language}: {len(problems)} entries need work:\n" + "\n".join(
        problems[:60]
    )


def test_every_marked_string_is_in_both_catalogues(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("gettext's xgettext is missing: .ci/run installs Debian's gettext")
        pytest.skip("gettext's xgettext is not installed (apt-get install gettext)")
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("commitments", "tracker", "templates", "locale"):
        shutil.copytree(
            ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location", "file"]
        + [f"-l{language}" for language in LANGUAGES],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    problems = []
    for language in LANGUAGES:
        regenerated = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        problems += [f"{language} {p}" for p in missing_entries(regenerated)]
    assert not problems, (
        "strings marked in the code with no translation (run `make messages`, translate the "
        "new entries in locale/*/LC_MESSAGES/django.po):\n" + "\n".join(problems[:80])
    )
