"""Every command of churn-analytics behaves alike: help, progress, --quiet, --force and --out."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from churn_management.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def subcommands() -> dict:
	parser = build_parser()
	(action,) = [a for a in parser._actions if a.dest == "command"]
	return action.choices, action._choices_actions


def test_every_subcommand_has_a_description_and_every_option_a_help_with_its_default():
	choices, described = subcommands()
	assert (
		{a.dest for a in described}
		== set(choices)
		== {"sample", "diagnose", "pseudonymize", "demo", "lifecycle"}
	)
	assert all(a.help and "\n" not in a.help for a in described)
	for name, parser in choices.items():
		assert parser.description, name
		for action in parser._actions:
			if action.dest == "help":
				continue
			assert action.help, f"{name} {action.option_strings or action.dest} has no help"
		text = parser.format_help()
		if name in ("sample", "demo"):
			assert re.search(r"\(default:\s+5000\)", text) and re.search(r"\(default:\s+security\)", text)
		if name == "lifecycle":
			assert re.search(r"\(default:\s+13\)", text) and "--lang" in text and "--force" in text


def test_sample_refuses_to_overwrite_and_to_make_missing_folders(tmp_path, capsys):
	args = ["sample", "--customers", "200", "--quiet"]
	assert main([*args, "--out", str(tmp_path / "a")]) == 0
	assert main([*args, "--out", str(tmp_path / "a")]) == 2
	assert "exists already and is not empty; give --force" in capsys.readouterr().err
	assert main([*args, "--out", str(tmp_path / "a"), "--force"]) == 0
	assert main([*args, "--out", str(tmp_path / "no" / "such" / "b")]) == 2
	assert "does not exist" in capsys.readouterr().err
	assert not (tmp_path / "no").exists()


def test_demo_refuses_to_overwrite_without_force(tmp_path, capsys):
	folder = tmp_path / "demo"
	folder.mkdir()
	(folder / "keep.txt").write_text("mine")
	assert main(["demo", "--customers", "300", "--out", str(folder)]) == 2
	assert "give --force" in capsys.readouterr().err
	assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_sample_shows_progress_and_quiet_hides_only_progress(tmp_path, capsys):
	assert main(["sample", "--customers", "200", "--out", str(tmp_path / "s")]) == 0
	printed = capsys.readouterr()
	assert re.search(r"\] Making the invoices\.\.\.", printed.err)
	assert "wrote" in printed.out
	args = ["diagnose", str(tmp_path / "s"), "--as-of", "2026-06-30", "--lang", "en", "--quiet"]
	assert main([*args, "--out", str(tmp_path / "d.xlsx")]) == 0
	printed = capsys.readouterr()
	assert "Churn diagnosis as of" in printed.out
	assert "Reading" not in printed.err


def test_diagnose_out_into_a_missing_folder_is_an_error(tmp_path, capsys):
	assert main(["sample", "--customers", "200", "--out", str(tmp_path / "s"), "--quiet"]) == 0
	out = tmp_path / "missing" / "d.xlsx"
	assert main(["diagnose", str(tmp_path / "s"), "--as-of", "2026-06-30", "--out", str(out)]) == 2
	assert "the folder" in capsys.readouterr().err
	assert not out.parent.exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignore_covers_what_the_readme_commands_write(tmp_path):
	readme = (ROOT / "README.md").read_text(encoding="utf-8")
	found = re.findall(r"--(?:out|json) ([\w.\-/]+)", readme)
	written = {path for path in found if not path.split(".")[0].isupper()}  # DIR, FILE.xlsx are placeholders
	assert {"churn-demo", "diagnosis.xlsx", "lifecycle.json", "club"} <= written
	subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
	shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
	for path in written:
		if not Path(path).suffix:  # a folder the command makes
			(tmp_path / path).mkdir(parents=True, exist_ok=True)
			(tmp_path / path / "x.csv").write_text("x")
		check = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "-q", path.rstrip("/")])
		assert check.returncode == 0, f"{path} is not in .gitignore"


def test_a_russian_demo_prints_russian_only(tmp_path, capsys):
	assert main(["demo", "--customers", "800", "--out", str(tmp_path / "demo"), "--lang", "ru"]) == 0
	printed = capsys.readouterr()
	reasons = next(line for line in printed.out.splitlines() if "главные причины" in line)
	assert not re.search(r"[A-Za-z]", reasons), reasons
	assert not re.search(r"\] [A-Za-z]", printed.err), printed.err
