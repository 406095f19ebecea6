#!/usr/bin/env python3
"""How each way's cost grows with the archive's size (issue 15).

    benchmarks/scale_plot.py [--svg FILE] RESULT.json [RESULT.json ...]

Each RESULT is a `scripts/bench --json` run at one scale (1M, 10M, 100M
reports). Prints a markdown table: per operation, the median of each way
(docket, SQLite, raw RocksDB) at every scale and docket's growth from the
smallest scale to the largest. With --svg, draws the same figures on
log-log axes with gnuplot (Debian's gnuplot-nox), one panel per operation:
a line whose slope is 1 grows in proportion to the reports.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

WAYS = ("docket", "sqlite", "rocksdb")
# operation, label, metric (Google Benchmark field or cpu/wall), unit
OPERATIONS = [
    ("point_as_of", "point lookup as of a date", "cpu", "µs CPU"),
    ("revisions_cell", "revisions of one cell", "cpu", "µs CPU"),
    ("changes_since_1pct", "changes since (last 1%)", "cpu", "µs CPU"),
    ("growth_all_series", "growth over every series", "cpu", "µs CPU"),
    ("oneshot_point", "one-shot process: point lookup", "wall", "ms wall"),
    ("oneshot_growth_charge", "one-shot process: growth of a charge", "wall", "ms wall"),
    ("oneshot_growth_all", "one-shot process: growth, every series", "wall", "ms wall"),
    ("oneshot_growth_all", "growth query peak RSS", "peak_rss_MiB", "MiB"),
    ("import", "import CSV → durable", "rows_per_s", "rows/s"),
    ("import", "bytes on disk per report", "bytes_per_report", "B"),
]
SCALE = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def medians(path):
    """(reports, {(op, metric, way): median}) of one run."""
    data = json.load(open(path))
    reports = int(data.get("context", {}).get("reports", 0))
    if not reports:
        sys.exit(f"scale_plot: {path} says no `reports` in its context")
    values = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        op, way = b["run_name"].split("/")[:2]
        for op_, _, metric, unit in OPERATIONS:
            if op_ != op:
                continue
            if metric in ("cpu", "wall"):
                to = "ms" if unit.startswith("ms") else "us"
                field = "cpu_time" if metric == "cpu" else "real_time"
                v = b[field] * SCALE[b["time_unit"]] / SCALE[to]
            elif metric in b:
                v = b[metric]
            else:
                continue
            values.setdefault((op, metric, way), []).append(v)
    return reports, {k: statistics.median(v) for k, v in values.items()}


def short(n):
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div:
            return f"{n / div:g}{suffix}"
    return str(n)


def number(x):
    if x is None:
        return "—"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e4:
        return f"{x / 1e3:.0f}k"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--svg", help="draw the log-log plot into this file")
    ap.add_argument("results", nargs="+")
    args = ap.parse_args()
    runs = sorted(medians(p) for p in args.results)
    scales = [r for r, _ in runs]

    head = ["operation", "unit", "way"] + [short(r) for r in scales]
    if len(scales) > 1:
        head.append(f"{short(scales[-1])} ÷ {short(scales[0])}")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i < 3 else "---:" for i in range(len(head))) + "|")
    for op, label, metric, unit in OPERATIONS:
        for way in WAYS:
            row = [m.get((op, metric, way)) for _, m in runs]
            if all(v is None for v in row):
                continue
            cells = [label if way == "docket" else "", unit if way == "docket" else "", way]
            cells += [number(v) for v in row]
            if len(scales) > 1:
                first, last = row[0], row[-1]
                cells.append(f"{last / first:.2f}×" if first and last else "—")
            print("| " + " | ".join(cells) + " |")

    if args.svg:
        draw(args.svg, runs)


def draw(svg, runs):
    panels = [(op, label, metric, unit) for op, label, metric, unit in OPERATIONS if metric in ("cpu", "wall")]
    with tempfile.TemporaryDirectory() as tmp:
        script = [
            f"set terminal svg size 1200,{300 * ((len(panels) + 2) // 3)} font 'sans,10'",
            f"set output '{os.path.abspath(svg)}'",
            f"set multiplot layout {(len(panels) + 2) // 3},3",
            "set logscale xy", "set key top left", "set grid", "set xlabel 'reports'",
        ]
        for i, (op, label, metric, unit) in enumerate(panels):
            plots = []
            for way in WAYS:
                points = [(r, m[(op, metric, way)]) for r, m in runs if (op, metric, way) in m]
                if not points:
                    continue
                data = os.path.join(tmp, f"{i}-{way}.dat")
                with open(data, "w") as f:
                    f.writelines(f"{r} {v}\n" for r, v in points)
                plots.append(f"'{data}' using 1:2 with linespoints title '{way}'")
            script += [f"set title '{label}'", f"set ylabel '{unit}'", "plot " + ", ".join(plots)]
        script.append("unset multiplot")
        subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)


if __name__ == "__main__":
    main()
