"""The interface in the staff's languages, and catalogues that stay complete and well-formed.

English is the source language (the msgids); the other official languages (Dutch, French) must
be complete. The content-tier languages (ps, ti, so) have header-only catalogues so that Django
knows them at all. The catalogue checks use GNU gettext (msgfmt, msgattrib: ./dev setup installs
it) and Python's own gettext module, no extra library.
"""

import gettext
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation

from config import catalogues, languages
from helpdesk.models import Channel, Status, Topic
from helpdesk.services.tickets import ticket_add_note, ticket_create, ticket_reply

LOCALE = Path(settings.BASE_DIR) / "locale"
SOURCE_LANGUAGE = "en"
COMPLETE = [code for code in settings.LANGUAGE_TIERS["official"] if code != SOURCE_LANGUAGE]
ALL_CODES = [code for code, _name in settings.LANGUAGES]


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: ./dev setup installs GNU gettext"
    return path


def po_path(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "django.po"


def visible_text(body: str) -> str:
    """What a reader sees: no tags, entities decoded, whitespace collapsed."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", body)
    body = re.sub(r"<[^>]+>", " ", body)
    # ASCII whitespace only: French puts no-break spaces before ":" and inside « ».
    return re.sub(r"[ \t\r\n\f]+", " ", html.unescape(body))


# --- The staff pages in Dutch and French ---------------------------------------------------------

# Texts found only on the translated page, and English texts that must be gone from it.
STAFF_PAGES = {
    "inbox": {
        "nl": ["Oproep registreren", "Laatste activiteit", "Vraagsteller", "Wacht op vraagsteller"],
        "fr": [
            "Noter un appel",
            "Boîte de réception",
            "Dernière activité",
            "En attente du demandeur",
        ],
        "en": ["Log a call", "Last activity", "Waiting on requester"],
    },
    "ticket": {
        "nl": [
            "Interne notitie",
            "Antwoord versturen",
            "Ticket aangemaakt",
            "Status: Nieuw → Wacht op vraagsteller",
            "Antwoord · E-mail",
            "Over deze vraag",
            "- Kies een optie -",  # Django's own gap, filled by our catalogue
        ],
        "fr": [
            "Note interne",
            "Envoyer la réponse",
            "Ticket créé",
            "Statut\u00a0: Nouveau → En attente du demandeur",
            "Réponse · E-mail",
            "À propos de cette question",
            "- Choisir une option -",
        ],
        "en": ["Internal note", "Send answer", "Ticket created", "- Select an option -"],
    },
    "call_new": {
        "nl": ["Wie stelt de vraag", "Oproep opslaan", "Noteer wat nodig is om te antwoorden."],
        "fr": ["Qui pose la question", "Sauvegarder l'appel", "Notez ce qu'il faut pour répondre."],
        "en": ["Who is asking", "Save call", "Write what is needed to answer."],
    },
}


@pytest.fixture
def worked_ticket(ticket, ines):
    ticket_reply(ticket=ticket, author=ines, body="Ga naar het aanmeldcentrum.", status="waiting")
    ticket_add_note(ticket=ticket, author=ines, body="Fedasil gebeld.")
    return ticket


def staff_page_url(name, ticket):
    if name == "ticket":
        return reverse("helpdesk:ticket", args=[ticket.reference])
    return reverse(f"helpdesk:{name}")


@pytest.mark.django_db
@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize("page", list(STAFF_PAGES))
def test_staff_pages_render_in_the_language_the_staff_member_chose(
    client, ines, worked_ticket, page, language
):
    client.force_login(ines)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = client.get(staff_page_url(page, worked_ticket))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}" dir="ltr">' in body
    text = visible_text(body)
    for expected in STAFF_PAGES[page][language]:
        assert expected in text, f"{expected!r} missing from the {page} page in {language}"
    for english in STAFF_PAGES[page]["en"]:
        assert english not in text, f"{english!r} left untranslated on the {page} page"


@pytest.mark.django_db
def test_the_english_page_still_shows_the_source_texts(client, ines, worked_ticket):
    # The other side of the test above: the English expectations are real texts of the page.
    client.force_login(ines)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page, texts in STAFF_PAGES.items():
        text = visible_text(client.get(staff_page_url(page, worked_ticket)).content.decode())
        for english in texts["en"]:
            assert english in text, f"{english!r} is not on the English {page} page"


@pytest.mark.django_db
def test_the_language_switch_turns_the_staff_pages_french(client, ines):
    client.force_login(ines)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/desk/"})
    assert response.status_code == 302
    body = client.get(reverse("helpdesk:inbox")).content.decode()
    assert '<html lang="fr"' in body
    assert "Boîte de réception" in html.unescape(body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sentence"),
    [("nl", "Oproep geregistreerd als {link}."), ("fr", "Appel noté sous {link}.")],
)
def test_the_call_logged_message_keeps_its_link_inside_the_translated_sentence(
    client, ines, infolijn, outcome, language, sentence
):
    client.force_login(ines)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        reverse("helpdesk:call_new"),
        {
            "channel": Channel.PHONE,
            "queue": infolijn.pk,
            "question": "Waar kan ik vannacht slapen?",
            "answer": "Bij Samusocial.",
            "outcome": outcome.pk,
        },
        follow=True,
    )
    reference = infolijn.tickets.get().reference
    link = f'<a href="{reverse("helpdesk:ticket", args=[reference])}"><bdi>{reference}</bdi></a>'
    assert sentence.format(link=link) in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Het thema “Staatloosheid” is uit gebruik en kan niet meer gekozen worden."),
        (
            "fr",
            "Le thème «\u00a0Apatridie\u00a0» est retiré de l'usage et ne peut plus être choisi.",
        ),
    ],
)
@pytest.mark.django_db
def test_a_refusal_from_a_service_is_one_whole_sentence_in_the_readers_language(
    infolijn, language, expected
):
    retired = Topic.objects.get(code="statelessness")
    retired.retire()
    with translation.override(language), pytest.raises(ValidationError) as refused:
        ticket_create(queue=infolijn, channel=Channel.PHONE, body="x", topics=[retired])
    assert refused.value.messages == [expected]


def test_ambiguous_labels_carry_their_context():
    # "Open" is a status here, an adjective that agrees with "ticket" in French ("ouvert").
    with translation.override("fr"):
        assert str(Status.OPEN.label) == "Ouvert"
        assert translation.pgettext("ticket status", "Closed") == "Clôturé"
        assert translation.pgettext("priority", "High") == "Haute"


# --- The catalogues ------------------------------------------------------------------------------


def entries_of(po_text: str) -> list[str]:
    """The msgids (with their context) of a msgattrib output, header left out."""
    found = []
    for block in po_text.strip().split("\n\n"):
        ids = re.findall(r'^(?:msgctxt|msgid) "(.*)"$', block, flags=re.MULTILINE)
        if ids and ids != [""]:
            found.append(" | ".join(ids))
    return found


def msgattrib(*args: str) -> str:
    result = subprocess.run(
        [tool("msgattrib"), "--no-wrap", *args], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.parametrize("code", COMPLETE)
def test_official_catalogues_have_no_untranslated_entry(code):
    untranslated = entries_of(msgattrib("--untranslated", str(po_path(code))))
    assert untranslated == [], f"{code}: {len(untranslated)} untranslated: {untranslated[:10]}"


@pytest.mark.parametrize("code", ALL_CODES)
def test_no_catalogue_has_a_fuzzy_entry_or_header(code):
    fuzzy = msgattrib("--only-fuzzy", str(po_path(code)))
    assert fuzzy.strip() == "", f"{code}: fuzzy entries:\n{fuzzy[:2000]}"


# %(name)s, %s, %d... (not %%), and str.format's {name} / {} (not {{ or }}).
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


def placeholders(text: str) -> list[str]:
    found = [f"%({name}){kind}" if name else f"%{kind}" for name, kind in PERCENT.findall(text)]
    found += [f"{{{name}}}" for name in BRACE.findall(text)]
    return sorted(p for p in found if p != "%%")


def is_count(placeholder: str) -> bool:
    return placeholder.endswith(("d", "i"))


def compiled(code: str, tmp_path: Path) -> gettext.GNUTranslations:
    """Compile the catalogue as compilemessages does; msgfmt itself refuses broken formats."""
    mo = tmp_path / f"{code}.mo"
    result = subprocess.run(
        [tool("msgfmt"), "--check", "-o", str(mo), str(po_path(code))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{code}: msgfmt refuses the catalogue:\n{result.stderr}"
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_translation_keeps_the_placeholders_of_its_source(code, tmp_path):
    catalogue = compiled(code, tmp_path)
    assert catalogue.info()["language"] == code
    assert "nplurals=" in catalogue.info()["plural-forms"]
    # The compiled catalogue keys a plural entry by its singular msgid only; the plural msgid may
    # name more (a singular "one article" beside "{{ counter }} articles"), and msgfmt requires
    # those in the forms that stand for many numbers.
    plurals = {
        entry.msgid: entry.plural
        for entry in catalogues.read_po(po_path(code)).values()
        if entry.plural is not None
    }
    wrong = []
    for key, translated in catalogue._catalog.items():
        if key == "":
            continue
        msgid = (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]
        expected, got = placeholders(msgid), placeholders(translated)
        if isinstance(key, tuple):
            # A plural form may say its number in words ("één item"): only the count may go.
            allowed = set(expected) | set(placeholders(plurals.get(msgid, "")))
            ok = set(got) <= allowed and {p for p in expected if not is_count(p)} <= set(got)
        else:
            ok = got == expected
        if not ok:
            wrong.append(f"{msgid!r} -> {translated!r}")
    assert wrong == [], f"{code}: placeholders differ:\n" + "\n".join(wrong)


def test_the_placeholder_check_would_catch_a_broken_translation():
    assert placeholders("Assigned to %(person)s") == ["%(person)s"]
    assert placeholders("Toegewezen aan %(persoon)s") != placeholders("Assigned to %(person)s")
    assert placeholders("%(count)d items") != placeholders("%(count)s items")
    assert placeholders("Call logged as {reference}.") == ["{reference}"]
    assert placeholders("100%% sure, {{literal}}") == []


@pytest.mark.parametrize("code", ALL_CODES)
def test_the_app_runs_on_the_catalogues_in_the_tree(code):
    # ./dev setup compiles them; a .po edited or pulled since then is not what the app shows.
    mo = po_path(code).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run ./dev setup"
    fresh = subprocess.run(
        [tool("msgfmt"), "--check-format", "-o", "-", str(po_path(code))],
        capture_output=True,
        check=True,
    ).stdout
    assert mo.read_bytes() == fresh, f"{mo} is older than its .po: run ./dev setup"


# --- Languages Django does not know by itself ------------------------------------------------------


@pytest.mark.parametrize("code", settings.LANGUAGE_TIERS["content"])
def test_content_tier_languages_are_known_to_django(code):
    assert translation.check_for_language(code)
    assert translation.get_language_info(code)["name_local"]
    # What LocaleMiddleware reads on the public pages (/ps/kb/, /ti/ask/, ...).
    assert translation.get_language_from_path(f"/{code}/kb/") == code


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "direction"), [("ps", "rtl"), ("ti", "ltr"), ("so", "ltr")])
def test_locale_middleware_serves_pages_in_content_tier_languages(client, code, direction):
    # The login page is the one page every visitor can open today; the public pages follow.
    body = client.get(reverse("login"), headers={"accept-language": code}).content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in body


# --- Templates: every visible text marked for translation -----------------------------------------

LETTER = re.compile(r"[^\W\d_]")
TRANSLATED_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "label")
# Words that are conventions rather than text: "Re:" opens a reply's subject in every language
# (mail programs look for it).
CONVENTIONS = re.compile(r"^\s*Re:")
# Text inside these tags is either translated already or not shown.
SKIPPED_BLOCKS = {"blocktranslate", "blocktrans", "comment", "verbatim"}


def unmarked_texts(source: str) -> list[str]:
    """Literal text (and text attributes) a reader would see that no translate tag covers."""
    kept, open_blocks = [], []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            # {% block body_class %}staff{% endblock %} names a CSS class, not a text.
            if bits[0] in SKIPPED_BLOCKS or (bits[0] == "block" and bits[1].endswith("_class")):
                open_blocks.append(bits[0])
            elif open_blocks and bits[0] == f"end{open_blocks[-1]}":
                open_blocks.pop()
        elif token.token_type == TokenType.TEXT and not open_blocks:
            kept.append(token.contents)
        kept.append(" ")  # a tag or variable stands between two texts
    markup = "".join(kept)
    markup = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", markup)
    found = []
    for tag in re.findall(r"<[^>]*>", markup):
        for attribute in TRANSLATED_ATTRIBUTES:
            for _quote, value in re.findall(rf'\s{attribute}\s*=\s*(["\'])(.*?)\1', tag):
                if LETTER.search(value):
                    found.append(value)
    for text in re.split(r"<[^>]*>", markup):
        if LETTER.search(CONVENTIONS.sub("", html.unescape(text))):
            found.append(" ".join(text.split()))
    return found


def project_templates() -> list[Path]:
    """Our templates: the project's folder and those of our own apps (not Django's, not libraries')."""
    root = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [
        Path(app.path) / "templates"
        for app in django_apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(root) and ".venv" not in Path(app.path).parts
    ]
    # Pages and the text parts of mails (templates/emails/*/body.txt, subject.txt).
    return sorted(
        {
            path
            for folder in folders
            for suffix in ("html", "txt")
            for path in folder.rglob(f"*.{suffix}")
        }
    )


@pytest.mark.parametrize(
    "template", project_templates(), ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_templates_mark_every_visible_text_for_translation(template):
    assert unmarked_texts(template.read_text(encoding="utf-8")) == []


def test_the_template_check_would_catch_unmarked_text():
    assert unmarked_texts("<p>Hello {{ name }}</p>") == ["Hello"]
    assert unmarked_texts('<input placeholder="Search">') == ["Search"]
    assert unmarked_texts('{% load i18n %}<p>{% translate "Hello" %} · {{ x }}</p>') == []
    assert unmarked_texts("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert unmarked_texts("Re: {{ subject }}") == []
    assert unmarked_texts("Dear {{ name }},") == ["Dear ,"]


# --- The catalogues against the code itself ------------------------------------------------------
# The checks above read the catalogues; these compare them with the strings the code uses today
# (config/catalogues.extract runs xgettext as makemessages does), so a catalogue that was never
# regenerated cannot pass for complete.

PUBLIC = settings.LANGUAGE_TIERS["public"]


@pytest.fixture(scope="module")
def code_strings():
    return catalogues.extract(Path(settings.BASE_DIR))


def described(key, entry) -> str:
    context = f"[{key[0]}] " if key[0] else ""
    return f"{context}{key[1]!r} ({', '.join(sorted(entry.paths))})"


@pytest.mark.parametrize("code", COMPLETE)
def test_official_catalogues_translate_every_string_of_the_code(code, code_strings):
    po = catalogues.read_po(po_path(code))
    gaps = [
        described(key, entry)
        for key, entry in code_strings.items()
        if key not in po or not po[key].translated
    ]
    assert gaps == [], (
        f"{code}: {len(gaps)} strings of the code are missing, untranslated or fuzzy "
        f"(run makemessages as docs/translating.md says, then translate):\n" + "\n".join(gaps[:20])
    )


@pytest.mark.parametrize("code", PUBLIC)
def test_public_catalogues_translate_every_string_the_public_reads_or_hears(code, code_strings):
    po = catalogues.read_po(po_path(code))
    public = catalogues.public_entries(code_strings)
    assert len(public) > 100  # the form, the private page, the notice, mails, phone prompts
    gaps = [
        described(key, entry)
        for key, entry in public.items()
        if key not in po or not po[key].translated
    ]
    assert gaps == [], f"{code}: {len(gaps)} public strings not translated:\n" + "\n".join(
        gaps[:20]
    )


def test_the_public_check_would_catch_a_new_string_on_a_public_page(tmp_path):
    # A small project of its own: a new sentence on the question form, and one on a staff page.
    (tmp_path / "templates" / "webform").mkdir(parents=True)
    (tmp_path / "templates" / "helpdesk").mkdir(parents=True)
    (tmp_path / "templates" / "webform" / "ask.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody translated" %}</p>'
    )
    (tmp_path / "templates" / "helpdesk" / "inbox.html").write_text(
        '{% load i18n %}<p>{% translate "Only for staff" %}</p>'
    )
    found = catalogues.extract(tmp_path)
    public = catalogues.public_entries(found)
    assert (None, "A sentence nobody translated") in public
    assert (None, "Only for staff") in found
    assert (None, "Only for staff") not in public
    assert public[(None, "A sentence nobody translated")].paths == {"templates/webform/ask.html"}


def test_the_extraction_reads_python_like_makemessages(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "texts.py").write_text(
        "from django.utils.translation import gettext_lazy as _, gettext_noop, npgettext_lazy\n"
        "A = _('Lazy text')\nB = gettext_noop('Said later')\n"
        "C = npgettext_lazy('ticket', '%(n)s open', '%(n)s open ones', 'n')\n"
    )
    found = catalogues.extract(tmp_path)
    assert {(None, "Lazy text"), (None, "Said later"), ("ticket", "%(n)s open")} <= set(found)
    assert found[("ticket", "%(n)s open")].plural == "%(n)s open ones"


def test_every_declared_public_string_and_file_exists(code_strings):
    missing = sorted(str(key) for key in languages.public_message_keys() - set(code_strings))
    assert missing == [], "config.languages.PUBLIC_MESSAGES names strings the code no longer has"
    root = Path(settings.BASE_DIR)
    for pattern in languages.PUBLIC_SOURCES:
        folder = root / pattern.split("*")[0]
        if not folder.exists():
            continue  # a part that is not built yet (the knowledge base's templates)
        assert list(root.glob(pattern)), f"PUBLIC_SOURCES: {pattern} matches no file"


ALIAS = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (\w+)")


def test_no_module_hides_a_translation_function_from_makemessages():
    # xgettext finds gettext, _ and Django's names; `gettext_noop as N_` hid every phone prompt.
    offenders = []
    for path in Path(settings.BASE_DIR).glob("**/*.py"):
        if {".venv", ".tools", "tests"} & set(path.parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for _function, alias in ALIAS.findall(line):
                if alias != "_":
                    offenders.append(f"{path}:{number}: {line.strip()}")
    assert offenders == []


# --- Content-tier languages borrow the chrome of a public one, and say so -------------------------


@pytest.mark.parametrize(("code", "chrome"), [("ps", "fa"), ("ti", "en"), ("so", "en")])
def test_content_tier_languages_borrow_an_official_or_public_chrome(code, chrome):
    assert languages.chrome_language(code) == chrome
    assert languages.tier(chrome) in ("official", "public")


@pytest.mark.parametrize(
    ("code", "fallbacks"), [("ps", ["fa"]), ("ti", []), ("ar", []), ("uk", []), ("nl", [])]
)
def test_gettext_falls_back_along_the_chrome_chain_and_then_on_the_source(code, fallbacks):
    assert languages.gettext_fallbacks(code) == fallbacks


def test_an_untranslated_staff_text_reads_english_on_an_arabic_page_not_dutch():
    # Django would fall back on LANGUAGE_CODE (nl): an Arabic reader would get Dutch.
    with translation.override("nl"):
        assert translation.gettext("Log a call") == "Oproep registreren"
    with translation.override("ar"):
        assert translation.gettext("Log a call") == "Log a call"
        assert translation.gettext("Ask a question") == "اطرح سؤالًا"


def test_a_pashto_reader_gets_the_persian_chrome_from_gettext_itself():
    with translation.override("ps"):
        assert translation.gettext("Ask a question") == "طرح پرسش"
        assert translation.pgettext("ticket status", "Closed") == "بسته"
        # Plural forms come from the catalogue that has the text (Persian: one form).
        assert translation.ngettext(
            "Send at most %(count)s file with one message.",
            "Send at most %(count)s files with one message.",
            3,
        ) == ("حداکثر %(count)s فایل در هر پیام بفرستید.")


@pytest.mark.django_db
def test_a_pashto_page_shows_its_persian_chrome_and_says_so(client):
    body = client.get("/ps/ask/").content.decode()
    assert '<html lang="ps" dir="rtl">' in body
    text = visible_text(body)
    assert "طرح پرسش" in text  # "Ask a question", in Persian
    notice = re.search(r'<p class="chrome-notice"[^>]*>(.*?)</p>', body, re.S)
    assert notice, "the page must say its menus are in another language"
    assert 'lang="fa" dir="rtl"' in notice.group(0)
    assert '<span lang="ps">پښتو</span>' in notice.group(1)
    assert "فارسی" in notice.group(1)


@pytest.mark.django_db
def test_a_tigrinya_page_shows_english_chrome_and_says_so(client):
    body = client.get("/ti/ask/").content.decode()
    assert '<html lang="ti" dir="ltr">' in body
    text = visible_text(body)
    assert "Ask a question" in text
    assert "are not translated into ትግርኛ yet, so they are shown in English" in text


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["nl", "fr", "en", "ar", "fa", "uk"])
def test_readers_of_a_translated_language_see_no_such_notice(client, code):
    body = client.get(f"/{code}/ask/").content.decode()
    assert f'<html lang="{code}"' in body
    assert "chrome-notice" not in body


# --- Dates, numbers and plurals per language ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "date", "number"),
    [
        ("nl", "4 mei 2026", "12.345,5"),
        ("fr", "4 mai 2026", "12\u00a0345,5"),
        ("fa", "4 مه 2026", None),
        ("ps", "4 مۍ 2026", "12.345,5"),  # CLDR via config/formatting, months from our catalogue
        ("ti", "ጉንበት 4, 2026", "12,345.5"),
        ("so", "Maayo 4, 2026", "12,345.5"),
    ],
)
def test_dates_and_numbers_are_written_the_readers_way(code, date, number):
    from datetime import date as day

    from django.utils import formats

    with translation.override(code):
        assert formats.date_format(day(2026, 5, 4), "DATE_FORMAT") == date
        if number:
            assert formats.number_format(12345.5, 1, force_grouping=True) == number


def test_the_week_starts_where_our_callers_expect_it():
    from django.utils import formats

    with translation.override("ps"):
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 6  # Saturday, as in Afghanistan
    with translation.override("so"):
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


MINUTES = (
    "There were too many requests from your connection. To protect the questions on this site "
    "we stop answering them for a while: try again in %(minutes)s minute.",
    "There were too many requests from your connection. To protect the questions on this site "
    "we stop answering them for a while: try again in %(minutes)s minutes.",
)


@pytest.mark.parametrize(
    ("code", "count", "word"),
    [
        ("ar", 2, "دقيقتين"),  # dual
        ("ar", 5, "دقائق"),  # 3 to 10
        ("ar", 11, "دقيقة"),  # 11 to 99
        ("ru", 1, "минуту"),
        ("ru", 3, "минуты"),
        ("ru", 5, "минут"),
        ("uk", 22, "хвилини"),
        ("uk", 25, "хвилин"),
        ("nl", 1, "minuut."),
        ("nl", 2, "minuten."),
    ],
)
def test_plural_forms_follow_each_languages_grammar(code, count, word):
    with translation.override(code):
        text = translation.ngettext(*MINUTES, count) % {"minutes": count}
    assert f"{count} {word}" in text


@pytest.mark.parametrize(("code", "forms"), [("ar", 6), ("ru", 4), ("uk", 4), ("fr", 3), ("fa", 2)])
def test_catalogues_declare_the_plural_forms_of_their_language(code, forms):
    assert catalogues.plural_count(po_path(code)) == forms
    # Every plural entry has all of them.
    po = catalogues.read_po(po_path(code))
    short = [key for key, e in po.items() if e.plural and e.translated and len(e.strings) != forms]
    assert short == []
