"""The PostgreSQL full-text backend: one shared index in the database, for those who prefer it.

Same analysis as the whoosh backend (knowledgebase.search.analysis): the lexemes are computed in
Python and stored as a tsvector (title weight A, text weight B), so Arabic and Persian
normalisation, accent folding and Snowball stemming behave the same on both engines, and no
PostgreSQL dictionary or extension is needed. Rows live in kbsearch_searchdocument, one per
(article, language), with a GIN index; readers never block writers (MVCC) and a rebuild is one
transaction.

Differences from whoosh: no typo tolerance and no "did you mean" (the vocabulary would need
pg_trgm), and ranking is PostgreSQL's ts_rank rather than BM25.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from .. import fallback
from . import glossary
from .analysis import analyse, analyse_word, languages_for, words
from .base import Doc, Hit, Progress, Results
from .snippets import highlight_html
from .whoosh_backend import documents

TABLE = "kbsearch_searchdocument"
WEIGHTS = "{0.1, 0.2, 0.33, 1.0}"  # D, C, B (text), A (title): titles weigh three times the text
COUNT_UP_TO = 50  # Results.total is exact up to this many articles (counting all costs a full scan)
COLUMNS = "key, article_id, slug, language, languages, category, visibility, title, text, vector"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(title: str, text: str, language: str) -> str:
    """A tsvector literal of our own lexemes (PostgreSQL does no further analysis)."""
    parts = []
    position = 0
    for weight, value in (("A", title), ("B", text)):
        for term in analyse(value, language):
            position = min(position + 1, 16383)
            parts.append(f"{_lexeme(term)}:{position}{weight}")
    return " ".join(parts)


def tsquery(tokens: list[str], expansions: list[str]) -> str | None:
    """Every word in its script's languages, OR-ed; a glossary phrase is an AND of its terms."""
    alternatives = []
    for token in tokens:
        terms = {analyse_word(token, code) for code in languages_for(token)} - {None}
        alternatives.extend(_lexeme(t) for t in sorted(terms))
    for phrase in expansions:
        phrase_words = words(phrase)
        if not phrase_words:
            continue
        for code in languages_for(phrase_words[0]):
            terms = [t for t in (analyse_word(w, code) for w in phrase_words) if t]
            if terms:
                alternatives.append("(" + " & ".join(_lexeme(t) for t in terms) + ")")
    if not alternatives:
        return None
    return " | ".join(dict.fromkeys(alternatives))


class PostgresBackend:
    keeps_own_index = False  # shared by every machine: nothing to catch up

    def _rows(self, doc: Doc):
        for fields in documents(doc):
            code = fields["lang"]
            yield (
                fields["key"],
                doc.article_id,
                doc.slug,
                code,
                fields["langs"],
                fields["category"],
                fields["visibility"],
                fields["title"],
                fields["text"],
                tsvector(fields["title"], fields[f"text_{code}"], code),
            )

    def _insert(self, cursor, rows: list[tuple]) -> None:
        if rows:
            cursor.executemany(
                f"INSERT INTO {TABLE} ({COLUMNS}) VALUES "  # noqa: S608 (constants)
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                rows,
            )

    def upsert(self, docs: Iterable[Doc]) -> None:
        latest = {doc.article_id: doc for doc in docs}
        if not latest:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE article_id = ANY(%s) OR slug = ANY(%s)",  # noqa: S608
                [list(latest), [doc.slug for doc in latest.values()]],
            )
            self._insert(cursor, [row for doc in latest.values() for row in self._rows(doc)])

    def delete(self, slugs: Iterable[str]) -> None:
        slugs = list(dict.fromkeys(slugs))
        if slugs:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE slug = ANY(%s)", [slugs])  # noqa: S608

    def rebuild(self, docs: Iterable[Doc], *, progress: Progress | None = None) -> None:
        done = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            batch: list[tuple] = []
            for doc in docs:
                batch.extend(self._rows(doc))
                done += 1
                if len(batch) >= 1000:
                    self._insert(cursor, batch)
                    batch = []
                    if progress is not None:
                        progress(done)
            self._insert(cursor, batch)
        if progress is not None:
            progress(done)

    def doc_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(DISTINCT article_id) FROM {TABLE}")  # noqa: S608
            return cursor.fetchone()[0]

    def indexed_slugs(self) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT slug FROM {TABLE}")  # noqa: S608
            return {row[0] for row in cursor.fetchall()}

    def search(
        self,
        query: str,
        *,
        language: str,
        visibilities: frozenset[str],
        category: str | None = None,
        limit: int = 10,
    ) -> Results:
        tokens = words(query or "")
        expansions = glossary.expand(tokens)
        q = tsquery(tokens, expansions) if tokens and visibilities else None
        if q is None:
            return Results(hits=[], total=0)
        sql = f"""
            SELECT slug, article_id, language, languages, title, text, rank FROM (
                SELECT d.slug, d.article_id, d.language, d.languages, d.title, d.text,
                       ts_rank(%s, d.vector, q.q, 1) AS rank,
                       row_number() OVER (
                           PARTITION BY d.slug ORDER BY ts_rank(%s, d.vector, q.q, 1) DESC
                       ) AS best
                FROM {TABLE} d, (SELECT %s::tsquery AS q) q
                WHERE d.vector @@ q.q AND d.visibility = ANY(%s)
                      AND (%s::text IS NULL OR d.category = %s)
            ) ranked
            WHERE best = 1
            ORDER BY rank DESC, slug
            LIMIT %s
        """  # noqa: S608 (the table name is a constant)
        params = [WEIGHTS, WEIGHTS, q, list(visibilities), category, category, COUNT_UP_TO]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        shown_words = [*tokens, *expansions]
        hits = [self._hit(row, language, shown_words) for row in rows[:limit]]
        return Results(hits=hits, total=len(rows))

    def _hit(self, row, language: str, shown_words: list[str]) -> Hit:
        slug, article_id, lang, langs, title, text, rank = row
        show = fallback.pick(langs.split(), language) or lang
        if show != lang:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT title, text FROM {TABLE} WHERE key = %s",  # noqa: S608
                    [f"{article_id}:{show}"],
                )
                other = cursor.fetchone()
            if other:
                title, text = other
            else:
                show = lang
        terms = set(analyse(" ".join(shown_words), show))
        return Hit(
            slug=slug,
            language=show,
            title=title,
            snippet=highlight_html(text, terms, show, whole=False),
            score=round(float(rank), 4),
            title_html=highlight_html(title, terms, show, whole=True),
        )
