"""Writing output files whole or not at all, with the user's usual file mode.

:func:`replacing` writes one file through a temporary beside it; :func:`replacing_all` writes
several (the workbook and the JSON) so that either all appear or none changes. Temporary files
are made private while written; the result gets the mode a new file gets under the umask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def usual_mode() -> int:
	"""The mode a newly created file gets under the current umask (0666 & ~umask)."""
	mask = os.umask(0)
	os.umask(mask)
	return 0o666 & ~mask


def _temporary(path: Path, kind: str = "partial") -> Path:
	handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{kind}", dir=path.parent)
	os.close(handle)
	return Path(name)


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
	"""Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
	with replacing_all([path]) as (temporary,):
		yield temporary


@contextlib.contextmanager
def replacing_all(paths: list[str | Path]) -> Iterator[list[Path]]:
	"""Yield temporary paths; when the block succeeds, move all into place, else none."""
	paths = [Path(p) for p in paths]
	for path in paths:
		path.parent.mkdir(parents=True, exist_ok=True)
	temporaries: list[Path] = []
	backups: dict[Path, Path] = {}
	placed: list[Path] = []
	try:
		for path in paths:
			temporaries.append(_temporary(path))
		yield temporaries
		mode = usual_mode()
		for temporary in temporaries:
			os.chmod(temporary, mode)
		for path in paths:
			if path.exists():
				backup = _temporary(path, "old")
				os.replace(path, backup)
				backups[path] = backup
		for path, temporary in zip(paths, temporaries, strict=True):
			os.replace(temporary, path)
			placed.append(path)
	except BaseException:
		for path in placed:
			path.unlink(missing_ok=True)
		for path, backup in backups.items():
			os.replace(backup, path)
		backups.clear()
		raise
	finally:
		for temporary in temporaries:
			temporary.unlink(missing_ok=True)
		for backup in backups.values():
			backup.unlink(missing_ok=True)
