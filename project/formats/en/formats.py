"""English as the site writes it where that differs from Django's own English formats.

Pages, lists and emails use the SHORT_ formats: ISO, so that no reader takes 03/04 for 4 March or
3 April. Drafts (letters to the people who got the wrong email) write the day out with DATE_FORMAT.
Both use a 24-hour clock. DATETIME_FORMAT stays Django's: only the admin shows it.
"""

SHORT_DATE_FORMAT = "Y-m-d"  # 2026-11-30; Django's English: 11/30/2026
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2026-11-30 14:05; Django's English: 11/30/2026 2:05 p.m.
DATE_FORMAT = "j F Y"  # 30 November 2026; Django's English: Nov. 30, 2026
TIME_FORMAT = "H:i"  # 14:05; Django's English: 2:05 p.m.
