"""The layers: `service/` (the API) and `workers/` (Celery, the pipeline) share `lagebild_core/`
and never import each other; the API process stays light (no spaCy, no workers) and leaves the
workers' process settings alone (BLAS threads, the embedded queue's folders)."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# package -> top-level modules it must never import
FORBIDDEN = {
    "service": {"workers"},
    "workers": {"service"},
    "lagebild_core": {"service", "workers", "spacy"},
}


def _imported_modules(path: Path) -> set[str]:
    """Return the absolute module names a source file imports, anywhere in it (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_do_not_import_across_layers(package):
    offenders = sorted(f"{path.relative_to(ROOT)} imports {name}"
                       for path in (ROOT / package).rglob("*.py")
                       for name in _imported_modules(path) if name.split(".")[0] in FORBIDDEN[package])
    assert not offenders, "\n".join(offenders)


def test_the_scan_sees_lazy_imports(tmp_path):
    source = tmp_path / "module.py"
    source.write_text("def f():\n    from workers.pipeline import load\n    import service.app\n", encoding="utf-8")
    assert _imported_modules(source) == {"workers.pipeline", "service.app"}


def _python(code: str, data_dir: Path) -> dict:
    """Run `code` in a fresh interpreter on this checkout (no BLAS variables set); return the
    JSON it prints."""
    env = {"PYTHONPATH": str(ROOT), "LAGEBILD_DATA_DIR": str(data_dir), "PATH": ""}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_api_does_not_import_spacy_or_the_workers(tmp_path):
    found = _python("import json, sys, service.wsgi; print(json.dumps(sorted(sys.modules)))", tmp_path / "var")
    assert "spacy" not in found
    assert [name for name in found if name.split(".")[0] == "workers"] == []


def test_creating_the_api_leaves_the_worker_settings_alone(tmp_path):
    code = ("import json, os, service.app; from lagebild_core.settings import Settings; "
            f"service.app.create_app(Settings(data_dir={str(tmp_path / 'app')!r})); "
            f"print(json.dumps({{name: os.environ.get(name) for name in {BLAS_VARIABLES!r}}}))")
    blas = _python(code, tmp_path / "var")
    assert blas == dict.fromkeys(BLAS_VARIABLES), "the API process set the workers' BLAS threads"
    assert not (tmp_path / "var" / "queue").exists(), "importing the API created the queue folders"
    assert not (tmp_path / "app" / "queue").exists(), "creating the API created the queue folders"


def test_the_worker_app_sets_its_blas_threads_and_queue_folders(tmp_path):
    code = ("import json, os, workers.celery_app; "
            f"print(json.dumps({{name: os.environ.get(name) for name in {BLAS_VARIABLES!r}}}))")
    assert _python(code, tmp_path / "var") == dict.fromkeys(BLAS_VARIABLES, "1")
    assert sorted(p.name for p in (tmp_path / "var" / "queue").iterdir()) == ["control", "finished", "messages", "processed"]
