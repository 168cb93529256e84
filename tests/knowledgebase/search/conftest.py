"""A few articles as the index sees them (plain Doc objects: no database needed)."""

import pytest

from knowledgebase.search import Doc, Translation
from knowledgebase.search.whoosh_backend import WhooshBackend

PUBLIC = frozenset({"public"})
STAFF = frozenset({"public", "internal"})


def doc(article_id, slug, category="procedure", visibility="public", tags=(), **translations):
    return Doc(
        article_id=article_id,
        slug=slug,
        category=category,
        visibility=visibility,
        translations={code: Translation(*text) for code, text in translations.items()},
        tags=tuple(tags),
    )


DUBLIN = doc(
    1,
    "dublin-procedure",
    nl=(
        "De Dublinprocedure",
        "Welk land behandelt uw asielaanvraag?",
        "Volgens de **Dublinverordening** onderzoekt één Europees land uw asielaanvraag. "
        "Hebt u vingerafdrukken gegeven in een ander land, dan kan België u daarheen overdragen.",
    ),
    fr=(
        "La procédure Dublin",
        "Quel pays examine votre demande d'asile ?",
        "Selon le règlement Dublin, un seul pays européen examine votre demande d'asile. "
        "Si vos empreintes digitales ont été prises ailleurs, la Belgique peut vous y transférer.",
    ),
    ar=(
        "إجراءات دبلن",
        "أي دولة تدرس طلب اللجوء الخاص بك؟",
        "وفقاً لِلائحة دبلن، تدرس دولة أوروبية واحدة طلب اللُّجوء. إذا أُخذت بصماتك في بلد آخر فقد تنقلك بلجيكا إليه.",
    ),
)
NO_PLACE = doc(
    2,
    "no-reception-place",
    category="reception",
    nl=(
        "Geen opvangplaats gekregen",
        "Wat kunt u doen als Fedasil u geen opvangplaats geeft?",
        "Laat uw naam op de wachtlijst zetten. Een advocaat kan een klacht indienen bij de arbeidsrechtbank.",
    ),
    en=(
        "No reception place",
        "What to do when Fedasil gives you no place in a reception centre",
        "Put your name on the waiting list. A lawyer can take the case to the labour court.",
    ),
    fa=(
        "جایی در کمپ ندارم",
        "اگر فداسیل به شما جای اقامت ندهد چه کنید",
        "نام خود را در لیست انتظار ثبت کنید. یک وکیل می‌تواند به دادگاه کار شکایت کند.",
    ),
)
CRISIS = doc(
    3,
    "caller-in-crisis",
    category="internal",
    visibility="internal",
    nl=(
        "Een beller in crisis",
        "Hoe u een beller in nood helpt",
        "Blijf kalm, luister en bel bij gevaar 112. Geef het nummer van de zelfmoordlijn 1813.",
    ),
)
DRAFT = doc(
    4,
    "family-reunification-draft",
    category="family",
    visibility="draft",
    nl=("Gezinshereniging (ontwerp)", "Nog niet klaar", "Tekst volgt over gezinshereniging."),
)
FAMILY = doc(
    5,
    "family-reunification",
    category="family",
    nl=(
        "Gezinshereniging voor erkende vluchtelingen",
        "Uw partner en kinderen laten overkomen",
        "Erkende vluchtelingen kunnen binnen het jaar na de erkenning gezinshereniging aanvragen "
        "zonder voorwaarden van inkomen.",
    ),
    en=(
        "Family reunification for recognised refugees",
        "Bringing your partner and children",
        "Recognised refugees can apply for family reunification within a year of recognition "
        "without income conditions.",
    ),
)
ARTICLES = [DUBLIN, NO_PLACE, CRISIS, DRAFT, FAMILY]


@pytest.fixture
def backend(tmp_path):
    return WhooshBackend(tmp_path / "kb-index")


@pytest.fixture
def indexed(backend):
    backend.rebuild(ARTICLES)
    return backend
