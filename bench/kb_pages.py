"""Knowledge-base pages and API, timed in-process (Django test client, no network).

    DATABASE_URL=sqlite:///var/kb-bench.sqlite3 KB_INDEX_DIR=var/kb-bench-index \
        .venv/bin/python bench/kb_pages.py [--articles 500] [--requests 100]

Loads the demo articles, adds generated ones (five languages each) up to --articles, rebuilds
the index, then times each page as an anonymous reader and as a volunteer: p50 and p95 in ms.
(Query counts are asserted in tests/knowledgebase/test_pages.py.)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "true")  # a development key; DEBUG stays off
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Index writes are timed once, as a rebuild; the per-article index task is not run here.
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from knowledgebase.demo import load_demo_articles  # noqa: E402
from knowledgebase.models import Article  # noqa: E402
from knowledgebase.services.index import index_rebuild  # noqa: E402
from knowledgebase.services.transfer import articles_import  # noqa: E402

PAGES = [
    ("home", "/ar/kb/"),
    ("category", "/fa/kb/c/reception/"),
    ("article", "/ar/kb/no-reception-place/"),
    ("article (fallback ps→fa)", "/ps/kb/no-reception-place/"),
    ("search page", "/ar/kb/search/?q=%D9%84%D9%85+%D8%A7%D9%84%D8%B4%D9%85%D9%84"),
    ("API search", "/api/v1/kb/search/?q=geen+opvangplaats&lang=nl"),
    ("API articles", "/api/v1/kb/articles/?limit=50"),
]


def filler(n):
    import json

    for i in range(n):
        yield json.dumps(
            {
                "slug": f"bench-{i}",
                "category": f"bench-{i % 12}",
                "visibility": "public" if i % 5 else "internal",
                "translations": {
                    code: {
                        "title": f"{word} {i}",
                        "summary": f"{word} {i} summary",
                        "body": f"{word} " * 80,
                    }
                    for code, word in {
                        "nl": "opvang",
                        "fr": "accueil",
                        "en": "reception",
                        "ar": "الاستقبال",
                        "fa": "پذیرش",
                    }.items()
                },
            },
            ensure_ascii=False,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    User = get_user_model()
    vera, _ = User.objects.get_or_create(username="bench-vera")
    from django.contrib.auth.models import Group

    vera.groups.add(Group.objects.get(name="Volunteer"))
    load_demo_articles()
    missing = args.articles - Article.objects.count()
    if missing > 0:
        articles_import(filler(missing))
    started = time.perf_counter()
    count = index_rebuild()
    print(
        f"{Article.objects.count()} articles; index rebuilt ({count}) in {time.perf_counter() - started:.1f} s"
    )
    for who in ("anonymous", "volunteer"):
        client = Client(headers={"Accept-Language": "en"})
        if who == "volunteer":
            client.force_login(vera)
        for name, path in PAGES:
            client.get(path)  # warm up
            status = client.get(path).status_code
            times = []
            for _ in range(args.requests):
                t = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(
                f"{who:9} {name:26} {status}  p50 {statistics.median(times):6.1f} ms  "
                f"p95 {p95:6.1f} ms"
            )


if __name__ == "__main__":
    main()
