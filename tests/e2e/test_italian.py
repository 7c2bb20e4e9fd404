"""In Italian (issue 16): every page's navigation, headings, sidebar, tiles and buttons speak Italian, a chart's SVG
carries Italian title and sources lines, and switching to English keeps the page and the filters."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from analysis import i18n, load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from charts.report import Charts
from tests.e2e.conftest import charts_drawn, expect_metrics, open_app, rerun_done, violations

pytestmark = pytest.mark.usefixtures("navigation_known")

PAGES = {
    "overview": "Panoramica",
    "map": "Mappa",
    "network": "Rete",
    "partners?org=puglia-creativa": "Partner",
    "money": "Fondi",
    "timeline": "Cronologia",
    "compare": "Confronto",
    "sources": "Fonti",
    "data": "Dati",
}
NAVIGATION = list(PAGES.values())
HEADINGS = {"money": "Fondi attraverso i partenariati"}  # pages whose title says more than their navigation link
# Words of the English interface that no Italian UI text holds (dataset names on these pages are Italian or proper
# names; a word here inside a heading or button means a message escaped the catalogue).
ENGLISH = re.compile(
    r"\b(the|and|of|with|from|in view|Download|Image|Data|Filters?|Reset|Period|Countries|Organisations?|Agreements?|"
    r"Actions?|Overview|Map|Network|Timeline|Sources?|Compare|Show|Choose|Select|Browse|Drag|Links?|Partners of|"
    r"Region|Country|Order|Draw|Interactive|Suggestions?|Summary|Share|Bundle|Table|Chart|Fullscreen|Search|Help for|"
    r"Remove|Autoscale|Sidebar|Main menu|Copy|Clear)\b"
)
UI = {
    "navigation": "[data-testid=stSidebarNavLink]",
    "headings": "h1, h2, h3, h4",
    "labels": "[data-testid=stWidgetLabel]",
    "tiles": "[data-testid=stMetricLabel]",
    "expanders": "[data-testid=stExpander] summary",
    "tabs": "[data-baseweb=tab]",
}
# What a button says: its text as drawn (hidden parts left out, its icon's ligature name left out) and its aria-label.
BUTTON_TEXT = """() => [...document.querySelectorAll('button, [role=button], a[data-testid=stPageLink-NavLink]')]
    .filter(b => b.offsetParent !== null && !b.closest('[data-testid=stSidebarNav], [data-testid=stToolbar]'))
    .flatMap(b => {
        let text = b.innerText;
        b.querySelectorAll('[data-testid=stIconMaterial]').forEach(i => text = text.replace(i.innerText, ''));
        return [text.trim(), (b.getAttribute('aria-label') || '').trim()]; })
    .filter(t => t)"""


def dataset_words() -> list[str]:
    """Names and titles of the curated dataset, longest first: dataset text stays as written in any language."""
    data = load_curated()
    names = [*data.organisations["name"], *data.agreements["title"], *data.actions["title"], *data.sources["title"]]
    return sorted({str(n) for n in names if isinstance(n, str) and n}, key=len, reverse=True)


def english_messages() -> set[str]:
    """Every English message whose Italian differs: none of these may be a whole UI text of an Italian page."""
    with i18n.speaking("it"):
        return {m.id for m in i18n.catalogue("it") if isinstance(m.id, str) and m.id and i18n._(m.id) != m.id}


def ui_texts(page) -> dict[str, list[str]]:
    texts = {
        what: [t.strip() for t in page.locator(selector).all_inner_texts() if t.strip()]
        for what, selector in UI.items()
    }
    texts["buttons"] = page.evaluate(BUTTON_TEXT)
    texts["sidebar"] = [page.locator("[data-testid=stSidebarUserContent]").inner_text()]
    return texts


def untranslated(texts: dict[str, list[str]], english: set[str], names: list[str]) -> list[str]:
    found = []
    for what, shown in texts.items():
        for text in shown:
            for line in text.splitlines():
                line = line.strip()
                words = line
                for name in names:
                    words = words.replace(name, "")
                if line in english or ENGLISH.search(words):
                    found.append(f"{what}: {line!r}")
    return found


@pytest.fixture(scope="module")
def known_words() -> tuple[set[str], list[str]]:
    return english_messages(), dataset_words()


# One test a page, so that the pages are read side by side on the run's workers.
@pytest.mark.e2e
@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_every_page_speaks_italian(curated_app, page, known_words, path, title):
    english, names = known_words
    joiner = "&" if "?" in path else "?"
    open_app(page, f"{curated_app.url}/{path}{joiner}lang=it")
    charts_drawn(page)  # charts and fragments draw on after the run
    texts = ui_texts(page)
    assert texts["navigation"] == NAVIGATION, path
    title = HEADINGS.get(path, title)
    assert texts["headings"][:2] == ["Filtri", title] or title in texts["headings"], (path, texts["headings"])
    assert page.evaluate("document.documentElement.lang") == "it"
    assert "lang=it" in page.url
    assert untranslated(texts, english, names) == []
    assert not page.locator("[data-testid=stException]").count(), path
    assert violations(page) == []  # accessible in Italian too (test_accessibility checks the English pages)
    assert "Deploy" not in page.inner_text("body")


@pytest.mark.e2e
def test_the_overview_tiles_in_italian(curated_app, page):
    open_app(page, f"{curated_app.url}/?lang=it&country=PL")
    kpis = Insights(load_curated(), Filters(countries=("PL",))).kpis()
    with i18n.speaking("it"):
        expected = {i18n._(label): i18n.integer(value) for label, value in kpis.items()}
    assert list(expected) == ["Organizzazioni", "Paesi", "Accordi", "Azioni"]
    expect_metrics(page, expected)


@pytest.mark.e2e
def test_a_charts_svg_carries_italian_title_and_sources(curated_app, page):
    open_app(page, f"{curated_app.url}/?lang=it")
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name=re.compile(r"Immagine SVG$")).first.click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    charts = Charts(Insights(load_curated(), Filters()), files=None)  # type: ignore[arg-type]
    with i18n.speaking("it"):
        chart = charts.countries()
        prov = charts.provenance(chart)
        expected = [chart.title, prov.filters_text, prov.source_line()]
    assert chart.title != "Organisations in view by country"
    text = spaced(html.unescape(html.unescape(re.sub(r"<[^>]+>", " ", svg))))
    for line in expected:
        assert spaced(line)[:60] in text
    assert re.search(r"\bFont[ei]\b", text)
    for english in ("Sources", "Organisations in view", "All countries", "made with"):
        assert english not in text


def spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.e2e
def test_switching_to_english_keeps_the_page_and_the_filters(curated_app, page):
    open_app(page, f"{curated_app.url}/timeline?lang=it&country=PL&from=2014&to=2019")
    assert page.locator("h1").first.inner_text().strip() == "Cronologia"
    page.locator("[data-testid=stSidebar]").get_by_role("radio", name="English", exact=True).click()
    rerun_done(page)
    assert page.locator("h1").first.inner_text().strip() == "Timeline"
    assert "/timeline" in page.url
    for kept in ("country=PL", "from=2014", "to=2019", "lang=en"):
        assert kept in page.url
    assert page.get_by_label("Remove Poland").count() == 1
    assert page.evaluate("document.documentElement.lang") == "en"
    # and on to another page through the navigation: still English, still Poland
    page.locator("[data-testid=stSidebarNavLink]", has_text="Map").click()
    rerun_done(page)
    assert page.locator("h1").first.inner_text().strip() == "Map"
    assert "lang=en" in page.url and "country=PL" in page.url


@pytest.mark.e2e
def test_the_language_follows_the_browser_unless_the_link_says_otherwise(curated_app, browser):
    context = browser.new_context(locale="it-IT", viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        open_app(page, f"{curated_app.url}/map")
        assert page.locator("h1").first.inner_text().strip() == "Mappa"
        assert "lang=it" in page.url
        open_app(page, f"{curated_app.url}/map?lang=en")
        assert page.locator("h1").first.inner_text().strip() == "Map"
    finally:
        context.close()
