"""Date and number formats for the languages Django ships none for (settings.FORMAT_MODULE_PATH).

Django has formats for nl, fr, en, ar, fa, uk, ru, tr and es; for Pashto, Tigrinya and Somali it
would fall back to the American defaults ("N j, Y", 12-hour clock). These modules hold the
Unicode CLDR patterns for them (CLDR 47, read through Babel 2.19 once, by hand; Babel is not a
dependency), written in Django's format characters. The month and weekday names they use come
from our catalogues (config/locale_gaps.py names them; the same CLDR data translates them).

Locales: ps as written in Afghanistan, ti in Eritrea, so in Somalia, the countries most of our
callers who speak them come from.
"""
