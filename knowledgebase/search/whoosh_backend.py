"""The whoosh engine behind the search interface (base.SearchBackend).

Design, for speed at 5,000 articles × 12 languages:
- one whoosh document per (article, language), with the language's text in that language's
  fields (`title_nl`, `text_nl`, ...) so each field has its own analyser; an article's documents
  collapse into one hit by slug;
- a query word is looked up only in the fields of languages written in its script (an Arabic
  word is not stemmed as Dutch), with titles weighted over bodies;
- typo tolerance costs nothing when the exact words find enough: only then are unknown words
  corrected against the index's word list (vocabulary.py: prefix 1, edit distance 1-2) and
  searched again; the correction is offered as "did you mean";
- ranking reads each term's postings a block at a time and scores them as numpy arrays
  (whoosh_scoring), instead of whoosh's matcher tree and collector, which cost ~15 Python calls
  per posting; every matching article is counted;
- one searcher per thread, refreshed (cheaply) when the index changed; readers never lock;
- writes are serialised: a lock per process and whoosh's file lock across processes, waited
  for (not failed on) with a timeout.
"""

import json
import logging
import os
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from whoosh import index, scoring
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import And, Or, Term
from whoosh.writing import CLEAR

from .. import fallback
from . import glossary
from .analysis import (
    LANGUAGES,
    TermFrequency,
    analyse,
    analyse_word,
    analyzer,
    languages_for,
    plain_word,
    words,
)
from .base import Doc, Hit, Progress, Results
from .snippets import highlight_html as _highlight
from .text import plain_text
from .vocabulary import Vocabulary, words_of
from .whoosh_scoring import Ranker, SegmentData

log = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: a new version starts an empty index beside the
# old one (rebuild or catch up to fill it).
SCHEMA_VERSION = "v2"  # v2: no `words` field (the word list is vocabulary.py's file)
TITLE_BOOST = 3.0
EXPANSION_BOOST = 0.5
CORRECTION_BOOST = 0.8
FUZZY_BELOW = 3  # search again with corrected words when fewer articles than this are found
ALL_VISIBILITIES = frozenset({"public", "internal", "draft"})


def schema() -> Schema:
    fields = {
        "key": ID(stored=True, unique=True),
        "article_id": ID(stored=True),
        "slug": ID(stored=True, sortable=True),
        "lang": ID(stored=True),
        "langs": STORED(),
        "category": ID(stored=True),
        "visibility": ID(stored=True),
        "head": ID(),  # "1" on one document per article: counts articles
        "title": STORED(),
        "text": STORED(),
    }
    for code in LANGUAGES:
        for name in (f"title_{code}", f"text_{code}"):
            fields[name] = TEXT(analyzer=analyzer(code), phrase=False)
            fields[name].format = TermFrequency(field_boost=fields[name].format.field_boost)
    return Schema(**fields)


def documents(doc: Doc) -> Iterable[dict]:
    """The whoosh documents of one article: one per language it exists in."""
    langs = sorted(code for code, tr in doc.translations.items() if code in LANGUAGES and tr.title)
    tags = " ".join(doc.tags)
    for position, code in enumerate(langs):
        tr = doc.translations[code]
        text = " ".join(part for part in (tr.summary.strip(), plain_text(tr.body)) if part)
        fields = {
            "key": f"{doc.article_id}:{code}",
            "article_id": str(doc.article_id),
            "slug": doc.slug,
            "lang": code,
            "langs": " ".join(langs),
            "category": doc.category or "",
            "visibility": doc.visibility,
            "title": tr.title,
            "text": text,
            f"title_{code}": tr.title,
            f"text_{code}": f"{text} {tags}",
        }
        if position == 0:
            fields["head"] = "1"
        yield fields


def indexed_words(fields: dict) -> set[str]:
    """The words of one whoosh document (title, text and tags), for the vocabulary."""
    code = fields["lang"]
    return words_of(fields["title"], fields[f"text_{code}"])


