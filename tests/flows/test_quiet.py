"""Without PREFECT_API_URL the CLI runs on a temporary Prefect server, and says nothing of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_without_a_prefect_server_is_quiet(sample_landing: Path, tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "INDMON_", "DO_NOT_TRACK"))
    }
    env |= {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "COLUMNS": "160",
    }
    indmon = shutil.which("indmon", path=str(Path(sys.executable).parent))
    assert indmon is not None
    result = subprocess.run(
        [
            indmon,
            "run",
            "--period",
            "2022-03",
            "--landing",
            str(sample_landing),
            "--warehouse",
            f"sqlite:///{tmp_path / 'w.db'}",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "electricity_202203.csv" in result.stdout
    assert "temporary server" not in result.stdout.lower()
    assert "prefect.io" not in result.stdout and "| INFO" not in result.stdout
