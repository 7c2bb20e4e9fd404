"""Where Arrow's columns get their memory: the C library's malloc, for every command and the server.

pyarrow's default allocator (mimalloc) hands the memory of a large take or cast back to the system and faults it in
again on the next one: on this machine a filter state's rows at three-programme size took 35-370 ms with it against
35-52 ms steady with malloc, and `clusternet import cordis` of three programmes 13.8-14.7 s against 9.6-11.5 s, with
less memory (README, Programme scale).
"""

from __future__ import annotations

import pyarrow


def use_system_allocator() -> None:
    """Arrow's new allocations from malloc (the columns already made stay where they are)."""
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
