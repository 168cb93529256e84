"""Reading real mail: charsets, encoded headers, HTML, quotes, machines, languages."""

import pytest
from django.utils import translation

from helpdesk.channels.email.headers import decode_header, parse_addresses
from helpdesk.channels.email.htmltext import html_to_text
from helpdesk.channels.email.language import detect_language
from helpdesk.channels.email.parsing import dedupe_key, parse_email
from helpdesk.channels.email.quoting import fold_point

from .conftest import make_mail


def raw_mail(headers: str, body: bytes, ctype="text/plain; charset=utf-8", cte="8bit") -> bytes:
    head = (
        headers.strip()
        + f"\nMIME-Version: 1.0\nContent-Type: {ctype}\nContent-Transfer-Encoding: {cte}\n"
    )
    return head.encode("ascii") + b"\n" + body


def test_windows_1256_arabic_is_read():
    text = "مرحبا، أين أنام الليلة؟"
    parsed = parse_email(
        raw_mail(
            "From: a@example.org\nSubject: test",
            text.encode("cp1256"),
            "text/plain; charset=windows-1256",
        )
    )
    assert parsed.text == text


def test_koi8_r_russian_is_read():
    text = "Здравствуйте, где мне переночевать?"
    parsed = parse_email(
        raw_mail("From: a@example.org", text.encode("koi8_r"), "text/plain; charset=koi8-r")
    )
    assert parsed.text == text


def test_rfc_2047_headers_are_decoded_even_split_mid_character():
    # "Réponse à votre question" in UTF-8, base64, split inside the two bytes of "é".
    whole = "Réponse à votre question".encode()
    first, second = whole[:2], whole[2:]
    import base64

    subject = f"=?utf-8?B?{base64.b64encode(first).decode()}?= =?utf-8?B?{base64.b64encode(second).decode()}?="
    parsed = parse_email(raw_mail(f"From: a@example.org\nSubject: {subject}", b"x"))
    assert parsed.subject == "Réponse à votre question"


def test_q_encoded_names_and_raw_8bit_headers_are_read():
    assert decode_header("=?iso-8859-1?Q?Fran=E7ois_M=FCller?=") == "François Müller"
    raw = "From: Юлия <julia@example.org>\nSubject: Вопрос о приюте\n".encode("koi8_r")
    parsed = parse_email(
        raw + b"Content-Type: text/plain; charset=koi8-r\n\n" + "Привет".encode("koi8_r")
    )
    assert parsed.subject == "Вопрос о приюте"
    assert (parsed.from_name, parsed.from_address) == ("Юлия", "julia@example.org")


def test_an_unknown_charset_falls_back_rather_than_fails():
    parsed = parse_email(
        raw_mail("From: a@example.org", "Grüße".encode(), "text/plain; charset=x-martian")
    )
    assert parsed.text == "Grüße"
    assert any("x-martian" in p for p in parsed.problems)


def test_addresses_with_commas_in_encoded_names_stay_whole():
    pairs = parse_addresses("=?utf-8?Q?Doe=2C_John?= <john@example.org>, jane@example.org")
    assert pairs == [("Doe, John", "john@example.org"), ("", "jane@example.org")]


def test_html_only_mail_is_sanitised_into_readable_text():
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Hallo,</p>"
        "<p>Ik zoek <b>opvang</b>. <a href='https://example.org/info'>Meer info</a></p>"
        "<script>alert('x')</script><img src=x onerror=alert(1) alt='logo'>"
        "<ul><li>een</li><li>twee</li></ul></body></html>"
    )
    text = html_to_text(html)
    assert "Ik zoek opvang." in text
    assert "Meer info <https://example.org/info>" in text
    assert "- een\n- twee" in text
    assert "alert" not in text
    assert "color" not in text


def test_plain_text_is_preferred_over_html():
    parsed = parse_email(make_mail(body="The plain text.", html="<p>The <b>HTML</b>.</p>"))
    assert parsed.text == "The plain text."


def test_html_alternative_is_used_when_plain_is_empty():
    parsed = parse_email(make_mail(body="\n", html="<p>Only <i>here</i>.</p>"))
    assert parsed.text == "Only here."


def test_blockquotes_become_quoted_lines_that_fold():
    text = html_to_text(
        "<p>Thanks!</p><div>On Mon, 1 Jan 2026, X &lt;x@y.z&gt; wrote:</div><blockquote><p>Old</p></blockquote>"
    )
    assert "> Old" in text
    assert text[: fold_point(text)].strip() == "Thanks!"


def test_format_flowed_lines_are_joined():
    body = b"This is a long line that was \r\nwrapped by the mailer.\r\n"
    parsed = parse_email(
        raw_mail("From: a@example.org", body, "text/plain; charset=utf-8; format=flowed")
    )
    assert parsed.text == "This is a long line that was wrapped by the mailer."


def test_a_forwarded_message_keeps_its_text_and_sender():
    inner = make_mail(
        sender="refugee@example.org", subject="Help", body="I have no place to sleep."
    )
    outer = (
        b"From: social.worker@ocmw.example.be\nSubject: Fwd: Help\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="X"\n\n--X\nContent-Type: text/plain\n\n'
        b"See below.\n--X\nContent-Type: message/rfc822\n\n" + inner + b"\n--X--\n"
    )
    parsed = parse_email(outer)
    assert "See below." in parsed.text
    assert "From: refugee@example.org" in parsed.text
    assert "I have no place to sleep." in parsed.text


