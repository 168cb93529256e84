"""Where the new text of a mail ends and the quoted earlier mail or the signature begins.

The ticket page folds that part away (it is kept in full: a requester sometimes answers inside
the quote). The rules are the conventions of the mailers our requesters use, in the languages
they write: attribution lines ("On ... wrote:", "Op ... schreef ...:", "Le ... a écrit :"),
Outlook's header block and separators, a trailing block of "> " lines, the "-- " signature
separator and phone signatures ("Sent from my iPhone"). When in doubt nothing is folded.
"""

import re

_I = re.IGNORECASE

ATTRIBUTION = [
    re.compile(p, _I)
    for p in (
        r"^on\b.{4,}\bwrote\s*:$",
        r"^op\b.{4,}\bschreef\b.*:$",
        r"^le\b.{4,}\ba\s+écrit\s*:$",
        r"^am\b.{4,}\bschrieb\b.*:$",
        r"^el\b.{4,}\bescribió\s*:$",
        r"^.{4,}\b(написал|написала|написав|написала)\s*\(?.*:$",
        r"^.{4,}\byazdı\s*:$",
        r"^.{4,}(كتب|نوشت|ولیکل)\s*:$",
        r"^.{4,}\bha\s+scritto\s*:$",
        # Any language: "<date>, <name> <address> ...:" on one line.
        r"^.*\d.*<[^<>\s@]+@[^<>\s]+>.*:$",
    )
]
SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|oorspronkelijk bericht|origineel bericht|message d'origine"
    r"|ursprüngliche nachricht|mensaje original|исходное сообщение|оригінальне повідомлення"
    r"|orijinal ileti|reply message)\s*-{2,}\s*$"
    r"|^\s*_{20,}\s*$",
    _I,
)
# Outlook's block: "From: ..." followed within a few lines by "Sent: ..." or "Date: ...".
HEADER_FROM = re.compile(r"^\s*\*?(from|van|de|von|da|от|від|kimden|من|از)\s*\*?\s*:\s*\S", _I)
HEADER_SENT = re.compile(
    r"^\s*\*?(sent|date|verzonden|datum|envoyé|gesendet|enviado|fecha|data|отправлено|надіслано"
    r"|gönderildi|tarih|التاريخ|تاريخ|ارسال شده|تاریخ)\s*\*?\s*:\s*\S",
    _I,
)
SIGNATURE = re.compile(r"^--\s?$")
PHONE_SIGNATURE = re.compile(
    r"^\s*(sent from my|sent from outlook|get outlook for|verzonden (vanaf|met) mijn"
    r"|envoyé (de|depuis) mon|von meinem .* gesendet|enviado desde mi|отправлено с (моего )?"
    r"|надіслано з|iphone'umdan gönderildi)\b",
    _I,
)


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def fold_point(text: str) -> int | None:
    """The offset in `text` where the folded part starts, or None when nothing should fold."""
    lines = text.splitlines(keepends=True)
    bare = [line.rstrip("\r\n").strip() for line in lines]
    cut = None
    for i, line in enumerate(bare):
        if not line:
            continue
        two = f"{line} {bare[i + 1]}" if i + 1 < len(bare) else line
        if (
            any(p.match(line) for p in ATTRIBUTION)
            # Mailers wrap long attribution lines: "On ..., Name <x@y>\nwrote:".
            or (not line.endswith(":") and any(p.match(two) for p in ATTRIBUTION[:-1]))
            or SEPARATOR.match(line)
            or SIGNATURE.match(lines[i].rstrip("\r\n"))
            or PHONE_SIGNATURE.match(line)
            or (HEADER_FROM.match(line) and any(HEADER_SENT.match(n) for n in bare[i + 1 : i + 5]))
        ):
            cut = i
            break
        if _is_quoted(line) and all(_is_quoted(rest) or not rest for rest in bare[i:]):
            cut = i
            break
    if cut is None:
        return None
    if not any(bare[:cut]):
        return None  # everything would fold: show it all
    return sum(len(line) for line in lines[:cut])
