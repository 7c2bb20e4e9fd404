"""Sources: where every fact in view comes from, and which facts each source backs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.i18n import _
from analysis.insights import Insights
from analysis.words import plural
from dashboard import links, state
from dashboard.downloads import table_download
from dashboard.layout import header
from dashboard.safe import md

PICK = "sources_pick"  # the selectbox: the source whose facts are listed
TABLE_PICK = "_sources_table_pick"  # the table row picked last, to tell a new click from a standing selection
ALL = "sources_all"
COUNTS = ["facts", "organisations", "agreements", "actions", "participations"]  # the sortable table's counts


def _count_columns() -> dict[str, object]:
    """How the counts' columns read, in the language spoken."""
    return {
        "facts": st.column_config.NumberColumn(
            _("Facts citing it"), help=_("Organisations, agreements, actions, participations")
        ),
        "organisations": st.column_config.NumberColumn(_("Organisations")),
        "agreements": st.column_config.NumberColumn(_("Agreements")),
        "actions": st.column_config.NumberColumn(_("Actions")),
        "participations": st.column_config.NumberColumn(
            _("Participations"), help=_("Parties to agreements, participants in actions")
        ),
    }


def _table(sources: pd.DataFrame, key: str) -> str | None:
    """The sortable table of sources, one row selectable; returns the source of the row picked, if any."""
    event = st.dataframe(
        sources[["title", "facts", "publisher", "published_on", "language", "url", *COUNTS[1:]]],
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        placeholder="",
        alt=_("Sources and how many facts cite them"),
        column_config={
            "title": st.column_config.TextColumn(_("Title"), width=320),
            "publisher": st.column_config.TextColumn(_("Publisher"), width=170),
            "published_on": st.column_config.TextColumn(
                _("Date"), width=90, help=_("As written: a day, a month or a year")
            ),
            "language": st.column_config.TextColumn(_("Language"), width="small"),
            # The loader admits only http(s) addresses and source_counts drops any other; shown as the host.
            "url": st.column_config.LinkColumn(_("Link"), width=160, display_text=r"https?://([^/?#]+)"),
            **_count_columns(),
        },
    )
    rows = event.selection.rows
    return str(sources.iloc[rows[0]]["source_id"]) if rows else None


def _follow_table(picked: str | None) -> None:
    """A row newly picked in the table becomes the selectbox's choice; the selectbox can then move on its own."""
    if picked != st.session_state.get(TABLE_PICK):
        st.session_state[TABLE_PICK] = picked
        if picked is not None:
            st.session_state[PICK] = picked


def _lead_table(options: list[str], table_key: str) -> None:
    """A source chosen in the selectbox becomes the table's selected row, so the two never disagree."""
    picked = st.session_state.get(PICK)
    rows = [options.index(picked)] if picked in options else []
    st.session_state[table_key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    st.session_state[TABLE_PICK] = picked


def _chooser(sources: pd.DataFrame, table_key: str) -> str | None:
    """A selectbox over the same sources, for keyboard users, in step with the table."""
    options = list(sources["source_id"])
    if st.session_state.get(PICK) not in options:
        st.session_state.pop(PICK, None)  # picked under other filters or scope: no longer listed
    titles = dict(zip(sources["source_id"], sources["title"], strict=True))
    return st.selectbox(
        _("Facts citing the source"),
        options,
        index=None,
        key=PICK,
        format_func=lambda source_id: titles.get(source_id, source_id),
        placeholder=_("Choose a source, or select a row of the table"),
        on_change=_lead_table,
        args=(options, table_key),
    )


def _facts_of(insights: Insights, sources: pd.DataFrame, source_id: str, everything: bool) -> None:
    source = sources.set_index("source_id").loc[source_id]
    facts = insights.facts_citing(source_id, everything)
    st.subheader(_("Facts citing: {title}").format(title=md(source["title"])))
    if everything:
        said = plural(
            len(facts),
            "{count} fact in the dataset cites this source.",
            "{count} facts in the dataset cite this source.",
        )
    else:
        said = plural(len(facts), "{count} fact in view cites this source.", "{count} facts in view cite this source.")
    st.caption(said)
    shown = facts[["type", "fact", "fact_id"]].assign(type=facts["type"].map(_))  # the kind of fact in words
    organisations = facts["table"].map({"organisations": "organisation"})  # the facts that have a page of their own
    st.dataframe(
        links.with_pages(shown, "fact_id", organisations),
        hide_index=True,
        alt=_("Facts citing the selected source"),
        column_config={
            links.PAGE_COLUMN: links.page_column(),
            "type": _("Fact"),
            "fact": st.column_config.TextColumn(_("Name or title"), width="large"),
            "fact_id": _("Identifier"),
        },
    )


def render() -> None:
    charts = state.charts()
    insights = charts.insights
    header(
        _("Sources"),
        insights,
        _(
            "Every organisation, agreement, action and participation cites the sources it comes from. "
            "Select a source to see the facts that cite it."
        ),
    )
    everything = st.toggle(
        _("All sources in the dataset"),
        key=ALL,
        help=_("Off: only the sources cited by the facts in view, counting only those facts."),
    )
    sources = insights.sources(everything)
    if everything:
        said = plural(
            len(sources),
            "{count} source in the dataset; counts are over all its facts.",
            "All {count} sources of the dataset; counts are over all its facts.",
        )
    else:
        said = plural(
            len(sources),
            "{count} source backs the facts in view; counts are over those facts only.",
            "{count} sources back the facts in view; counts are over those facts only.",
        )
    st.caption(said)
    if sources.empty:
        st.info(_("No fact in view cites a source."))
        return
    # The key names the scope and the filters: a selection is a row number, valid only for the table it was made in.
    table_key = f"sources_table:{everything}:{hash((insights.dataset.fingerprint, insights.filters))}"
    _follow_table(_table(sources, table_key))
    what = "sources-all" if everything else "sources"
    table_download(charts, _("Sources (CSV)"), lambda: sources, what, "sources_csv")
    picked = _chooser(sources, table_key)
    if picked is not None:
        _facts_of(insights, sources, picked, everything)
