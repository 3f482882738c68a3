"""The API process stays light: it never loads spaCy (only workers and the CLI's extract do)."""
import subprocess
import sys


def test_the_api_does_not_import_spacy():
    code = "import sys, service.wsgi; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={"LAGEBILD_DATA_DIR": "/tmp/lagebild-import-check", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
