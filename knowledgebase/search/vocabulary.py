"""The words an index holds, unstemmed, for typo correction ("did you mean").

Typos break stemming ("regularisaton" does not stem like "regularisation"), so corrections are
looked for among whole words, folded (analysis.plain_word), not among the index's terms. Those
words were a field of the index, and a third to a half of the postings a rebuild writes; they
are a sorted word list beside the index instead (`words.txt`), searched with whoosh's
Levenshtein automaton.

The list only grows between rebuilds: an upsert adds the new words of its articles, a delete
removes none. A word no article holds any more can be offered as a candidate, but it finds
nothing, and a correction is only suggested when it finds more than the words typed.
Writers hold the index's write lock when they change the list (one writer at a time, in every
process), and replace the file in one step, so readers see the old list or the new one.
"""

import os
import threading
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

from whoosh.automata.fsa import find_all_matches
from whoosh.codec.base import Automata

from .analysis import plain_word, words

FILE = "words.txt"


def words_of(*texts: str) -> set[str]:
    """The folded words of some texts, as the list keeps them (two letters or more)."""
    out: set[str] = set()
    for text in texts:
        out.update(map(plain_word, words(text)))  # plain_word is cached: mostly a lookup
    return {word for word in out if len(word) >= 2}


class Vocabulary:
    def __init__(self, directory: Path):
        self.file = Path(directory) / FILE
        self._lock = threading.Lock()
        self._stamp = None
        self._sorted: list[str] = []
        self._set: frozenset[str] = frozenset()

    # --- reads ----------------------------------------------------------------------------------

    def _current(self) -> tuple[list[str], frozenset[str]]:
        """The list as the file holds it now (read again only when the file was replaced)."""
        try:
            stat = self.file.stat()
        except FileNotFoundError:
            return [], frozenset()
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                text = self.file.read_text(encoding="utf-8")
                self._sorted = text.split("\n") if text else []
                self._set = frozenset(self._sorted)
                self._stamp = stamp
            return self._sorted, self._set

    def __contains__(self, word: str) -> bool:
        return word in self._current()[1]

    def within(self, word: str, maxdist: int, *, prefix: int = 1) -> list[str]:
        """The words within `maxdist` edits of `word` that share its first `prefix` letters."""
        ordered, _ = self._current()
        if not ordered:
            return []

        def first_at_or_after(text: str) -> str | None:
            i = bisect_left(ordered, text)
            return ordered[i] if i < len(ordered) else None

        dfa = Automata.levenshtein_dfa(word, maxdist, prefix)
        return list(find_all_matches(dfa, first_at_or_after))

    # --- writes (under the index's write lock) --------------------------------------------------

    def replace(self, new_words: Iterable[str]) -> None:
        self._write(set(new_words))

    def add(self, new_words: Iterable[str]) -> None:
        _ordered, known = self._current()
        missing = set(new_words) - known
        if missing:
            self._write(known | missing)

    def _write(self, all_words: set[str]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.file.with_name(f".{FILE}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text("\n".join(sorted(all_words)), encoding="utf-8")
        os.replace(temporary, self.file)
