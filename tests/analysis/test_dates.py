from datetime import date

import pytest

from analysis.dates import DateError, parse_date


def test_year_covers_the_whole_year():
    d = parse_date("2015")
    assert (d.first, d.last, d.precision) == (date(2015, 1, 1), date(2015, 12, 31), "year")


def test_month_covers_the_whole_month_including_leap_february():
    d = parse_date("2016-02")
    assert (d.first, d.last, d.precision) == (date(2016, 2, 1), date(2016, 2, 29), "month")


def test_day_is_a_single_day():
    d = parse_date("2014-11-07")
    assert (d.first, d.last, d.precision, str(d)) == (date(2014, 11, 7), date(2014, 11, 7), "day", "2014-11-07")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2017-02-30", "February 2017 has 28 days"),
        ("2014-13", "month 13"),
        ("7 Nov 2014", "is not a date"),
        ("2014-1-5", "is not a date"),
    ],
)
def test_impossible_or_misspelt_dates_say_why(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)
