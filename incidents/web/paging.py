"""Pages of a list without counting every row: a count that stops at a cap.

An exact count reads every row the user may see (100,000 for a manager) on each page view. The
lists count at most ``count_cap()`` rows (``SELECT count(*) FROM (... LIMIT cap + 1)``): below the
cap the page says "Page 2 of 7", above it "1,000+ incidents" and "Page 3", with Previous, Next and
First. A page reads its rows plus one, which tells whether there is a next page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet

from incidents.conf import missend

MAX_PAGE_NUMBER = 10**6


def count_cap() -> int:
    """``MISSEND_LIST_COUNT_CAP`` (default 1,000): how many rows a list counts at most."""
    return int(missend.LIST_COUNT_CAP)


def capped_count(queryset: QuerySet, cap: int | None = None, *, in_order: bool = False) -> tuple[int, bool]:
    """(count, capped): the number of rows, or ``cap`` and True when there are more than ``cap``.

    in_order: count along the list's own order, for a small cap (a searched list's page). Without an
    order PostgreSQL counts a common word through its full-text index, building a bitmap of every match
    (25,000 rows, 10 ms) to keep 51 of them; in order it walks the list's index as the page itself does
    and stops at the cap (under a millisecond).
    """
    cap = count_cap() if cap is None else cap
    # Only the ids: the annotations a queue adds for its rows (subqueries per row) are not counted.
    counted = (queryset if in_order else queryset.order_by()).values("pk")[: cap + 1].count()
    return (cap, True) if counted > cap else (counted, False)


def page_number(raw) -> int:
    """The page asked for: a whole number from 1; anything else is the first page."""
    text = str(raw or "").strip()
    if not text.isdigit() or len(text) > 7:
        return 1
    return max(1, min(int(text), MAX_PAGE_NUMBER))


@dataclass
class CappedPage:
    """One page of a list, shaped like Django's Page where templates use it."""

    object_list: list
    number: int
    per_page: int
    count: int
    count_is_capped: bool
    more: bool
    query: dict = field(default_factory=dict)  # the request's parameters but the page, kept in the links

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def paginator(self):  # templates written for Django's Page read page.paginator.num_pages
        return self

    @property
    def num_pages(self) -> int | None:
        """The number of pages, None when the count is capped."""
        if self.count_is_capped:
            return None
        return max(1, -(-self.count // self.per_page))

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def _link(self, number: int) -> str:
        parameters = [(k, v) for k, values in self.query.items() for v in values]
        if number > 1:
            parameters.append(("page", str(number)))
        return "?" + urlencode(parameters) if parameters else "?"

    @property
    def first_link(self) -> str:
        return self._link(1)

    @property
    def previous_link(self) -> str:
        return self._link(self.previous_page_number())

    @property
    def next_link(self) -> str:
        return self._link(self.next_page_number())

    @property
    def query_string(self) -> str:
        """The filters without the page, for links that keep them (the CSV export)."""
        return self._link(1)[1:]


def search_cap(parameters, end: int) -> int | None:
    """The cap of a searched list: the end of the page it shows. Every row a search counts is a
    match to test, and a common word matches most of the history, so a search says "50+ incidents"
    and offers the next page rather than testing a thousand rows. None when not searching."""
    return end if str(parameters.get("q", "")).strip() else None


def capped_page(queryset: QuerySet, request, per_page: int = 50, cap: int | None = None) -> CappedPage:
    """The page ``request.GET["page"]`` of ``queryset`` (two queries: the capped count and the rows).

    A page past the end shows the last page when the count is exact, else an empty page whose
    links lead back. A searched list counts only to the end of its page (search_cap).
    """
    number = page_number(request.GET.get("page"))
    searched = cap is None and search_cap(request.GET, number * per_page) is not None
    if cap is None:
        cap = search_cap(request.GET, number * per_page)
    count, capped = capped_count(queryset, cap, in_order=searched)
    if not capped:
        number = min(number, max(1, -(-count // per_page)))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1]) if (capped or count) else []
    query = {k: [v for v in request.GET.getlist(k) if v != ""] for k in request.GET if k != "page"}
    query = {k: v for k, v in query.items() if v}
    return CappedPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        count=count,
        count_is_capped=capped,
        more=len(rows) > per_page,
        query=query,
    )
