"""Ranking a knowledge-base query straight from whoosh's postings, one term at a time.

whoosh scores through a tree of matcher objects and a collector: about fifteen Python calls per
posting (id, is_active, next, score, the field length through a column reader, ...). A query of
the knowledge base is a flat OR of a few dozen terms (a question, its glossary expansions, the
languages of its script) that together match a fifth of the index on common words, so at 5,000
articles × 12 languages that machinery cost 60-400 ms per query (bench/README.md). Here each
term's postings are read a block at a time and added into one dict of scores: the same BM25F
numbers (tests/knowledgebase/search/test_whoosh_scoring.py compares them with whoosh's own
searcher) at a small fraction of the cost.

This reads whoosh's on-disk blocks through the attributes of its W3 codec (whoosh-reloaded
2.7.5 is pinned); any other matcher falls back to the public id()/weight()/next() calls.
"""

from collections.abc import Iterable

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import FixedBytesColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Or, Term
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

B = 0.75  # whoosh's BM25F defaults, as LanguageBM25F uses them
K1 = 1.2
_LENGTH = [byte_to_length(b) for b in range(256)]  # whoosh stores field lengths in one byte


class SegmentData:
    """What ranking needs per index segment, read once and kept while the segment lives.

    Segments never change once written (deletions are kept aside), so their slug column and
    field lengths can be cached by segment id across searchers; an upsert adds a small segment
    and only that one is read.
    """

    def __init__(self):
        self._cache: dict[tuple[str, str], object] = {}

    def slugs(self, reader) -> list[str]:
        key = (reader.segment().segment_id(), "slug")
        if key not in self._cache:
            self._cache[key] = list(reader.column_reader("slug"))
        return self._cache[key]

    def lengths(self, reader, field: str):
        key = (reader.segment().segment_id(), field)
        if key not in self._cache:
            perdoc = reader._perdoc
            name = _lenfield(field)
            lengths = b""
            if perdoc.has_column(name):
                column = perdoc.column_reader(name, LENGTHS_COLUMN)
                if isinstance(column, FixedBytesColumn.Reader) and column._fixedlen == 1:
                    # The column file is one byte per document: read it whole (a 60,000-document
                    # segment took 55 ms document by document).
                    lengths = column._dbfile.get(column._basepos, column._count)
                else:
                    lengths = bytes(column.load())
            # One byte per document, so that a lookup never needs a bounds check.
            self._cache[key] = lengths.ljust(reader.doc_count_all(), b"\0")
        return self._cache[key]

    def keep_only(self, segment_ids: Iterable[str]) -> None:
        """Forget segments a newer searcher no longer has (merged or deleted)."""
        alive = set(segment_ids)
        for key in [key for key in self._cache if key[0] not in alive]:
            self._cache.pop(key, None)


def postings(reader, field: str, text: str) -> tuple[Iterable[int], Iterable[float]]:
    """The (document numbers, term frequencies) of one term in one segment, deleted included."""
    try:
        matcher = reader.postings(field, text)
    except TermNotFound:  # the term is in other segments only
        return (), ()
    if isinstance(matcher, FilterMatcher):  # the segment's deletions: the caller skips them
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


class Ranker:
    """Scores of documents for a query made of Term, Or and And (knowledgebase's build_query)."""

    def __init__(self, searcher, data: SegmentData):
        self.searcher = searcher
        self.data = data
        self.leaves = list(searcher.reader().leaf_readers())
        self._documents_of_language: dict[str, int] = {}
        # Per term: document frequency and idf. A searcher sees one state of the index, so these
        # hold for its whole life; a multi-segment reader sums them over segments on every call.
        self._frequency: dict[tuple[str, str], int] = {}
        self._idf: dict[tuple[str, str], float] = {}

    def doc_frequency(self, field: str, text: str) -> int:
        key = (field, text)
        found = self._frequency.get(key)
        if found is None:
            found = self._frequency[key] = self.searcher.doc_frequency(field, text)
        return found

    def scores(self, query) -> dict[int, float]:
        acc: dict[int, float] = {}
        self._add(acc, query)
        return acc

    def _add(self, acc: dict[int, float], query) -> None:
        if isinstance(query, Term):
            self._add_term(acc, query.fieldname, query.text, query.boost)
        elif isinstance(query, Or):
            for child in query.subqueries:
                self._add(acc, child)
        elif isinstance(query, And) and len(query.subqueries) == 1:
            self._add(acc, query.subqueries[0])
        elif isinstance(query, And):
            parts = [self.scores(child) for child in query.subqueries]
            if not parts:
                return
            common = set(parts[0]).intersection(*parts[1:])
            for doc in common:
                acc[doc] = acc.get(doc, 0.0) + sum(part[doc] for part in parts)
        else:
            raise TypeError(f"cannot rank {type(query).__name__}")

    def _language_documents(self, language: str) -> int:
        if language not in self._documents_of_language:
            self._documents_of_language[language] = (
                self.searcher.doc_frequency("lang", language) or 1
            )
        return self._documents_of_language[language]

    def _add_term(self, acc: dict[int, float], field: str, text: str, boost: float) -> None:
        """BM25F as knowledgebase.search.whoosh_backend.LanguageBM25F scores it: global idf,
        average field length over the documents of the field's language."""
        searcher = self.searcher
        if not self.doc_frequency(field, text):
            return
        language = field.split("_", 1)[1]
        idf = self._idf.get((field, text))
        if idf is None:
            idf = self._idf[(field, text)] = searcher.idf(field, text)
        avgfl = (searcher.field_length(field) / self._language_documents(language)) or 1
        # bm25 = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * fl / avgfl)), times the boost
        scale = boost * idf * (K1 + 1)
        constant = K1 * (1 - B)
        per_length = K1 * B / avgfl
        table = [constant + per_length * length for length in _LENGTH]
        get = acc.get
        for reader, base in self.leaves:
            ids, weights = postings(reader, field, text)
            if not ids:
                continue
            lengths = self.data.lengths(reader, field)
            deleted = reader.deleted_docs_set
            for doc, tf in zip(ids, weights, strict=False):
                if deleted and doc in deleted:
                    continue
                number = doc + base
                acc[number] = get(number, 0.0) + scale * tf / (tf + table[lengths[doc]])

    def slugs(self) -> list[str]:
        """The slug of every document number of this searcher."""
        out: list[str] = []
        for reader, _base in self.leaves:
            out.extend(self.data.slugs(reader))
        return out
