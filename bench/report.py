"""The benchmark's outputs: the table (figure, ours, floor, ratio, target, result) and the plot."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

__all__ = ["Row", "build_rows", "format_table", "plot", "scale_rows"]

Results = Mapping[str, Any]
"""The benchmark's results as written to the JSON file."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    figure: str
    ours: str
    floor: str = "-"
    ratio: str = "-"
    target: str = "-"
    result: str = ""
    """`pass`, `FAIL`, or empty for a figure without a target."""

    def as_dict(self) -> dict[str, str]:
        """The row for the JSON file."""
        return asdict(self)


def _number(value: object, digits: int = 1) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def _ratio(ours: object, floor: object) -> tuple[str, float]:
    if (
        isinstance(ours, int | float)
        and isinstance(floor, int | float)
        and floor > 0
        and not math.isnan(ours)
        and not math.isnan(floor)
    ):
        value = ours / floor
        return f"{value:.2f}x", value
    return "n/a", float("nan")


def _verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def _errors(entry: Mapping[str, Any]) -> int:
    counts: Mapping[str, int] = entry.get("errors", {})
    return sum(counts.values())


def _open_rows(results: Results) -> list[Row]:
    opened = results.get("open")
    if not opened:
        return []
    ours, floor = opened["counter"], opened["echo"]
    count = ours["opened"]
    rows = [
        Row(
            f"sessions opened at the same instant that render (of {count})",
            f"{ours['rendered']}/{count}",
            f"{floor['rendered']}/{count}",
            target=f"{count}/{count}",
            result=_verdict(ours["rendered"] == count),
        )
    ]
    for key in ("p50", "p95"):
        text, _ = _ratio(ours[key], floor[key])
        rows.append(
            Row(
                f"open -> first update {key} ms ({count} at once)",
                _number(ours[key]),
                _number(floor[key]),
                text,
            )
        )
    return rows


def _events_row(
    label: str, ours: Mapping[str, Any], floor: Mapping[str, Any], goal: float | None
) -> Row:
    """A row of events/s against a floor's; `goal` is the least ratio that passes (or none)."""
    text, value = _ratio(ours["per_second"], floor["per_second"])
    return Row(
        label,
        _number(ours["per_second"], 0),
        _number(floor["per_second"], 0),
        text,
        f">= {goal:.2f}x" if goal is not None else "-",
        _verdict(value >= goal) if goal is not None else "",
    )


def _round_trip_rows(results: Results, target_level: str, top_level: str) -> list[Row]:
    trips: Mapping[str, Any] = results.get("round_trips", {})
    rows: list[Row] = []
    for level, entry in trips.items():
        ours, floor = entry["counter"], entry["echo"]
        text, _ = _ratio(ours["p50"], floor["p50"])
        rows.append(
            Row(
                f"click round trip p50/p95/p99 ms @{level}",
                "/".join(_number(ours[k]) for k in ("p50", "p95", "p99")),
                "/".join(_number(floor[k]) for k in ("p50", "p95", "p99")),
                text,
            )
        )
    for level, entry in trips.items():
        rows.append(
            _events_row(
                f"counter events/s @{level}",
                entry["counter"],
                entry["echo"],
                0.8 if level == target_level else None,
            )
        )
    for level, entry in trips.items():
        raw = entry.get("raw")
        if raw is None:
            continue
        echo_text, _ = _ratio(entry["echo"]["per_second"], raw["per_second"])
        rows.append(
            _events_row(
                f"counter events/s vs raw-ASGI echo @{level} (Channels echo {echo_text})",
                entry["counter"],
                raw,
                0.7 if level == target_level else None,
            )
        )
    for level, entry in trips.items():
        ours, floor = entry["counter"], entry["echo"]
        key = "server_cpu_us_per_event"
        text, _ = _ratio(ours.get(key), floor.get(key))
        rows.append(
            Row(
                f"server CPU us per event @{level}",
                _number(ours.get(key), 0),
                _number(floor.get(key), 0),
                text,
            )
        )
    for level, entry in trips.items():
        ours, raw = entry["counter"], entry.get("raw")
        if raw is None:
            continue
        key = "server_cpu_us_per_event"
        text, _ = _ratio(raw.get(key), ours.get(key))
        rows.append(
            Row(
                f"server CPU us per event vs raw-ASGI echo @{level} (ratio: raw / ours)",
                _number(ours.get(key), 0),
                _number(raw.get(key), 0),
                text,
            )
        )
    if top_level in trips:
        entry = trips[top_level]
        ours, floor = entry["counter"], entry["echo"]
        lost = int(top_level) - ours["ready"]
        ours_bad = _errors(ours) + lost
        rows.append(
            Row(
                f"errors + dropped connections @{top_level}",
                str(ours_bad),
                str(_errors(floor) + int(top_level) - floor["ready"]),
                target="0",
                result=_verdict(ours_bad == 0 and bool(entry["server_alive"])),
            )
        )
    return rows


