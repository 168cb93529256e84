"""The data both systems get: the same words, the same counts (standard library only).

Imported by ours.py (Infolijn's virtualenv) and theirs.py (django-helpdesk's), so that the two
databases hold the same number of tickets, messages and knowledge-base items with the same text.
"""

import random

SUBJECTS = [
    "Geen opvangplaats",
    "Dublin procedure",
    "Family reunification",
    "Recours CCE",
    "Registratie DVZ",
    "School OKAN",
    "Housing after recognition",
    "OCMW leefloon",
]
BODIES = [
    "Goedendag, ik heb geen plaats in een opvangcentrum. Waar kan ik vannacht slapen?",
    "My client received a Dublin decision. Which lawyer can take the appeal in time?",
    "Bonjour, j'ai reçu une décision négative du CGRA. Combien de temps pour un recours ?",
    "How does family reunification work for a recognised refugee with two children?",
    "مرحبا، ليس لدي مكان في مركز الاستقبال. أين يمكنني أن أنام الليلة؟",
    "Een leerling van 15 jaar komt net aan. Hoe schrijven we hem in voor een OKAN-klas?",
    "Здравствуйте, у меня нет места в центре приёма. Где я могу переночевать?",
    "سلام، من جای خواب در مرکز پذیرش ندارم. امشب کجا می‌توانم بخوابم؟",
]
ANSWERS = [
    "Bel Fedasil dispatching op het nummer in het artikel; neem uw bijlage 26 mee.",
    "Het beroep moet binnen 10 dagen; wij verwijzen u naar het bureau voor juridische bijstand.",
    "Vous avez 30 jours pour introduire un recours au CCE. Contactez un avocat pro deo.",
]
# The word the ticket search looks for: in about one ticket in twenty (the subject "Dublin
# procedure" is one of eight subjects, and "Dublin" appears in one body of eight).
SEARCH_WORD = "Dublin"
# What the knowledge-base search looks for: in the titles of one item in five, and in the
# questions (data.BODIES) of one in eight.
KB_SEARCH_WORDS = "Dublin procedure"
KB_TITLES = [
    "What is the Dublin procedure?",
    "No reception place: what now?",
    "Family reunification for recognised refugees",
    "Appeal against a CGRS decision",
    "Registering at the Immigration Office",
]


def ticket_text(n: int) -> tuple[str, str]:
    """Subject and first message of ticket n."""
    return f"{SUBJECTS[n % len(SUBJECTS)]} #{n}", BODIES[(n * 7) % len(BODIES)]


def followups(n: int, per_ticket: int) -> list[tuple[bool, str]]:
    """The messages after the first one: (from staff, text), alternating answer and question."""
    rng = random.Random(n)
    extra = max(per_ticket - 1, 0)
    return [
        (
            i % 2 == 0,
            ANSWERS[rng.randrange(len(ANSWERS))]
            if i % 2 == 0
            else BODIES[rng.randrange(len(BODIES))],
        )
        for i in range(extra)
    ]


def kb_item(n: int) -> tuple[str, str, str]:
    """Title, question and answer of knowledge-base item n."""
    title = f"{KB_TITLES[n % len(KB_TITLES)]} ({n})"
    return title, BODIES[n % len(BODIES)], ANSWERS[n % len(ANSWERS)] * 5
