"""An in-memory search backend, only for unit tests of how pages and the API handle the
interface (what they show, escape, link and log). It really searches (a word in the title,
summary or body of the reader's language or the fallback), so a test cannot pass on a canned
answer; search quality is tested against the real engine (tests/knowledgebase/search/)."""

import html

from knowledgebase import fallback
from knowledgebase.search import Hit, Results


class MemoryBackend:
    def __init__(self):
        self.docs = {}

    def upsert(self, docs):
        for doc in docs:
            self.docs[doc.slug] = doc

    def delete(self, slugs):
        for slug in slugs:
            self.docs.pop(slug, None)

    def rebuild(self, docs, *, progress=None):
        self.docs = {}
        for done, doc in enumerate(docs, 1):
            self.docs[doc.slug] = doc
            if progress:
                progress(done)

    def doc_count(self):
        return len(self.docs)

    def search(self, query, *, language, visibilities, category=None, limit=10):
        words = [w.casefold() for w in query.split()]
        hits = []
        for doc in self.docs.values():
            if doc.visibility not in visibilities or (category and doc.category != category):
                continue
            texts = doc.translations.values()
            blob = " ".join(f"{t.title} {t.summary} {t.body}" for t in texts).casefold()
            if not all(w in blob for w in words):
                continue
            code = fallback.pick(doc.translations, language)
            text = doc.translations[code]
            in_title = sum(w in text.title.casefold() for w in words)
            snippet = html.escape(text.summary or text.body[:120])
            for word in words:
                snippet = snippet.replace(word, f"<mark>{word}</mark>")
            hits.append(Hit(doc.slug, code, text.title, snippet, 1.0 + in_title))
        hits.sort(key=lambda h: (-h.score, h.slug))
        return Results(hits=hits[:limit], total=len(hits))