def _memory_rows(results: Results) -> list[Row]:
    memory: Mapping[str, Any] = results.get("memory", {})
    echo = memory.get("echo")
    if not echo:
        return []
    rows: list[Row] = []
    limits = {"counter": 45.0, "query": 65.0}
    names = {"counter": "counter", "query": "use_query list"}
    for kind, limit in limits.items():
        entry = memory.get(kind)
        if not entry:
            continue
        text, _ = _ratio(entry["per_connection_kib"], echo["per_connection_kib"])
        rows.append(
            Row(
                f"KiB per idle {names[kind]} session ({entry['connections']} sessions)",
                _number(entry["per_connection_kib"]),
                _number(echo["per_connection_kib"]),
                text,
                f"<= {limit:.0f}",
                _verdict(
                    entry["per_connection_kib"] <= limit
                    and entry["mounted"] == entry["connections"]
                ),
            )
        )
    for kind in limits:
        entry = memory.get(kind)
        if not entry:
            continue
        rows.append(
            Row(
                f"KiB RSS above baseline after the {names[kind]} sessions close (trimmed)",
                _residual(entry),
                _residual(echo),
            )
        )
        rows.append(_left_row(f"{names[kind]} sessions", entry, echo))
    return rows


def _residual(entry: Mapping[str, Any]) -> str:
    return f"{_number(entry['residual_kib'], 0)} ({_number(entry['residual_trimmed_kib'], 0)})"


_BLOCKS_SHARE = 0.02
"""Back at baseline: at most this share of the Python blocks the sessions took stays alive."""


def _left(entry: Mapping[str, Any]) -> tuple[str, bool]:
    """What the closed sessions left: Python blocks (of those they took) and asyncio tasks above
    baseline, and whether that is "back at baseline". RSS is shown but not judged: CPython's
    allocator keeps freed arenas that still hold one live object, for the floor as for us."""
    blocks, tasks = entry["blocks"], entry["tasks"]
    grown = max(blocks[1] - blocks[0], 1)
    left_blocks, left_tasks = blocks[2] - blocks[0], tasks[2] - tasks[0]
    ok = left_blocks <= _BLOCKS_SHARE * grown and left_tasks <= 0
    return f"{left_blocks:,} of {grown:,} / {left_tasks}", ok


def _left_row(what: str, entry: Mapping[str, Any], echo: Mapping[str, Any]) -> Row:
    ours, ok = _left(entry)
    floor, _ = _left(echo)
    return Row(
        f"left after the {what} close: Python blocks / tasks",
        ours,
        floor,
        target="baseline",
        result=_verdict(ok),
    )


def _refetch_rows(results: Results, target_level: str) -> list[Row]:
    rows: list[Row] = []
    refetch: Mapping[str, Any] = results.get("refetch", {})
    for level, entry in refetch.items():
        targeted = level == target_level
        bad = _errors(entry) + int(level) - entry["ready"]
        rows.append(
            Row(
                f"use_query server CPU us per refetch @{level}",
                _number(entry.get("server_cpu_us_per_event"), 0),
            )
        )
        rows.append(
            Row(
                f"use_query refetches/s @{level}",
                _number(entry["per_second"], 0) + (f" ({bad} errors)" if bad else ""),
                target=">= 750" if targeted else "-",
                result=_verdict(entry["per_second"] >= 750 and bad == 0) if targeted else "",
            )
        )
    return rows


def _fanout_rows(results: Results) -> list[Row]:
    rows: list[Row] = []
    fanout: Mapping[str, Any] = results.get("fanout", {})
    for layer, by_count in fanout.items():
        if not isinstance(by_count, Mapping) or "skipped" in by_count:
            reason = by_count.get("skipped", "") if isinstance(by_count, Mapping) else ""
            rows.append(Row(f"group fan-out ({layer} layer)", f"skipped: {reason}"))
            continue
        counts = list(by_count)
        for count in counts:
            ours, floor = by_count[count]["ours"], by_count[count]["floor"]
            ours_p50 = ours.get("all_ms", {}).get("p50", float("nan"))
            floor_p50 = floor.get("all_ms", {}).get("p50", float("nan"))
            text, value = _ratio(ours_p50, floor_p50)
            targeted = count == counts[-1]
            got = ours["received"]
            rows.append(
                Row(
                    f"group fan-out p50 ms to {count} receivers ({layer})",
                    f"{_number(ours_p50)} ({got}/{count})",
                    f"{_number(floor_p50)} ({floor['received']}/{count})",
                    text,
                    "<= 1.20x" if targeted else "-",
                    _verdict(value <= 1.2 and got == int(count)) if targeted else "",
                )
            )
    return rows


