"""Writing report files: through a temporary file and a rename, so that a reader never sees half a report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_MODE = 0o644  # reports are meant to be opened by the back office, like any file the user writes


def write_text_atomic(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` (parents created); ``watch`` and browsers never see a partial file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.chmod(tmp, _MODE)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
