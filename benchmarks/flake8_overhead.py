"""How much the WSU plugin adds to ``flake8 --select WSU`` on a large real corpus.

Runs flake8 over every .py file of the installed site-packages twice in the same
session: with the plugin, and with its entry point filtered out. Most files never
mention websockets, so the plugin should cost one regex search on each of them.

    python -m benchmarks.flake8_overhead [--jobs N] [--repeat N] [PATH]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import sysconfig
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


def run(with_plugin: bool, path: str, jobs: int) -> float:
    args = ["--select", "WSU", "--exit-zero", f"--jobs={jobs}", path]
    if with_plugin:
        command = [sys.executable, "-m", "flake8", *args]
    else:
        command = [sys.executable, "-c", WITHOUT_PLUGIN, *args]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


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
    with_times, without_times = [], []
    for _ in range(args.repeat):  # interleaved so drift affects both alike
        without_times.append(run(False, args.path, args.jobs))
        with_times.append(run(True, args.path, args.jobs))
    best_with, best_without = min(with_times), min(without_times)
    print(f"without plugin: {best_without:8.2f} s (best of {args.repeat})")
    print(f"with plugin:    {best_with:8.2f} s (best of {args.repeat})")
    overhead = (best_with / best_without - 1) * 100
    print(f"overhead: {overhead:+.2f}% (ratio {best_with / best_without:.3f}x)")
    own, flagged = plugin_time(args.path)
    share = own / (best_without * args.jobs) * 100
    print(
        f"plugin's own time, in-process: {own:.2f} s over {files} files ({flagged} with findings)"
        f" = {share:.2f}% of flake8's CPU time with {args.jobs} jobs"
    )


if __name__ == "__main__":
    main()
