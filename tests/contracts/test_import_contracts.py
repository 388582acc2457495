"""The import contracts bite: each forbidden import a maintainer might add makes ``lint-imports`` fail.

The source tree is copied to a temporary folder, one import is added, and
``lint-imports`` runs on the copy with the project's ``.importlinter``; the
untouched copy must pass, so a failure is the added import's doing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# (module that gains the import, the import, the contract that must break)
FORBIDDEN = [
    ("edges/web/pages/dashboard.py", "from zonehero.features.runs import repository", "Only features.runs imports"),
    ("features/runs/service.py", "from zonehero.features.enterprises import repository", "Only features.enterprises"),
    ("core/evaluation/engine.py", "import zonehero.reports.atomic", "The cores import no framework"),
    ("core/domain/fields.py", "import zonehero.config", "The cores import no framework"),
    ("core/schedule/lists.py", "import sqlalchemy", "The cores import no framework"),
    ("reports/atomic.py", "import zonehero.features.runs.service", "Layers"),
    ("features/users/service.py", "import zonehero.edges.web.app", "Layers"),
    ("core/ingest/result.py", "import zonehero.core.ingest.merge", "No import cycles"),
    ("edges/web/app.py", "import zonehero.edges.cli.main", "The web app does not import the CLI"),
]


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "src" / "zonehero", tree / "src" / "zonehero", ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def test_the_tree_as_it_is_keeps_every_contract(pristine: Path) -> None:
    done = lint_imports(pristine)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("module", "line", "contract"), FORBIDDEN, ids=[f[0] for f in FORBIDDEN])
def test_a_forbidden_import_breaks_a_contract(
    pristine: Path, tmp_path: Path, module: str, line: str, contract: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    target = tree / "src" / "zonehero" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # added by the test\n", encoding="utf-8")
    done = lint_imports(tree)
    assert done.returncode != 0, f"{line} in {module} broke no contract"
    broken = done.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, done.stdout
