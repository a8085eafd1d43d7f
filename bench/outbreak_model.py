"""The pure outbreak model (``fangkong.simulate.outbreak``) for 30 days on a synthetic city.

Builds ``synthetic(--people, seed)`` (default 1,000,000 people), then runs ``--days`` (30) days
from ``--seed-cases`` (20) without measures, writing the ground truth to ``bench/.work/`` when
``--truth`` is given. Prints the seconds (building, running, writing), the infections, the
visits and contacts per day, and the peak resident memory of this process, and appends a dated
section to ``bench/BENCHMARKS.md``. Goal (issue 10): the whole 30-day outbreak on a million
people, fed to the platform, in under 10 minutes; this is the model's share of it.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

import report
from fangkong.simulate.outbreak import Outbreak, TruthWriter, synthetic

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "outbreak-truth"


def run(people: int, days: int, seed_cases: int, seed: int, truth: bool) -> dict[str, float]:
    started = time.perf_counter()
    population = synthetic(people, seed=seed)
    outbreak = Outbreak(population, seed=seed, seed_cases=seed_cases)
    built = time.perf_counter()
    shutil.rmtree(WORK, ignore_errors=True)
    writer = TruthWriter(WORK, population, outbreak.venues) if truth else None
    totals = {"infections": 0.0, "visits": 0.0, "contacts": 0.0, "writing": 0.0}
    for _ in range(days):
        day = outbreak.step()
        totals["infections"] += len(day.infections)
        totals["visits"] += len(day.visits)
        totals["contacts"] += len(day.contacts)
        if writer:
            at = time.perf_counter()
            writer.write(day)
            totals["writing"] += time.perf_counter() - at
    if writer:
        writer.close()
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return totals | {"build": built - started, "total": done - started, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed-cases", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--truth", action="store_true", help="write the ground truth too")
    parser.add_argument("--load", default="quiet machine", help="what else ran meanwhile")
    args = parser.parse_args()
    f = run(args.people, args.days, args.seed_cases, args.seed, args.truth)
    print(f"people {args.people:,}, days {args.days}, seed cases {args.seed_cases}: "
          f"build {f['build']:.1f} s, total {f['total']:.1f} s (truth writing "
          f"{f['writing']:.1f} s), infections {f['infections']:,.0f}, visits/day "
          f"{f['visits'] / args.days:,.0f}, contacts/day {f['contacts'] / args.days:,.0f}, "
          f"peak RSS {f['peak_mb']:,.0f} MB")  # fmt: skip
    info = report.machine()
    report.append(HERE / "BENCHMARKS.md", "\n".join([
        f"## {info['date']} — commit {info['commit']}: the outbreak model, {args.days} days on "
        f"{args.people:,} people (bench/outbreak_model.py)",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. "
        f"Load: {args.load}.",
        "",
        "| people | days | seed cases | truth written | build s | total s | infections "
        "| visits/day | contacts/day | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {args.people:,} | {args.days} | {args.seed_cases} | {'yes' if args.truth else 'no'} "
        f"| {f['build']:.1f} | {f['total']:.1f} | {f['infections']:,.0f} "
        f"| {f['visits'] / args.days:,.0f} | {f['contacts'] / args.days:,.0f} "
        f"| {f['peak_mb']:,.0f} |",
        "",
        "- The model's share of the issue's goal (30 days on 1,000,000 people, fed, < 10 min); "
        "feeding the platform is measured by the driver's benchmark.",
        "",
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
