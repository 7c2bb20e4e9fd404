"""The Partners page's chart and files: an organisation's ego network with its suggested partners drawn dashed."""

from __future__ import annotations

import html
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.cache import FileCache, Memo, memoised
from analysis.i18n import N_, _
from analysis.provenance import Provenance
from analysis.suggest import DEFAULT_TOP, Partners, Suggestion, suggestions_table
from analysis.words import plural
from charts import files
from charts.network import layout, link_lines, short
from charts.palette import OTHER, colours
from charts.report import Chart, Charts, Exports

PARTNERS_DRAWN = 25  # the organisation's strongest partners drawn besides the shared ones (a hub has thousands)
# A suggestion's shared partners drawn, the strongest evidence first: a hub's suggestions share hundreds each, and
# drawing them all (900 organisations) took 3 s to lay out and could not be read; the table lists them all.
SHARED_DRAWN = 5
SUGGESTED = "#0072B2"  # Okabe-Ito blue, as the Compare page's new links
TIE = "#b8bcc2"

# Column definitions: N_() here, said in the language of the files that carry them (Provenance.about_rows) and of
# the page that shows them (dashboard/views/partners.py says them with `_()`).
EGO_COLUMNS = {
    "node": N_("organisation id"),
    "role": N_("the organisation, a partner (tied to it in view) or a suggested partner (not yet tied)"),
    "weight": N_("agreements and actions shared with the organisation (0 for a suggested partner)"),
    "score": N_(
        "Adamic-Adar score of a suggested partner: the sum over the partners both share of 1 / ln(their "
        "number of partners)"
    ),
}
TABLE_COLUMNS = {
    "Organisation": N_("suggested partner, best first"),
    "Country": N_("its ISO country code"),
    "Score": N_(
        "Adamic-Adar score: the sum over the partners both share of 1 / ln(their number of partners), on the "
        "organisation network under the filters"
    ),
    "Shared partners": N_("the partners both share, the most telling (fewest partners of their own) first"),
    "Reasons": N_(
        "why, in words: the agreements and actions through each shared partner, and what else the data shows"
    ),
    "org_id": N_("its organisation id"),
}
# The drawn organisations by role: the legend's names and the hover's words.
ROLE_NAMES = {"organisation": N_("The organisation"), "partner": N_("Partner"), "suggested": N_("Suggested")}
ROLE_WORDS = {"organisation": N_("the organisation"), "partner": N_("partner"), "suggested": N_("suggested partner")}


def _hover(label: str, country: str, role: str, extra: str) -> str:
    """Escaped: dataset text reaches plotly's HTML."""
    return f"<b>{html.escape(label)}</b><br>{html.escape(country)}<br>{role}{extra}"


def _role_detail(role: str, score: float, weight: int) -> str:
    """What the hover adds for a suggested partner (its score) or a partner (what it shares), in the language spoken."""
    if role == "suggested":
        return "<br>" + _("score {score}").format(score=i18n.decimal(score, 3))
    if role == "partner":
        return "<br>" + plural(int(weight), "{count} shared item", "{count} shared items")
    return ""


