#!/usr/bin/env bash
# The Python side of trainlab (the notebook widget): a virtual environment
# under the project with what building the wheel and testing it need, each
# package installed only when missing (from PyPI, through pip).
#
#   . scripts/setup-python.sh     then $TRAINLAB_PYTHON is the venv's python
#
# TRAINLAB_VENV picks another place for the venv (default: .venv).
trainlab_py_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TRAINLAB_VENV="${TRAINLAB_VENV:-$trainlab_py_root/.venv}"
export TRAINLAB_PYTHON="$TRAINLAB_VENV/bin/python"

trainlab_setup_python() {
    set -uo pipefail
    # Pinned where the widget's behaviour depends on them; the rest as PyPI has them.
    local wanted=("anywidget==0.11.0" "jupyterlab==4.6.6" "notebook==7.6.5" "pytest" "numpy" "hatchling" "build")
    if [[ -x "$TRAINLAB_PYTHON" ]]; then
        printf 'setup: %-26s %s\n' "python venv" "present ($TRAINLAB_VENV)"
    else
        printf 'setup: %-26s %s\n' "python venv" "creating ($TRAINLAB_VENV)"
        python3 -m venv "$TRAINLAB_VENV" || return 1
    fi
    local missing=() spec name version
    for spec in "${wanted[@]}"; do
        name="${spec%%==*}"
        version="$("$TRAINLAB_PYTHON" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$name" 2>/dev/null)" || version=""
        if [[ -z "$version" || ("$spec" == *==* && "$version" != "${spec#*==}") ]]; then
            missing+=("$spec")
        fi
    done
    if ((${#missing[@]})); then
        printf 'setup: %-26s %s\n' "pip ${missing[*]}" "installing (pip, a few minutes the first time)"
        "$TRAINLAB_PYTHON" -m pip install --quiet --disable-pip-version-check "${missing[@]}" || return 1
    else
        printf 'setup: %-26s %s\n' "pip packages" "present (${wanted[*]})"
    fi
}

if (trainlab_setup_python); then
    trainlab_python_status=0
else
    trainlab_python_status=1
    echo "setup: python FAILED" >&2
fi
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    return "$trainlab_python_status"
fi
exit "$trainlab_python_status"
