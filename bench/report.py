"""The benchmark's results as a Markdown table, a JSON file and a chart of CPU per request by scale."""

import json


def _ms(value):
    return "-" if value is None else (f"{value:.1f}" if value < 100 else f"{value:,.0f}")


def _met(row):
    """The targets this page misses, in words ('' when it meets them all)."""
    limits, one, eight = row["limits"], row["one"], row.get("eight", {})
    cpu = _cpu(row)
    missed = []
    if cpu > limits.get("cpu_ms", 1e9):
        missed.append(f"CPU {cpu:.0f} > {limits['cpu_ms']}")
    if one["p50_ms"] >= limits.get("p50_ms", 1e9):
        missed.append(f"p50 {one['p50_ms']:.0f} ≥ {limits['p50_ms']}")
    if one["p99_ms"] >= limits.get("p99_ms", 1e9):
        missed.append(f"p99 {one['p99_ms']:.0f} ≥ {limits['p99_ms']}")
    if eight and eight["p99_ms"] >= limits.get("p99_8_ms", 1e9):
        missed.append(f"p99@8 {eight['p99_ms']:.0f} ≥ {limits['p99_8_ms']}")
    if "floor_ratio" in limits and cpu / row["floor_1"]["cpu_ms"] > limits["floor_ratio"]:
        missed.append(f"{cpu / row['floor_1']['cpu_ms']:.0f}× floor > {limits['floor_ratio']}×")
    if one["bad"] or eight.get("bad"):
        missed.append(f"{one['bad'] + eight.get('bad', 0)} wrong answers")
    return "; ".join(missed) if missed else "yes"


def _cpu(row):
    # Complete Rota: its first request is the largest group-month, the one the target names.
    return row["one"]["cpu_first_ms"] if "Complete Rota" in row["page"] else row["one"]["cpu_ms"]


