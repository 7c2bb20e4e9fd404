"""The sidebar's Search in a real browser: three letters typed list an organisation as a link (a keystroke reruns the
box alone), and following it opens the organisation's page with the filters of the page it started from."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import open_app, rerun_done, runs

pytestmark = pytest.mark.usefixtures("navigation_known")


def finished_runs(page: Page) -> list[int]:
    """How each script run the page hears of from now on ends (ForwardMsg.script_finished values)."""
    seen: list[int] = []

    def heard(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "script_finished":
                seen.append(message.script_finished)

    socket = runs(page).socket
    assert socket is not None
    socket.on("framereceived", heard)
    return seen


def test_three_letters_list_an_organisation_whose_link_keeps_the_filters(curated_app, page):
    open_app(page, f"{curated_app.url}/timeline?country=IT&from=2015")
    ended = finished_runs(page)
    box = page.locator("[data-testid=stSidebar]").get_by_label("Search", exact=True)
    box.click()
    box.press_sequentially("apu")  # Apulia Film Commission, Apulian ICT Living Labs
    found = page.get_by_role("link", name=re.compile(r"^Apulia Film Commission · Italy · agency · Puglia"))
    found.wait_for()
    rerun_done(page)  # the box's own run
    # Only the box ran, never the page: each letter a fragment run, one cut short by the next letter when typing
    # outruns the server (FINISHED_EARLY_FOR_RERUN, on a busy machine), none a whole run (FINISHED_SUCCESSFULLY).
    assert ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY in ended
    assert set(ended) <= {ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN}
    expect(page.get_by_role("link", name=re.compile(r"^Apulian ICT Living Labs"))).to_be_visible()
    assert page.locator("[data-testid=stSidebar] [data-testid=stPageLink] a").count() <= 10
    found.click()
    page.wait_for_url(re.compile(r"/organisation\?"))
    rerun_done(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["id"] == ["apulia-film-commission"]
    assert query["country"] == ["IT"] and query["from"] == ["2015"] and query["lang"] == ["en"]
    assert page.locator("[data-testid=stException]").count() == 0
    # The sidebar kept the filters too: the page opened on the same view.
    expect(page.get_by_label("Remove Italy")).to_be_visible()


def test_in_italian_the_box_is_cerca_and_a_region_links_to_its_page(curated_app, page):
    open_app(page, f"{curated_app.url}/?lang=it")
    box = page.locator("[data-testid=stSidebar]").get_by_label("Cerca", exact=True)
    box.click()
    box.press_sequentially("pugl")  # the region Puglia first (its organisations are the most involved)
    region = page.get_by_role("link", name=re.compile(r"^Puglia · Italia · regione NUTS-2 · ITF4"))
    region.wait_for()
    rerun_done(page)
    region.click()
    page.wait_for_url(re.compile(r"/region\?"))
    rerun_done(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["nuts2"] == ["ITF4"] and query["lang"] == ["it"]
    assert page.locator("[data-testid=stException]").count() == 0


def test_html_in_names_stays_text_in_the_search_and_on_the_pages_of_one(html_app, new_page, dialogs):
    """An organisation named `<script>alert('org')</script>`: the Search lists it, its page and its region's page
    name it, each as text; nothing runs and no element is injected."""
    page = new_page
    open_app(page, html_app.url)
    box = page.locator("[data-testid=stSidebar]").get_by_label("Search", exact=True)
    box.click()
    box.press_sequentially("scri")
    named = re.compile(r"^<script>alert\('org'\)<\/script> · ")  # '/' escaped for Playwright's selector syntax
    found = page.get_by_role("link", name=named)
    found.wait_for()
    rerun_done(page)
    found.click()
    page.wait_for_url(re.compile(r"/organisation\?"))
    rerun_done(page)
    assert "<script>alert('org')</script>" in page.inner_text("body")
    assert page.locator("[data-testid=stException]").count() == 0 and page.locator("img[src=x]").count() == 0
    open_app(page, f"{html_app.url}/region?nuts2=PL71")
    assert "<script>alert('org')</script>" in page.inner_text("body")
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("img[src=x], img[src=z]").count() == 0
    assert dialogs == []
