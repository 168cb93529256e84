"""The seed lists' names in the public-tier languages (ar, fa, uk, ru, tr, es).

0002 wrote the names in nl, fr and en only, so the public form and the requester's private page
showed Dutch list names (the modeltranslation fallback) to readers in Arabic, Farsi, Ukrainian...
This fills those names for the seeded rows, found by their stable code or slug (never by pk),
and only where the field is still empty: a coordinator's own translation is never overwritten.
Undoing it changes nothing (a name someone may since have corrected is not ours to remove).

Belgian bodies are named by what they do rather than by their Dutch or French initials, and
right-to-left names carry no Latin letters (an <option> cannot isolate mixed-direction text).
A language's own name is its endonym, exactly as Language.native_name holds it, so that the
form's "native (name)" label shows it once ("العربية", not "العربية (العربية)").

Outcomes and referral organisations are not here: only staff (official languages) see them.
The data is written out rather than imported, so this migration never changes.
"""

from django.db import migrations

PUBLIC_LANGUAGES = ("ar", "fa", "uk", "ru", "tr", "es")

QUEUES = [
    # slug, ar, fa, uk, ru, tr, es
    ("infolijn", "خط المعلومات", "خط اطلاعات", "Інформаційна лінія", "Информационная линия", "Bilgi hattı", "Línea de información"),
    ("legal-helpdesk", "الاستشارات القانونية", "مشاوره حقوقی", "Юридична консультація", "Юридическая консультация", "Hukuki danışma", "Asesoría jurídica"),
    ("education", "التعليم", "آموزش و تحصیل", "Освіта", "Образование", "Eğitim", "Educación"),
]

