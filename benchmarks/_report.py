"""Helpers shared by the echo benchmarks: CPU accounting, medians, the machine, tables."""

from __future__ import annotations

import os
import platform
import statistics
import zlib
from dataclasses import dataclass, field

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int, *, children: bool = False) -> float:
    """CPU seconds (user + system, all threads) a process has used so far; ``children``:
    with its child processes that have ended (worker processes)."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name may contain spaces: fields are counted after its closing ")".
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


@dataclass
class Figure:
    """Every run of one figure: the rate (higher is better) and CPU per unit of work."""

    rates: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """Client + server CPU seconds per message (or per MiB)."""

    def add(self, rate: float, cpu: float) -> None:
        self.rates.append(rate)
        self.cpu.append(cpu)

    @property
    def rate(self) -> float:
        return statistics.median(self.rates) if self.rates else 0.0

    @property
    def cpu_per_unit(self) -> float:
        return statistics.median(self.cpu) if self.cpu else 0.0


def machine() -> str:
    """One paragraph: hardware, system, load, Python and the versions compared."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "n/a"
    from importlib.metadata import version

    from websockets_impl import utils
    from websockets_impl.extensions import permessage_deflate

    speedups = "C" if utils.apply_mask is not utils.apply_mask_python else "Python"
    backend = permessage_deflate._zlib
    deflate = f"zlib-ng {backend.ZLIBNG_VERSION}" if backend is not zlib else "zlib"
    try:
        from websockets import speedups as upstream_speedups  # noqa: F401

        upstream = "C"
    except ImportError:
        upstream = "Python"
    return (
        f"machine: {model}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"load average {load}\n"
        f"versions: {platform.python_implementation()} {platform.python_version()}, "
        f"zlib {zlib.ZLIB_RUNTIME_VERSION}, "
        f"websockets_impl (masking: {speedups}, deflate: {deflate}), "
        f"upstream websockets {version('websockets')} (masking: {upstream})"
    )


def load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


@dataclass
class Row:
    label: str
    unit: str
    ours: float
    theirs: float
    ratio: float
    """Ours relative to the peer, oriented so that above 1.0 is better (except memory)."""
    cpu_ratio: float | None
    """Peer's CPU per unit / ours: above 1.0 means ours uses less CPU."""
    goal: str
    met: bool


def rate_row(label: str, unit: str, ours: Figure, theirs: Figure, goal: float) -> Row:
    ratio = ours.rate / theirs.rate if theirs.rate else 0.0
    cpu_ratio = theirs.cpu_per_unit / ours.cpu_per_unit if ours.cpu_per_unit else None
    return Row(label, unit, ours.rate, theirs.rate, ratio, cpu_ratio, f">= {goal}x", ratio >= goal)


def memory_row(ours: float, theirs: float, goal: float) -> Row:
    ratio = ours / theirs if theirs > 0 else float("inf")
    return Row(
        "memory per idle connection", "KiB", ours, theirs, ratio, None, f"<= {goal}x", ratio <= goal
    )


def print_table(title: str, peer: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(f"  {'figure':<28}{'ours':>14}{peer:>16}{'ratio':>8}{'cpu ratio':>11}{'goal':>9}  met")
    for row in rows:
        cpu = f"{row.cpu_ratio:.2f}x" if row.cpu_ratio is not None else "-"
        print(
            f"  {row.label:<28}{row.ours:>10,.1f} {row.unit:<3}{row.theirs:>12,.1f} {row.unit:<3}"
            f"{row.ratio:>7.2f}x{cpu:>11}{row.goal:>9}  {'yes' if row.met else 'NO'}"
        )
