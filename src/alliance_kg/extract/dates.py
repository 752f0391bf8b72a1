"""Dates as the text gives them, at the precision it gives them; never invented.

``find_dates`` returns every date expression of a text with its span and an ISO value typed
``date`` ("April 19, 2019"), ``gYearMonth`` ("May 2019") or ``gYear`` ("1960"). Expressions
without a year ("May 9", "last December") are resolved only against an explicit context date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MONTH_NAME = "|".join(MONTH_NAMES)  # a regex alternation of the full names

# A date as a sentence prints it after "in" or "on", as a pattern to place other words around
# it: "in June 2018", "on June 9, 2024", "in Jan. 2019".
PRINTED_DATE = r"(?:in|on)\s+(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?\d{4}"

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"

DAY_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b")
DAY_FIRST = re.compile(rf"\b{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")
MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")
YEAR = re.compile(r"(?<![\w/.-])(?P<year>(?:1[89]|20)\d\d)(?![\w/-]|\.\d)")
MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?\b(?!,?\s+(?:1[89]|20)\d\d)(?!\d)")
LAST_MONTH = re.compile(rf"\blast\s+{_MONTH}\b")
# Days of one month as a span: "January 12 to 15, 2023", "April 26-28, 2019": the month.
DAY_RANGE = re.compile(
    rf"\b{_MONTH}\s+(?P<first>[0-3]?\d)\s*(?:to|through|-|\u2013)\s*{_DAY},?\s+{_YEAR}\b"
)
# The same printed day first: "on 19-20 March 2022", "from 8 to 10 June 2024".
DAY_FIRST_RANGE = re.compile(
    rf"\b(?P<first>[0-3]?\d)\s*(?:to|through|-|\u2013)\s*{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"
)
DAY_RANGES = (DAY_RANGE, DAY_FIRST_RANGE)
# Days of two months: "from October 26 to November 5, 2020": only the year is one date.
MONTHS_RANGE = re.compile(
    rf"\b{_MONTH}\s+[0-3]?\d\s*(?:to|through|-|\u2013)\s*"
    + _MONTH.replace("?P<month>", "?P<month2>")
    + rf"\s+[0-3]?\d,?\s+{_YEAR}\b"
)
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression: its span in the text and its ISO value and XSD type."""

    start: int
    end: int
    value: str  # "2019-04-19", "2019-05" or "1960"
    datatype: str  # "date", "gYearMonth" or "gYear"

    @property
    def year(self) -> int:
        return int(self.value[:4])


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _valid(year: int, month: int, day: int) -> bool:
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30,
            31, 30, 31, 31, 30, 31, 30, 31]  # fmt: skip
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def find_dates(text: str, context: DateMention | None = None) -> list[DateMention]:
    """Every date in text, most precise reading first, non-overlapping, in text order.

    ``context`` (a full date) resolves "May 9" and "last December"; without it they are
    ignored.

    >>> [d.value for d in find_dates("On April 19, 2019, and in May 2019, since 1960")]
    ['2019-04-19', '2019-05', '1960']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, value: str, datatype: str) -> None:
        span = (m.start(), m.end())
        if not _overlaps(span, taken):
            taken.append(span)
            found.append(DateMention(m.start(), m.end(), value, datatype))

    # Spans of days first: their last day would read as a date of its own.
    for m in MONTHS_RANGE.finditer(text):
        if month_number(m["month"]) < month_number(m["month2"]):  # not over a new year
            add(m, m["year"], "gYear")
    for pattern in DAY_RANGES:
        for m in pattern.finditer(text):
            year, month = int(m["year"]), month_number(m["month"])
            if _valid(year, month, int(m["first"])) and _valid(year, month, int(m["day"])):
                add(m, f"{year:04d}-{month:02d}", "gYearMonth")
    for pattern in (DAY_MONTH_YEAR, DAY_FIRST):
        for m in pattern.finditer(text):
            year, month, day = int(m["year"]), month_number(m["month"]), int(m["day"])
            if _valid(year, month, day):
                add(m, f"{year:04d}-{month:02d}-{day:02d}", "date")
    for m in MONTH_YEAR.finditer(text):
        if m["month"] == "May" and not re.match(r"May\s", m.group()):
            continue
        add(m, f"{int(m['year']):04d}-{month_number(m['month']):02d}", "gYearMonth")
    if context is None:
        # A day without a year after a date of the text that gives its month with a year:
        # "visited the United States from January 12 to 15, 2023, and held a summit meeting
        # on January 13". Not a day listed before the year ("on March 3 and 26, ..., 2014, and
        # on March 2, 2015"), nor one in parentheses ("(0:00 a.m. on April 11, Japan time)").
        dated = [d for d in found if d.datatype != "gYear"]
        for m in MONTH_DAY.finditer(text):
            month, day = month_number(m["month"]), int(m["day"])
            same = {d.value[:4] for d in dated if int(d.value[5:7]) == month and d.end <= m.start()}
            aside = text.count("(", 0, m.start()) > text.count(")", 0, m.start())
            if (
                len(same) == 1
                and not aside
                and not (m["month"] == "May" and _looks_modal(text, m.start()))
            ):
                year = int(same.pop())
                if _valid(year, month, day):
                    add(m, f"{year:04d}-{month:02d}-{day:02d}", "date")
    if context is not None and context.datatype == "date":
        ctx_year, ctx_month = context.year, int(context.value[5:7])
        for m in MONTH_DAY.finditer(text):
            month, day = month_number(m["month"]), int(m["day"])
            if m["month"] == "May" and _looks_modal(text, m.start()):
                continue
            year = ctx_year if month <= ctx_month else ctx_year - 1
            if _valid(year, month, day):
                add(m, f"{year:04d}-{month:02d}-{day:02d}", "date")
        for m in LAST_MONTH.finditer(text):
            month = month_number(m["month"])
            year = ctx_year if month < ctx_month else ctx_year - 1
            add(m, f"{year:04d}-{month:02d}", "gYearMonth")
    for m in YEAR.finditer(text):
        add(m, m["year"], "gYear")
    found.sort(key=lambda d: d.start)
    return found


# The days listed before a full date that share its year: "May 14, July 4, July 28, and"
# before "November 29, 2017"; "February 12 and" before "May 21, 2017".
SERIES_DAY = re.compile(rf"{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?(?:,\s*|\s+)(?:and\s+)?$")


def date_series(text: str, date: DateMention) -> list[DateMention]:
    """The full date and the days listed right before it without a year of their own, in text
    order: each such day takes the full date's year.

    >>> [d.value for d in date_series("on May 14, July 4, and November 29, 2017",
    ...                               find_dates("on May 14, July 4, and November 29, 2017")[0])]
    ['2017-05-14', '2017-07-04', '2017-11-29']
    """
    if date.datatype != "date":
        return [date]
    found = [date]
    end = date.start
    while True:
        m = SERIES_DAY.search(text, 0, end)
        if m is None:
            break
        month, day = month_number(m["month"]), int(m["day"])
        if not _valid(date.year, month, day):
            break
        found.insert(
            0, DateMention(m.start(), m.end(), f"{date.year:04d}-{month:02d}-{day:02d}", "date")
        )
        end = m.start()
    return found


# Days of one month sharing its name and year: "July 4 and 28, 2017", "March 2, 9 and 20, 2020".
SHARED_MONTH = re.compile(
    rf"\b{_MONTH}\s+(?P<days>{_DAY}(?:(?:,\s*|\s+and\s+|,\s*and\s+)[0-3]?\d)+),?\s+{_YEAR}\b"
)


def shared_month_days(text: str) -> list[DateMention]:
    """Each day of a list that prints its month and year once, as a full date spanning the
    whole list ("July 4 and 28, 2017" gives 2017-07-04 and 2017-07-28). ``find_dates`` reads
    such a list as its year alone, which an event taking all of its days needs to see past.

    >>> [d.value for d in shared_month_days("launched on July 4 and 28, 2017")]
    ['2017-07-04', '2017-07-28']
    """
    found = []
    for m in SHARED_MONTH.finditer(text):
        year, month = int(m["year"]), month_number(m["month"])
        for day in re.findall(r"\d+", m["days"]):
            if _valid(year, month, int(day)):
                value = f"{year:04d}-{month:02d}-{int(day):02d}"
                found.append(DateMention(m.start(), m.end(), value, "date"))
    return found


def _looks_modal(text: str, pos: int) -> bool:
    """'May' as a modal verb ("they may 9...") rather than the month: a lower-case word before."""
    before = text[max(0, pos - 12) : pos].split()
    return (
        bool(before)
        and before[-1].islower()
        and before[-1] not in {"on", "in", "of", "since", "until", "by"}
    )


def human(value: str) -> str:
    """An ISO date value as printed in English.

    >>> human("2019-04-19"), human("2019-05"), human("1960")
    ('April 19, 2019', 'May 2019', '1960')
    """
    parts = value.split("-")
    if len(parts) == 3:
        return f"{MONTH_NAMES[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def datatype_of(value: str) -> str:
    """XSD type of an ISO value by its length."""
    if not ISO.match(value):
        raise ValueError(f"not an ISO date value: {value!r}")
    return {4: "gYear", 7: "gYearMonth", 10: "date"}[len(value)]


def refines(precise: str, coarse: str) -> bool:
    """True when ``precise`` lies within ``coarse`` ("2019-04-19" refines "2019-04" and "2019")."""
    return precise != coarse and precise.startswith(coarse)


def day_span(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date of any precision covers; ValueError if it is none.

    >>> day_span("2016-02")
    (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    """
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    raise ValueError(f"not an ISO date: {value!r}")
