"""Imports run one way: desk code → shared helpers → the site-free core, with no circles.

Read from the source with `ast` (nothing is imported), so it runs without Frappe: every import of
the app's own code, at the top of a file or inside a function, counts.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "churn_management"
PACKAGE = "churn_management"


def module_name(path: Path) -> str:
	parts = path.relative_to(APP.parent).with_suffix("").parts
	return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
	return {module_name(path): path for path in APP.rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
	"""The app's own modules a file imports (``from a import b`` names a.b when b is a module)."""
	found = set()
	tree = ast.parse(path.read_text(encoding="utf-8"))
	# a file's `if __name__ == "__main__":` block runs only as a script, never on import
	tree.body = [node for node in tree.body if not is_main_block(node)]
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			found.update(alias.name for alias in node.names)
		elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
			found.add(node.module)
			found.update(f"{node.module}.{alias.name}" for alias in node.names)
	ours = set()
	for name in found:
		while name and name not in modules:
			name = name.rpartition(".")[0]
		if name and name != PACKAGE:
			ours.add(name)
	return ours


def is_main_block(node: ast.stmt) -> bool:
	return isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)


def import_graph() -> dict[str, set[str]]:
	modules = app_modules()
	return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def is_test(name: str) -> bool:
	return ".tests." in f"{name}." or name.rpartition(".")[2].startswith("test_")


def test_the_core_imports_neither_frappe_nor_the_desk():
	wrong = []
	for path in (APP / "analytics").rglob("*.py"):
		text = path.read_text(encoding="utf-8")
		tree = ast.parse(text)
		for node in ast.walk(tree):
			names = (
				[alias.name for alias in node.names]
				if isinstance(node, ast.Import)
				else [node.module or ""]
				if isinstance(node, ast.ImportFrom)
				else []
			)
			for name in names:
				outside = name.startswith(PACKAGE) and not name.startswith(f"{PACKAGE}.analytics")
				if name.split(".")[0] in ("frappe", "erpnext") or outside:
					wrong.append(f"{path.relative_to(APP)} imports {name}")
	assert wrong == []


def test_desk_code_never_imports_a_job():
	"""Controllers and reports call shared helpers; a job is started by its dotted path, not imported."""
	wrong = []
	for name, imported in import_graph().items():
		if is_test(name) or not (".doctype." in name or ".report." in name):
			continue
		wrong.extend(f"{name} imports {other}" for other in sorted(imported) if ".jobs." in f"{other}.")
	assert wrong == []


def test_no_import_circles():
	graph = {
		name: {other for other in imported if not is_test(other)} for name, imported in import_graph().items()
	}
	circles = []
	state: dict[str, int] = {}  # 1 = on the current path, 2 = done

	def visit(name: str, path: list[str]) -> None:
		state[name] = 1
		for other in sorted(graph.get(name, ())):
			if state.get(other) == 1:
				circles.append(" → ".join([*path[path.index(other) :], other]))
			elif other not in state:
				visit(other, [*path, other])
		state[name] = 2

	for name in sorted(graph):
		if name not in state and not is_test(name):
			visit(name, [name])
	assert circles == []
