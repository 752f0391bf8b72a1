"""Date expressions keep the precision of the text and are never invented."""

import pytest

from alliance_kg.extract.dates import DateMention, datatype_of, find_dates, human, refines

CONTEXT = DateMention(0, 0, "2019-05-10", "date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On April 19, 2019, the meeting was held", [("2019-04-19", "date")]),
        ("In February 2009, the two countries signed", [("2009-02", "gYearMonth")]),
        ("since the conclusion of the treaty in 1960,", [("1960", "gYear")]),
        ("held on 16 January 2019", [("2019-01-16", "date")]),
        ("on 20th October 2020", [("2020-10-20", "date")]),
        ("on the 1st of May 2019", [("2019-05-01", "date")]),
        ("conducted from October 26 to November 5, 2020", [("2020", "gYear")]),
        ("an official visit to India on 19-20 March 2022", [("2022-03", "gYearMonth")]),
        ("from 8 to 10 June 2024", [("2024-06", "gYearMonth")]),
        ("the Mid-Term Defense Program (FY2019-FY2023)", []),
        ("February 30, 2019", [("2019", "gYear")]),
        ("in May 2019 and on June 4, 2019", [("2019-05", "gYearMonth"), ("2019-06-04", "date")]),
    ],
)
def test_find_dates_without_context(text, expected):
    assert [(d.value, d.datatype) for d in find_dates(text)] == expected


def test_partial_dates_need_a_context():
    text = "launches on May 9, which followed the launch on May 4, and formulated last December"
    assert find_dates(text) == []
    found = [(d.value, text[d.start : d.end]) for d in find_dates(text, CONTEXT)]
    assert found == [("2019-05-09", "May 9"), ("2019-05-04", "May 4"), ("2018-12", "last December")]


def test_a_span_of_days_is_its_month():
    found = find_dates("visited the United States from January 12 to 15, 2023, and on April 26-28")
    assert [(d.value, d.datatype) for d in found] == [("2023-01", "gYearMonth")]


def test_a_day_after_a_dated_month_takes_its_year():
    text = "visited the United States from January 12 to 15, 2023, and met him on January 13."
    assert [d.value for d in find_dates(text)] == ["2023-01", "2023-01-13"]
    # Not a day listed before the year, another month, or an aside in parentheses.
    listed = "launched missiles on March 3 and 26, 2014, and on March 2, 2015"
    assert [d.value for d in find_dates(listed)] == ["2014", "2015-03-02"]
    assert [d.value for d in find_dates("on April 10, 2024, and on May 3")] == ["2024-04-10"]
    aside = "On April 10, 2024 (0:00 a.m. on April 11, Japan time), the leaders met"
    assert [d.value for d in find_dates(aside)] == ["2024-04-10"]


def test_month_day_after_the_context_month_belongs_to_the_year_before():
    assert [d.value for d in find_dates("on December 3", CONTEXT)] == ["2018-12-03"]


def test_offsets_point_at_the_expression():
    text = "The Ministers met (August 7, 2019) in Tokyo."
    (date,) = find_dates(text)
    assert text[date.start : date.end] == "August 7, 2019"


def test_helpers():
    assert human("2019-04-19") == "April 19, 2019"
    assert datatype_of("2019-04") == "gYearMonth"
    assert refines("2019-04-19", "2019-04") and not refines("2019-04", "2019-04-19")
    with pytest.raises(ValueError):
        datatype_of("April 2019")
