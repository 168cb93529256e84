"""The roles, the three seed queues and the coded lists an info line starts with.

Coordinators change the lists afterwards in the admin (retiring, never deleting). The data is
written out here rather than imported from application code, so this migration never changes.
"""

from django.db import migrations

QUEUES = [
    # slug, prefix, nl, fr, en
    ("infolijn", "IL", "Infolijn", "Ligne info", "Info line"),
    ("legal-helpdesk", "JH", "Juridische helpdesk", "Helpdesk juridique", "Legal helpdesk"),
    ("education", "ED", "Onderwijs", "Enseignement", "Education"),
]

TOPICS = [
    # code, nl, fr, en, is_question
    ("registration", "Registratie (DVZ)", "Enregistrement (OE)", "Registration (Immigration Office)", True),
    ("asylum-procedure", "Asielprocedure (CGVS)", "Procédure d'asile (CGRA)", "Asylum procedure (CGRS)", True),
    ("dublin", "Dublin", "Dublin", "Dublin", True),
    ("appeal", "Beroep (RvV)", "Recours (CCE)", "Appeal (Council for Alien Law Litigation)", True),
    ("subsequent-application", "Volgend verzoek", "Demande ultérieure", "Subsequent application", True),
    ("unaccompanied-minors", "Niet-begeleide minderjarigen", "Mineurs non accompagnés", "Unaccompanied minors", True),
    ("reception", "Opvang (Fedasil)", "Accueil (Fedasil)", "Reception (Fedasil)", True),
    ("lawyer-legal-aid", "Advocaat en juridische bijstand", "Avocat et aide juridique", "Lawyer and legal aid", True),
    ("family-reunification", "Gezinshereniging", "Regroupement familial", "Family reunification", True),
    ("status-documents", "Status en verblijfsdocumenten", "Statut et titres de séjour", "Status and residence documents", True),
    ("temporary-protection", "Tijdelijke bescherming (Oekraïne)", "Protection temporaire (Ukraine)", "Temporary protection (Ukraine)", True),
    ("work-training", "Werk en opleiding", "Travail et formation", "Work and training", True),
    ("education", "Onderwijs (OKAN, hoger onderwijs)", "Enseignement (DASPA, supérieur)", "Education (reception classes, higher education)", True),
    ("health", "Gezondheid en geestelijke gezondheid", "Santé et santé mentale", "Health and mental health", True),
    ("housing", "Huisvesting na erkenning", "Logement après reconnaissance", "Housing after recognition", True),
    ("social-welfare", "Maatschappelijke dienstverlening (OCMW)", "Aide sociale (CPAS)", "Social welfare (OCMW/CPAS)", True),
    ("detention", "Detentie", "Détention", "Detention", True),
    ("return", "Terugkeer", "Retour", "Return", True),
    ("irregular-stay", "Irregulier verblijf (regularisatie)", "Séjour irrégulier (régularisation)", "Irregular stay (regularisation)", True),
    ("protection-risks", "Beschermingsrisico's", "Risques de protection", "Protection risks (trafficking, gender-based violence, LGBTQI+, children)", True),
    ("statelessness", "Staatloosheid", "Apatridie", "Statelessness", True),
    ("other", "Andere", "Autre", "Other", True),
    ("silent", "Stille oproep", "Appel silencieux", "Silent call", False),
    ("hang-up", "Ingehaakt", "A raccroché", "Hung up", False),
    ("wrong-number", "Verkeerd nummer", "Mauvais numéro", "Wrong number", False),
    ("abusive", "Grensoverschrijdend", "Abusif", "Abusive", False),
    ("thanks", "Bedanking", "Remerciement", "Thanks", False),
]

REQUESTER_TYPES = [
    ("asylum-seeker", "Verzoeker of erkende vluchteling", "Demandeur d'asile ou réfugié", "Asylum seeker or refugee"),
    ("family-member", "Familielid", "Membre de la famille", "Family member"),
    ("lawyer", "Advocaat", "Avocat", "Lawyer"),
    ("social-worker", "Maatschappelijk werker", "Travailleur social", "Social worker"),
    ("teacher", "Leerkracht of school", "Enseignant ou école", "Teacher or school"),
    ("volunteer", "Vrijwilliger of gastgezin", "Bénévole ou famille d'accueil", "Volunteer or host family"),
    ("health-worker", "Zorgverlener", "Soignant", "Health worker"),
    ("municipality", "Gemeente", "Commune", "Municipality"),
    ("student-journalist", "Student of journalist", "Étudiant ou journaliste", "Student or journalist"),
    ("other", "Andere", "Autre", "Other"),
]

OUTCOMES = [
    # code, nl, fr, en, closes_ticket, needs_referral
    ("information-given", "Informatie gegeven", "Information donnée", "Information given", True, False),
    ("callback-scheduled", "Terugbellen gepland", "Rappel prévu", "Callback scheduled", False, False),
    ("escalated", "Doorgegeven aan juridisch specialist", "Transmis à un juriste", "Escalated to a legal specialist", False, False),
    ("referred", "Doorverwezen", "Orienté", "Referred", True, True),
    ("out-of-scope", "Buiten ons werkterrein", "Hors de notre champ", "Out of scope", True, False),
    ("no-action", "Geen actie nodig", "Aucune action requise", "No action needed", True, False),
]

