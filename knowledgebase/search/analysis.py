"""Language analysis for the knowledge-base index: one word in, one search term out.

Every language goes through the same steps, on the index side and the query side alike, so that
what a volunteer types on a phone meets what a translator wrote:

1. tokenise: letters, digits and the combining marks inside them (Python's `\\w` alone would cut an
   Arabic word with vowel marks into pieces), plus the zero-width (non-)joiner Persian writes
   inside words;
2. normalise: compatibility forms (NFKD), lower case (Turkish İ/I/ı all become i), accents and
   Arabic diacritics (harakat, hamza carriers, madda, superscript alef) removed, tatweel removed,
   Arabic-Indic and Persian digits made ASCII, the letters that Arabic and Persian keyboards type
   differently (ي/ی, ك/ک, ى, heh forms) mapped to one form per language;
3. drop stop words (full-sentence questions);
4. stem with Snowball (PyStemmer) where a stemmer exists; ti, so, uk and ps keep the normalised
   word (a safe plain analyser).

Accents are folded *before* stemming: "refugies" and "réfugiés" then reach the French stemmer as
the same string. The whoosh pieces are module-level classes with `__eq__` because whoosh pickles
the schema (and so the analysers) into the index.
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import Stemmer
from whoosh.analysis import Composable, Token
from whoosh.formats import Frequency
from whoosh.system import pack_uint

LANGUAGES = ("nl", "fr", "en", "ar", "fa", "uk", "ru", "tr", "es", "ps", "ti", "so")
SNOWBALL = {
    "nl": "dutch",
    "fr": "french",
    "en": "english",
    "ar": "arabic",
    "fa": "persian",
    "ru": "russian",
    "tr": "turkish",
    "es": "spanish",
}
# Languages written in Arabic script: their letters are mapped to Persian forms (ی ک) or Arabic
# forms (ي ك) depending on which stemmer reads them.
PERSIAN_FORMS = frozenset({"fa", "ps"})

DATA_DIR = Path(__file__).parent / "data"

ZWNJ = "\u200c"
ZWJ = "\u200d"


def _combining_ranges() -> str:
    """A regex character class body of every combining mark (Mn, Mc, Me) in the BMP."""
    ranges, start, prev = [], None, None
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
            if start is None:
                start = cp
            elif cp != prev + 1:
                ranges.append((start, prev))
                start = cp
            prev = cp
    ranges.append((start, prev))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


TOKEN_PATTERN = rf"[\w{_combining_ranges()}{ZWNJ}{ZWJ}]+"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

_DIGITS = {**{0x660 + i: str(i) for i in range(10)}, **{0x6F0 + i: str(i) for i in range(10)}}
_SPECIAL = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ı": "i",  # Turkish dotless i: "ISTANBUL", "İstanbul" and "istanbul" meet here
    "\u0640": "",  # tatweel
    ZWJ: "",
}
_FOLD = str.maketrans({**_DIGITS, **_SPECIAL})
# Arabic-script letters, per target: Persian forms for the Persian stemmer and Pashto, Arabic
# forms for the Arabic stemmer and every other field.
_TO_PERSIAN = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه", "ھ": "ه"}
)
_TO_ARABIC = str.maketrans({"ی": "ي", "ى": "ي", "ے": "ي", "ک": "ك", "ۀ": "ه", "ہ": "ه", "ھ": "ه"})


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def fold(word: str, language: str = "") -> str:
    """Lower case, no accents or diacritics, ASCII digits, one spelling per Arabic-script letter.

    The zero-width non-joiner stays for the Persian stemmer (it strips a prefix like می‌ only
    when it sees one); `analyse_word` removes it after stemming.
    """
    if word.isascii():
        return word.lower()
    word = word.replace("İ", "i").lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if _has_arabic(word):
        word = word.translate(_TO_PERSIAN if language in PERSIAN_FORMS else _TO_ARABIC)
    if language != "fa":
        word = word.replace(ZWNJ, "")
    return unicodedata.normalize("NFC", word)


@cache
def _stemmer(language: str):
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return None
    stemmer = Stemmer.Stemmer(algorithm)
    stemmer.maxCacheSize = 50_000
    return stemmer


@cache
def stopwords(language: str) -> frozenset[str]:
    """The stop words of a language, folded as the index folds them (data/stopwords.json)."""
    words = json.loads((DATA_DIR / "stopwords.json").read_text(encoding="utf-8")).get(language, [])
    return frozenset(fold(word, language).replace(ZWNJ, "") for word in words)


@lru_cache(maxsize=400_000)
def analyse_word(word: str, language: str) -> str | None:
    """The search term for one token in one language's field, or None for a stop word/noise."""
    folded = fold(word, language)
    plain = folded.replace(ZWNJ, "")
    if not plain or plain in stopwords(language):
        return None
    if len(plain) < 2 and not plain.isdigit():
        return None
    stemmer = _stemmer(language)
    if stemmer is not None:
        arabic = language == "ar"
        folded = _arabic_stem(stemmer, folded) if arabic else stemmer.stemWord(folded)
    return folded.replace(ZWNJ, "") or plain


