"""Demo content: 22 articles a Startpunt volunteer or info-line worker would look up, in Dutch,
French, English, Arabic and Farsi (one also in Ukrainian and Russian), loaded through kb_import's
own path. Run by `manage.py load_demo_data` (./dev demo). Idempotent."""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from knowledgebase.models import Article, Category
from knowledgebase.services.articles import article_save
from knowledgebase.services.index import index_rebuild
from knowledgebase.services.transfer import articles_import

ARTICLES = Path(__file__).with_name("articles.jsonl")

# slug: (position, {language: name})
CATEGORIES = {
    "asylum-procedure": (10, {"nl": "Asielprocedure", "fr": "Procédure d'asile", "en": "Asylum procedure", "ar": "إجراءات اللجوء", "fa": "روند پناهندگی"}),
    "reception": (20, {"nl": "Opvang", "fr": "Accueil", "en": "Reception", "ar": "الاستقبال", "fa": "اسکان و پذیرش"}),
    "family": (30, {"nl": "Familie", "fr": "Famille", "en": "Family", "ar": "العائلة", "fa": "خانواده"}),
    "children": (40, {"nl": "Kinderen en jongeren", "fr": "Enfants et jeunes", "en": "Children and young people", "ar": "الأطفال والشباب", "fa": "کودکان و نوجوانان"}),
    "education": (50, {"nl": "School en opleiding", "fr": "École et formation", "en": "School and training", "ar": "المدرسة والتدريب", "fa": "مدرسه و آموزش"}),
    "health": (60, {"nl": "Gezondheid", "fr": "Santé", "en": "Health", "ar": "الصحة", "fa": "سلامت"}),
    "legal-help": (70, {"nl": "Juridische hulp", "fr": "Aide juridique", "en": "Legal help", "ar": "المساعدة القانونية", "fa": "کمک حقوقی"}),
    "work": (80, {"nl": "Werk", "fr": "Travail", "en": "Work", "ar": "العمل", "fa": "کار"}),
    "status": (90, {"nl": "Verblijf en documenten", "fr": "Séjour et documents", "en": "Residence and documents", "ar": "الإقامة والوثائق", "fa": "اقامت و مدارک"}),
    "working-method": (100, {"nl": "Werkwijze (intern)", "fr": "Méthode de travail (interne)", "en": "How we work (internal)"}),
}  # fmt: skip

OWNERS = {
    "lars": {"asylum-application", "cgrs-interview", "asylum-decision", "appeal", "dublin",
             "subsequent-application", "legal-aid", "detention", "family-reunification",
             "dublin-lawyers", "residence-documents", "temporary-protection-ukraine"},
    "emma": {"school-enrolment", "unaccompanied-minors"},
}  # fmt: skip
DEFAULT_OWNER = "ines"
OVERDUE = {"family-reunification", "work-permit", "urgent-medical-aid"}
TAGS = {
    "dublin": ["dublin", "transfer", "fingerprints"],
    "appeal": ["time-limits", "lawyer"],
    "no-reception-place": ["fedasil", "waiting-list", "labour-court"],
    "legal-aid": ["lawyer", "pro-deo"],
    "school-enrolment": ["okan", "daspa"],
    "urgent-medical-aid": ["ocmw-cpas", "undocumented"],
}
RELATED = [
    ("dublin", "appeal"),
    ("dublin", "dublin-lawyers"),
    ("asylum-decision", "appeal"),
    ("appeal", "legal-aid"),
    ("no-reception-place", "legal-aid"),
    ("no-reception-place", "health-care"),
    ("reception-centres", "leaving-reception"),
    ("leaving-reception", "residence-documents"),
    ("family-reunification", "residence-documents"),
    ("health-care", "mental-health"),
    ("health-care", "urgent-medical-aid"),
    ("unaccompanied-minors", "school-enrolment"),
    ("mental-health", "caller-in-crisis"),
]
# A change of a Dutch source after the translations were made: they show as outdated.
SOURCE_UPDATE = (
    "no-reception-place",
    "\n\nFedasil geeft voorrang aan gezinnen met kinderen en aan kwetsbare personen; "
    "vraag uw advocaat wat dat voor u betekent.",
)


def _categories():
    for slug, (position, names) in CATEGORIES.items():
        category, _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": names["nl"], "position": position}
        )
        for code, name in names.items():
            setattr(category, f"name_{code}", name)
        category.position = position
        category.save()


@transaction.atomic
def load_demo_articles(*, today=None) -> dict:
    today = today or timezone.localdate()
    _categories()
    existing = set(Article.objects.values_list("slug", flat=True))
    with ARTICLES.open(encoding="utf-8") as lines:
        # Articles already there are left alone: edits made in the demo survive a reload.
        report = articles_import(line for line in lines if json.loads(line)["slug"] not in existing)
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    articles = {a.slug: a for a in Article.objects.all()}
    for slug, article in articles.items():
        owner_name = next((name for name, slugs in OWNERS.items() if slug in slugs), DEFAULT_OWNER)
        review_by = today - timedelta(days=20) if slug in OVERDUE else today + timedelta(days=180)
        if article.review_by is None:
            article_save(
                article=article,
                owner=users.get(owner_name),
                review_by=review_by,
                tags=TAGS.get(slug, []),
            )
    neighbours: dict[str, set[str]] = {}
    for one, other in RELATED:
        neighbours.setdefault(one, set()).add(other)
        neighbours.setdefault(other, set()).add(one)
    for slug, others in neighbours.items():
        if slug in articles:
            article_save(
                article=Article.objects.get(slug=slug),
                related=[articles[o] for o in sorted(others) if o in articles],
            )
    slug, addition = SOURCE_UPDATE
    article = Article.objects.filter(slug=slug, source_revision=1).first()
    if article is not None:
        article_save(article=article, translations={"nl": {"body": article.body_nl + addition}})
    transaction.on_commit(index_rebuild)  # the demo runs no task worker: index at once
    return {"created": report.created, "rejected": len(report.rejected)}
