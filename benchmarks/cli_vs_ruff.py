"""``wsu check`` against ``ruff check --select E,F,UP`` on the same large real corpus.

The corpus is every Python file of the installed site-packages (pass ``--corpus DIR`` for
another tree). Figures, each the best of ``--repeat`` runs of the whole command:

- cold: ``wsu check --no-cache`` (every file read, prefiltered, the candidates linted);
- warm: ``wsu check`` again with the cache filled by a previous run;
- ruff: ``ruff check --isolated --select E,F,UP --no-cache``.

Both tools use every CPU (their defaults) and ``--exit-zero``; their output goes to
/dev/null. The cold and ruff runs alternate, so that both see the same load; the load
average is printed before and after. Ratios are wsu's time over ruff's: below 1.0 is
faster than ruff.

wsu runs with its modules' bytecode cached, as an installed package has it (pip compiles
it): in a directory of the scratch space (``PYTHONPYCACHEPREFIX``), filled by a first run,
whatever ``PYTHONDONTWRITEBYTECODE`` says. ``--no-bytecode-cache`` runs it with the
environment as it is (with ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__``, every
module is compiled on every run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def executable(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"cli_vs_ruff: cannot find the `{name}` command")
    return found


def count_python_files(root: Path) -> int:
    return sum(name.endswith((".py", ".pyi")) for _, _, names in os.walk(root) for name in names)


def timed(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()
        raise SystemExit(f"cli_vs_ruff: {command[0]} exited {completed.returncode}: {message}")
    return elapsed


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli_vs_ruff", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-bytecode-cache",
        dest="bytecode_cache",
        action="store_false",
        help="run wsu with the environment's bytecode settings as they are",
    )
    # Run from `python -m benchmarks`, other benchmarks' options come along: ignore them.
    options, _ = parser.parse_known_args(argv)
    corpus = options.corpus.resolve()
    wsu, ruff = executable("wsu"), executable("ruff")
    print(f"corpus: {corpus} ({count_python_files(corpus)} Python files), {os.cpu_count()} CPUs")
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="wsu-bench-") as scratch:
        # A neutral working directory: no project configuration applies to either tool.
        cwd = Path(scratch)
        env = None
        if options.bytecode_cache:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache")
        check = [wsu, "check", "--exit-zero", "--output-format", "concise", str(corpus)]
        cold_check = [*check, "--no-cache"]
        ruff_check = [ruff, "check", "--isolated", "--select", "E,F,UP", "--no-cache"]
        ruff_check += ["--exit-zero", str(corpus)]
        timed(cold_check, cwd=cwd, env=env)  # fills the bytecode cache (and the page cache)
        timed(ruff_check, cwd=cwd)
        cold = ruff_time = float("inf")
        for _ in range(options.repeat):
            cold = min(cold, timed(cold_check, cwd=cwd, env=env))
            ruff_time = min(ruff_time, timed(ruff_check, cwd=cwd))
        warm_check = [*check, "--cache-dir", str(cwd / "cache")]
        timed(warm_check, cwd=cwd, env=env)  # fills the cache
        warm = min(timed(warm_check, cwd=cwd, env=env) for _ in range(options.repeat))
    print(f"load average after: {load()}")
    bytecode = "cached" if options.bytecode_cache else "as the environment says"
    print(f"wsu bytecode: {bytecode}; best of {options.repeat}")
    print(f"wsu check --no-cache (cold)     {cold:7.2f} s")
    print(f"wsu check (warm cache)          {warm:7.2f} s")
    print(f"ruff check --select E,F,UP      {ruff_time:7.2f} s")
    print(f"ratio cold / ruff               {cold / ruff_time:7.2f}x  (goal: <= 0.50x, issue 16)")
    print(f"ratio warm / ruff               {warm / ruff_time:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
