"""A network small enough to compute by hand (see the expected values in the tests).

Organisations: a, b (IT, Puglia), c (PL), d (PT), e (DE), f (DE, no region, no coordinates), g (IT, in nothing).
ag1 protocol 2014, open-ended: a c d e      ag2 memorandum 2016-05..2017: a b
ac1 call 2015 (no end): a b                 ac2 project 2018-03-01..2019-06: c e f
ac3 event 2020-06-15: d alone
"""

from __future__ import annotations

import copy
from pathlib import Path

from analysis import Dataset, load_dataset
from tests import factory


def org(org_id: str, country: str, nuts2: str = "", lat: str = "", lon: str = "", kind: str = "cluster") -> dict:
    return {
        "org_id": org_id,
        "name": f"Org {org_id.upper()}",
        "kind": kind,
        "country": country,
        "nuts2": nuts2,
        "city": "",
        "lat": lat,
        "lon": lon,
        "sectors": "",
        "website": "",
        "source_ids": "s",
    }


TABLES = {
    "organisations": [
        org("a", "IT", "ITF4", "41.12", "16.87"),
        org("b", "IT", "ITF4", kind="public_authority"),
        org("c", "PL", "PL91", "52.23", "21.01"),
        org("d", "PT", "PT11"),
        org("e", "DE", "DE11", "48.78", "9.18"),
        org("f", "DE", kind="company"),
        org("g", "IT", "ITF4"),
    ],
    "agreements": [
        {
            "agreement_id": "ag1",
            "title": "Protocol",
            "kind": "protocol",
            "signed_on": "2014",
            "ends_on": "",
            "source_ids": "s",
        },
        {
            "agreement_id": "ag2",
            "title": "Memo",
            "kind": "memorandum",
            "signed_on": "2016-05",
            "ends_on": "2017",
            "source_ids": "s",
        },
    ],
    "agreement_parties": [{"agreement_id": "ag1", "org_id": o, "role": ""} for o in "acde"]
    + [{"agreement_id": "ag2", "org_id": o, "role": ""} for o in "ab"],
    "actions": [
        {
            "action_id": "ac1",
            "title": "Call",
            "kind": "call",
            "start": "2015",
            "end": "",
            "status": "proposed",
            "source_ids": "s",
        },
        {
            "action_id": "ac2",
            "title": "Project",
            "kind": "project",
            "start": "2018-03-01",
            "end": "2019-06",
            "status": "completed",
            "source_ids": "s",
        },
        {
            "action_id": "ac3",
            "title": "Event",
            "kind": "event",
            "start": "2020-06-15",
            "end": "",
            "status": "completed",
            "source_ids": "s",
        },
    ],
    "action_participants": [{"action_id": "ac1", "org_id": o, "role": ""} for o in "ab"]
    + [{"action_id": "ac2", "org_id": o, "role": ""} for o in "cef"]
    + [{"action_id": "ac3", "org_id": "d", "role": ""}],
    "sources": [
        {
            "source_id": "s",
            "title": "Made up for tests",
            "url": "",
            "publisher": "",
            "published_on": "",
            "language": "en",
        }
    ],
}


# Hand-worked money (tests/analysis/test_funding.py): ac1 a 1000, b 500 (both ITF4); ac2 c 3000 (PL91, lead),
# e 1500.30 (DE11), f no amount (DE, no region); ac3 d 200 alone (PT11).
AMOUNTS = {
    ("ac1", "a"): "1000",
    ("ac1", "b"): "500",
    ("ac2", "c"): "3000",
    ("ac2", "e"): "1500.30",
    ("ac3", "d"): "200",
}


def funded_tables() -> dict[str, list[dict]]:
    """The small dataset with amounts on its actions' participations, and c leading ac2."""
    tables = copy.deepcopy(TABLES)
    for row in tables["action_participants"]:
        row["contribution_eur"] = AMOUNTS.get((row["action_id"], row["org_id"]), "")
        row["role"] = "lead" if (row["action_id"], row["org_id"]) == ("ac2", "c") else ""
    return tables


def write_funded(tmp_path: Path) -> Path:
    """The funded small dataset as a folder of CSV files."""
    return factory.write(tmp_path / "funded", funded_tables())


def write(tmp_path: Path) -> Path:
    """The small dataset as a folder of CSV files."""
    return factory.write(tmp_path / "small", TABLES)


def dataset(tmp_path: Path) -> Dataset:
    result = load_dataset(write(tmp_path))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset
