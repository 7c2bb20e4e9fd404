"""Links to the page of one organisation or one place, from wherever a name appears: the filters in force (and the
language) travel with them, so the page opens on the same view."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.filters import to_query
from analysis.i18n import _
from dashboard import state
from dashboard.safe import md

ORGANISATION_PATH = "organisation"  # /organisation?id=ID
REGION_PATH = "region"  # /region?nuts2=CODE or /region?country=CC
ORGANISATION_KEY = "id"
REGION_KEYS = ("nuts2", "country")
PageKind = Literal["organisation", "region"]


def kept() -> dict[str, str]:
    """The query string a link keeps: the filters in force and the language spoken."""
    return {**to_query(state.filters()), i18n.URL_KEY: i18n.language()}


def organisation_params(org_id: str) -> dict[str, str]:
    return {**kept(), ORGANISATION_KEY: org_id}


def region_params(code: str) -> dict[str, str]:
    """A NUTS-2 code (4 characters) opens the region's page, an ISO country code (2) the country's. `country` is
    also the filters' key for countries: a country's page is the view of that one country."""
    return {**kept(), ("country" if len(code) == 2 else "nuts2"): code}


def organisation_url(org_id: str) -> str:
    """A relative address of an organisation's page, for tables' link columns and markdown."""
    return f"{ORGANISATION_PATH}?{urlencode(organisation_params(org_id), safe=',', doseq=True)}"


def region_url(code: str) -> str:
    return f"{REGION_PATH}?{urlencode(region_params(code), safe=',', doseq=True)}"


def organisation_link(org_id: str, label: str, **kwargs: object) -> None:
    """A link (an <a> in the page) to an organisation's page; the label is dataset text, escaped."""
    from dashboard.views import organisation  # the page imports this module

    st.page_link(organisation.page(), label=md(label), query_params=organisation_params(org_id), **kwargs)


def region_link(code: str, label: str, **kwargs: object) -> None:
    """A link to a NUTS-2 region's page (or a country's, for a 2-letter code)."""
    from dashboard.views import region

    st.page_link(region.page(), label=md(label), query_params=region_params(code), **kwargs)


PAGE_COLUMN = "page"  # a table's column of links to each row's page


def page_urls(ids: Iterable[object], kinds: Iterable[object]) -> list[str | None]:
    """Each row's page address (`kinds`: "organisation" or "region" row by row; anything else, or no id: None). The
    kept part of the address is encoded once, not once a row: a Network table has 40,000 rows at programme scale."""
    query = urlencode(kept(), safe=",", doseq=True)  # programmes: a repeated key
    paths = {"organisation": (ORGANISATION_PATH, ORGANISATION_KEY), "region": (REGION_PATH, "nuts2")}
    urls: list[str | None] = []
    for i, k in zip(ids, kinds, strict=True):
        if k not in paths or not isinstance(i, str) or not i:
            urls.append(None)
        elif k == "region" and len(i) == 2:
            urls.append(region_url(i))  # a country's own key replaces the filters' (region_params)
        else:
            path, key = paths[str(k)]
            urls.append(f"{path}?{query}&{urlencode({key: i})}")
    return urls


def with_pages(table: pd.DataFrame, ids: str, kind: PageKind | pd.Series) -> pd.DataFrame:
    """A copy of `table` with a column of relative links to each row's page: `kind` says which page ("organisation"
    or "region", a region's code or a country's), or gives it row by row (None: no page, the cell stays empty)."""
    kinds = kind if isinstance(kind, pd.Series) else [kind] * len(table)
    return table.assign(**{PAGE_COLUMN: page_urls(table[ids], kinds)})


def page_column() -> Any:
    """How a table shows its column of page links (its cells open the page in a new tab)."""
    return st.column_config.LinkColumn(
        _("Page"), display_text=_("open"), help=_("The page of this organisation or place, with the filters kept")
    )
