"""tools/run-bench-tests on a stand-in bench: which site it tests on, and what it starts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOGGED = '#!/bin/sh\necho "$(basename "$0") $*" >> "$CALLS"\n'


@pytest.fixture
def bench(tmp_path):
	"""A bench folder with one real-looking site and stand-ins for bench, MariaDB and Redis."""
	folder = tmp_path / "bench"
	(folder / "env" / "bin").mkdir(parents=True)
	(folder / "apps").mkdir()
	(folder / "config").mkdir()
	(folder / "sites" / "real.localhost").mkdir(parents=True)
	(folder / "sites" / "real.localhost" / "site_config.json").write_text("{}")
	(folder / "sites" / "common_site_config.json").write_text('{"redis_cache": "redis://127.0.0.1:13000"}')
	tools = tmp_path / "bin"
	tools.mkdir()
	stubs = {
		"python": LOGGED,
		"bench": LOGGED + 'case "$*" in *run-tests*) echo "Ran 3 tests"; echo OK;; '
		'*new-site*) mkdir -p "sites/$2" && echo "{}" > "sites/$2/site_config.json";; esac\n',
		"mysqladmin": LOGGED + '[ -e "$CALLS.db" ]\n',
		"service": LOGGED + 'touch "$CALLS.db"\n',
		"mysqld_safe": LOGGED + 'touch "$CALLS.db"\n',
		"redis-cli": LOGGED + '[ -e "$CALLS.redis" ]\n',
		"redis-server": LOGGED + 'touch "$CALLS.redis"\n',
	}
	for name, text in stubs.items():
		path = (folder / "env" / "bin" / name) if name == "python" else tools / name
		path.write_text(text)
		path.chmod(0o755)
	return folder, tools


def run(bench, **env) -> tuple[str, list[str]]:
	folder, tools = bench
	calls = folder.parent / "calls.log"
	calls.write_text("")
	for marker in (".db", ".redis"):
		Path(f"{calls}{marker}").unlink(missing_ok=True)
	environment = {
		**{k: v for k, v in os.environ.items() if not k.startswith("CHURN_")},
		"PATH": f"{tools}:/usr/bin:/bin",
		"CALLS": str(calls),
		**env,
	}
	done = subprocess.run(
		["bash", str(ROOT / "tools" / "run-bench-tests"), str(folder)],
		env=environment,
		capture_output=True,
		text=True,
		timeout=120,
	)
	return done.stdout + done.stderr, calls.read_text().splitlines()


def test_a_bench_without_the_app_starts_nothing(bench):
	(bench[0] / "sites" / "apps.txt").write_text("frappe\nerpnext\n")
	output, calls = run(bench, CHURN_SITE="real.localhost")
	assert "skipped (churn_management is not in this bench)" in output
	assert calls == []


def test_without_a_site_named_the_real_site_is_never_used(bench):
	(bench[0] / "sites" / "apps.txt").write_text("frappe\nerpnext\nchurn_management\n")
	output, calls = run(bench)
	assert "test_churn.localhost" in output and "skipped" in output
	assert calls == [], "nothing is started or run when there is no site to test on"


def test_the_test_site_is_made_when_a_root_password_is_given(bench):
	(bench[0] / "sites" / "apps.txt").write_text("frappe\nerpnext\nchurn_management\n")
	output, calls = run(bench, CHURN_DB_ROOT_PASSWORD="secret")
	assert any(c.startswith("bench new-site test_churn.localhost") for c in calls)
	assert "bench --site test_churn.localhost run-tests --app churn_management" in calls
	assert not [c for c in calls if "real.localhost" in c]
	assert "bench: 3 passed, 0 failed" in output


def test_the_site_named_in_churn_site_is_tested(bench):
	(bench[0] / "sites" / "apps.txt").write_text("frappe\nerpnext\nchurn_management\n")
	_, calls = run(bench, CHURN_SITE="real.localhost")
	assert "bench --site real.localhost run-tests --app churn_management" in calls
	assert not any("new-site" in c for c in calls)
	assert any(c.startswith("service mariadb start") for c in calls)
