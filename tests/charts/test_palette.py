"""The colours of countries and kinds are told apart with the common colour-vision deficiencies (issue 16).

Each deficiency is simulated with Machado, Oliveira and Fernandes (2009) at full severity on linear RGB; colours are
compared by CIEDE2000 in CIELAB (D65). Both are written out here, checked against published values."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.cache import FileCache
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.schema import contract
from charts.palette import ACTION_COLOURS, AGREEMENT_COLOURS, OTHER, PALETTE, SAFE, by_prominence, colours
from charts.report import Charts

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
VISIONS = ["normal", *MACHADO]
DISTINCT = 10.0  # CIEDE2000: clearly different colours, not a shade of one another
KINDS_DISTINCT = 9.0  # the two greys of `other` beside the ten colours


def srgb(hex_colour: str) -> np.ndarray:
    value = hex_colour.lstrip("#")
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def seen(c: np.ndarray, vision: str) -> np.ndarray:
    """The linear RGB a viewer with `vision` perceives."""
    return linear(c) if vision == "normal" else np.clip(linear(c) @ np.array(MACHADO[vision]).T, 0, 1)


def lab(lin: np.ndarray) -> np.ndarray:
    m = np.array(
        [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
    )
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_hp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(hp_mean - 30))
        + 0.24 * np.cos(np.radians(2 * hp_mean))
        + 0.32 * np.cos(np.radians(3 * hp_mean + 6))
        - 0.20 * np.cos(np.radians(4 * hp_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = (
        -np.sin(np.radians(60 * np.exp(-(((hp_mean - 275) / 25) ** 2))))
        * 2
        * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    )
    dl, dc, dhh = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_hp / s_h
    return float(np.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh))


def closest_pair(hexes: list[str], vision: str) -> tuple[float, str, str]:
    labs = [lab(seen(srgb(h), vision)) for h in hexes]
    return min(
        (ciede2000(labs[i], labs[j]), hexes[i], hexes[j]) for i in range(len(hexes)) for j in range(i + 1, len(hexes))
    )


def contrast_on_white(hex_colour: str) -> float:
    luminance = float(linear(srgb(hex_colour)) @ np.array([0.2126, 0.7152, 0.0722]))
    return 1.05 / (luminance + 0.05)


def test_ciede2000_and_the_simulation_agree_with_published_values() -> None:
    # Sharma, Wu and Dalal (2005), pairs 1 and 7 of their test data.
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 0, 0]), np.array([50, -1, 2])) == pytest.approx(2.3669, abs=1e-4)
    # A deuteranope cannot tell a pure red from a dark olive of the same lightness: the simulation says so.
    red, olive = srgb("#FF0000"), srgb("#8F8F00")
    assert ciede2000(lab(seen(red, "normal")), lab(seen(olive, "normal"))) > 30
    assert ciede2000(lab(seen(red, "deuteranopia")), lab(seen(olive, "deuteranopia"))) < 10


@pytest.mark.parametrize("vision", VISIONS)
def test_the_ten_safe_colours_are_told_apart(vision: str) -> None:
    distance, a, b = closest_pair(list(SAFE), vision)
    assert distance >= DISTINCT, f"{a} and {b} differ by only {distance:.1f} with {vision}"


@pytest.mark.parametrize("vision", VISIONS)
def test_every_kind_of_a_timeline_is_told_apart(vision: str) -> None:
    kinds = list(AGREEMENT_COLOURS.values()) + list(ACTION_COLOURS.values())
    assert len(set(kinds)) == len(kinds)
    distance, a, b = closest_pair(kinds, vision)
    assert distance >= KINDS_DISTINCT, f"{a} and {b} differ by only {distance:.1f} with {vision}"


def test_every_contract_kind_has_its_colour() -> None:
    assert set(AGREEMENT_COLOURS) == set(contract()["agreements"].field("kind").enum)
    assert set(ACTION_COLOURS) == set(contract()["actions"].field("kind").enum)


def test_the_colours_stand_out_from_the_white_page() -> None:
    low = {h: round(contrast_on_white(h), 2) for h in [*SAFE, OTHER] if contrast_on_white(h) < 3.0}
    assert not low


def test_the_ten_countries_with_most_organisations_get_the_safe_colours() -> None:
    # As a dataset's organisations name them: Italy most, then Poland; ties by code.
    countries = ["IT"] * 5 + ["PL"] * 4 + ["DE"] * 2 + ["AT", "BE", "ES", "FR", "GR", "NL", "PT", "SE"] + ["IT"]
    order = by_prominence(countries)
    assert order == ["IT", "PL", "DE", "AT", "BE", "ES", "FR", "GR", "NL", "PT", "SE"]
    palette = colours(order)
    assert [palette[c] for c in order[:10]] == list(SAFE)
    assert palette["SE"] == PALETTE[10]


def test_the_curated_datasets_main_countries_take_safe_colours(curated) -> None:
    palette = colours(Charts(Insights(curated, Filters()), FileCache(1))._all_countries)
    # Italy 38 organisations, Greece 13, France 11, Spain 7, Belgium 5, Germany 4, then Finland, Poland, Slovenia 3
    assert [palette[c] for c in ("IT", "GR", "FR", "ES", "BE", "DE", "FI", "PL", "SI")] == list(SAFE[:9])
