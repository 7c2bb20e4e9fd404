"""Links keep several programmes: the `programme` key repeated, each name whole (a name may hold a comma)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd

from analysis import i18n
from analysis.filters import Filters
from dashboard import links, state

INTERREG = "Interreg V-A, Italy-Croatia"


def test_links_repeat_the_programme_key(monkeypatch):
    monkeypatch.setattr(state, "filters", lambda: Filters(countries=("IT",), programmes=("H2020", INTERREG)))
    with i18n.speaking("en"):
        urls = [links.organisation_url("org-1"), links.region_url("ITF4")]
        urls += list(links.with_pages(pd.DataFrame({"id": ["org-2"]}), "id", "organisation")[links.PAGE_COLUMN])
    for url in urls:
        query = parse_qs(urlsplit(url).query)
        assert query["programme"] == ["H2020", INTERREG] and query["country"] == ["IT"], url
