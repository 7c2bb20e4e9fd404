"""Items (agreements and actions): one identity, one written form, one rule for the days they cover."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis import i18n
from analysis.dates import FAR_FUTURE
from analysis.i18n import _
from analysis.items import (
    ITEM_TYPES,
    ROLE_WORDS,
    TYPE_WORDS,
    ItemKey,
    item_key,
    item_keys,
    key_ids,
    key_types,
    org_node,
    participation_id,
    split_participation,
)


def test_an_item_key_is_written_and_read_back():
    key = ItemKey("agreement", "bari-protocol-2014")
    assert str(key) == "agreement:bari-protocol-2014" == item_key("agreement", "bari-protocol-2014")
    assert ItemKey.parse("agreement:bari-protocol-2014") == key
    assert ItemKey.parse("action:call:with-colon") == ItemKey("action", "call:with-colon")  # only the first colon
    assert key.item_type.table == "agreements"


@pytest.mark.parametrize("text", ["bari-protocol-2014", "project:x", "agreement:", ":x", ""])
def test_anything_else_is_not_an_item_key(text):
    with pytest.raises(ValueError, match="not an item key"):
        ItemKey.parse(text)


def test_keys_of_many_items_at_once():
    keys = item_keys("action", pd.Series(["ac1", "ac2"]))
    assert list(keys) == ["action:ac1", "action:ac2"]
    assert list(key_types(keys)) == ["action", "action"] and list(key_ids(keys)) == ["ac1", "ac2"]


def test_participations_and_affiliation_nodes():
    ids = participation_id(pd.Series(["ag1"]), pd.Series(["puglia-creativa"]))
    assert list(ids) == ["ag1/puglia-creativa"]
    items, orgs = split_participation(ids)
    assert (list(items), list(orgs)) == (["ag1"], ["puglia-creativa"])
    assert org_node("puglia-creativa") == "org:puglia-creativa"


def test_the_contract_date_rule_for_each_type():
    agreement, action = ITEM_TYPES["agreement"], ITEM_TYPES["action"]
    runs_on = agreement.interval("2014", None)
    assert (runs_on.first, runs_on.last, runs_on.open_ended) == (date(2014, 1, 1), FAR_FUTURE, True)
    ends = agreement.interval("2016-05", "2017")
    assert (ends.first, ends.last, ends.open_ended) == (date(2016, 5, 1), date(2017, 12, 31), False)
    one_period = action.interval("2015-02", pd.NA)  # no end: the start's month
    assert (one_period.first, one_period.last) == (date(2015, 2, 1), date(2015, 2, 28))


def test_types_and_roles_in_words():
    assert set(TYPE_WORDS) == set(ITEM_TYPES)
    assert TYPE_WORDS == {"agreement": "agreement", "action": "action"}
    with i18n.speaking("it"):
        assert [_(TYPE_WORDS[t]) for t in ITEM_TYPES] == ["accordo", "azione"]
        assert [_(ROLE_WORDS[r]) for r in ("signatory", "lead", "participant")] == [
            "firmatario",
            "capofila",
            "partecipante",
        ]
