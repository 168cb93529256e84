"""Ranking a knowledge-base query straight from whoosh's postings, with numpy.

whoosh scores through a tree of matcher objects and a collector: about fifteen Python calls per
posting (id, is_active, next, score, the field length through a column reader, ...). A query of
the knowledge base is a flat OR of a few dozen terms (a question, its glossary expansions, the
languages of its script) that together match a fifth of the index on common words: at 5,000
articles × 12 languages, 80,000 postings and 60-400 ms per query (bench/README.md). Here each
term's postings are read a block at a time and scored as arrays, into one array of scores per
document: the same BM25F numbers (tests/knowledgebase/search/test_whoosh_scoring.py compares
them with whoosh's own searcher) for a small fraction of the cost.

This reads whoosh's on-disk blocks through the attributes of its W3 codec (whoosh-reloaded
2.7.5 is pinned); any other matcher falls back to the public id()/weight()/next() calls.
"""

from collections.abc import Iterable
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import FixedBytesColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Or, Term
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

B = 0.75  # whoosh's BM25F defaults, as LanguageBM25F uses them
K1 = 1.2
# whoosh stores a field's length in one byte per document; this decodes all 256 at once.
_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))


class SegmentData:
    """What ranking needs per index segment, read once and kept while the segment lives.

    Segments never change once written (deletions are kept aside and read per searcher), so
    their slug column and field lengths can be cached by segment id across searchers; an upsert
    adds a small segment and only that one is read.
    """

    def __init__(self):
        self._cache: dict[tuple[str, str], object] = {}
        # slug → article number, the same in every segment and searcher (grows with new slugs)
        self.article_number: dict[str, int] = {}

    def articles(self, reader) -> np.ndarray:
        """The article number of every document of the segment."""
        key = (reader.segment().segment_id(), "articles")
        if key not in self._cache:
            number = self.article_number
            self._cache[key] = np.fromiter(
                (number.setdefault(slug, len(number)) for slug in reader.column_reader("slug")),
                dtype=np.int64,
                count=reader.doc_count_all(),
            )
        return self._cache[key]

    def lengths(self, reader, field: str) -> np.ndarray:
        """The length byte of `field` for every document of the segment (0: empty)."""
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
            # Documents past the column's end have no value (whoosh's default, 0).
            padded = lengths.ljust(reader.doc_count_all(), b"\0")
            self._cache[key] = np.frombuffer(padded, dtype=np.uint8)
        return self._cache[key]

    def keep_only(self, segment_ids: Iterable[str]) -> None:
        """Forget segments a newer searcher no longer has (merged or deleted)."""
        alive = set(segment_ids)
        for key in [key for key in self._cache if key[0] not in alive]:
            self._cache.pop(key, None)


