"""Writes one run's results as text tables, plots and the Performance page's
generated part (report.rst), all into the run's output directory."""
import os

import targets
from micro import PAIRS

BASE = targets.BASE


def _fmt(value, spec):
    if value is None:
        width = spec.split(".")[0]
        return format("-", f">{width}") if width else "-"
    return format(value, spec)


def server_rows(results):
    """One row per server: figures and their ratios to the baseline."""
    base = results["servers"].get(BASE, {})
    b_i = base.get("instructions")
    b_l = base.get("loop_instructions")
    b_s = sum(base["syscalls"].values()) if "syscalls" in base else None
    b_cpu = base.get("cpu_us")
    b_wrk = base.get("wrk", {}).get("median")
    rows = []
    for key, entry in results["servers"].items():
        calls = entry.get("syscalls")
        total = sum(calls.values()) if calls is not None else None
        wrk = entry.get("wrk")
        rows.append({
            "key": key, "label": entry["label"], "error": entry.get("error"),
            "instructions": entry.get("instructions"),
            "instructions_ratio": entry["instructions"] / b_i if b_i and entry.get("instructions") else None,
            "loop": entry.get("loop_instructions"),
            "loop_ratio": entry["loop_instructions"] / b_l if b_l and entry.get("loop_instructions") else None,
            "syscalls": total,
            "syscalls_ratio": total / b_s if b_s and total is not None else None,
            "by_name": ", ".join(f"{name} {count:.2f}" for name, count in sorted(calls.items(), key=lambda kv: -kv[1]))
            if calls else "",
            "allocations": entry.get("allocations"),
            "cpu_us": entry.get("cpu_us"),
            "cpu_ratio": entry["cpu_us"] / b_cpu if b_cpu and entry.get("cpu_us") else None,
            "wrk": wrk,
            "wrk_ratio": wrk["median"] / b_wrk if wrk and b_wrk else None,
        })
    return rows


def micro_rows(results):
    rows = []
    for title, mine, raw_epoll, raw_poll, wall in PAIRS:
        for selector, raw in (("epoll", raw_epoll), ("poll", raw_poll)):
            times = results.get("micro", {}).get(selector, {})
            if mine in times and raw in times:
                rows.append({"what": title, "selector": "epoll" if selector == "epoll" else "poll(2)",
                             "baseline": raw.split("/")[0], "metalio_ns": times[mine], "raw_ns": times[raw],
                             "ratio": times[mine] / times[raw], "clock": "wall" if wall else "CPU"})
    return rows


def toolchain_text(results):
    """The compilers and flags of the run, one line (bench/run.sh records them)."""
    tc = results.get("toolchain") or {}
    if not tc:
        return "toolchain: not recorded"
    return (f"C/C++: {tc.get('cc', '?')}, {tc.get('cxx', '?')}, flags {tc.get('flags', '?')} for every server; "
            f"Rust: {tc.get('rustc', '?')}, {tc.get('rust_flags', '?')}")