def _layer_refetch_rows(results: Results) -> list[Row]:
    rows: list[Row] = []
    by_layer: Mapping[str, Any] = results.get("layer_refetch", {})
    for layer, entry in by_layer.items():
        ours, floor = entry["query"], entry["echo"]
        text, _ = _ratio(ours["per_second"], floor["per_second"])
        bad = _errors(ours) + ours["connections"] - ours["ready"]
        rows.append(
            Row(
                f"use_query refetches/s @{ours['connections']} ({layer} layer) vs echo frames/s",
                _number(ours["per_second"], 0) + (f" ({bad} errors)" if bad else ""),
                _number(floor["per_second"], 0),
                text,
            )
        )
    return rows


def _postprocessor_rows(results: Results) -> list[Row]:
    entry: Mapping[str, Any] | None = results.get("postprocessor")
    if entry is None:
        return []
    variants: Mapping[str, Mapping[str, float]] | None = entry.get("variants")
    if not variants:
        return [Row("default postprocessor, 200-row case", f"skipped: {entry.get('skipped')}")]
    lazy = next((v for name, v in variants.items() if name.startswith("no postprocessor")), None)
    rows: list[Row] = []
    for name, variant in variants.items():
        if lazy is not None and variant is lazy:
            continue
        floor = "-" if lazy is None else f"{lazy['total']:.0f} / {lazy['ms']:.1f}"
        text, _ = _ratio(variant["ms"], lazy["ms"] if lazy else None)
        rows.append(
            Row(
                f"postprocessor {name}: SQL queries / ms (200-row case)",
                f"{variant['total']:.0f} / {variant['ms']:.1f}",
                floor,
                text,
            )
        )
    return rows


def build_rows(results: Results) -> list[Row]:
    """Every table row, in the issue's order (1 open, 2 round trips, 3 memory, 4, 5)."""
    config: Mapping[str, Any] = results["config"]
    levels = [str(level) for level in config["levels"]]
    refetch_levels = [str(level) for level in config["refetch_levels"]]
    return [
        *_open_rows(results),
        *_round_trip_rows(results, levels[min(2, len(levels) - 1)], levels[-1]),
        *_memory_rows(results),
        *_refetch_rows(results, refetch_levels[-1]),
        *_fanout_rows(results),
        *_layer_refetch_rows(results),
        *_postprocessor_rows(results),
    ]


_SCALE_KIB = {"counter": 36.0, "query": 50.0}
"""The per-session memory goals at scale, KiB."""
_SCALE_NAMES = {"counter": "counter", "raw": "raw-ASGI echo (floor)", "query": "use_query list"}
"""How the table names each kind of `--scale` session (`raw`: the floor, no target of its own)."""


def _scale_kind_rows(kind: str, entry: Mapping[str, Any]) -> list[Row]:
    steps: Mapping[str, Any] = entry["steps"]
    name = _SCALE_NAMES[kind]
    reference = steps.get("50", {}).get("click_ms", {}).get("p99")
    goal_kib = _SCALE_KIB.get(kind)
    rows: list[Row] = []
    top = max(steps, key=int)
    for size in sorted(steps, key=int):
        step = steps[size]
        last = size == top and goal_kib is not None
        mib = step["rss_kib"] / 1024
        memory = Row(
            f"{name} @{size}: server RSS MiB / KiB per session",
            f"{mib:,.1f} / {_number(step['per_session_kib'])}",
        )
        if last and goal_kib is not None:
            whole = kind == "counter" and int(size) >= 5000
            memory = replace(
                memory,
                target=f"<= {goal_kib:.0f} KiB" + (" and <= 250 MiB" if whole else ""),
                result=_verdict(step["per_session_kib"] <= goal_kib and (not whole or mib <= 250)),
            )
        rows.append(memory)
        first = step["first_update_ms"]
        rows.append(
            Row(
                f"{name} @{size}: open -> first update p50/p99 ms (others open)",
                f"{_number(first['p50'])}/{_number(first['p99'])}",
            )
        )
        click = step["click_ms"]["p99"]
        text, value = _ratio(click, reference)
        rows.append(
            Row(
                f"{name} @{size}: one click round trip p50/p99 ms (ratio to @50)",
                f"{_number(step['click_ms']['p50'])}/{_number(click)}",
                _number(reference),
                text,
                "<= 1.50x" if last else "-",
                _verdict(value <= 1.5) if last else "",
            )
        )
        rows.append(
            Row(
                f"{name} @{size}: server CPU while idle",
                f"{step['idle_cpu'] * 100:.2f}%",
                target="< 2%",
                result=_verdict(step["idle_cpu"] < 0.02),
            )
        )
    bad = _errors(entry) + sum(
        step["sessions"] - step["mounted"] for step in steps.values() if "mounted" in step
    )
    rows.append(
        Row(
            f"{name}: errors and sessions not mounted",
            str(bad),
            target="0",
            result=_verdict(bad == 0),
        )
    )
    left, ok = _left(entry)
    rows.append(
        Row(
            f"{name}: left after all close: Python blocks / tasks (RSS KiB above baseline)",
            f"{left} ({entry['after_kib'] - entry['baseline_kib']:,})",
            target="baseline",
            result=_verdict(ok),
        )
    )
    return rows


