# Installing pinned requirement files into a virtualenv, once: sourced by scripts/_env.sh
# (the project's virtualenvs) and by scripts/airflow.sh and scripts/metricflow.sh (their
# own). Each function installs into $VENV (the caller sets it) with $PYTHON.

# A requirements file and the files it includes (-r), recursively, one a line.
requirements_files() {
    local file="$1" included
    if [ ! -r "$file" ]; then
        echo "Cannot read $file." >&2
        return 1
    fi
    printf '%s\n' "$file"
    for included in $(sed -n -E 's/^(-r|--requirement)[ =]+//p' "$file"); do
        requirements_files "$(dirname "$file")/$included" || return 1
    done
}

# What the marker of an installed requirements file holds: the digest of the file and of the
# files it includes.
requirements_digest() {
    local files
    files="$(requirements_files "$1")" || return 1
    printf '%s\n' "$files" | while IFS= read -r file; do cat "$file"; done | sha256sum | cut -d' ' -f1
}

# install_requirements FILE [EXECUTABLE]: installs the pins of FILE into $VENV (created if
# missing) unless they are there. Installing leaves the marker $VENV/.installed-FILE.sha256,
# the digest of FILE and of the files it includes: a marker that matches (and EXECUTABLE,
# when given, in $VENV/bin) means installed, without running pip; a missing or outdated
# marker (a pin changed) means install. The files FILE includes get their markers too.
# pip's progress goes to stderr; a failure names the file and leaves the markers as they were.
install_requirements() {
    local lock status=0
    if ! command -v flock >/dev/null 2>&1; then
        _install_requirements "$@"
        return
    fi
    # Two scripts (or two test workers) that find the same layer missing install it one
    # after the other: the second then finds the first one's marker and runs no pip.
    exec {lock}>"${VENV%/}.lock"
    flock "$lock"
    _install_requirements "$@" || status=$?
    exec {lock}>&-
    return "$status"
}

_install_requirements() {
    local file="$1" executable="${2:-}" marker wanted reason
    marker="$VENV/.installed-$(basename "$file").sha256"
    wanted="$(requirements_digest "$file")" || return 1
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$marker" 2>/dev/null)" = "$wanted" ] \
        && { [ -z "$executable" ] || [ -x "$VENV/bin/$executable" ]; }; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        reason="the virtualenv does not exist yet"
    elif [ ! -f "$marker" ]; then
        reason="not installed there yet"
    elif [ "$(cat "$marker")" != "$wanted" ]; then
        reason="its pins changed since it was installed"
    else
        reason="$executable is missing"
    fi
    echo "== ${0##*/}: installing $(basename "$file") into $VENV ($reason) ..." >&2
    if ! { [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"; }; then
        echo "Could not create the virtualenv $VENV for $(basename "$file") (see the message above)." >&2
        return 1
    fi
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --requirement "$file" >&2; then
        echo "Could not install $(basename "$file") into $VENV (see pip's message above)." >&2
        return 1
    fi
    requirements_files "$file" | while IFS= read -r included; do
        requirements_digest "$included" > "$VENV/.installed-$(basename "$included").sha256"
    done
}