def text_tables(results):
    lines = [f"make bench ({results['mode']}), {results['started']}; syscalls by {results['syscall_tool']}",
             toolchain_text(results),
             "", "Servers (per request, steady state; ratio = / the short-read raw epoll baseline of this run;",
             "loop = instructions less the shared request logic, hello_feed and hello_answer)"]
    head = f"{'server':<46} {'loop':>6} {'ratio':>6} {'instr':>8} {'ratio':>6} {'sysc':>6} {'ratio':>6} {'alloc':>6} {'cpu us':>7} {'ratio':>6} " \
           f"{'wrk req/s min/med/max':>26} {'ratio':>6}"
    lines += [head, "-" * len(head)]
    for r in server_rows(results):
        if r["error"]:
            lines.append(f"{r['label']:<46} FAILED: {r['error']}")
            continue
        wrk = r["wrk"]
        wrk_text = f"{wrk['min']:.0f}/{wrk['median']:.0f}/{wrk['max']:.0f}" if wrk else "-"
        lines.append(f"{r['label']:<46} {_fmt(r['loop'], '6.0f')} {_fmt(r['loop_ratio'], '6.2f')} "
                     f"{_fmt(r['instructions'], '8.0f')} {_fmt(r['instructions_ratio'], '6.2f')} "
                     f"{_fmt(r['syscalls'], '6.2f')} {_fmt(r['syscalls_ratio'], '6.2f')} "
                     f"{_fmt(r['allocations'], '6.2f')} {_fmt(r['cpu_us'], '7.2f')} {_fmt(r['cpu_ratio'], '6.2f')} "
                     f"{wrk_text:>26} {_fmt(r['wrk_ratio'], '6.2f')}")
    lines += ["", "Syscalls per request, by name"]
    for r in server_rows(results):
        if r["by_name"]:
            lines.append(f"  {r['label']:<46} {r['by_name']}")
    lines += ["", "Micro-benchmarks (fastest repetition, ns; ratio = metalio / raw calls, same binary, same run)"]
    for r in micro_rows(results):
        lines.append(f"  {r['what']:<44} {r['selector']:<8} metalio {r['metalio_ns']:10.0f}  "
                     f"{r['baseline']:<26} {r['raw_ns']:10.0f}  ratio {r['ratio']:.2f} ({r['clock']} time)")
    for key, label in results.get("missing", {}).items():
        lines.append(f"  not built, not measured: {label}")
    lines += ["", "Targets (issues 9, 13 and 19)"]
    for target, met, figure in targets.check(results):
        mark = "not measured" if met is None else ("met" if met else "MISSED")
        lines.append(f"  [{mark}] {target}: {figure}")
    return "\n".join(lines) + "\n"