def _arabic_stem(stemmer, word: str) -> str:
    """Snowball Arabic, made to agree on teh marbuta: "الرعاية" and "الرعايه" (typed with heh).

    The stemmer strips ة in some words and not in others, and never strips ه there, so the two
    spellings of one word got different stems. Final ة becomes ه first and a final ه left on the
    stem goes (it is teh marbuta or the pronoun suffix "his/its").
    """
    if word.endswith("ة"):
        word = word[:-1] + "ه"
    stem = stemmer.stemWord(word)
    if stem.endswith("ه") and len(stem) > 3:
        stem = stem[:-1]
    return stem


@lru_cache(maxsize=400_000)
def plain_word(word: str) -> str:
    """The language-neutral spelling of a word (no stemming): for suggestions and the glossary."""
    return fold(word).replace(ZWNJ, "")


def words(text: str) -> list[str]:
    """The raw tokens of a text, in order."""
    return _TOKEN_RE.findall(text)


def word_matches(text: str) -> Iterator[re.Match]:
    """The tokens of a text with their positions (for marking them in place)."""
    return _TOKEN_RE.finditer(text)


def analyse(text: str, language: str) -> list[str]:
    """The search terms of a text in one language's field, in order (stop words dropped)."""
    out = []
    for token in words(text):
        term = analyse_word(token, language)
        if term is not None:
            out.append(term)
    return out


# --- whoosh pieces (module level, comparable: whoosh pickles them into the index) -------------


class LanguageAnalyzer(Composable):
    """Tokenise and analyse in one step (see `analyse`), for one language's fields.

    whoosh's usual chain (a tokenizer, then a filter) passes a Token object through two
    generators per word; `TermFrequency` below asks `terms()` for plain strings instead, and
    whoosh's own callers get tokens from `__call__`.
    """

    def __init__(self, language: str):
        self.language = language

    def __eq__(self, other):
        return type(other) is type(self) and other.language == self.language

    def __hash__(self):
        return hash((type(self).__name__, self.language))

    def terms(self, text: str) -> list[str]:
        return analyse(text, self.language)

    def __call__(self, value, positions=False, chars=False, removestops=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, match in enumerate(_TOKEN_RE.finditer(value)):
            term = analyse_word(match.group(), self.language)
            if term is None and removestops:
                continue
            token.text = term if term is not None else match.group()
            token.stopped = term is None
            token.boost = 1.0
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = match.start(), match.end()
            yield token


class TermFrequency(Frequency):
    """whoosh's Frequency format, fed by `LanguageAnalyzer.terms` and a C-level count."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, LanguageAnalyzer) or not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        counts = Counter(analyzer.terms(value))
        return ((term, n, n * boost, pack_uint(n)) for term, n in counts.items())


@cache
def analyzer(language: str) -> LanguageAnalyzer:
    return LanguageAnalyzer(language)


# --- which fields a query needs ----------------------------------------------------------------

_SCRIPT_LANGUAGES = {
    "arabic": ("ar", "fa", "ps"),
    "cyrillic": ("ru", "uk"),
    "ethiopic": ("ti",),
    "latin": ("nl", "fr", "en", "es", "tr", "so"),
}


def _script(ch: str) -> str | None:
    cp = ord(ch)
    if "a" <= ch.lower() <= "z" or 0xC0 <= cp <= 0x24F:
        return "latin"
    if 0x600 <= cp <= 0x6FF or 0x750 <= cp <= 0x77F or 0xFB50 <= cp <= 0xFEFF:
        return "arabic"
    if 0x400 <= cp <= 0x52F:
        return "cyrillic"
    if 0x1200 <= cp <= 0x139F or 0x2D80 <= cp <= 0x2DDF:
        return "ethiopic"
    return None


def languages_for(word: str) -> tuple[str, ...]:
    """The languages whose fields can hold `word`, judged by its script (all for digits)."""
    for ch in word:
        script = _script(ch)
        if script:
            return _SCRIPT_LANGUAGES[script]
    return LANGUAGES


if sys.flags.optimize == 0:  # cheap self-check of the pattern at import
    assert _TOKEN_RE.fullmatch("مُسْتَشْفَى")
