"""Dataset text is untrusted: escape it before it reaches Markdown."""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md(text: object) -> str:
    """Text shown literally inside st.markdown / st.caption (no links, no HTML, no formatting)."""
    return _MARKDOWN.sub(r"\\\1", html.escape(str(text), quote=False))