def plots(results, out):
    """Bar charts of the ratios; returns the file names written."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: no matplotlib for this python3: tables only, no plots")
        return []
    rows = [r for r in server_rows(results) if not r["error"]]
    written = []
    charts = [("loop.png", "loop_ratio", "event-loop instructions / request (callgrind, request logic taken out)"),
              ("instructions.png", "instructions_ratio", "user-space instructions / request (callgrind)"),
              ("syscalls.png", "syscalls_ratio", "system calls / request (tracepoints)"),
              ("cpu.png", "cpu_ratio", "server CPU time / request"),
              ("throughput.png", "wrk_ratio", "wrk requests/s (median)")]
    for name, field, title in charts:
        data = [(r["label"], r[field]) for r in rows if r[field] is not None]
        if not data:
            continue
        fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(data) + 1.1))
        labels = [d[0] for d in data][::-1]
        values = [d[1] for d in data][::-1]
        colors = ["#b05a2a" if "metalio" in label else "#7f8c8d" if label.startswith("raw") else "#4a78a8"
                  for label in labels]
        ax.barh(labels, values, color=colors)
        ax.axvline(1.0, color="black", linewidth=0.8)
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:.2f}", va="center", fontsize=8)
        ax.set_xlabel(f"{title}\nrelative to the short-read raw epoll baseline (= 1)")
        ax.tick_params(axis="y", labelsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out, name), dpi=110)
        plt.close(fig)
        written.append(name)
    micro = micro_rows(results)
    if micro:
        fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(micro) + 1.1))
        labels = [f"{r['what']} ({r['selector']})" for r in micro][::-1]
        values = [r["ratio"] for r in micro][::-1]
        ax.barh(labels, values, color="#b05a2a")
        ax.axvline(1.0, color="black", linewidth=0.8)
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:.2f}", va="center", fontsize=8)
        ax.set_xlabel("metalio time / raw system calls' time (= 1)")
        ax.tick_params(axis="y", labelsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out, "micro.png"), dpi=110)
        plt.close(fig)
        written.append("micro.png")
    return written


def _table(header, rows, widths):
    out = [".. list-table::", "   :header-rows: 1", f"   :widths: {' '.join(str(w) for w in widths)}", ""]
    for row in [header] + rows:
        out.append(f"   * - {row[0]}")
        out += [f"     - {cell}" for cell in row[1:]]
    return out + [""]


def rst(results, images, image_prefix):
    """The generated part of the Performance page."""
    lines = [f"Last run: {results['started']}, mode ``{results['mode']}``, {results['machine']['cpus']} CPUs, "
             f"Linux {results['machine']['kernel']}; system calls counted with "
             + ("``perf stat`` on the ``raw_syscalls:sys_enter`` and ``syscalls:sys_enter_NAME`` tracepoints." if results["syscall_tool"] == "perf"
                else "``strace -c -f`` (the tracepoints could not be opened)."), "",
             "Toolchain: " + toolchain_text(results).replace("toolchain: ", ""), ""]
    for key, label in results.get("missing", {}).items():
        lines += [f"**Not measured: {label}** (its binary was not built; see the output of ``make bench``).", ""]
    lines += ["Targets", "~~~~~~~", ""]
    lines += _table(["Target", "Result", "Figure"],
                    [[t, "not measured" if m is None else ("**met**" if m else "**missed**"), f or "-"]
                     for t, m, f in targets.check(results)], [60, 12, 28])
    lines += ["Servers", "~~~~~~~", "",
              "Per request, in steady state; each ratio is to the short-read raw epoll baseline of the same run. "
              "*Event loop* is the instructions less the inclusive cost of the request logic every server "
              "shares (``hello_feed``, ``hello_answer``). Rows marked *realistic* register for reading and "
              "writing once, keep output on a partial write and leave Nagle on; they are counted only "
              "(no CPU time, no wrk).", ""]
    body = []
    for r in server_rows(results):
        if r["error"]:
            body.append([r["label"], "failed", "-", "-", "-", "-", "-"])
            continue
        wrk = r["wrk"]
        body.append([r["label"],
                     f"{_fmt(r['loop'], '.0f')} ({_fmt(r['loop_ratio'], '.2f')})",
                     f"{_fmt(r['instructions'], '.0f')} ({_fmt(r['instructions_ratio'], '.2f')})",
                     f"{_fmt(r['syscalls'], '.2f')} ({_fmt(r['syscalls_ratio'], '.2f')})",
                     _fmt(r["allocations"], ".2f"),
                     f"{_fmt(r['cpu_us'], '.2f')} ({_fmt(r['cpu_ratio'], '.2f')})",
                     f"{wrk['min']:.0f} / {wrk['median']:.0f} / {wrk['max']:.0f} ({_fmt(r['wrk_ratio'], '.2f')})"
                     if wrk else "-"])
    lines += _table(["Server", "Event loop (ratio)", "Instructions (ratio)", "Syscalls (ratio)", "Allocations",
                     "CPU µs (ratio)", "wrk req/s min / median / max (ratio)"], body, [28, 12, 12, 12, 8, 11, 17])
    lines += ["System calls per request, by name:", ""]
    for r in server_rows(results):
        if r["by_name"]:
            lines.append(f"- {r['label']}: {r['by_name']}")
    lines += [""]
    for name in images:
        if name != "micro.png":
            lines += [f".. image:: {image_prefix}/{name}", "   :alt: " + name[:-4], ""]
    lines += ["Micro-benchmarks", "~~~~~~~~~~~~~~~~", ""]
    lines += _table(["What", "Build", "metalio ns", "raw ns (baseline)", "Ratio"],
                    [[r["what"], r["selector"], f"{r['metalio_ns']:.0f}", f"{r['raw_ns']:.0f} (``{r['baseline']}``)",
                      f"{r['ratio']:.2f} ({r['clock']} time)"] for r in micro_rows(results)], [34, 10, 12, 30, 14])
    if "micro.png" in images:
        lines += [f".. image:: {image_prefix}/micro.png", "   :alt: micro-benchmarks", ""]
    return "\n".join(lines) + "\n"


def write_all(results, out):
    tables = text_tables(results)
    with open(os.path.join(out, "tables.txt"), "w") as f:
        f.write(tables)
    print(tables)
    images = plots(results, out)
    # The page (docs/performance.rst) includes build/bench-report.rst, so
    # image paths are relative to docs/.
    with open(os.path.join(out, "report.rst"), "w") as f:
        f.write(rst(results, images, "../build/" + os.path.basename(os.path.normpath(out))))