def _click_growth(entry: Mapping[str, Any]) -> tuple[str, float, str]:
    """A kind's click p99 at its largest step over its p99 at 50: text, value, largest step."""
    steps: Mapping[str, Any] = entry["steps"]
    top = max(steps, key=int)
    text, value = _ratio(
        steps[top]["click_ms"]["p99"], steps.get("50", {}).get("click_ms", {}).get("p99")
    )
    return text, value, top


def _growth_rows(measured: Mapping[str, Any]) -> list[Row]:
    """The counter's click p99 growth beside the raw-ASGI floor's on the same kind of server:
    what the server alone adds as sessions grow, and what is left for the package."""
    if "counter" not in measured or "raw" not in measured:
        return []
    ours, ours_value, top = _click_growth(measured["counter"])
    floor, floor_value, _ = _click_growth(measured["raw"])
    text, _ = _ratio(ours_value, floor_value)
    return [
        Row(
            f"one click p99 growth @{top} / @50: counter vs raw-ASGI echo (floor)",
            ours,
            floor,
            text,
        )
    ]


def scale_rows(results: Results) -> list[Row]:
    """The `--scale` table: per kind and session count, memory, first update, click, idle CPU;
    then the counter's click p99 growth beside the raw-ASGI floor's."""
    measured: Mapping[str, Any] = results.get("scale", {})
    return [
        *(row for kind, entry in measured.items() for row in _scale_kind_rows(kind, entry)),
        *_growth_rows(measured),
    ]


def format_table(rows: list[Row]) -> str:
    """The rows as a fixed-width text table with a header line."""
    header = Row("figure", "ours", "floor", "ratio", "target", "result")
    columns = list(
        zip(
            *((r.figure, r.ours, r.floor, r.ratio, r.target, r.result) for r in [header, *rows]),
            strict=True,
        )
    )
    widths = [max(len(cell) for cell in column) for column in columns]
    lines: list[str] = []
    for index, row in enumerate([header, *rows]):
        cells = (row.figure, row.ours, row.floor, row.ratio, row.target, row.result)
        lines.append(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
        )
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def _scale_panel(axes: Any, scale: Results | None) -> None:
    """Server RSS (left axis) and one click's p99 (right axis) against the open sessions."""
    measured: Mapping[str, Any] = (scale or {}).get("scale", {})
    axes.set_title("Sessions at scale in one process (--scale)")
    if not measured:
        axes.text(0.5, 0.5, "no --scale run in this folder", ha="center", transform=axes.transAxes)
        return
    clicks = axes.twinx()
    for kind, entry in measured.items():
        steps: Mapping[str, Any] = entry["steps"]
        sizes = sorted(int(size) for size in steps)
        axes.plot(
            sizes,
            [steps[str(size)]["rss_kib"] / 1024 for size in sizes],
            "o-",
            label=f"{_SCALE_NAMES[kind]} RSS MiB",
        )
        clicks.plot(
            sizes,
            [steps[str(size)]["click_ms"]["p99"] for size in sizes],
            "s--",
            label=f"{_SCALE_NAMES[kind]} click p99 ms",
        )
    axes.axhline(250, color="grey", linestyle=":", linewidth=1)
    axes.set(xscale="log", xlabel="open idle sessions", ylabel="server RSS (MiB)")
    clicks.set(ylabel="one click round trip p99 (ms)")
    lines, labels = axes.get_legend_handles_labels()
    more, more_labels = clicks.get_legend_handles_labels()
    axes.legend(lines + more, labels + more_labels, fontsize=8, loc="upper left")


