"""The language a session speaks: the URL's `lang`, else the browser's preferred language, else English; the
sidebar's switch changes it, and every run writes it back to the URL so a shared link opens in the same language."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import streamlit as st

from analysis import i18n
from analysis.i18n import N_, _

KEY = "_language"  # the session's language, which the sidebar's switch holds
NAMED_KEY = "_language_named"  # keys of widgets whose choices are named in words (see `named`)
P = ParamSpec("P")
R = TypeVar("R")


def _browser() -> str | None:
    try:
        return st.context.locale or st.context.headers.get("Accept-Language")
    except Exception:  # no browser behind this run (AppTest): English unless the URL says otherwise
        return None


def speak() -> str:
    """Set the language of this run (first run of a session: URL, then browser, then English) and return it."""
    if KEY not in st.session_state:
        st.session_state[KEY] = i18n.preferred(st.query_params.get(i18n.URL_KEY), _browser())
    code = st.session_state[KEY]
    i18n.set_language(code)
    return code


# Streamlit's and plotly's own words in the page's attributes (screen readers' names, tooltips, placeholders),
# which no parameter reaches: the whole attribute, or what follows or precedes a dataset's or a page's own words.
FRONTEND_WORDS = (
    N_("App pages"),
    N_("Autoscale"),
    N_("Choose an option"),
    N_("Choose options"),
    N_("Clear all"),
    N_("Clear value"),
    N_("Collapse sidebar"),
    N_("Expand sidebar"),
    N_("Copy to clipboard"),
    N_("Download as CSV"),
    N_("Download plot as a PNG"),
    N_("Fullscreen"),
    N_("Close fullscreen"),
    N_("Link to heading"),
    N_("Main menu"),
    N_("Open"),
    N_("Close"),
    N_("Pan"),
    N_("Reset axes"),
    N_("Search"),
    N_("Show/hide columns"),
    N_("Sidebar"),
    N_("Zoom"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Reset view"),
)
FRONTEND_PREFIXES = {
    "Help for ": N_("Help for {label}"),
    "Remove ": N_("Remove {label}"),
    "Fullscreen: ": N_("Fullscreen: {label}"),
    "Search: ": N_("Search: {label}"),
    "Show/hide columns: ": N_("Show/hide columns: {label}"),
}
FRONTEND_SUFFIXES = {" — start": N_("{label} — start"), " — end": N_("{label} — end")}
# Rewrites those attributes as Streamlit draws them, and puts the English back (kept in data-cn-en-*) in English.
_FRONTEND_SCRIPT = """<script>
(() => {
  const lang = %(lang)s, words = %(words)s, prefixes = %(prefixes)s, suffixes = %(suffixes)s;
  const attributes = ["aria-label", "title", "placeholder", "data-title"];
  const say = (english) => {
    if (english in words) return words[english];
    for (const [start, said] of Object.entries(prefixes))
      if (english.startsWith(start)) return said.replace("{label}", english.slice(start.length));
    for (const [end, said] of Object.entries(suffixes))
      if (english.endsWith(end)) return said.replace("{label}", english.slice(0, -end.length));
    return null;
  };
  const run = () => {
    for (const attribute of attributes) {
      const kept = "data-cn-en-" + attribute;
      for (const element of document.querySelectorAll("[" + attribute + "]")) {
        const now = element.getAttribute(attribute);
        const english = element.hasAttribute(kept) && element.getAttribute("data-cn-said-" + attribute) === now
          ? element.getAttribute(kept) : now;
        const said = lang === "en" ? english : say(english);
        if (said === null || said === now) continue;
        element.setAttribute(kept, english);
        element.setAttribute("data-cn-said-" + attribute, said);
        element.setAttribute(attribute, said);
      }
    }
  };
  window.clusternetWords = run;
  run();
  if (!window.clusternetWordsWatch) {
    window.clusternetWordsWatch = new MutationObserver(() => window.clusternetWords());
    window.clusternetWordsWatch.observe(document.body, {childList: true, subtree: true, attributes: true,
                                                      attributeFilter: ["aria-label", "title", "placeholder"]});
  }
})();
</script>"""


def mark_page() -> None:
    """Tell the browser (and screen readers, WCAG 3.1.1) the page's language, which Streamlit's page says is `en`
    always, and say Streamlit's and plotly's own attribute words (FRONTEND_WORDS) in it."""
    code = i18n.language()
    script = _FRONTEND_SCRIPT % {
        "lang": json.dumps(code),
        "words": json.dumps({english: _(english) for english in FRONTEND_WORDS}),
        "prefixes": json.dumps({start: _(said) for start, said in FRONTEND_PREFIXES.items()}),
        "suffixes": json.dumps({end: _(said) for end, said in FRONTEND_SUFFIXES.items()}),
    }
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(code)};</script>" + script,
        unsafe_allow_javascript=True,
        width="content",
    )


def keep_in_url() -> None:
    """The URL says the language, on every page (a page switch starts from a bare URL)."""
    if st.query_params.get(i18n.URL_KEY) != (code := i18n.language()):
        st.query_params[i18n.URL_KEY] = code


def named(key: str) -> str:
    """The key of a widget whose choices are named in words (a `format_func`): on a switch of language it is given
    its value again, or the browser would keep showing the choices in the words it was first sent."""
    st.session_state.setdefault(NAMED_KEY, set()).add(key)
    return key


def _respell() -> None:
    for key in st.session_state.get(NAMED_KEY, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def switch() -> None:
    """The sidebar's language switch; changing it reruns the page in the other language, filters kept."""
    st.segmented_control(
        _("Language"),
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.__getitem__,
        key=KEY,
        required=True,
        on_change=_respell,
    )


def later(make: Callable[[], R]) -> Callable[[], R]:
    """A download made when its button is clicked: Streamlit calls it outside the page's run, where no language is
    set, so it speaks the language of the run that drew the button."""
    code = i18n.language()

    def made() -> R:
        with i18n.speaking(code):
            return make()

    return made


def spoken(fragment: Callable[P, R]) -> Callable[P, R]:
    """A fragment reruns on its own, in a fresh context: it speaks the session's language too."""

    @wraps(fragment)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        speak()
        return fragment(*args, **kwargs)

    return run
