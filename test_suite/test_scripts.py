"""The shell entry points as a user meets them."""
from __future__ import annotations

import os

from conftest import PROJECT_ROOT, run


def test_env_sh_is_safe_to_source_in_an_interactive_shell(tmp_path):
    """`source scripts/_env.sh` sets up the environment but leaves the user's shell as it
    was: no errexit/nounset/pipefail (a failing command must not close the terminal), no
    change of directory; sourced twice, the key is in PGOPTIONS once."""
    script = (
        f"cd {tmp_path} && source {PROJECT_ROOT}/scripts/_env.sh && source {PROJECT_ROOT}/scripts/_env.sh\n"
        "echo \"options=$(set -o | awk '$2 == \"on\" {print $1}' | tr '\\n' ' ')\"\n"
        "echo \"cwd=$PWD\"\n"
        "false\n"
        "echo \"still here after a failing command\"\n"
        "echo \"pgoptions=$PGOPTIONS\"\n"
        "command -v dbt\n"
    )
    result = run(["bash", "-c", script], cwd=tmp_path, env=dict(os.environ))
    assert result.returncode == 0, result.stdout[-3000:]
    lines = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    for option in ("errexit", "nounset", "pipefail"):
        assert option not in lines["options"].split(), lines["options"]
    assert lines["cwd"] == str(tmp_path)
    assert "still here after a failing command" in result.stdout
    assert lines["pgoptions"].count("sales_insights.pseudonymization_key") == 1, lines["pgoptions"]
    assert result.stdout.strip().endswith("/bin/dbt"), result.stdout[-500:]


def test_the_scripts_stop_at_the_first_failing_command(tmp_path):
    """The scripts themselves keep strict mode (scripts/_script.sh): a failing dbt call
    ends the script with its status."""
    result = run(["bash", str(PROJECT_ROOT / "scripts" / "dbt.sh"), "no-such-command"], cwd=tmp_path,
                 env=dict(os.environ))
    assert result.returncode != 0, result.stdout[-3000:]
