"""Steady state: a figure per request without the start-up.

Each measurement runs the server twice, for a small and a large number of
requests, and divides the difference of the totals by the difference of the
request counts: start-up, the first connection and exit cancel out."""


def per_request(measure, small, large):
    """measure(n) -> total (a number or a dict of numbers) for n requests."""
    a = measure(small)
    b = measure(large)
    if isinstance(a, dict):
        return {k: (b.get(k, 0) - a.get(k, 0)) / (large - small) for k in set(a) | set(b)}
    return (b - a) / (large - small)
