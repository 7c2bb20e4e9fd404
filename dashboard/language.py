"""The language a session speaks: the URL's `lang`, else the browser's preferred language, else English; the
sidebar's switch changes it, and every run writes it back to the URL so a shared link opens in the same language."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import streamlit as st

from analysis import i18n
from analysis.i18n import _

KEY = "_language"  # the session's language, which the sidebar's switch holds
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


def mark_page() -> None:
    """Tell the browser (and screen readers, WCAG 3.1.1) the page's language: Streamlit's page says `en` always."""
    st.html(
        f"<script>document.documentElement.lang = {i18n.language()!r};</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def keep_in_url() -> None:
    """The URL says the language, on every page (a page switch starts from a bare URL)."""
    if st.query_params.get(i18n.URL_KEY) != (code := i18n.language()):
        st.query_params[i18n.URL_KEY] = code


def switch() -> None:
    """The sidebar's language switch; changing it reruns the page in the other language, filters kept."""
    st.segmented_control(
        _("Language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.__getitem__, key=KEY, required=True
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
