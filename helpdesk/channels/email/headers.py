"""Reading header values as real mail writes them, not as the RFCs wish they were written.

Python's email package decodes well-formed RFC 2047 words, but real mail also carries raw 8-bit
headers (in the body's charset, or UTF-8), encoded words split in the middle of a multi-byte
character, charsets Python does not know and unencoded text next to encoded words. Everything
here falls back rather than fails: a header we cannot fully read is still shown, never an error.
"""

import base64
import binascii
import codecs
import quopri
import re
from email.utils import getaddresses

# Names mail uses that Python's codecs do not know, and supersets that read more real mail.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
    "windows-874": "cp874",
    "x-user-defined": "cp1252",
    "ascii": "cp1252",  # "ascii" mail with 8-bit bytes is, in practice, Windows Latin
    "us-ascii": "cp1252",
    "iso-8859-1": "cp1252",  # the WHATWG rule: labels for Latin-1 mean windows-1252
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "unknown-8bit": "",
    "x-unknown": "",
    "unknown": "",
    "default": "",
    "utf8": "utf-8",
}


def codec_for(charset: str | None) -> str | None:
    """A Python codec name for a MIME charset label, or None when it is unknown."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    label = label.split("*", 1)[0]  # RFC 2231 language suffix: utf-8*en
    label = CHARSET_ALIASES.get(label, label)
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None = None, fallback: str | None = None) -> str:
    """Decode `data` with the declared charset, else UTF-8, else `fallback`, else windows-1252.

    A declared charset that is wrong (UTF-8 labelled as Latin-1 happens daily) is tried after
    strict UTF-8 when the bytes are valid UTF-8: a Latin-1 reading of UTF-8 is never what the
    writer meant, while the opposite cannot happen (Latin-1 text is rarely valid UTF-8).
    """
    if not data:
        return ""
    declared = codec_for(charset)
    candidates = []
    if declared and declared not in ("utf-8", "cp1252", "ascii"):
        candidates.append(declared)
    candidates.append("utf-8")
    if declared:
        candidates.append(declared)
    if fb := codec_for(fallback):
        candidates.append(fb)
    for codec in dict.fromkeys(candidates):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode(declared or codec_for(fallback) or "cp1252", errors="replace")


def to_bytes(value: str) -> bytes:
    """The original bytes of a header value parsed with surrogateescape (8-bit headers)."""
    return value.encode("utf-8", "surrogateescape")


ENCODED_WORD = re.compile(
    r"=\?(?P<charset>[^?\s]+)\?(?P<encoding>[QqBb])\?(?P<text>[^?\s]*)\?=", re.ASCII
)


def _decode_word(encoding: str, text: str) -> bytes:
    if encoding in "Bb":
        text = text.strip()
        text += "=" * (-len(text) % 4)
        try:
            return base64.b64decode(text)
        except (binascii.Error, ValueError):
            return base64.b64decode(re.sub(r"[^A-Za-z0-9+/]", "", text) + "==", validate=False)
    return quopri.decodestring(text.replace("_", " ").encode("ascii", "replace"), header=True)


def decode_header(value: str | None, fallback: str | None = None) -> str:
    """A header value as text: unfolded, RFC 2047 words decoded, raw 8-bit bytes read.

    Adjacent encoded words in the same charset are joined before decoding, because mailers
    split UTF-8 and ISO-2022-JP sequences across words.
    """
    if not value:
        return ""
    value = re.sub(r"\r?\n[ \t]", " ", str(value)).replace("\r", "").replace("\n", "")
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = decode_bytes(to_bytes(value), None, fallback)
    pieces: list[tuple[str, bytes | str]] = []  # (charset or "", bytes or text)
    position = 0
    for match in ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        # Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
        if between and not (between.isspace() and pieces and pieces[-1][0]):
            pieces.append(("", between))
        charset = match["charset"].lower()
        data = _decode_word(match["encoding"], match["text"])
        if pieces and pieces[-1][0] == charset:
            pieces[-1] = (charset, pieces[-1][1] + data)
        else:
            pieces.append((charset, data))
        position = match.end()
    pieces.append(("", value[position:]))
    text = "".join(
        decode_bytes(chunk, charset, fallback) if charset else chunk for charset, chunk in pieces
    )
    return " ".join(text.split())


ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def parse_addresses(raw: str | None, fallback: str | None = None) -> list[tuple[str, str]]:
    """(display name, address) pairs from an address header; names decoded, addresses lower-case.

    Address parsing runs on the undecoded value (encoded words are atoms there), so a display
    name with a comma or quote inside an encoded word cannot split an address.
    """
    if not raw:
        return []
    unfolded = re.sub(r"\r?\n[ \t]", " ", str(raw))
    if any("\udc80" <= ch <= "\udcff" for ch in unfolded):
        unfolded = decode_bytes(to_bytes(unfolded), None, fallback)
    pairs = []
    try:
        parsed = getaddresses([unfolded])
    except (ValueError, TypeError, IndexError):
        parsed = []
    for name, address in parsed:
        address = address.strip().strip("<>").lower()
        if "@" in address and " " not in address:
            pairs.append((decode_header(name, fallback).strip("\"' "), address))
    if not pairs:
        # Broken beyond the parser (missing brackets, stray quotes): find the addresses.
        pairs = [("", match.lower()) for match in ADDRESS.findall(unfolded)]
    return pairs


MSG_ID = re.compile(r"<([^<>\s]+)>")


def message_ids(raw: str | None) -> list[str]:
    """The Message-IDs in a Message-ID, In-Reply-To or References header, without brackets."""
    if not raw:
        return []
    value = str(raw)
    found = MSG_ID.findall(value)
    if not found:
        # Some mailers forget the brackets.
        found = [token for token in value.split() if "@" in token]
    return [normalise_message_id(mid) for mid in found if mid.strip()]


def normalise_message_id(value: str) -> str:
    value = "".join(ch for ch in "".join(str(value).split()) if ch.isprintable()).strip("<>")
    return value[:250]
