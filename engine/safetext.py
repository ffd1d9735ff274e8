"""Text from files and requests made safe to print on a terminal.

A hostile file can put terminal escape sequences in a description, a message or a stop reason:
C0 and C1 control characters move the cursor, recolour or retitle the terminal, and
bidirectional overrides make text read in another order than it is stored. Human output shows
each such character escaped (``\\x1b``, ``\\u202e``), so the terminal displays what the file
holds. Machine output (JSON) needs none of this: JSON escapes control characters itself.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls, DEL and the C1 block; the Arabic letter mark, the left-to-right and right-to-left
# marks, embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# The line and paragraph separators break a line for Python's splitlines (and some viewers).
_ANY_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_LAYOUT_KEPT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
#: Matches text that holds a character :func:`escape_controls` escapes (``one_line`` or not).
NEEDS_ESCAPE = _ANY_CONTROL


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: object, *, one_line: bool = False) -> str:
    """``text`` as a string with every control character and bidi override escaped; line feeds
    and tabs are kept unless ``one_line``."""
    value = str(text)
    pattern = _ANY_CONTROL if one_line else _LAYOUT_KEPT
    return pattern.sub(_escaped, value)


def safe_text(text: object, style: str = "", *, one_line: bool = False) -> Text:
    """A rich :class:`Text` of ``text`` escaped: never read as markup, never a raw control."""
    return Text(escape_controls(text, one_line=one_line), style=style)