class LanguageBM25F(scoring.BM25F):
    """BM25F whose average field length counts only the documents of the field's language.

    Each language field is filled in the documents of one language only; whoosh's own BM25F
    divides by every document in the index, which makes a title in a language with few
    documents look very long. (The idf stays global: per-language idf punished the languages
    with few articles.)
    """

    def scorer(self, searcher, fieldname, text, qf=1):
        if not fieldname.startswith(("title_", "text_")):
            return super().scorer(searcher, fieldname, text, qf=qf)
        return _LanguageScorer(searcher, fieldname, text, self.B, self.K1, qf=qf)


class _LanguageScorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, B, K1, qf=1):
        parent = searcher.get_parent()
        language = fieldname.split("_", 1)[1]
        documents = parent.doc_frequency("lang", language) or 1
        self.idf = parent.idf(fieldname, text)
        self.avgfl = (parent.field_length(fieldname) / documents) or 1
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.setup(searcher, fieldname, text)


class WhooshBackend:
    keeps_own_index = True  # one index per machine: knowledgebase.search.sync catches it up

    def __init__(
        self,
        index_dir: str | Path | None = None,
        *,
        write_timeout: float | None = None,
        use_glossary: bool = True,
    ):
        base = Path(index_dir or settings.KB_INDEX_DIR)
        self.path = base / SCHEMA_VERSION
        self.write_timeout = (
            write_timeout
            if write_timeout is not None
            else getattr(settings, "KB_INDEX_WRITE_TIMEOUT", 120)
        )
        self.use_glossary = use_glossary
        self._ix = None
        self._local = threading.local()
        self._segments = SegmentData()  # shared by the threads' searchers
        self.vocabulary = Vocabulary(self.path)
        self._write_lock = threading.Lock()
        self._open_lock = threading.Lock()

    # --- the index ------------------------------------------------------------------------------

    def _index(self, *, create: bool = False):
        if self._ix is not None:
            return self._ix
        with self._open_lock:
            if self._ix is None:
                if index.exists_in(self.path):
                    self._ix = index.open_dir(self.path)
                elif create:
                    self.path.mkdir(parents=True, exist_ok=True)
                    self._ix = index.create_in(self.path, schema())
        return self._ix

    def _searcher(self):
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None:
            ix = self._index()
            if ix is None:
                return None
            searcher = ix.searcher(weighting=LanguageBM25F())
        elif not searcher.up_to_date():
            # Not searcher.refresh(): it reuses the old segment readers, which do not see
            # documents deleted since (an upserted article would be found twice).
            searcher.close()
            searcher = self._index().searcher(weighting=LanguageBM25F())
            local.masks = {}
            local.ranker = None
        if getattr(local, "ranker", None) is None:
            ranker = Ranker(searcher, self._segments)
            local.ranker = ranker
            self._segments.keep_only(reader.segment().segment_id() for reader, _ in ranker.leaves)
        local.searcher = searcher
        return searcher

    def _writer(self, **options):
        ix = self._index(create=True)
        return ix.writer(timeout=self.write_timeout, delay=0.05, **options)

    # --- writes ---------------------------------------------------------------------------------

    def upsert(self, docs: Iterable[Doc]) -> None:
        latest = {doc.article_id: doc for doc in docs}
        if not latest:
            return
        new_words: set[str] = set()
        with self._write_lock:
            writer = self._writer()
            try:
                for doc in latest.values():
                    writer.delete_by_term("article_id", str(doc.article_id))
                    writer.delete_by_term("slug", doc.slug)
                    for fields in documents(doc):
                        writer.add_document(**fields)
                        new_words |= indexed_words(fields)
                self.vocabulary.add(new_words)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def delete(self, slugs: Iterable[str]) -> None:
        slugs = list(dict.fromkeys(slugs))
        if not slugs or self._index() is None:
            return
        with self._write_lock:
            writer = self._writer()
            try:
                for slug in slugs:
                    writer.delete_by_term("slug", slug)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def rebuild(self, docs: Iterable[Doc], *, progress: Progress | None = None) -> None:
        """Replace the whole index in one commit; readers see the old one until it lands."""
        options = {
            "limitmb": settings.KB_INDEX_LIMITMB,
            "procs": settings.KB_INDEX_PROCS,
        }
        if options["procs"] > 1:
            options["multisegment"] = True
        with self._write_lock:
            writer = self._writer(**options)
            done = 0
            vocabulary: set[str] = set()
            try:
                for doc in docs:
                    for fields in documents(doc):
                        writer.add_document(**fields)
                        vocabulary |= indexed_words(fields)
                    done += 1
                    if progress is not None and done % 100 == 0:
                        progress(done)
                # Before the commit, which releases the write lock: no other writer runs between.
                self.vocabulary.replace(vocabulary)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=CLEAR)
            if progress is not None:
                progress(done)

    # --- the watermark of the catch-up (knowledgebase.search.sync) ------------------------------

    def _watermark_path(self) -> Path:
        return self.path / "watermark.json"

    def watermark(self) -> datetime | None:
        """The newest article change this index has taken in, or None (never filled)."""
        try:
            data = json.loads(self._watermark_path().read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return datetime.fromisoformat(data["updated_at"])

    def set_watermark(self, value: datetime) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        temporary = self.path / f".watermark.{os.getpid()}.{threading.get_ident()}"
        temporary.write_text(json.dumps({"updated_at": value.isoformat()}), encoding="utf-8")
        os.replace(temporary, self._watermark_path())  # atomic: a reader sees old or new

    # --- reads ----------------------------------------------------------------------------------

    def doc_count(self) -> int:
        searcher = self._searcher()
        if searcher is None:
            return 0
        return sum(1 for _ in searcher.docs_for_query(Term("head", "1")))

    def indexed_slugs(self) -> set[str]:
        searcher = self._searcher()
        if searcher is None:
            return set()
        return {
            searcher.stored_fields(docnum)["slug"]
            for docnum in searcher.docs_for_query(Term("head", "1"))
        }

    def _mask(self, searcher, visibilities: frozenset[str]):
        """Documents the reader may not see, as a boolean array cached with the searcher."""
        hidden = sorted(ALL_VISIBILITIES - visibilities)
        if not hidden:
            return None
        return self._matching(searcher, Or([Term("visibility", v) for v in hidden]))

    def _matching(self, searcher, query):
        """The documents `query` matches, as a boolean array cached with the searcher."""
        masks = self._local.__dict__.setdefault("masks", {})
        if query not in masks:
            masks[query] = self._local.ranker.documents(searcher.docs_for_query(query))
        return masks[query]

    def search(
        self,
        query: str,
        *,
        language: str,
        visibilities: frozenset[str],
        category: str | None = None,
        limit: int = 10,
    ) -> Results:
        started = time.perf_counter()
        tokens = words(query or "")
        searcher = self._searcher() if tokens else None
        if searcher is None or not visibilities:
            return Results(hits=[], total=0)
        expansions = glossary.expand(tokens) if self.use_glossary else []
        mask = self._mask(searcher, frozenset(visibilities))
        ranker = self._local.ranker
        q = build_query(tokens, expansions, reader=ranker)
        found, total = self._rank(searcher, q, mask, category, limit)
        fuzzy, suggestion, corrections = False, None, {}
        if total < FUZZY_BELOW:
            corrections = self._corrections(searcher, tokens)
            if corrections:
                fuzzy_q = build_query(tokens, expansions, corrections, reader=ranker)
                retry, retry_total = self._rank(searcher, fuzzy_q, mask, category, limit)
                if retry_total > total:
                    found, total, fuzzy = retry, retry_total, True
                    suggestion = " ".join(
                        corrections[t][0] if t in corrections else t for t in tokens
                    )
        shown_words = [*tokens, *expansions, *(w for ws in corrections.values() for w in ws)]
        hits = [
            self._hit(searcher, docnum, score, language, shown_words) for score, docnum in found
        ]
        return Results(
            hits=hits,
            total=total,
            suggestion=suggestion,
            fuzzy=fuzzy,
            extra={"ms": round((time.perf_counter() - started) * 1000, 2)},
        )

    def _corrections(self, searcher, tokens: list[str]) -> dict[str, list[str]]:
        """Unknown query words → the most frequent known word within a small edit distance."""
        ranker = self._local.ranker
        out: dict[str, list[str]] = {}
        for token in tokens:
            word = plain_word(token)
            if len(word) < 4 or word.isdigit() or word in self.vocabulary:
                continue
            maxdist = 1 if len(word) < 7 else 2
            candidates = set(self.vocabulary.within(word, maxdist, prefix=1))
            candidates.discard(word)
            if candidates:
                out[token] = [max(candidates, key=lambda c: (_frequency(ranker, c), c))]
        return out

    def _rank(self, searcher, query, mask, category: str | None, limit: int):
        """The best document of each matching article as (score, document number), best first,
        at most `limit`; and the number of matching articles (exact).
        """
        if query is None:
            return [], 0
        ranker = self._local.ranker
        scores = ranker.scores(query)
        if mask is not None:
            scores[mask] = 0.0
        if category:
            scores[~self._matching(searcher, Term("category", category))] = 0.0
        return ranker.best_per_article(scores, limit=limit)

    def _hit(self, searcher, docnum: int, score: float, language: str, shown_words) -> Hit:
        fields = searcher.stored_fields(docnum)
        show = fallback.pick(fields["langs"].split(), language) or fields["lang"]
        if show != fields["lang"]:
            other = searcher.document(key=f"{fields['article_id']}:{show}")
            if other is not None:
                fields = other
            else:
                show = fields["lang"]
        terms = set(analyse(" ".join(shown_words), show))
        title, text = fields["title"], fields["text"]
        return Hit(
            slug=fields["slug"],
            language=show,
            title=title,
            snippet=_highlight(text, terms, show, whole=False),
            score=round(float(score), 4),
            title_html=_highlight(title, terms, show, whole=True),
        )


def build_query(tokens: list[str], expansions: list[str], corrections=None, reader=None):
    """One whoosh query: every word (or its correction) in the fields of its script's languages.

    With a `reader` (anything with `doc_frequency(field, text)`), terms that no document holds
    are left out: a query word meets most of its
    languages' fields empty, and whoosh's matcher tree pays for every branch.
    """
    corrections = corrections or {}
    exists = (lambda field, text: True) if reader is None else _exists(reader)
    parts = []
    for token in tokens:
        parts.extend(_word_terms(token, 1.0, exists))
        for correction in corrections.get(token, []):
            parts.extend(_word_terms(correction, CORRECTION_BOOST, exists))
    for phrase in expansions:
        phrase_words = words(phrase)
        if not phrase_words:
            continue
        per_language = []
        for code in languages_for(phrase_words[0]):
            terms = [analyse_word(word, code) for word in phrase_words]
            terms = [t for t in terms if t]
            if not terms or not all(exists(f"text_{code}", t) for t in terms):
                continue
            per_language.append(
                And(
                    [
                        Or(
                            [
                                Term(f"title_{code}", t, boost=TITLE_BOOST * EXPANSION_BOOST),
                                Term(f"text_{code}", t, boost=EXPANSION_BOOST),
                            ]
                        )
                        for t in terms
                    ]
                )
            )
        parts.extend(per_language)
    if not parts:
        return None
    return Or(parts)


def _frequency(ranker, word: str) -> int:
    """How many documents hold `word` (by its term) in the language of its script that has it
    most: the more common of two candidate corrections is the likelier."""
    return max(
        (
            ranker.doc_frequency(f"text_{code}", term)
            for code in languages_for(word)
            if (term := analyse_word(word, code))
        ),
        default=0,
    )


def _exists(reader):
    def exists(field: str, text: str) -> bool:
        return reader.doc_frequency(field, text) > 0

    return exists


def _word_terms(word: str, boost: float, exists) -> list[Term]:
    out = []
    for code in languages_for(word):
        term = analyse_word(word, code)
        if term is None:
            continue
        if exists(f"title_{code}", term):
            out.append(Term(f"title_{code}", term, boost=TITLE_BOOST * boost))
        if exists(f"text_{code}", term):
            out.append(Term(f"text_{code}", term, boost=boost))
    return out
