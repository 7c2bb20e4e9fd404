"""The importers, each once: the files an analyst downloads from a programme's portal, turned into the contract's
tables. The command line and the Data page find an upload's importer here."""

from __future__ import annotations

from collections.abc import Sequence

from analysis import cordis, keep
from analysis.importing.frame import Importer
from analysis.importing.read import headers

IMPORTERS: tuple[Importer, ...] = (cordis.IMPORTER, keep.IMPORTER)


def recognised(files: Sequence[tuple[str, bytes]]) -> Importer | None:
    """The importer whose files an upload holds (to be imported), or None for the contract's own tables. Reads only
    headers."""
    for header in headers(files):
        for importer in IMPORTERS:
            if importer.formats.recognise(header) is not None:
                return importer
    return None


def by_command(command: str) -> Importer:
    """The importer named so on the command line (`cordis`, `keep`)."""
    return next(i for i in IMPORTERS if i.command == command)


def by_source(source: str) -> Importer | None:
    """The importer of a report's source (`CORDIS`)."""
    return next((i for i in IMPORTERS if i.source == source), None)
