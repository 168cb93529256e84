"""Which language a mail is written in, to set the ticket's language.

CLD2 (pycld2): no dependencies, about 20 µs a message, and it knows the languages our requesters
write that smaller detectors miss (Tigrinya, Amharic, Somali, Pashto, Kurdish). It says "not
reliable" for text too short to tell, and then we leave the language to the contact's preference
or to staff rather than guess.
"""

import re

import pycld2

# CLD2 rejects some control characters and unpaired surrogates as "invalid UTF-8".
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# CLD2's codes that differ from the ISO 639 codes of helpdesk.Language.
CODE_MAP = {"iw": "he", "zh-Hant": "zh", "jw": "jv", "sh": "sr", "tl": "fil"}


def detect_language(text: str) -> str | None:
    """An ISO 639 code, or None when the text is too short or too mixed to say."""
    sample = _UNSAFE.sub(" ", text or "")[:8000].strip()
    if len(sample) < 12:
        return None
    try:
        reliable, _bytes, details = pycld2.detect(sample)
    except pycld2.error:
        return None
    if not reliable or not details:
        return None
    code = details[0][1]
    if code in ("un", "xx", "xxx"):
        return None
    code = CODE_MAP.get(code, code)
    return code.split("-")[0].lower()
