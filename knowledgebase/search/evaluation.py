"""Search quality: MRR@10 and recall@5 per kind of query, for any backend.

The evaluation set lives in tests/data/kb_eval/ (articles.jsonl in the kb_import format and
queries.jsonl: {"q", "lang", "kind", "relevant": [slugs]}); bench/kb_search.py prints the figures
next to a plain whoosh baseline, and a test fails when they fall below the targets.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .base import Doc, Translation

PUBLIC = frozenset({"public"})


@dataclass(frozen=True)
class Query:
    text: str
    language: str
    kind: str
    relevant: frozenset[str]


def load_docs(path: Path) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            data = json.loads(line)
            docs.append(
                Doc(
                    article_id=number,
                    slug=data["slug"],
                    category=data.get("category", ""),
                    visibility=data.get("visibility", "public"),
                    translations={
                        code: Translation(
                            t.get("title", ""), t.get("summary", ""), t.get("body", "")
                        )
                        for code, t in data["translations"].items()
                    },
                    tags=tuple(data.get("tags", ())),
                )
            )
    return docs


def load_queries(path: Path) -> list[Query]:
    with path.open(encoding="utf-8") as lines:
        return [
            Query(d["q"], d["lang"], d["kind"], frozenset(d["relevant"]))
            for d in map(json.loads, lines)
        ]


@dataclass
class Scores:
    mrr: float
    recall: float
    count: int


def evaluate(
    search: Callable[[Query], list[str]], queries: list[Query]
) -> tuple[dict[str, Scores], list[tuple[Query, list[str]]]]:
    """Scores per kind (and "all"), and the queries whose first relevant hit is not first.

    `search` returns the slugs found for a query, best first. MRR@10: the mean of 1/rank of the
    first relevant article in the top 10 (0 when none); recall@5: the mean share of the relevant
    articles found in the top 5.
    """
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    misses = []
    for query in queries:
        slugs = search(query)[:10]
        rank = next((i for i, slug in enumerate(slugs, 1) if slug in query.relevant), None)
        reciprocal = 1 / rank if rank else 0.0
        recall = len(query.relevant & set(slugs[:5])) / len(query.relevant)
        per_kind[query.kind].append((reciprocal, recall))
        per_kind["all"].append((reciprocal, recall))
        if rank != 1:
            misses.append((query, slugs[:5]))
    scores = {
        kind: Scores(
            mrr=sum(r for r, _ in values) / len(values),
            recall=sum(c for _, c in values) / len(values),
            count=len(values),
        )
        for kind, values in per_kind.items()
    }
    return scores, misses


def backend_search(backend) -> Callable[[Query], list[str]]:
    def search(query: Query) -> list[str]:
        results = backend.search(query.text, language=query.language, visibilities=PUBLIC)
        return [hit.slug for hit in results.hits]

    return search