def postings(reader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The (document numbers, term frequencies) of one term in one segment, deleted included."""
    try:
        matcher = reader.postings(field, text)
    except TermNotFound:  # the term is in other segments only
        return _EMPTY
    if isinstance(matcher, FilterMatcher):  # the segment's deletions: the caller drops them
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            stored = matcher._data[0]
            # Each block's ids are deltas from the previous id, the first from 0.
            ids.extend(stored if matcher._byteids else accumulate(stored))
            matcher._read_weights()
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


class Ranker:
    """Scores of documents for a query made of Term, Or and And (knowledgebase's build_query).

    One per searcher: a searcher sees one state of the index, so the term statistics, the
    deletions and the document → article map are computed once for its whole life.
    """

    def __init__(self, searcher, data: SegmentData):
        self.searcher = searcher
        self.data = data
        self.leaves = list(searcher.reader().leaf_readers())
        self.size = searcher.doc_count_all()
        self._documents_of_language: dict[str, int] = {}
        self._frequency: dict[tuple[str, str], int] = {}
        self._idf: dict[tuple[str, str], float] = {}
        self._deleted: dict[int, np.ndarray | None] = {}
        self._articles: np.ndarray | None = None

    def doc_frequency(self, field: str, text: str) -> int:
        key = (field, text)
        found = self._frequency.get(key)
        if found is None:
            # A multi-segment reader sums this over segments on every call.
            found = self._frequency[key] = self.searcher.doc_frequency(field, text)
        return found

    def scores(self, query) -> np.ndarray:
        """The score of every document number (0.0: not matched)."""
        acc = np.zeros(self.size, dtype=np.float64)
        self._add(acc, query)
        return acc

    def _add(self, acc: np.ndarray, query) -> None:
        if isinstance(query, Term):
            self._add_term(acc, query.fieldname, query.text, query.boost)
        elif isinstance(query, Or):
            for child in query.subqueries:
                self._add(acc, child)
        elif isinstance(query, And) and len(query.subqueries) == 1:
            self._add(acc, query.subqueries[0])
        elif isinstance(query, And):
            parts = [self.scores(child) for child in query.subqueries]
            if parts:
                everywhere = np.logical_and.reduce([part > 0 for part in parts])
                acc += np.where(everywhere, np.sum(parts, axis=0), 0.0)
        else:
            raise TypeError(f"cannot rank {type(query).__name__}")

    def _language_documents(self, language: str) -> int:
        if language not in self._documents_of_language:
            self._documents_of_language[language] = (
                self.searcher.doc_frequency("lang", language) or 1
            )
        return self._documents_of_language[language]

    def _deleted_in(self, reader, base: int) -> np.ndarray | None:
        if base not in self._deleted:
            deleted = reader.deleted_docs_set
            self._deleted[base] = np.fromiter(deleted, dtype=np.int64) if deleted else None
        return self._deleted[base]

    def _add_term(self, acc: np.ndarray, field: str, text: str, boost: float) -> None:
        """BM25F as knowledgebase.search.whoosh_backend.LanguageBM25F scores it: global idf,
        average field length over the documents of the field's language."""
        if not self.doc_frequency(field, text):
            return
        language = field.split("_", 1)[1]
        idf = self._idf.get((field, text))
        if idf is None:
            idf = self._idf[(field, text)] = self.searcher.idf(field, text)
        avgfl = (self.searcher.field_length(field) / self._language_documents(language)) or 1
        # bm25 = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * fl / avgfl)), times the boost
        scale = boost * idf * (K1 + 1)
        length_part = K1 * (1 - B) + (K1 * B / avgfl) * _LENGTH
        for reader, base in self.leaves:
            ids, tf = postings(reader, field, text)
            if not len(ids):
                continue
            deleted = self._deleted_in(reader, base)
            if deleted is not None:
                alive = ~np.isin(ids, deleted)
                ids, tf = ids[alive], tf[alive]
            lengths = self.data.lengths(reader, field)
            # A term occurs once per document in its postings: plain fancy-index += is exact.
            acc[ids + base] += scale * tf / (tf + length_part[lengths[ids]])

    def articles(self) -> np.ndarray:
        """The article number of every document number of this searcher."""
        if self._articles is None:
            parts = [self.data.articles(reader) for reader, _base in self.leaves]
            self._articles = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        return self._articles

    def best_per_article(
        self, scores: np.ndarray, *, limit: int
    ) -> tuple[list[tuple[float, int]], int]:
        """The best document of each matching article as (score, document number), best first
        (ties: the lower document number, as whoosh orders them), at most `limit`; and how
        many articles matched."""
        docs = np.flatnonzero(scores)
        if not len(docs):
            return [], 0
        order = docs[np.lexsort((docs, -scores[docs]))]
        _numbers, first = np.unique(self.articles()[order], return_index=True)
        best = order[np.sort(first)]
        return [(float(scores[d]), int(d)) for d in best[:limit]], len(best)

    def documents(self, docnums: Iterable[int]) -> np.ndarray:
        """A boolean array over document numbers, True for `docnums`."""
        out = np.zeros(self.size, dtype=bool)
        out[np.fromiter(docnums, dtype=np.int64)] = True
        return out