def test_attachments_and_inline_images_are_collected_with_their_names():
    parsed = parse_email(
        make_mail(
            attachments=[
                ("brief.pdf", b"%PDF", "application/pdf"),
                ("foto.jpg", b"\xff\xd8", "image/jpeg"),
            ]
        )
    )
    assert [(f.name, f.content) for f in parsed.attachments] == [
        ("brief.pdf", b"%PDF"),
        ("foto.jpg", b"\xff\xd8"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Bedankt!\n\nOp ma 4 mei 2026 om 10:12 schreef Infolijn <info@infolijn.be>:\n> oud",
        "Merci !\n\nLe lun. 4 mai 2026 à 10:12, Infolijn <info@infolijn.be> a écrit :\n> vieux",
        "Thanks!\n\nOn Mon, 4 May 2026 at 10:12, Infolijn <info@infolijn.be>\nwrote:\n> old",
        "Thanks!\n\n-----Original Message-----\nFrom: Infolijn\nSent: Monday\n\nold",
        "Thanks!\n\nFrom: Infolijn <info@infolijn.be>\nSent: Monday, 4 May 2026 10:12\nTo: me\nold",
        "Thanks!\n\n-- \nAmina\n+32 470 00 00 00",
        "Thanks!\n\nSent from my iPhone",
        "Thanks!\n> old line\n> another",
    ],
)
def test_quotes_and_signatures_fold(body):
    cut = fold_point(body)
    assert cut is not None
    assert body[:cut].strip().rstrip("!").rstrip() in ("Bedankt", "Merci", "Thanks")


def test_nothing_folds_when_everything_would():
    assert fold_point("> only a quote\n> nothing else") is None
    assert fold_point("A plain question with no quote at all.") is None


def test_interleaved_answers_are_not_folded_away():
    body = "> Where do you live?\nIn Brussels.\n> Since when?\nSince May."
    assert fold_point(body) is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted"),
        ({"Auto-Submitted": "no"}, ""),
        ({"Precedence": "junk"}, "Precedence"),
        ({"X-Autoreply": "yes"}, "X-Autoreply"),
        ({"Return-Path": "<>"}, "Return-Path"),
    ],
)
def test_machines_are_recognised_by_their_headers(headers, expected):
    parsed = parse_email(make_mail(headers=headers))
    assert parsed.automatic.startswith(expected) if expected else parsed.automatic == ""


@pytest.mark.parametrize(
    "subject",
    ["Out of Office: Re: vraag", "Automatisch antwoord: vraag", "Réponse automatique : question"],
)
def test_out_of_office_subjects_are_recognised(subject):
    assert parse_email(make_mail(subject=subject)).automatic


def test_dedupe_key_prefers_the_message_id():
    key, mid = dedupe_key(make_mail(message_id="<abc@example.org>"))
    assert (key, mid) == ("mid:abc@example.org", "abc@example.org")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Goedendag, ik heb een vraag over mijn asielaanvraag bij het CGVS. Wanneer krijg ik antwoord?",
            "nl",
        ),
        (
            "Bonjour, je n'ai pas de place dans un centre d'accueil. Où puis-je dormir ce soir ?",
            "fr",
        ),
        ("سلام، من جای خواب در مرکز پذیرش ندارم. امشب کجا می‌توانم بخوابم؟", "fa"),
        ("Доброго дня, я не маю місця в центрі прийому. Де я можу переночувати сьогодні?", "uk"),
        ("ሰላም፣ ኣብ መቀበሊ ማእከል ቦታ የብለይን። ሎሚ ለይቲ ኣበይ ክድቅስ እኽእል?", "ti"),
        (
            "Salaan, ma haysto meel aan ku hoydo xarunta soo dhaweynta. Xagee baan caawa seexan karaa?",
            "so",
        ),
        ("Merci", None),
    ],
)
def test_the_language_is_detected_or_left_open(text, code):
    assert detect_language(text) == code


def test_garbage_never_raises():
    for raw in (
        b"",
        b"\x00\xff\xfe",
        b"Content-Type: multipart/mixed\n\n--",
        b"From: <<<>>>\n\n\n",
    ):
        parse_email(raw)


def test_a_mailbox_without_tls_is_only_allowed_on_this_machine():
    from django.core.exceptions import ValidationError

    from helpdesk.channels.email.models import Mailbox, Security

    Mailbox(
        host="127.0.0.1", security=Security.NONE, folder="INBOX", processed_folder="Done"
    ).clean()
    with translation.override("en"), pytest.raises(ValidationError, match="in clear"):
        Mailbox(host="imap.example.org", security=Security.NONE, folder="INBOX").clean()
    with translation.override("en"), pytest.raises(ValidationError, match="another folder"):
        Mailbox(host="imap.example.org", folder="INBOX", processed_folder="INBOX").clean()


def test_control_characters_never_reach_the_database():
    parsed = parse_email(b"From: a@example.org\nSubject: a\x00b\n\nline\x00one\n\tline two\x07\n")
    assert parsed.subject == "ab"
    assert parsed.text == "lineone\n\tline two"
