#!/usr/bin/env bash
# Creates the Python virtual environment the format tests use to run real consumers:
# spaCy, seqeval, pybrat, Label Studio's converter, scikit-learn (agreement) and python-docx
# (Word files as Word writes them), msoffcrypto-tool (a password-protected .docx), from PyPI.
set -euo pipefail
# Outside target/: not a build artifact, and one venv serves every checkout on the machine.
venv=${1:-${SPANMARK_TEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/spanmark/test-venv}}
mkdir -p "$(dirname "$venv")"
if "$venv/bin/python" -c "import spacy, seqeval, pybrat, label_studio_converter, sklearn, docx, datasets, msoffcrypto" 2>/dev/null; then
  exit 0 # already there
fi
python3 -m venv "$venv" || { echo "python3 -m venv failed: install python3-venv" >&2; exit 1; }
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q -r "$(dirname "$0")/requirements.txt"
