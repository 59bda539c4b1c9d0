"""The search box: which incidents a query finds, on PostgreSQL and on SQLite.

Every assessment writes ``Incident.search_text`` (incidents/insight/finding.py): the subject, the sender,
the recipients' addresses and names and the organisations' names, case-folded. A query is split
on spaces into words and every word must occur:

- PostgreSQL, a word without Chinese, Japanese or Korean characters: full-text search with the
  'simple' configuration (no stemming, no stop words: names and addresses are not English prose),
  served by the GIN index ``incident_search`` (migration 0016). Addresses and figures are split into
  their parts on both sides (``li.wei@globex.com.cn`` is the words li wei globex com cn), so a
  domain, a local part or a whole address finds the incident; a word's parts must follow each other
  and the last part may be the start of a word ("glob" finds Globex).
- a word with CJK characters (Chinese has no spaces, so the full-text parser would keep a whole
  sentence as one word): the case-folded word must occur in the text (``LIKE '%...%'``), on
  PostgreSQL too. No index serves this; the list reads newest first until its page is full.
- SQLite: every word must occur in the text (``search_text__contains``).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, Func, QuerySet, TextField, Value

# Characters that join the parts of addresses, domains and figures. Both the index (migration 0016)
# and the queries replace them by spaces, so PostgreSQL's parser sees the parts as separate words.
PART_SEPARATORS = "@.-_/:+'"
MAX_WORDS = 10
MAX_QUERY_LENGTH = 200

_CJK = re.compile(
    r"[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
_PART = re.compile(r"[^\W_]+")


def query_words(text: str) -> list[str]:
    """The case-folded words of a query, at most MAX_WORDS of them (the rest is ignored)."""
    return (text or "")[:MAX_QUERY_LENGTH].casefold().split()[:MAX_WORDS]


def has_cjk(word: str) -> bool:
    return bool(_CJK.search(word))


def search_document(field: str = "search_text"):
    """The expression PostgreSQL indexes and searches: the text with PART_SEPARATORS made spaces.

    The GIN index of migration 0016 is built from this same function, so the planner finds the
    query's expression in the index.
    """
    from django.contrib.postgres.search import SearchVector

    parted = Func(
        F(field),
        Value(PART_SEPARATORS),
        Value(" " * len(PART_SEPARATORS)),
        function="translate",
        output_field=TextField(),
    )
    return SearchVector(parted, config="simple")


def _tsquery(word: str):
    """One query word as a tsquery: its parts in sequence, the last one as a prefix; None if it has none."""
    from django.contrib.postgres.search import SearchQuery

    parts = _PART.findall(word)
    if not parts:
        return None
    # Parts are letters and digits only, so they cannot carry tsquery operators.
    raw = " <-> ".join(f"'{part}'" for part in parts[:-1]) + (" <-> " if len(parts) > 1 else "") + f"'{parts[-1]}':*"
    return SearchQuery(raw, config="simple", search_type="raw")


def incidents_matching(queryset: QuerySet, prefix: str, text: str) -> QuerySet:
    """``queryset`` narrowed to rows whose incident (reached through ``prefix``, "" or "incident__")
    matches every word of ``text``. An empty query narrows nothing."""
    words = query_words(text)
    if not words:
        return queryset
    field = f"{prefix}search_text"
    full_text = connection.vendor == "postgresql"
    tsqueries = []
    for word in words:
        if full_text and not has_cjk(word):
            tsquery = _tsquery(word)
            if tsquery is not None:
                tsqueries.append(tsquery)
            continue
        queryset = queryset.filter(**{f"{field}__contains": word})
    if tsqueries:
        combined = tsqueries[0]
        for tsquery in tsqueries[1:]:
            combined = combined & tsquery
        queryset = queryset.alias(search_document=search_document(field)).filter(search_document=combined)
    return queryset


def with_words_of(queryset: QuerySet, prefix: str, name: str) -> QuerySet:
    """On PostgreSQL, ``queryset`` narrowed through the GIN index to rows whose search text has the
    words of ``name`` (an organisation's name, which every assessment writes into the search text),
    so an exact test on another column (``organisation_names``) reads only those rows instead of
    every visible incident. Elsewhere, and for names with CJK words, it narrows nothing."""
    if connection.vendor != "postgresql" or any(has_cjk(word) for word in query_words(name)):
        return queryset
    return incidents_matching(queryset, prefix, name)