def plot(results: Results, path: Path, scale: Results | None = None) -> None:
    """Five panels: round trip, throughput, memory per session, fan-out and, from a `--scale`
    run's results, memory and click p99 against the session count; saved as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, ((trips_ax, rate_ax, scale_ax), (memory_ax, fan_ax, spare_ax)) = pyplot.subplots(
        2, 3, figsize=(18, 9)
    )
    spare_ax.axis("off")
    _scale_panel(scale_ax, scale)
    trips: Mapping[str, Any] = results.get("round_trips", {})
    levels = sorted(int(level) for level in trips)  # the JSON file sorts keys as text
    for kind, label, style in (
        ("counter", "reactpy_django counter", "o-"),
        ("echo", "Channels echo (floor)", "s--"),
    ):
        for key, alpha in (("p50", 1.0), ("p99", 0.45)):
            trips_ax.plot(
                levels,
                [trips[str(level)][kind][key] for level in levels],
                style,
                alpha=alpha,
                label=f"{label} {key}",
            )
    trips_ax.set(
        xscale="log", yscale="log", xlabel="concurrent connections", ylabel="click round trip (ms)"
    )
    trips_ax.set_title("Event round trip")
    trips_ax.legend(fontsize=8)

    rate_ax.plot(
        levels,
        [trips[str(level)]["counter"]["per_second"] for level in levels],
        "o-",
        label="counter clicks/s",
    )
    rate_ax.plot(
        levels,
        [trips[str(level)]["echo"]["per_second"] for level in levels],
        "s--",
        label="echo floor frames/s",
    )
    if all("raw" in trips[str(level)] for level in levels):
        rate_ax.plot(
            levels,
            [trips[str(level)]["raw"]["per_second"] for level in levels],
            "x:",
            label="raw-ASGI echo floor frames/s",
        )
    refetch: Mapping[str, Any] = results.get("refetch", {})
    refetch_levels = sorted(int(level) for level in refetch)
    rate_ax.plot(
        refetch_levels,
        [refetch[str(level)]["per_second"] for level in refetch_levels],
        "^-",
        label="use_query refetches/s",
    )
    rate_ax.axhline(750, color="grey", linestyle=":", linewidth=1, label="refetch target 750/s")
    rate_ax.set(xscale="log", xlabel="concurrent connections", ylabel="per second")
    rate_ax.set_title("Throughput")
    rate_ax.legend(fontsize=8)

    memory: Mapping[str, Any] = results.get("memory", {})
    names = {"echo": "Channels echo\n(floor)", "counter": "counter", "query": "use_query list"}
    kinds = [kind for kind in names if kind in memory]
    bars = memory_ax.bar(
        [names[kind] for kind in kinds],
        [memory[kind]["per_connection_kib"] for kind in kinds],
        color=["grey", "tab:blue", "tab:orange"][: len(kinds)],
    )
    memory_ax.bar_label(bars, fmt="%.1f")
    for limit, label in ((45, "counter target"), (65, "use_query target")):
        memory_ax.axhline(limit, color="grey", linestyle=":", linewidth=1)
        memory_ax.annotate(label, (0, limit), fontsize=8, va="bottom")
    memory_ax.set(ylabel="KiB per idle session (RSS delta / N)")
    memory_ax.set_title("Server memory per idle session")

    fanout: Mapping[str, Any] = results.get("fanout", {})
    for layer, by_count in fanout.items():
        if not isinstance(by_count, Mapping) or "skipped" in by_count:
            continue
        counts = sorted(int(count) for count in by_count)
        for side, style in (("ours", "o-"), ("floor", "s--")):
            fan_ax.plot(
                counts,
                [
                    by_count[str(count)][side].get("all_ms", {}).get("p50", float("nan"))
                    for count in counts
                ],
                style,
                label=f"{'reactpy_django' if side == 'ours' else 'group_send floor'} ({layer})",
            )
    fan_ax.set(xlabel="mounted receivers", ylabel="p50 ms until all received")
    fan_ax.set_title("Channel-layer group fan-out")
    fan_ax.legend(fontsize=8)

    meta: Mapping[str, Any] = results.get("meta", {})
    experiments = meta.get("experiments")
    figure.suptitle(
        f"reactpy_django benchmark ({meta.get('mode', '')}, {meta.get('cpus', '?')} CPUs, "
        f"load avg {meta.get('load_before', '?')}) - ratios to floors measured in the same run"
        + (f"\nEXPERIMENTS ON: {experiments}" if experiments else "")
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