REFERRALS = [
    ("legal-aid", "Advocaat / bureau voor juridische bijstand", "Avocat / bureau d'aide juridique", "Lawyer / bureau for legal aid"),
    ("fedasil-dispatching", "Fedasil dispatching", "Fedasil dispatching", "Fedasil dispatching"),
    ("cgrs", "CGVS", "CGRA", "CGRS"),
    ("immigration-office", "Dienst Vreemdelingenzaken", "Office des étrangers", "Immigration Office"),
    ("housing-service", "Woonbegeleiding", "Service logement", "Housing service"),
    ("transcultural-psychology", "Transcultureel psychologische dienst", "Service de psychologie transculturelle", "Transcultural psychology service"),
    ("caw", "CAW", "CAW", "CAW"),
    ("ocmw-cpas", "OCMW", "CPAS", "OCMW/CPAS"),
    ("integration-agency", "Agentschap Integratie en Inburgering", "Agence d'intégration", "Integration agency"),
    ("guardianship-service", "Dienst Voogdij", "Service des Tutelles", "Guardianship service"),
    ("detention-visitors", "Transit Groep Vluchtelingen (bezoekers gesloten centra)", "Groupe Transit (visiteurs des centres fermés)", "Detention-visitor coalition"),
]

LANGUAGES = [
    # code, nl, fr, en, native, rtl, site language for its speakers
    ("nl", "Nederlands", "néerlandais", "Dutch", "Nederlands", False, "nl"),
    ("fr", "Frans", "français", "French", "Français", False, "fr"),
    ("en", "Engels", "anglais", "English", "English", False, "en"),
    ("ar", "Arabisch", "arabe", "Arabic", "العربية", True, "ar"),
    ("prs", "Dari", "dari", "Dari", "دری", True, "fa"),
    ("fa", "Farsi", "persan", "Farsi", "فارسی", True, "fa"),
    ("ps", "Pasjtoe", "pachto", "Pashto", "پښتو", True, "ps"),
    ("ti", "Tigrinya", "tigrinya", "Tigrinya", "ትግርኛ", False, "ti"),
    ("ku", "Koerdisch", "kurde", "Kurdish", "Kurdî", False, "en"),
    ("tr", "Turks", "turc", "Turkish", "Türkçe", False, "tr"),
    ("so", "Somalisch", "somali", "Somali", "Soomaali", False, "so"),
    ("am", "Amhaars", "amharique", "Amharic", "አማርኛ", False, "en"),
    ("ru", "Russisch", "russe", "Russian", "Русский", False, "ru"),
    ("uk", "Oekraïens", "ukrainien", "Ukrainian", "Українська", False, "uk"),
    ("ka", "Georgisch", "géorgien", "Georgian", "ქართული", False, "en"),
    ("ln", "Lingala", "lingala", "Lingala", "Lingála", False, "fr"),
    ("sw", "Swahili", "swahili", "Swahili", "Kiswahili", False, "en"),
    ("rn", "Kirundi", "kirundi", "Kirundi", "Ikirundi", False, "fr"),
    ("es", "Spaans", "espagnol", "Spanish", "Español", False, "es"),
]


def _names(nl, fr, en):
    return {"name": nl, "name_nl": nl, "name_fr": fr, "name_en": en}


def seed(apps, schema_editor):
    Queue = apps.get_model("helpdesk", "Queue")
    for position, (slug, prefix, nl, fr, en) in enumerate(QUEUES):
        Queue.objects.get_or_create(
            slug=slug,
            defaults={"reference_prefix": prefix, "position": position, **_names(nl, fr, en)},
        )
    Topic = apps.get_model("helpdesk", "Topic")
    for position, (code, nl, fr, en, is_question) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            code=code,
            defaults={"position": position, "is_question": is_question, **_names(nl, fr, en)},
        )
    RequesterType = apps.get_model("helpdesk", "RequesterType")
    for position, (code, nl, fr, en) in enumerate(REQUESTER_TYPES):
        RequesterType.objects.get_or_create(
            code=code, defaults={"position": position, **_names(nl, fr, en)}
        )
    Outcome = apps.get_model("helpdesk", "Outcome")
    for position, (code, nl, fr, en, closes, needs_referral) in enumerate(OUTCOMES):
        Outcome.objects.get_or_create(
            code=code,
            defaults={
                "position": position,
                "closes_ticket": closes,
                "needs_referral": needs_referral,
                **_names(nl, fr, en),
            },
        )
    ReferralOrganisation = apps.get_model("helpdesk", "ReferralOrganisation")
    for position, (code, nl, fr, en) in enumerate(REFERRALS):
        ReferralOrganisation.objects.get_or_create(
            code=code, defaults={"position": position, **_names(nl, fr, en)}
        )
    Language = apps.get_model("helpdesk", "Language")
    for position, (code, nl, fr, en, native, rtl, site) in enumerate(LANGUAGES):
        Language.objects.get_or_create(
            code=code,
            defaults={
                "position": position,
                "native_name": native,
                "rtl": rtl,
                "interface_language": site,
                **_names(nl, fr, en),
            },
        )


ROLES = ["Info-line staff", "Legal specialist", "Volunteer", "Coordinator", "Administrator"]


def roles(apps, schema_editor):
    # Permissions exist only after every app has migrated; helpdesk.roles.sync_roles gives the
    # groups theirs in the post_migrate signal that follows.
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