def table(result, queries, small, large):
    lines = [
        "| page | server CPU ms (× floor) | p50 / p99 ms at 1 client | p99 ms at 8 | req/s at 1 (floor ÷ page) "
        f"| req/s at 8 | KB raw / sent | SQL {small} / {large} | targets met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    floors = [r["floor_1"] for r in result["rows"]]
    floor_cpu = sorted(f["cpu_ms"] for f in floors)[len(floors) // 2]
    for row in result["rows"]:
        one, eight, floor = row["one"], row.get("eight"), row["floor_1"]
        cpu = _cpu(row)
        sql = f"{queries.get(small, {}).get(row['page'], '-')} / {queries.get(large, {}).get(row['page'], '-')}"
        cells = [
            row["page"],
            f"{_ms(cpu)} ({cpu / floor_cpu:.0f}×)",
            f"{_ms(one['p50_ms'])} / {_ms(one['p99_ms'])}",
            _ms(eight["p99_ms"]) if eight else "-",
            f"{one['per_second']:.0f} ({floor['per_second'] / one['per_second']:.0f}×)",
            f"{eight['per_second']:.0f}" if eight else "-",
            f"{one['bytes_raw'] / 1024:.1f} / {one['bytes_sent'] / 1024:.1f}",
            sql,
            _met(row),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    f8 = [r["floor_8"] for r in result["rows"] if "floor_8" in r]
    cells = [
        "*floor (bare route)*",
        _ms(floor_cpu),
        f"{_ms(_median(f['p50_ms'] for f in floors))} / {_ms(_median(f['p99_ms'] for f in floors))}",
        _ms(_median(f["p99_ms"] for f in f8)) if f8 else "-",
        f"{_median(f['per_second'] for f in floors):.0f}",
        f"{_median(f['per_second'] for f in f8):.0f}" if f8 else "-",
        "",
        "",
        "",
    ]
    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0


def _by(held):
    """' (by what: the longest first)', from {page's endpoint or job's name: ms}."""
    if not held:
        return ""
    return " (" + ", ".join(f"{what} {ms:.0f} ms" for what, ms in sorted(held.items(), key=lambda i: -i[1])) + ")"


def _jobs_lock(lock):
    if "jobs_ms" not in lock:
        return ""
    return (
        f", {lock['announce_now_ms']:.0f} ms in an Announce Now of the largest month (answered "
        f"{lock['announce_now_status']} in {lock['announce_now_s']:.1f} s) and {lock['jobs_ms']:.0f} ms "
        f"in every job run at once with every open month unannounced and its offer deadline tomorrow "
        f"({lock['jobs_emails']:,} emails queued, {lock['jobs_s']:.1f} s){_by(lock['jobs_by'])}"
    )


def summary(result):
    log, load = result["log"], result["first_load"]
    cpu = f" ({result['startup_cpu_s']:.2f} s of CPU)" if "startup_cpu_s" in result else ""
    if "first_jobs_cpu_s" in result:
        cpu += (
            f"; the scheduler's first round of jobs then took {result['first_jobs_cpu_s']:.2f} s of CPU "
            f"({result['first_jobs_s']:.1f} s), before any page was measured"
        )
    if "jobs_cpu_s" in result:
        cpu += (
            f". Through the run the scheduler's thread (cervis-jobs: sending the emails the actions "
            f"queued, reminders), whose CPU no page's figure includes, used {result['jobs_cpu_s']:.1f} s"
        )
    if "write_lock" in result:
        lock = result["write_lock"]
        cpu += (
            f". Longest write-lock hold: {lock['pages_ms']:.0f} ms over the pages{_by(lock.get('pages_by'))}, "
            f"{lock['import_ms']:.0f} ms "
            f"during a leader's import of 300 new volunteers (answered {lock['import_status']} "
            f"in {lock['import_s']:.1f} s)"
        ) + _jobs_lock(lock)
    return (
        f"Start-up to the first answer: {result['startup_s']:.2f} s{cpu}. Peak server RSS: "
        f"{result['peak_rss_mb']:.0f} MB. Server log: {log['errors']} errors, {log['database_locked']} "
        f'"database is locked". Overbooked slots: {result["overbooked"]}. First load of the slot table, '
        f"everything included: {load['total_sent'] / 1024:.1f} KB as sent (favicon: {load['favicon']})."
    )


def markdown(results):
    names = list(results["queries"])
    small, large = names[0], names[-1]
    main = results["main"]
    facts = results["facts"]
    parts = [
        f"Full scale: {facts['counts']['Group']} groups, {facts['counts']['User']:,} users, "
        f"{facts['counts']['Slot']:,} slots, {facts['counts']['Registration']:,} registrations, "
        f"{facts['counts']['AuditLog']:,} audit rows, {facts['counts']['Email']:,} emails "
        f"(built in {facts['build_seconds']} s). Largest group-month: {facts['largest']['slots']} slots, "
        f"{facts['largest']['pending']} pending offers.",
        "",
        "Server: waitress, one process, 4 threads, the scheduler running.",
        "",
        table(main, results["queries"], small, large),
        "",
        summary(main),
    ]
    if "pinned" in results:
        parts += [
            "",
            "Held to one core (`taskset -c 0`):",
            "",
            table(results["pinned"], results["queries"], small, large),
            "",
            summary(results["pinned"]),
        ]
    return "\n".join(parts) + "\n"


def chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = list(results["scales"])
    fig, ax = plt.subplots(figsize=(8, 5))
    names = [r["page"] for r in results["scales"][scales[-1]]["rows"]]
    for name in names:
        xs, ys = [], []
        for label in scales:
            row = next((r for r in results["scales"][label]["rows"] if r["page"] == name), None)
            if row:
                xs.append(results["scales"][label]["scale"])
                ys.append(_cpu(row))
        ax.plot(xs, ys, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks([results["scales"][s]["scale"] for s in scales], scales)
    ax.set_xlabel("scale of the charity")
    ax.set_ylabel("server CPU per request (ms)")
    ax.set_title("CPU per request against scale: flat lines grow with what a page shows, not with history")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write(results, folder, label):
    (folder / f"{label}.json").write_text(json.dumps(results, indent=1, default=str))
    (folder / f"{label}.md").write_text(markdown(results))
    if len(results["scales"]) > 1:
        chart(results, folder / ("cpu-by-scale.png" if label == "latest" else f"cpu-by-scale-{label}.png"))
