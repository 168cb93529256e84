"""Demo users for every role and a year of realistic tickets, written through the services.

Deterministic (a fixed random seed), so screenshots and walkthroughs look the same everywhere.
Running it again does nothing unless --reset is given.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from helpdesk import roles
from helpdesk.models import (
    Channel,
    Contact,
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Status,
    Ticket,
    Topic,
    User,
)
from helpdesk.services import clock
from helpdesk.services.calls import call_log
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import (
    message_receive,
    ticket_add_note,
    ticket_assign,
    ticket_change_status,
    ticket_classify,
    ticket_create,
    ticket_reply,
)

DEMO_PASSWORD = "infolijn-demo"  # noqa: S105 - printed on purpose: demo only

USERS = [
    # username, first, last, role, queues, languages, is_staff, is_superuser
    (
        "ines",
        "Ines",
        "Peeters",
        roles.INFO_LINE_STAFF,
        ["infolijn"],
        ["nl", "fr", "en", "ar"],
        False,
        False,
    ),
    (
        "youssef",
        "Youssef",
        "El Amrani",
        roles.INFO_LINE_STAFF,
        ["infolijn"],
        ["nl", "fr", "ar"],
        False,
        False,
    ),
    (
        "lars",
        "Lars",
        "Janssens",
        roles.LEGAL_SPECIALIST,
        ["legal-helpdesk", "infolijn"],
        ["nl", "en"],
        False,
        False,
    ),
    ("emma", "Emma", "Dubois", roles.INFO_LINE_STAFF, ["education"], ["fr", "nl"], False, False),
    ("vera", "Vera", "Maes", roles.VOLUNTEER, [], ["nl", "fa", "prs"], False, False),
    ("cora", "Cora", "Willems", roles.COORDINATOR, [], ["nl", "fr"], True, False),
    (
        "adam",
        "Adam",
        "Admin",
        roles.ADMINISTRATOR,
        ["infolijn", "legal-helpdesk", "education"],
        ["nl", "en"],
        True,
        True,
    ),
]

QUESTIONS = {
    "registration": {
        "nl": "Mijn cliënt is gisteren aangekomen. Waar en wanneer kan hij zich registreren bij DVZ?",
        "fr": "Une famille est arrivée hier à Bruxelles. Où doivent-ils s'enregistrer ?",
        "en": "I arrived on Monday. Where do I register my asylum application?",
        "ar": "وصلت إلى بلجيكا أمس. أين يمكنني تسجيل طلب اللجوء؟",
        "prs": "دیروز به بلژیک رسیدم. کجا باید درخواست پناهندگی خود را ثبت کنم؟",
    },
    "asylum-procedure": {
        "nl": "Wanneer krijgt mijn cliënt een uitnodiging voor het persoonlijk onderhoud bij het CGVS?",
        "fr": "Combien de temps faut-il attendre la décision du CGRA après l'entretien ?",
        "en": "Can a person bring their own interpreter to the CGRS interview?",
        "ar": "متى سأحصل على موعد المقابلة في المفوضية العامة للاجئين؟",
    },
    "dublin": {
        "nl": "Mijn cliënt heeft een Dublinbeslissing gekregen richting Kroatië. Wat zijn de termijnen?",
        "fr": "Mon client a reçu une décision Dublin vers l'Italie. Peut-il introduire un recours ?",
        "en": "My fingerprints were taken in Bulgaria. Will I be sent back there?",
        "fa": "اثر انگشت من در بلغارستان گرفته شده است. آیا مرا به آنجا برمی‌گردانند؟",
    },
    "appeal": {
        "nl": "Binnen welke termijn moet het beroep bij de RvV ingediend worden na een weigering?",
        "fr": "Quel est le délai pour introduire un recours au CCE contre un refus ?",
        "en": "My application was refused. How long do I have to appeal?",
    },
    "reception": {
        "nl": "Een alleenstaande man slaapt al twee weken op straat zonder opvangplaats. Wat kan hij doen?",
        "fr": "Un demandeur d'asile n'a pas reçu de place d'accueil. Quelles démarches ?",
        "en": "I was told there is no place for me in a reception centre. Where can I sleep?",
        "ar": "قالوا لي إنه لا يوجد مكان في مركز الاستقبال. أين أنام؟",
        "prs": "به من گفتند در کمپ جا نیست. کجا بخوابم؟",
        "ps": "ما ته یې وویل چې په کمپ کې ځای نشته. چیرته ویده شم؟",
    },
    "family-reunification": {
        "nl": "Hoe verloopt gezinshereniging voor een erkende vluchteling met kinderen in Eritrea?",
        "fr": "Un bénéficiaire de la protection subsidiaire peut-il faire venir son épouse ?",
        "en": "I am recognised as a refugee. How can my wife and children join me?",
        "ti": "ኣብ ቤልጅዩም ከም ስደተኛ ተፈሊጠ ኣለኹ። ሰበይተይን ደቀይን ከመይ ክመጹ ይኽእሉ?",
    },
    "unaccompanied-minors": {
        "nl": "Een jongere van 16 zonder ouders is aangekomen. Hoe krijgt hij een voogd?",
        "fr": "Le test d'âge a conclu qu'il est majeur. Comment contester ?",
        "en": "A 15-year-old boy arrived alone. Who appoints his guardian?",
    },
    "lawyer-legal-aid": {
        "nl": "Hoe vindt mijn cliënt een pro-Deoadvocaat gespecialiseerd in asielrecht?",
        "fr": "Comment obtenir un avocat pro deo pour un demandeur d'asile ?",
        "en": "How do I find a free lawyer for my asylum case?",
        "ar": "كيف أجد محاميًا مجانيًا لقضية اللجوء؟",
    },
    "temporary-protection": {
        "nl": "Een Oekraïense familie wil tijdelijke bescherming aanvragen. Waar moeten ze heen?",
        "en": "Can Ukrainians with temporary protection work in Belgium?",
    },
    "work-training": {
        "nl": "Mag een verzoeker om internationale bescherming werken na vier maanden?",
        "fr": "Un demandeur d'asile peut-il suivre une formation professionnelle ?",
        "en": "When am I allowed to work while my application is pending?",
    },
    "education": {
        "nl": "Onze school krijgt een leerling die geen Nederlands spreekt. Hoe werkt OKAN?",
        "fr": "Une élève réfugiée veut s'inscrire à l'université. Quelles équivalences ?",
        "en": "Can my children go to school while we wait for a decision?",
    },
    "health": {
        "nl": "Heeft een verzoeker zonder opvangplaats recht op medische zorg?",
        "fr": "Où trouver un soutien psychologique en arabe pour un jeune réfugié ?",
        "en": "Where can a traumatised client get mental health support in Dari?",
    },
    "housing": {
        "nl": "Mijn cliënt is erkend en moet de opvang binnen twee maanden verlaten. Hulp bij huisvesting?",
        "fr": "Reconnu réfugié, il doit quitter le centre. Comment trouver un logement ?",
    },
    "social-welfare": {
        "nl": "Welk OCMW is bevoegd voor een erkende vluchteling die net de opvang verliet?",
        "fr": "Quel CPAS est compétent après la sortie du centre d'accueil ?",
    },
    "detention": {
        "nl": "Een cliënt is opgesloten in een gesloten centrum. Hoe kan de familie hem bezoeken?",
        "en": "My brother was detained at the airport. What can we do?",
    },
    "status-documents": {
        "nl": "Hoe lang is een A-kaart geldig na erkenning als vluchteling?",
        "fr": "Quelle carte de séjour reçoit un bénéficiaire de la protection subsidiaire ?",
    },
    "irregular-stay": {
        "nl": "Zijn er mogelijkheden tot regularisatie na een definitieve weigering?",
        "fr": "Quelles sont les conditions d'une demande 9bis ?",
    },
    "protection-risks": {
        "nl": "Een jonge vrouw vertelt over uitbuiting. Naar wie kunnen we doorverwijzen?",
        "en": "A client fears for his safety because he is gay. Can this be part of the asylum claim?",
    },
    "silent": {"nl": "(stille oproep)"},
    "thanks": {
        "nl": "Belt om te bedanken voor de hulp vorige week.",
        "ar": "شكرا جزيلا على مساعدتكم",
    },
}

ANSWERS = {
    "nl": "Dank voor uw vraag. Meer uitleg vindt u in ons artikel; neem gerust opnieuw contact op als er iets onduidelijk is.",
    "fr": "Merci pour votre question. Vous trouverez plus d'explications dans notre article ; n'hésitez pas à nous recontacter.",
    "en": "Thank you for your question. Our article explains the steps; do contact us again if anything is unclear.",
}

NAMES = [
    "Amina",
    "Yonas",
    "Farid",
    "Sara",
    "Mohammed",
    "Olena",
    "Hamid",
    "Zahra",
    "Jean-Marc",
    "Liesbeth",
    "Koen",
    "Nadia",
    "Abdi",
    "Tesfay",
    "Mariam",
    "Oksana",
    "Ali",
    "Fatima",
    "Bram",
]
ORGANISATIONS = [
    "CAW Brussel",
    "OCMW Gent",
    "Advocatenkantoor Peeters",
    "Basisschool De Linde",
    "Rode Kruis",
]

WEIGHTS = {
    "channel": {
        Channel.PHONE: 44,
        Channel.EMAIL: 20,
        Channel.WEBFORM: 12,
        Channel.VOICEMAIL: 6,
        Channel.WHATSAPP: 7,
        Channel.SMS: 4,
        Channel.WALK_IN: 4,
        Channel.CALLBACK: 3,
    },
    "requester": {
        "asylum-seeker": 34,
        "social-worker": 20,
        "lawyer": 10,
        "volunteer": 10,
        "teacher": 8,
        "family-member": 7,
        "health-worker": 4,
        "municipality": 3,
        "student-journalist": 2,
        "other": 2,
    },
    "topic": {
        "reception": 18,
        "asylum-procedure": 12,
        "registration": 10,
        "dublin": 9,
        "family-reunification": 9,
        "lawyer-legal-aid": 7,
        "appeal": 6,
        "work-training": 5,
        "education": 5,
        "health": 4,
        "housing": 4,
        "social-welfare": 3,
        "unaccompanied-minors": 3,
        "temporary-protection": 3,
        "status-documents": 3,
        "detention": 2,
        "irregular-stay": 2,
        "protection-risks": 2,
        "silent": 2,
        "thanks": 1,
    },
}


def pick(rng, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class Command(BaseCommand):
    help = (
        "Create demo users for every role and a year of realistic tickets (SQLite or PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets", type=int, default=400, help="How many tickets (default 400)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Load again even if demo data exists."
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, tickets, reset, seed, **options):
        if User.objects.filter(username="ines").exists() and not reset:
            self.stdout.write("Demo data is already loaded (use --reset to add it again).")
        else:
            rng = random.Random(seed)
            users = self.create_users()
            self.create_tickets(rng, users, tickets)
        # The knowledge base's articles (idempotent: loading again changes nothing).
        from knowledgebase.demo import load_demo_articles

        loaded = load_demo_articles()
        self.stdout.write(f"Knowledge base: {loaded['created']} demo articles added.")
        self.print_logins()

    def create_users(self):
        users = {}
        for username, first, last, role, queues, languages, is_staff, is_superuser in USERS:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@infolijn.example",
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            user.queues.set(Queue.objects.filter(slug__in=queues))
            user.spoken_languages.set(Language.objects.filter(code__in=languages))
            users[username] = User.objects.get(pk=user.pk)  # fresh: permissions are cached
        return users

    def create_tickets(self, rng, users, count):
        queues = {q.slug: q for q in Queue.objects.all()}
        topics = {t.code: t for t in Topic.objects.all()}
        requesters = {r.code: r for r in RequesterType.objects.all()}
        outcomes = {o.code: o for o in Outcome.objects.all()}
        referrals = list(ReferralOrganisation.objects.all())
        languages = {lang.code: lang for lang in Language.objects.all()}
        staff = {
            "infolijn": [users["ines"], users["youssef"], users["lars"]],
            "legal-helpdesk": [users["lars"]],
            "education": [users["emma"]],
        }
        now = timezone.now()
        for _ in tqdm(range(count), desc="Demo tickets", disable=count < 50):
            # More recent months are busier; the newest days hold the open work.
            age = timedelta(days=min(rng.expovariate(1 / 120), 420), minutes=rng.randint(0, 600))
            at = timezone.localtime(now - age).replace(hour=rng.randint(9, 16))
            if at > now:
                at = now - timedelta(minutes=rng.randint(5, 300))
            topic_code = pick(rng, WEIGHTS["topic"])
            texts = QUESTIONS.get(topic_code, QUESTIONS["reception"])
            language_code = rng.choice(list(texts))
            queue_slug = (
                "education"
                if topic_code == "education" and rng.random() < 0.7
                else "legal-helpdesk"
                if topic_code in {"dublin", "appeal", "detention"} and rng.random() < 0.4
                else "infolijn"
            )
            requester = requesters[pick(rng, WEIGHTS["requester"])]
            channel = pick(rng, WEIGHTS["channel"])
            author = rng.choice(staff[queue_slug])
            with clock.travel_to(at), transaction.atomic():
                self.one_ticket(
                    rng,
                    at=at,
                    now=now,
                    channel=channel,
                    queue=queues[queue_slug],
                    author=author,
                    topic=topics[topic_code],
                    requester=requester,
                    language=languages[language_code],
                    question=texts[language_code],
                    outcomes=outcomes,
                    referrals=referrals,
                )

    def one_ticket(
        self,
        rng,
        *,
        at,
        now,
        channel,
        queue,
        author,
        topic,
        requester,
        language,
        question,
        outcomes,
        referrals,
    ):
        fresh = (now - at) < timedelta(days=10)
        outcome_code = rng.choices(
            ["information-given", "referred", "callback-scheduled", "escalated", "out-of-scope"],
            weights=[62, 18, 8, 7, 5],
        )[0]
        if not topic.is_question:
            outcome_code = "no-action"
        outcome = outcomes[outcome_code]
        referral = rng.choice(referrals) if outcome.needs_referral else None
        answer_language = (
            language.code if language.code in ANSWERS else rng.choice(["nl", "fr", "en"])
        )

        if channel in (Channel.PHONE, Channel.WALK_IN, Channel.CALLBACK) and not fresh:
            call_log(
                queue=queue,
                author=author,
                channel=channel,
                question=question,
                answer=ANSWERS[answer_language],
                requester_type=requester,
                language=language,
                topics=[topic],
                outcome=outcome,
                referral=referral,
                policy_signal=rng.random() < 0.02,
                name=rng.choice(NAMES) if rng.random() < 0.3 else "",
            )
            return

        contact = self.contact(rng, channel, requester, language)
        ticket = ticket_create(
            queue=queue,
            channel=channel,
            body=question,
            contact=contact,
            language=language,
            requester_type=requester,
            topics=[topic],
        )
        if fresh and rng.random() < 0.6:
            if rng.random() < 0.5:
                ticket_assign(ticket=ticket, actor=author, assignee=author)
            return  # still new or open: work for the demo inbox
        with clock.travel_to(at + timedelta(hours=rng.uniform(0.2, 30))):
            if rng.random() < 0.15:
                ticket_add_note(
                    ticket=ticket, author=author, body="Even nagevraagd bij de juridische dienst."
                )
            ticket_reply(
                ticket=ticket, author=author, body=ANSWERS[answer_language], status=Status.ANSWERED
            )
        if rng.random() < 0.12 and contact is not None:
            with clock.travel_to(at + timedelta(days=rng.uniform(1, 4))):
                message_receive(
                    ticket=ticket,
                    channel=channel,
                    body="Dank u, nog één vraag: hoe lang duurt dat?",
                    sender=contact,
                )
                ticket_reply(ticket=ticket, author=author, body=ANSWERS[answer_language])
        with clock.travel_to(at + timedelta(days=rng.uniform(2, 9))):
            if at + timedelta(days=9) < now:
                ticket_classify(ticket=ticket, actor=author, outcome=outcome, referral=referral)
                if outcome.closes_ticket or rng.random() < 0.8:
                    ticket_change_status(ticket=ticket, actor=author, status=Status.CLOSED)

    def contact(self, rng, channel, requester, language) -> Contact | None:
        if (
            channel == Channel.VOICEMAIL
            or channel in (Channel.SMS, Channel.WHATSAPP)
            or rng.random() < 0.3
        ):
            phone = f"+324{rng.randint(60, 99)}{rng.randint(100000, 999999)}"
            return contact_find_or_create(
                phone=phone, requester_type=requester, preferred_language=language
            )
        name = rng.choice(NAMES)
        email = f"{name.lower()}.{rng.randint(1, 400)}@example.org"
        organisation = rng.choice(ORGANISATIONS) if requester.code != "asylum-seeker" else ""
        return contact_find_or_create(
            email=email,
            name=name,
            organisation=organisation,
            requester_type=requester,
            preferred_language=language,
        )

    def print_logins(self):
        self.stdout.write(
            self.style.SUCCESS(
                f"\n{Ticket.objects.count()} tickets. Demo logins (password: {DEMO_PASSWORD}):"
            )
        )
        for username, _first, _last, role, queues, *_rest in USERS:
            where = ", ".join(queues) if queues else "-"
            self.stdout.write(f"  {username:<8} {role:<17} queues: {where}")
        self.stdout.write(
            "adam and cora set up two-factor authentication at their first login "
            "(README: Privacy, security and audit)."
        )
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.\n")
