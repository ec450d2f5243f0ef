"""Writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
	"""Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
	path = Path(path)
	path.parent.mkdir(parents=True, exist_ok=True)
	handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
	os.close(handle)
	temporary = Path(name)
	try:
		yield temporary
		os.replace(temporary, path)
	finally:
		temporary.unlink(missing_ok=True)
