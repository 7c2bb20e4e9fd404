"""The frame every importer stands on: reading files as they are downloaded, recognising them by their columns,
narrowing, reporting what was kept and dropped, and handing the tables to the loader. Each importer (CORDIS,
keep.eu) is its mapping and its quirks, in a package of its own (analysis.cordis, analysis.keep)."""
