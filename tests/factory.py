"""A small valid dataset of the contract, unlike the curated one, to test against and to break on purpose."""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path

Rows = list[dict[str, str]]

# Other countries, names in Polish, Portuguese and Greek script, partial dates, rows without
# coordinates or NUTS codes, and an organisation outside Europe (Japan).
TABLES: dict[str, Rows] = {
    "organisations": [
        {
            "org_id": "klaster-lodz",
            "name": "Łódzki Klaster Kreatywny",
            "kind": "cluster",
            "country": "PL",
            "nuts2": "PL71",
            "city": "Łódź",
            "lat": "51.76",
            "lon": "19.46",
            "sectors": "film;design",
            "website": "https://example.org/lodz",
            "source_ids": "src-a",
        },
        {
            "org_id": "porto-design",
            "name": "Associação Portuguesa de Design",
            "kind": "association",
            "country": "PT",
            "nuts2": "",
            "city": "Porto",
            "lat": "",
            "lon": "",
            "sectors": "design",
            "website": "",
            "source_ids": "src-a;src-b",
        },
        {
            "org_id": "patras-hub",
            "name": "Κόμβος Δημιουργικότητας Πάτρας",
            "kind": "network",
            "country": "GR",
            "nuts2": "EL63",
            "city": "Πάτρα",
            "lat": "",
            "lon": "",
            "sectors": "",
            "website": "",
            "source_ids": "src-b",
        },
        {
            "org_id": "tokyo-content",
            "name": "Tokyo Content Agency",
            "kind": "agency",
            "country": "JP",
            "nuts2": "",
            "city": "Tokyo",
            "lat": "35.68",
            "lon": "139.69",
            "sectors": "games",
            "website": "",
            "source_ids": "src-b",
        },
        {
            "org_id": "lisboa-camara",
            "name": "Câmara Municipal de Lisboa",
            "kind": "public_authority",
            "country": "PT",
            "nuts2": "PT17",
            "city": "Lisboa",
            "lat": "38.72",
            "lon": "-9.14",
            "sectors": "",
            "website": "",
            "source_ids": "src-a",
        },
    ],
    "agreements": [
        {
            "agreement_id": "lodz-porto-mou",
            "title": "Memorandum Łódź–Porto",
            "kind": "memorandum",
            "signed_on": "2016-05",
            "ends_on": "2019",
            "city": "Łódź",
            "country": "PL",
            "summary": "",
            "source_ids": "src-a",
        },
        {
            "agreement_id": "aegean-pact",
            "title": "Σύμφωνο συνεργασίας",
            "kind": "partnership",
            "signed_on": "2018",
            "ends_on": "",
            "city": "",
            "country": "",
            "summary": "",
            "source_ids": "src-b",
        },
    ],
    "agreement_parties": [
        {"agreement_id": "lodz-porto-mou", "org_id": "klaster-lodz", "role": "lead"},
        {"agreement_id": "lodz-porto-mou", "org_id": "porto-design", "role": ""},
        {"agreement_id": "aegean-pact", "org_id": "patras-hub", "role": "signatory"},
        {"agreement_id": "aegean-pact", "org_id": "lisboa-camara", "role": "signatory"},
    ],
    "actions": [
        {
            "action_id": "tokyo-mission",
            "title": "Missão a Tóquio",
            "kind": "trade_mission",
            "start": "2017-03-14",
            "end": "2017-03-18",
            "status": "completed",
            "agreement_id": "lodz-porto-mou",
            "city": "Tokyo",
            "country": "JP",
            "participants_count": "12",
            "budget_eur": "25000.50",
            "summary": "",
            "source_ids": "src-a",
        },
        {
            "action_id": "open-call-2020",
            "title": "Open call 2020",
            "kind": "call",
            "start": "2020",
            "end": "",
            "status": "proposed",
            "agreement_id": "",
            "city": "",
            "country": "",
            "participants_count": "",
            "budget_eur": "",
            "summary": "",
            "source_ids": "src-b",
        },
    ],
    "action_participants": [
        {"action_id": "tokyo-mission", "org_id": "klaster-lodz", "role": "organiser"},
        {"action_id": "tokyo-mission", "org_id": "tokyo-content", "role": "partner"},
        {"action_id": "open-call-2020", "org_id": "patras-hub", "role": "lead"},
        {"action_id": "open-call-2020", "org_id": "porto-design", "role": "participant"},
    ],
    "sources": [
        {
            "source_id": "src-a",
            "title": "Relatório anual",
            "url": "https://example.org/a",
            "publisher": "Exemplo",
            "published_on": "2017-04",
            "language": "pt",
        },
        {"source_id": "src-b", "title": "Ανακοίνωση", "url": "", "publisher": "", "published_on": "", "language": "el"},
    ],
}


def tables() -> dict[str, Rows]:
    """A fresh deep copy, safe to modify."""
    return copy.deepcopy(TABLES)


def csv_text(rows: Rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(folder: Path, data: dict[str, Rows] | None = None) -> Path:
    """Write the tables as CSV files into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (data if data is not None else tables()).items():
        (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
    return folder