TOPICS = [
    # code, ar, fa, uk, ru, tr, es
    ("registration", "التسجيل (مكتب الأجانب)", "ثبت‌نام (اداره اتباع خارجی)", "Реєстрація (Управління у справах іноземців)", "Регистрация (Управление по делам иностранцев)", "Kayıt (Yabancılar Dairesi)", "Registro (Oficina de Extranjería)"),
    ("asylum-procedure", "إجراءات اللجوء (المفوضية العامة للاجئين وعديمي الجنسية)", "روند پناهندگی (کمیساریای کل امور پناهندگان و افراد بی‌تابعیت)", "Процедура надання притулку (Генеральний комісаріат у справах біженців і осіб без громадянства)", "Процедура предоставления убежища (Генеральный комиссариат по делам беженцев и лиц без гражданства)", "İltica prosedürü (Mülteciler ve Vatansızlar Genel Komiserliği)", "Procedimiento de asilo (Comisaría General para los Refugiados y Apátridas)"),
    ("dublin", "إجراءات دبلن", "روند دوبلین", "Дублінська процедура", "Дублинская процедура", "Dublin prosedürü", "Procedimiento de Dublín"),
    ("appeal", "الطعن (مجلس منازعات الأجانب)", "اعتراض به تصمیم (شورای رسیدگی به دعاوی اتباع خارجی)", "Оскарження (Рада з розгляду спорів щодо іноземців)", "Обжалование (Совет по спорам в сфере права иностранцев)", "İtiraz (Yabancılar Hukuku Uyuşmazlık Konseyi)", "Recurso (Consejo de lo Contencioso de Extranjería)"),
    ("subsequent-application", "طلب لجوء لاحق", "درخواست مجدد پناهندگی", "Повторна заява про захист", "Повторное ходатайство о защите", "Yeniden iltica başvurusu", "Solicitud posterior de asilo"),
    ("unaccompanied-minors", "القاصرون غير المصحوبين", "کودکان و نوجوانان بدون همراه", "Неповнолітні без супроводу", "Несовершеннолетние без сопровождения", "Refakatsiz çocuklar", "Menores no acompañados"),
    ("reception", "الاستقبال والإيواء (فيداسيل)", "پذیرش و اسکان (فداسیل)", "Прийом і розміщення (Fedasil)", "Приём и размещение (Fedasil)", "Kabul ve barınma (Fedasil)", "Acogida (Fedasil)"),
    ("lawyer-legal-aid", "المحامي والمساعدة القانونية", "وکیل و کمک حقوقی", "Адвокат і правова допомога", "Адвокат и юридическая помощь", "Avukat ve adli yardım", "Abogado y asistencia jurídica"),
    ("family-reunification", "لمّ شمل الأسرة", "پیوستن به خانواده (الحاق خانواده)", "Возз’єднання сім’ї", "Воссоединение семьи", "Aile birleşimi", "Reagrupación familiar"),
    ("status-documents", "الوضع القانوني ووثائق الإقامة", "وضعیت اقامتی و مدارک اقامت", "Статус і документи на проживання", "Статус и документы на проживание", "Statü ve oturum belgeleri", "Estatuto y documentos de residencia"),
    ("temporary-protection", "الحماية المؤقتة (أوكرانيا)", "حمایت موقت (اوکراین)", "Тимчасовий захист (Україна)", "Временная защита (Украина)", "Geçici koruma (Ukrayna)", "Protección temporal (Ucrania)"),
    ("work-training", "العمل والتدريب", "کار و آموزش حرفه‌ای", "Робота і навчання", "Работа и обучение", "İş ve mesleki eğitim", "Trabajo y formación"),
    ("education", "التعليم (صفوف الاستقبال، التعليم العالي)", "تحصیل (کلاس‌های آمادگی، آموزش عالی)", "Освіта (адаптаційні класи, вища освіта)", "Образование (адаптационные классы, высшее образование)", "Eğitim (uyum sınıfları, yükseköğretim)", "Educación (aulas de acogida, enseñanza superior)"),
    ("health", "الصحة والصحة النفسية", "سلامت جسمی و روانی", "Здоров’я і психічне здоров’я", "Здоровье и психическое здоровье", "Sağlık ve ruh sağlığı", "Salud y salud mental"),
    ("housing", "السكن بعد الحصول على الحماية", "مسکن پس از دریافت حمایت", "Житло після надання захисту", "Жильё после получения защиты", "Koruma statüsü sonrası konut", "Vivienda tras obtener protección"),
    ("social-welfare", "المساعدة الاجتماعية (المركز العام للعمل الاجتماعي)", "کمک‌های اجتماعی (مرکز عمومی خدمات اجتماعی)", "Соціальна допомога (OCMW/CPAS)", "Социальная помощь (OCMW/CPAS)", "Sosyal yardım (OCMW/CPAS)", "Ayuda social (OCMW/CPAS)"),
    ("detention", "الاحتجاز", "بازداشت", "Утримання під вартою", "Содержание под стражей", "Gözaltı", "Internamiento"),
    ("return", "العودة", "بازگشت", "Повернення", "Возвращение", "Geri dönüş", "Retorno"),
    ("irregular-stay", "الإقامة غير النظامية (تسوية الوضع)", "اقامت بدون مجوز (قانونی‌کردن اقامت)", "Неврегульоване перебування (легалізація)", "Незаконное пребывание (легализация)", "Düzensiz ikamet (yasallaştırma)", "Estancia irregular (regularización)"),
    ("protection-risks", "مخاطر الحماية (الاتجار بالبشر، العنف القائم على النوع الاجتماعي، مجتمع الميم، الأطفال)", "خطرهای حمایتی (قاچاق انسان، خشونت جنسیتی، دگرباشان جنسی، کودکان)", "Ризики у сфері захисту (торгівля людьми, гендерне насильство, ЛГБТКІ+, діти)", "Риски в сфере защиты (торговля людьми, гендерное насилие, ЛГБТКИ+, дети)", "Koruma riskleri (insan ticareti, toplumsal cinsiyete dayalı şiddet, LGBTİ+, çocuklar)", "Riesgos de protección (trata, violencia de género, LGBTIQ+, infancia)"),
    ("statelessness", "انعدام الجنسية", "بی‌تابعیتی", "Безгромадянство", "Безгражданство", "Vatansızlık", "Apatridia"),
    ("other", "موضوع آخر", "موضوع دیگر", "Інше", "Другое", "Diğer", "Otro tema"),
    # Not questions (the phone log), but complete all the same.
    ("silent", "مكالمة صامتة", "تماس بی‌صدا", "Мовчазний дзвінок", "Молчаливый звонок", "Sessiz arama", "Llamada silenciosa"),
    ("hang-up", "أغلق الخط", "تماس را قطع کرد", "Поклав слухавку", "Повесил трубку", "Telefonu kapattı", "Colgó"),
    ("wrong-number", "رقم خاطئ", "شماره اشتباه", "Помилковий номер", "Ошиблись номером", "Yanlış numara", "Número equivocado"),
    ("abusive", "مكالمة مسيئة", "تماس توهین‌آمیز", "Образливий дзвінок", "Оскорбительный звонок", "Taciz edici arama", "Llamada abusiva"),
    ("thanks", "شكر", "تشکر", "Подяка", "Благодарность", "Teşekkür", "Agradecimiento"),
]

REQUESTER_TYPES = [
    # code, ar, fa, uk, ru, tr, es
    ("asylum-seeker", "طالب لجوء أو لاجئ", "پناهجو یا پناهنده", "Шукач захисту або біженець", "Лицо, ищущее убежища, или беженец", "Sığınmacı veya mülteci", "Solicitante de asilo o refugiado/a"),
    ("family-member", "أحد أفراد الأسرة", "عضو خانواده", "Член сім’ї", "Член семьи", "Aile üyesi", "Familiar"),
    ("lawyer", "محامٍ", "وکیل", "Адвокат", "Адвокат", "Avukat", "Abogado/a"),
    ("social-worker", "أخصائي اجتماعي", "مددکار اجتماعی", "Соціальний працівник", "Социальный работник", "Sosyal hizmet uzmanı", "Trabajador/a social"),
    ("teacher", "معلّم أو مدرسة", "معلم یا مدرسه", "Учитель або школа", "Учитель или школа", "Öğretmen veya okul", "Docente o centro educativo"),
    ("volunteer", "متطوع أو أسرة مضيفة", "داوطلب یا خانواده میزبان", "Волонтер або приймаюча сім’я", "Волонтёр или принимающая семья", "Gönüllü veya ev sahibi aile", "Voluntario/a o familia de acogida"),
    ("health-worker", "مقدّم رعاية صحية", "کادر درمانی", "Медичний працівник", "Медицинский работник", "Sağlık çalışanı", "Profesional sanitario"),
    ("municipality", "البلدية", "شهرداری", "Муніципалітет", "Муниципалитет", "Belediye", "Municipio"),
    ("student-journalist", "طالب أو صحفي", "دانشجو یا روزنامه‌نگار", "Студент або журналіст", "Студент или журналист", "Öğrenci veya gazeteci", "Estudiante o periodista"),
    ("other", "غير ذلك", "سایر", "Інше", "Другое", "Diğer", "Otro"),
]

LANGUAGES = [
    # code, ar, fa, uk, ru, tr, es: the endonym where the reader's language is the row's own
    ("nl", "الهولندية", "هلندی", "нідерландська", "нидерландский", "Felemenkçe", "neerlandés"),
    ("fr", "الفرنسية", "فرانسوی", "французька", "французский", "Fransızca", "francés"),
    ("en", "الإنجليزية", "انگلیسی", "англійська", "английский", "İngilizce", "inglés"),
    ("ar", "العربية", "عربی", "арабська", "арабский", "Arapça", "árabe"),
    ("prs", "الدارية", "دری", "дарі", "дари", "Darice", "darí"),
    ("fa", "الفارسية", "فارسی", "фарсі", "фарси", "Farsça", "farsi"),
    ("ps", "البشتو", "پشتو", "пушту", "пушту", "Peştuca", "pastún"),
    ("ti", "التغرينية", "تیگرینیا", "тигринья", "тигринья", "Tigrinyaca", "tigriña"),
    ("ku", "الكردية", "کردی", "курдська", "курдский", "Kürtçe", "kurdo"),
    ("tr", "التركية", "ترکی", "турецька", "турецкий", "Türkçe", "turco"),
    ("so", "الصومالية", "سومالیایی", "сомалі", "сомали", "Somalice", "somalí"),
    ("am", "الأمهرية", "امهری", "амхарська", "амхарский", "Amharca", "amhárico"),
    ("ru", "الروسية", "روسی", "російська", "Русский", "Rusça", "ruso"),
    ("uk", "الأوكرانية", "اوکراینی", "Українська", "украинский", "Ukraynaca", "ucraniano"),
    ("ka", "الجورجية", "گرجی", "грузинська", "грузинский", "Gürcüce", "georgiano"),
    ("ln", "اللينغالا", "لینگالا", "лінгала", "лингала", "Lingalaca", "lingala"),
    ("sw", "السواحلية", "سواحیلی", "суахілі", "суахили", "Svahilice", "suajili"),
    ("rn", "الكيروندية", "کیروندی", "кірунді", "кирунди", "Kirundice", "kirundi"),
    ("es", "الإسبانية", "اسپانیایی", "іспанська", "испанский", "İspanyolca", "Español"),
]

# model name, lookup field, rows
LISTS = [
    ("Queue", "slug", QUEUES),
    ("Topic", "code", TOPICS),
    ("RequesterType", "code", REQUESTER_TYPES),
    ("Language", "code", LANGUAGES),
]


def fill(apps, schema_editor):
    for model_name, key, rows in LISTS:
        model = apps.get_model("helpdesk", model_name)
        names = {row[0]: dict(zip(PUBLIC_LANGUAGES, row[1:], strict=True)) for row in rows}
        for entry in model.objects.filter(**{f"{key}__in": list(names)}):
            missing = {
                f"name_{code}": name
                for code, name in names[getattr(entry, key)].items()
                if not (getattr(entry, f"name_{code}") or "").strip()
            }
            if missing:
                model.objects.filter(pk=entry.pk).update(**missing)


# The seed fixtures (tests/conftest.py) call the seeding functions by this name.
seed = fill


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0007_answer")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
