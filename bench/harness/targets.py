"""The targets of issues 9, 13, 19 and 22, checked against one run's results.

Each check returns (target, met: bool or None when not measured, the figure)."""

BASE = "raw-short"


def _instr(results, key):
    return results["servers"].get(key, {}).get("instructions")


def _loop(results, key):
    return results["servers"].get(key, {}).get("loop_instructions")


def _sys(results, key):
    calls = results["servers"].get(key, {}).get("syscalls")
    return None if calls is None else sum(calls.values())


def _micro_ratio(results, selector, metalio_name, raw_name):
    times = results.get("micro", {}).get(selector, {})
    if metalio_name in times and raw_name in times and times[raw_name] > 0:
        return times[metalio_name] / times[raw_name]
    return None


def check(results):
    rows = []
    base_i, base_s = _instr(results, BASE), _sys(results, BASE)

    def add(target, value, limit, fmt, better_is_lower=True):
        if value is None or limit is None:
            rows.append((target, None, "not measured"))
        else:
            met = value <= limit if better_is_lower else value >= limit
            rows.append((target, met, fmt.format(value=value, limit=limit)))

    ratio = lambda a, b: None if a is None or b is None or b == 0 else a / b  # noqa: E731
    # Issue 19: the event loop alone (instructions less the shared request
    # logic), lean servers unless the target says realistic.
    base_l = _loop(results, BASE)
    add("event loop: metalio epoll <= 1.25x raw epoll (short read)", ratio(_loop(results, "metalio-epoll"), base_l),
        1.25, "{value:.2f}x")
    add("event loop: metalio poll(2) <= 3x raw epoll (short read)", ratio(_loop(results, "metalio-poll"), base_l),
        3.0, "{value:.2f}x")
    add("event loop: runtime (stage 09) <= 2x the hand-written metalio loop",
        ratio(_loop(results, "metalio-rt"), _loop(results, "metalio-epoll")), 2.0, "{value:.2f}x")
    add("event loop: runtime (stage 09) below tokio current_thread",
        ratio(_loop(results, "metalio-rt"), _loop(results, "tokio")), 1.0, "{value:.2f}x of tokio's")
    mine = _loop(results, "metalio-epoll-realistic")
    for peer in ("mio", "libuv", "libevent", "asio"):
        add(f"event loop, realistic row: metalio epoll ahead of {peer}",
            ratio(mine, _loop(results, f"{peer}-realistic")), 1.0 - 1e-9, "{value:.2f}x of its")
    for key, name in (("metalio-epoll", "metalio epoll"), ("metalio-poll", "metalio poll(2)"),
                      ("metalio-rt", "runtime (stage 09)")):
        s_k = _sys(results, key)
        add(f"{name}: syscalls/request within 0.15 of raw epoll (short read)",
            None if s_k is None or base_s is None else abs(s_k - base_s), 0.15, "{value:.2f} apart")
    allocs = {k: e.get("allocations") for k, e in results["servers"].items() if e.get("allocations") is not None}
    add("every server: zero allocations per request", max(allocs.values()) if allocs else None, 0.001,
        "at most {value:.3f}" + (f" ({max(allocs, key=allocs.get)})" if allocs else ""))
    # Issues 9 and 13: totals, request logic included.
    e_i, e_s = _instr(results, "metalio-epoll"), _sys(results, "metalio-epoll")
    add("epoll: instructions/request <= 1.05x the short-read baseline", ratio(e_i, base_i), 1.05, "{value:.2f}x")
    add("epoll: syscalls/request within 0.15 of the baseline",
        None if e_s is None or base_s is None else e_s - base_s, 0.15, "{value:+.2f}")
    alloc = results["servers"].get("metalio-epoll", {}).get("allocations")
    add("epoll: zero allocations per request", alloc, 0.001, "{value:.3f}")
    for peer in ("mio", "libuv"):
        p_i, p_s = _instr(results, peer), _sys(results, peer)
        target = f"epoll: ahead of {peer} on instructions and syscalls"
        if None in (e_i, p_i, e_s, p_s):
            rows.append((target, None, "not measured"))
        else:
            rows.append((target, e_i < p_i and e_s <= p_s,
                         f"instructions {e_i / p_i:.2f}x, syscalls {e_s / p_s:.2f}x of {peer}'s"))
    # Issue 13: the stage-09 runtime against the hand-written chapter-06
    # loop on the same selector, both measured in this run.
    r_i, r_s = _instr(results, "metalio-rt"), _sys(results, "metalio-rt")
    add("runtime (stage 09): instructions/request <= 1.3x the hand-written metalio loop", ratio(r_i, e_i), 1.3,
        "{value:.2f}x")
    add("runtime (stage 09): syscalls/request within 0.15 of the hand-written metalio loop",
        None if r_s is None or e_s is None else r_s - e_s, 0.15, "{value:+.2f}")
    add("runtime (stage 09): zero allocations per request (frames per connection only)",
        results["servers"].get("metalio-rt", {}).get("allocations"), 0.001, "{value:.3f}")
    p_i, p_s = _instr(results, "metalio-poll"), _sys(results, "metalio-poll")
    add("poll(2): instructions/request <= 1.5x the baseline", ratio(p_i, base_i), 1.5, "{value:.2f}x")
    add("poll(2): syscalls/request <= 2.5", p_s, 2.5, "{value:.2f}")
    # The servers answer with send(); every write() per request is the
    # poll(2) selector's eventfd (the Waker is not used by the server).
    poll_calls = results["servers"].get("metalio-poll", {}).get("syscalls")
    add("poll(2): no eventfd traffic without a thread blocked in poll (write()s/request)",
        None if poll_calls is None else poll_calls.get("write", 0.0), 0.005, "{value:.2f}")
    w_e = _micro_ratio(results, "epoll", "metalio_waker_round_trip/real_time", "raw_eventfd_round_trip/real_time")
    w_p = _micro_ratio(results, "poll", "metalio_waker_round_trip/real_time", "raw_eventfd_round_trip/real_time")
    add("poll(2): Waker round trip <= 1.2x the epoll build's (each against raw eventfd)", ratio(w_p, w_e), 1.2,
        "{value:.2f}x")
    for selector, raw_zero in (("epoll", "raw_epoll_wait_zero"), ("poll", "raw_poll_zero")):
        name = "epoll" if selector == "epoll" else "poll(2)"
        add(f"{name}: register + deregister <= 1.1x epoll_ctl ADD + DEL",
            _micro_ratio(results, selector, "metalio_register_deregister", "raw_register_deregister"), 1.1,
            "{value:.2f}x")
        add(f"{name}: zero-timeout poll <= 1.1x the raw call",
            _micro_ratio(results, selector, "metalio_poll_zero", raw_zero), 1.1, "{value:.2f}x")
    # Issue 22: completion I/O on io_uring (stage 10) against readiness and
    # against raw io_uring in C, all measured in this run.
    u_i, u_s = _instr(results, "metalio-uring"), _sys(results, "metalio-uring")
    add("io_uring (stage 10): syscalls/request < 0.5", u_s, 0.5, "{value:.2f}")
    u_cpu = results["servers"].get("metalio-uring", {}).get("cpu_us")
    base_cpu = results["servers"].get(BASE, {}).get("cpu_us")
    add("io_uring (stage 10): CPU time/request below the short-read raw epoll server's", ratio(u_cpu, base_cpu), 1.0,
        "{value:.2f}x")
    add("io_uring (stage 10): zero allocations per request",
        results["servers"].get("metalio-uring", {}).get("allocations"), 0.001, "{value:.3f}")
    add("io_uring (stage 10): instructions/request <= 1.2x raw io_uring in C (liburing)",
        ratio(u_i, _instr(results, "liburing")), 1.2, "{value:.2f}x")
    add("runtime timers: wheel insert + cancel <= 1/3 of the multimap's (1,000,000 pending)",
        _micro_ratio(results, "epoll", "metalio_timer_wheel_insert_cancel", "multimap_timer_insert_cancel"), 1 / 3,
        "{value:.2f}x")
    return rows
