"""kb_import and kb_export: the JSON-lines format of the issue, idempotent, bad lines reported."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from knowledgebase import search
from knowledgebase.models import Article, Category
from knowledgebase.selectors.articles import translation_states

pytestmark = pytest.mark.django_db

GOOD = {
    "slug": "dublin",
    "category": "procedure",
    "visibility": "public",
    "translations": {
        "nl": {"title": "De Dublinprocedure", "summary": "Welk land?", "body": "**België** kan..."},
        "ar": {"title": "إجراءات دبلن", "summary": "أي بلد؟", "body": "يمكن لبلجيكا..."},
    },
}


def write(tmp_path, *lines, name="articles.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(
            line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
            for line in lines
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def run(command, *args):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_articles_and_unknown_categories(tmp_path):
    out, _err = run("kb_import", str(write(tmp_path, GOOD)))
    assert "1 created" in out
    article = Article.objects.get(slug="dublin")
    assert (article.title_ar, article.category.slug) == ("إجراءات دبلن", "procedure")
    assert Category.objects.get(slug="procedure").name_nl == "Procedure"
    assert translation_states(article)["ar"] == "current"


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    run("kb_import", str(path))
    before = Article.objects.values().get()
    out, _err = run("kb_import", str(path))
    assert "0 created, 0 updated, 1 unchanged" in out
    assert Article.objects.values().get() == before


def test_bad_lines_are_reported_with_their_number_and_skipped(tmp_path):
    bad_language = {**GOOD, "slug": "bad-language", "translations": {"xx": {"title": "?"}}}
    no_source_title = {**GOOD, "slug": "no-title", "translations": {"nl": {"body": "x"}}}
    path = write(
        tmp_path,
        GOOD,
        "{not json",
        bad_language,
        "",
        ["a", "list"],
        no_source_title,
        {**GOOD, "slug": "family", "visibility": "secret"},
        {**GOOD, "slug": "appeal"},
    )
    with translation.override("en"):  # the reasons are translated; read the English ones
        out, err = run("kb_import", str(path), "--rejects", str(tmp_path / "rejects.jsonl"))
    assert "2 created" in out
    assert "5 rejected" in out
    for number in (2, 3, 5, 6, 7):
        assert f"articles.jsonl:{number}: skipped:" in err
    assert "not valid JSON" in err
    assert "“xx” is not a language" in err
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["appeal", "dublin"]
    # Nothing received is lost: the rejected lines are kept with their reasons.
    kept = (tmp_path / "rejects.jsonl").read_text(encoding="utf-8")
    assert "# line 2: not valid JSON" in kept
    assert "{not json" in kept


def test_a_bad_line_leaves_nothing_half_written(tmp_path):
    # The category would be created before the text is refused: the whole line rolls back.
    path = write(tmp_path, {**GOOD, "category": "brand-new", "translations": {"nl": {"body": "T"}}})
    with pytest.raises(CommandError):
        run("kb_import", str(path))
    assert not Category.objects.filter(slug="brand-new").exists()
    assert not Article.objects.exists()


def test_export_writes_exactly_the_import_format_and_round_trips(tmp_path, make_article, dublin):
    make_article("internal-note", visibility="internal", category="method")
    exported = tmp_path / "export.jsonl"
    run("kb_export", "--output", str(exported))
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [line["slug"] for line in lines] == ["dublin", "internal-note"]
    assert all(list(line) == ["slug", "category", "visibility", "translations"] for line in lines)
    assert set(lines[0]["translations"]) == {"nl", "fr", "en", "ar", "fa"}
    assert set(lines[0]["translations"]["fa"]) == {"title", "summary", "body"}
    # Into an empty database and out again: the same lines.
    Article.objects.all().delete()
    Category.objects.all().delete()
    run("kb_import", str(exported))
    again = tmp_path / "again.jsonl"
    run("kb_export", "--output", str(again))
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_rebuild_index_reports_progress_and_fills_the_index(whoosh_index, make_article, dublin):
    make_article("appeal")
    out, err = run("kb_rebuild_index")
    assert "2 articles in the index." in out
    assert "2/2" in err  # the progress bar
    assert whoosh_index.indexed_slugs() == {"dublin", "appeal"}


def test_after_a_rebuild_the_machine_is_in_step_with_the_database(
    whoosh_index, make_article, dublin
):
    make_article("appeal")
    Article.objects.update(updated_at=timezone.now() - timedelta(hours=1))  # an old knowledge base
    assert not search.health()[0]  # never indexed: an hour behind

    run("kb_rebuild_index")

    assert whoosh_index.watermark() == Article.objects.latest("updated_at").updated_at
    assert search.health() == (True, {"backend": "WhooshBackend", "lag_seconds": 0.0, "behind": 0})
