"""The Italian catalogue is complete and well formed, no UI text bypasses it, and numbers, dates and country names
follow the language."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from analysis import i18n
from analysis.i18n import _
from analysis.messages import ROOT, extracted, missing, placeholders
from analysis.words import counted, kind_label, listed, plural

PO_FILES = i18n.po_files("it")


def test_every_message_has_its_italian_translation() -> None:
    gaps = [f"{m.where}: {m.id!r}" for m in missing("it")]
    assert not gaps, "untranslated (python -m analysis.messages missing it):\n" + "\n".join(gaps)


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for message in i18n.catalogue("it"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*map(placeholders, ids))
        wrong += [f"{ids[0]!r} -> {s!r}" for s in strings if placeholders(s) != wanted]
    assert not wrong, "\n".join(wrong)


def test_no_message_is_translated_twice_differently() -> None:
    seen: dict[str, tuple[object, str]] = {}
    clashes = []
    for path in PO_FILES:
        with path.open("rb") as po:
            for message in read_po(po, locale="it"):
                key = message.id if isinstance(message.id, str) else message.id[0]
                if key and key in seen and seen[key][0] != message.string:
                    clashes.append(f"{key!r}: {seen[key][1]} and {path.name}")
                seen.setdefault(key, (message.string, path.name))
    assert not clashes, "\n".join(clashes)


def test_the_catalogue_holds_no_message_the_code_no_longer_says() -> None:
    said = {m.id for m in extracted()}
    stale = [m.id for m in i18n.catalogue("it") if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in said]
    assert not stale, "\n".join(map(repr, stale))


# --- No UI text bypasses translation -------------------------------------------------------------------------------

# Streamlit calls whose first argument or these keywords are words the analyst reads.
ST_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "write", "info", "warning", "error", "success", "toast",
    "button", "download_button", "link_button", "page_link", "metric", "expander", "popover", "tabs", "selectbox",
    "multiselect", "checkbox", "toggle", "radio", "slider", "select_slider", "segmented_control", "pills",
    "text_input", "number_input", "date_input", "file_uploader", "spinner", "progress", "Page", "status",
    "TextColumn", "NumberColumn", "LinkColumn", "ListColumn", "ProgressColumn", "DateColumn", "Column",
}  # fmt: skip
UI_KEYWORDS = {"label", "help", "placeholder", "alt", "caption", "body", "title", "text"}
# Plotly and the charts' own dataclasses: titles, axis titles, legend entries and hovers.
FIGURE_KEYWORDS = {"title", "title_text", "xaxis_title", "yaxis_title", "legend_title_text", "name", "hovertemplate"}
TRANSLATING = {"_", "ngettext", "plural", "N_", "counted", "listed", "kind_label"}
WORDS = re.compile(r"[A-Za-z]{3,}")
UI_FILES = sorted(
    p.relative_to(ROOT).as_posix()
    for package in ("dashboard", "charts")
    for p in (ROOT / package).rglob("*.py")
    if p.name not in ("engine_worker.py", "serve.py")
)


def _literal_words(node: ast.AST) -> str | None:
    """The English of a literal (plain or f-string) that is not inside a translation call, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        text = None
    if text is not None:  # markup and plotly's %{x} are no words
        return text if WORDS.search(re.sub(r"<[^>]*>|%\{[^}]*\}", "", text)) else None
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return None


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def bypasses(source: str) -> list[str]:
    """UI words of a module said without the catalogue: `line: text`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _called(node) in TRANSLATING:
            continue
        name = _called(node)
        candidates: list[ast.AST] = []
        if name in ST_CALLS:
            candidates += node.args[:1] + [k.value for k in node.keywords if k.arg in UI_KEYWORDS]
        candidates += [k.value for k in node.keywords if k.arg in FIGURE_KEYWORDS]
        if name == "Chart" and len(node.args) > 1:
            candidates.append(node.args[1])  # Chart(name, title, ...)
        for candidate in candidates:
            if (text := _literal_words(candidate)) is not None:
                found.append(f"{candidate.lineno}: {text!r}")
    return found


def test_the_bypass_check_finds_untranslated_words() -> None:
    assert bypasses('st.header("Filters")\nst.header(_("Filters"))') == ["1: 'Filters'"]
    assert bypasses('fig.update_layout(xaxis_title=f"Year {x}")') == ["1: 'Year '"]
    assert bypasses('st.caption(_("{n} rows").format(n=3))\nChart("map", "Partner regions", fig)') == [
        "2: 'Partner regions'"
    ]
    assert bypasses('go.Scatter(hovertemplate="%{x}<br>%{y}<extra></extra>")') == []


@pytest.mark.parametrize("module", UI_FILES)
def test_no_ui_text_bypasses_translation(module: str) -> None:
    found = bypasses((ROOT / module).read_text(encoding="utf-8"))
    assert not found, f"{module} says these without _():\n" + "\n".join(found)


def test_messages_are_literal_so_the_catalogue_can_hold_them() -> None:
    """`_(f"...")` or `_("a" + b)` can never be found in the catalogue: translate the literal, then format it. And
    `f"{_('...')}"` hides the message from Babel's extractor on Python 3.11: say it outside the f-string."""
    wrong = []
    for package in ("analysis", "charts", "dashboard"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                literal = isinstance(node, ast.Call) and node.args and _called(node) in ("_", "N_")
                if literal and isinstance(node.args[0], ast.JoinedStr | ast.BinOp):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: not a literal")
                if isinstance(node, ast.JoinedStr):
                    inner = [
                        n
                        for n in ast.walk(node)
                        if isinstance(n, ast.Call)
                        and _called(n) in TRANSLATING
                        and any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in n.args)
                    ]
                    wrong += [f"{path.relative_to(ROOT)}:{n.lineno}: inside an f-string" for n in inner]
    assert not wrong, "\n".join(wrong)


