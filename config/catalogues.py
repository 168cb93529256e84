"""Reading catalogues and the code's strings, for the checks in tests/test_i18n.py and for
translators' scripts. No dependency beyond GNU gettext's xgettext (./dev setup installs it).

`extract()` finds every translatable string of the project exactly as `makemessages` does (same
keywords, templates through Django's templatize), with where each is used. `read_po()` reads a
catalogue with its flags. Together they answer "is this catalogue complete for these files?"
without trusting the catalogue to be fresh.
"""

import fnmatch
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Django's makemessages: these keywords on top of xgettext's own Python ones (gettext, ngettext, _).
XGETTEXT_KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
]
# What makemessages reads: our code and templates, nobody else's (see docs/translating.md).
SOURCE_SUFFIXES = (".py", ".html", ".txt")
IGNORED = (".venv/*", ".tools/*", "static/*", "bench/*", "tests/*", "var/*", "locale/*", "docs/*")


@dataclass
class Entry:
    msgid: str
    context: str | None = None
    plural: str | None = None
    strings: list[str] = field(default_factory=list)  # msgstr, or msgstr[0..n]
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)  # "path:line"

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(self.strings) and "fuzzy" not in self.flags

    @property
    def paths(self) -> set[str]:
        return {location.rsplit(":", 1)[0] for location in self.locations}


_STRING = re.compile(r'^"(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(text: str) -> list[Entry]:
    """The entries of a PO/POT text (header and obsolete `#~` entries left out)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, target = Entry(msgid=""), None
        parts: dict[str, list[str]] = {}
        for line in block.splitlines():
            if line.startswith("#~"):
                parts = {}
                break
            if line.startswith("#:"):
                entry.locations += line[2:].split()
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (.*)$", line):
                target = match.group(1)
                parts[target] = [_unquote(_STRING.match(match.group(2)).group(1))]
            elif (match := _STRING.match(line.strip())) and target:
                parts[target].append(_unquote(match.group(1)))
        if "msgid" not in parts:
            continue
        joined = {name: "".join(chunks) for name, chunks in parts.items()}
        if joined["msgid"] == "" and "msgctxt" not in joined:
            continue  # the header
        entry.msgid = joined["msgid"]
        entry.context = joined.get("msgctxt")
        entry.plural = joined.get("msgid_plural")
        if entry.plural is None:
            entry.strings = [joined.get("msgstr", "")]
        else:
            forms = sorted(
                (int(name[7:-1]), value)
                for name, value in joined.items()
                if name.startswith("msgstr[")
            )
            entry.strings = [value for _n, value in forms]
        entries.append(entry)
    return entries


def read_po(path: Path) -> dict[tuple[str | None, str], Entry]:
    return {entry.key: entry for entry in parse_po(path.read_text(encoding="utf-8"))}


def plural_count(path: Path) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", path.read_text(encoding="utf-8"))
    return int(match.group(1)) if match else 2


def source_files(root: Path) -> list[str]:
    """Our files makemessages reads, relative to `root`."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        if any(fnmatch.fnmatch(relative, pattern) for pattern in IGNORED) or "/." in relative:
            continue
        if "/migrations/" in relative or relative.startswith("."):
            continue
        found.append(relative)
    return found


def extract(root: Path) -> dict[tuple[str | None, str], Entry]:
    """Every translatable string of the project, as makemessages would collect it today."""
    from django.utils.translation import templatize

    xgettext = shutil.which("xgettext")
    if xgettext is None:
        raise RuntimeError("xgettext is missing: ./dev setup installs GNU gettext")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        names = []
        for relative in source_files(root):
            text = (root / relative).read_text(encoding="utf-8")
            if not relative.endswith(".py"):
                text = templatize(text, origin=relative)
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            names.append(relative)
        (work / "files.txt").write_text("\n".join(names), encoding="utf-8")
        result = subprocess.run(  # noqa: S603 - xgettext, found on PATH, our own files
            [
                xgettext,
                "--language=Python",
                "--from-code=UTF-8",
                "--no-wrap",
                "--sort-output",
                "--output=-",
                "--files-from=files.txt",
                *[f"--keyword={keyword}" for keyword in XGETTEXT_KEYWORDS],
            ],
            cwd=work,
            capture_output=True,
            text=True,
            check=True,
        )
    return {entry.key: entry for entry in parse_po(result.stdout)}


def matches(path: str, patterns) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)


def public_entries(entries: dict) -> dict:
    """The strings a member of the public reads or hears (config.languages.PUBLIC_SOURCES and
    PUBLIC_MESSAGES)."""
    from config.languages import PUBLIC_SOURCES, public_message_keys

    wanted = public_message_keys()
    return {
        key: entry
        for key, entry in entries.items()
        if key in wanted or any(matches(path, PUBLIC_SOURCES) for path in entry.paths)
    }
