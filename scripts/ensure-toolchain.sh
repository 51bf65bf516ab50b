#!/usr/bin/env bash
# The tools `make run` and `make test` build with: Python 3.11+ with venv, Node.js and npm. Installs what is
# missing from Debian's packages (needs root or sudo); does nothing on a machine that has them.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v "${PYTHON:-python3}" >/dev/null 2>&1 || missing+=(python3)
"${PYTHON:-python3}" -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
"${PYTHON:-python3}" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
