#!/usr/bin/env python3
"""The engine benchmark's NBS (n = 4; power, log, exponential and linear utilities; disagreement
points) solved with SciPy, timed the same way: median of repeated solves (issue 19, item 5).

The method is MODEL §3's, written plainly and tuned as SciPy users would: for a level c,
k_i(c) = q_i^{-1}(h_i c) by brentq on each q_i (closed form where there is one), and brentq on
sum k_i(c) - K. Run where Python with SciPy is present:

    python3 scripts/reference/scipy_nbs.py

It prints the allocation (to compare with the engine's) and the median time per solve.
"""
import math
import statistics
import time

from scipy.optimize import brentq

K = 1000.0
H = [0.31, 0.27, 0.24, 0.18]
D = [50.0, 80.0, 30.0, 20.0]
ALPHA, SCALE, RHO = 0.6, 250.0, 0.002


def q_power(k, d):
    return (k - d ** ALPHA * k ** (1 - ALPHA)) / ALPHA


def q_log(k, d):
    return (SCALE + k) * math.log1p((k - d) / (SCALE + d))


def inv(q, y, d):
    # q is increasing with q' >= 1, so the root lies in [d, d + y] (power: q' <= 1/alpha, a wider bracket is harmless).
    return brentq(lambda k: q(k, d) - y, d, d + y / ALPHA + 1e-300, xtol=1e-14, rtol=1e-15)


def allocation(c):
    return [
        inv(q_power, H[0] * c, D[0]),
        inv(q_log, H[1] * c, D[1]),
        D[2] + math.log1p(RHO * H[2] * c) / RHO,
        D[3] + H[3] * c,
    ]


def solve():
    span = K - sum(D)
    hi = min((K - D[3]) / H[3], q_log(K, D[1]) / H[1])
    c = brentq(lambda c: sum(allocation(c)) - K, span, hi, xtol=1e-14, rtol=1e-15)
    return allocation(c)



k = solve()
print("allocation", [f"{x:.12f}" for x in k], "sum", f"{sum(k):.12f}")
samples = []
for _ in range(2000):
    start = time.perf_counter_ns()
    solve()
    samples.append(time.perf_counter_ns() - start)
print(f"median {statistics.median(samples) / 1000:.1f} us over {len(samples)} solves")