def ego_figure(
    partners: Partners, node: str, found: list[Suggestion], country_names: dict[str, str], all_countries: list[str]
) -> tuple[go.Figure, pd.DataFrame]:
    """The organisation, the partners each suggestion shares with it (the first SHARED_DRAWN) and its strongest
    others, and the suggested
    partners tied to it by dashed lines; with one row per drawn organisation. Words in the language spoken;
    `country_names` as it names the countries."""
    i = partners.position(node)
    weights = partners.net.adjacency()
    mine = partners.partners_of(i)
    strength = np.asarray(weights[i, mine].todense()).ravel() if len(mine) else np.zeros(0)
    shared = {w for s in found for w in s.shared[:SHARED_DRAWN]}
    strongest = [partners.ids[w] for w in mine[np.lexsort((partners.ids[mine], -strength))][:PARTNERS_DRAWN]]
    drawn_partners = sorted(shared | set(strongest))
    weight_of = dict(zip(partners.ids[mine], strength.astype(int), strict=True))
    rows = [(node, "organisation", 0, np.nan)]
    rows += [(p, "partner", int(weight_of[p]), np.nan) for p in drawn_partners]
    rows += [(s.node, "suggested", 0, s.score) for s in found]
    table = pd.DataFrame(rows, columns=["node", "role", "weight", "score"])
    at = partners.positions(table["node"])
    table.insert(1, "label", partners.labels[at])
    table.insert(2, "country", partners.countries[at])
    ties = [(node, p, weight_of[p]) for p in drawn_partners]
    drawn = set(drawn_partners)
    through = [(w, s.node, 1) for s in found for w in s.shared if w in drawn]
    dashed = [(node, s.node, 1) for s in found]
    where = layout(list(table["node"]), pd.DataFrame(ties + through + dashed, columns=["a", "b", "weight"]))
    fig = go.Figure()
    for links, style, name in (
        (ties, {"color": TIE, "width": 1.2}, _("Tied in view")),
        (through, {"color": TIE, "width": 0.6, "dash": "dot"}, _("Shared partner's tie")),
        (dashed, {"color": SUGGESTED, "width": 1.6, "dash": "dash"}, _("Suggested partner (not yet tied)")),
    ):
        xs, ys = link_lines(where, ((a, b) for a, b, _weight in links))
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=style, hoverinfo="skip", name=name))
    palette = colours(all_countries)
    rings = {"organisation": ("#000", 3, 26), "partner": ("white", 0.5, 14), "suggested": (SUGGESTED, 3, 16)}
    for role, group in table.groupby("role", sort=False):
        ring, width, size = rings[str(role)]
        fig.add_trace(
            go.Scatter(
                x=[where[n][0] for n in group["node"]],
                y=[where[n][1] for n in group["node"]],
                mode="markers+text",
                marker={
                    "size": size,
                    "color": [palette.get(c, OTHER) for c in group["country"]],
                    "line": {"color": ring, "width": width},
                },
                text=[html.escape(short(str(label))) for label in group["label"]],
                textposition="top center",
                textfont={"size": 10},
                hovertext=[
                    _hover(
                        str(r.label),
                        country_names.get(r.country, r.country),
                        _(ROLE_WORDS[str(r.role)]),
                        _role_detail(str(r.role), r.score, r.weight),
                    )
                    for r in group.itertuples()
                ],
                hoverinfo="text",
                customdata=group["node"].to_numpy(),
                name=_(ROLE_NAMES[str(role)]),
            )
        )
    fig.update_layout(
        height=620,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        plot_bgcolor="white",
        dragmode="pan",
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
    )
    return fig, table


class PartnerCharts(Exports):
    """Suggestions for one organisation in one view (a Charts), narrowed to candidate countries; with its files."""

    def __init__(self, charts: Charts, org: str, within: tuple[str, ...], files: FileCache) -> None:
        self.charts = charts
        self.insights = charts.insights
        self.org = org
        self.within = within
        self.files = files
        self.memo = Memo()

    def weight(self) -> int:
        """Bytes these suggestions hold (the view is counted where it is kept)."""
        return self.memo.bytes

    @memoised
    def suggestions(self, top: int = DEFAULT_TOP) -> list[Suggestion]:
        """The best `top` suggestions; analysis.suggest.UnknownNode if the organisation is not in view."""
        return self.insights.partners("org").suggest(self.org, self.within, top=top)

    @memoised
    def table(self) -> pd.DataFrame:
        return suggestions_table(self.suggestions())

    @memoised
    def ego(self) -> Chart:
        partners = self.insights.partners("org")
        fig, table = ego_figure(
            partners, self.org, self.suggestions(), self.charts._country_names, self.charts._all_countries
        )
        label = partners.labels[partners.position(self.org)]
        title = _("Suggested partners of {organisation}").format(organisation=label)
        return Chart(f"partners-{self.org}", title, fig, table, EGO_COLUMNS)

    def report_charts(self) -> list[Chart]:
        return [self.ego()]

    # Files

    def provenance(self, chart: Chart) -> Provenance:
        return self.insights.provenance(chart.title, chart.definitions)

    def file_name(self, what: str, extension: str) -> str:
        narrowed = f"-in-{'-'.join(self.within)}" if self.within else ""
        return files.file_name(f"{what}{narrowed}", self.insights.filters, extension)

    def _key(self, *parts: object) -> tuple:
        fingerprint = self.insights.dataset.fingerprint
        return (fingerprint, self.insights.filters, "partners", self.org, self.within, *parts, date.today())

    def bundle(self) -> bytes:
        """The ego network (PNG, SVG, CSV), the suggestions with their reasons (CSV), the sources and README.txt."""
        title = _("Partner suggestions for {organisation}").format(organisation=self.org)
        return self.files.get(
            self._key("bundle"),
            lambda: self.zipped(
                self.report_charts(),
                {f"partners-{self.org}-suggestions": self.table()},
                self.insights.provenance(title, TABLE_COLUMNS),
            ),
        )
