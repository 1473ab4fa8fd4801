"""How much the WSU plugin adds to ``flake8 --select WSU`` on a large real corpus.

Runs flake8 over every .py file of the installed site-packages twice in the same
session: with the plugin, and with its entry point filtered out. Most files never
mention websockets, so the plugin should cost one regex search on each of them. Wall
time (best of the runs) and CPU time (user + system of flake8 and its jobs, median) are
both reported: on a shared machine the CPU figure moves much less. Every module runs
from cached bytecode, as installed packages do (pip compiles them): in a scratch
``PYTHONPYCACHEPREFIX`` filled by an untimed first run of each variant, whatever
``PYTHONDONTWRITEBYTECODE`` says; otherwise the plugin's run would also count compiling
the linter's modules in every process.

    python -m benchmarks.flake8_overhead [--jobs N] [--repeat N] [PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

# A flake8 run with the WSU entry point removed from plugin discovery.
WITHOUT_PLUGIN = """
import sys
from flake8.main import cli
from flake8.plugins import finder

original = finder._find_importlib_plugins

def without_wsu():
    return (p for p in original() if p.package != "wsu-lint")

finder._find_importlib_plugins = without_wsu
sys.exit(cli.main(sys.argv[1:]))
"""


def run(with_plugin: bool, path: str, jobs: int, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one flake8 run."""
    args = ["--select", "WSU", "--exit-zero", f"--jobs={jobs}", path]
    if with_plugin:
        command = [sys.executable, "-m", "flake8", *args]
    else:
        command = [sys.executable, "-c", WITHOUT_PLUGIN, *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def plugin_time(path: str) -> tuple[float, int]:
    """The plugin's own time over the corpus, in this process: flake8 hands it a parsed
    tree and the lines, so parsing is not counted. Returns (seconds, files analysed)."""
    import ast

    from lint_plugin.flake8_plugin import WSUChecker

    total = 0.0
    analysed = 0
    for file in sorted(Path(path).rglob("*.py")):
        try:
            text = file.read_text("utf-8")
            tree = ast.parse(text)
        except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
            continue
        lines = text.splitlines(keepends=True)
        started = time.perf_counter()
        results = list(WSUChecker(tree, lines, str(file)).run())
        total += time.perf_counter() - started
        analysed += bool(results)
    return total, analysed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=sysconfig.get_paths()["purelib"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args, _ = parser.parse_known_args(argv)  # `python -m benchmarks` passes everyone its options
    files = sum(1 for _ in Path(args.path).rglob("*.py"))
    print(f"corpus: {args.path} ({files} .py files), flake8 --select WSU --jobs {args.jobs}")
    runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="flake8-overhead-") as scratch:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = scratch
        for with_plugin in (False, True):  # fills the bytecode cache (and the page cache)
            run(with_plugin, args.path, args.jobs, env)
        for _ in range(args.repeat):  # interleaved so drift affects both alike
            for with_plugin in (False, True):
                runs[with_plugin].append(run(with_plugin, args.path, args.jobs, env))
    best_without, best_with = (min(wall for wall, _ in runs[w]) for w in (False, True))
    cpu_without, cpu_with = (statistics.median(cpu for _, cpu in runs[w]) for w in (False, True))
    print(f"without plugin: {best_without:8.2f} s (best of {args.repeat}), CPU {cpu_without:.2f} s")
    print(f"with plugin:    {best_with:8.2f} s (best of {args.repeat}), CPU {cpu_with:.2f} s")
    print(
        f"overhead: wall {(best_with / best_without - 1) * 100:+.2f}%, "
        f"CPU {(cpu_with / cpu_without - 1) * 100:+.2f}% (median)"
    )
    own, flagged = plugin_time(args.path)
    share = own / cpu_without * 100
    print(
        f"plugin's own time, in-process: {own:.2f} s over {files} files ({flagged} with findings)"
        f" = {share:.2f}% of flake8's CPU time without it"
    )


if __name__ == "__main__":
    main()