# --- Words, numbers, dates, countries --------------------------------------------------------------------------------


def test_numbers_and_dates_follow_the_language() -> None:
    assert (i18n.integer(1234), i18n.decimal(1234.5), i18n.day(date(2014, 11, 7))) == (
        "1,234",
        "1,234.5",
        "7 November 2014",
    )
    with i18n.speaking("it"):
        assert (i18n.integer(1234), i18n.decimal(1234.5), i18n.day(date(2014, 11, 7))) == (
            "1.234",
            "1.234,5",
            "7 novembre 2014",
        )
        assert i18n.month(date(2014, 11, 1)) == "novembre 2014"
        assert i18n.written_date("2014-11-07") == "7 novembre 2014"
        assert i18n.written_date("2014") == "2014"
        assert i18n.percent(0.455) == "46%"
    assert i18n.language() == "en"  # the block ends, English again


def test_words_in_italian() -> None:
    with i18n.speaking("it"):
        assert plural(1, "{count} organisation", "{count} organisations") == "1 organizzazione"
        assert plural(2400, "{count} organisation", "{count} organisations") == "2.400 organizzazioni"
        assert counted(1, 2) == "1 accordo e 2 azioni"
        assert listed(["Polonia", "Portogallo", "Germania"]) == "Polonia, Portogallo e Germania"
        assert kind_label("trade_mission") == "missione commerciale"
        assert [_("Organisations"), _("Countries"), _("Agreements"), _("Actions")] == [
            "Organizzazioni",
            "Paesi",
            "Accordi",
            "Azioni",
        ]
    assert plural(2400, "{count} organisation", "{count} organisations") == "2,400 organisations"
    assert kind_label("trade_mission") == "trade mission"


def test_country_names_come_from_iso_in_the_language() -> None:
    assert i18n.country_name("PL", "Poland") == "Poland"
    assert i18n.country_name("XK", "Kosovo") == "Kosovo"  # not an ISO code: the dataset's name
    with i18n.speaking("it"):
        assert [i18n.country_name(c) for c in ("PL", "PT", "DE", "NL", "GB")] == [
            "Polonia",
            "Portogallo",
            "Germania",
            "Paesi Bassi",
            "Regno Unito",
        ]
        assert i18n.country_name("XK", "Kosovo") == "Kosovo"


@pytest.mark.parametrize(
    ("url", "browser", "expected"),
    [
        ("it", "en-GB,en;q=0.9", "it"),
        ("en", "it-IT", "en"),
        (None, "it-IT,it;q=0.9,en;q=0.8", "it"),
        (None, "fr-FR,fr;q=0.9,it;q=0.5", "it"),
        ("de", "de-DE", "en"),
        (None, None, "en"),
    ],
)
def test_the_language_comes_from_the_url_then_the_browser_then_english(
    url: str | None, browser: str | None, expected: str
) -> None:
    assert i18n.preferred(url, browser) == expected


def test_the_catalogue_ships_with_the_package() -> None:
    assert PO_FILES, "no Italian .po file"
    assert all(Path(p).is_relative_to(ROOT / "analysis" / "locale") for p in PO_FILES)
