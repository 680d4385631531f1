"""Benchmark: recompute every status light of 10,000 projects × 30 plan nodes.

Run: .venv/bin/python bench/projects_lights.py [--projects 10000] [--nodes 30]
Target (issue 5): < 2 s. Prints the time to build the columns from Python objects, the
vectorised recompute, and the scalar engine on a sample for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

import numpy as np

from longcheng.core.workdays import default_calendar
from longcheng.projects.schedule.lights import (
    NodeArrays,
    NodeStatus,
    OrderArrays,
    SupervisionOrder,
    lights_batch,
    load_thresholds,
    project_light,
)

TODAY = date(2026, 11, 24)


def make_data(
    n_projects: int, n_nodes: int, seed: int = 5
) -> tuple[list[list[NodeStatus]], list[list[SupervisionOrder]]]:
    rng = np.random.default_rng(seed)
    starts = rng.integers(-700, 200, n_projects)
    gaps = rng.integers(5, 40, (n_projects, n_nodes)).cumsum(axis=1)
    done_prob = rng.random((n_projects, n_nodes))
    projects: list[list[NodeStatus]] = []
    orders: list[list[SupervisionOrder]] = []
    for p in range(n_projects):
        nodes = []
        for k in range(n_nodes):
            planned = TODAY + timedelta(days=int(starts[p] + gaps[p, k]))
            done = planned if planned < TODAY and done_prob[p, k] < 0.97 else None
            nodes.append(NodeStatus(f"n{k}", f"节点{k}", planned, done))
        projects.append(nodes)
        due = TODAY + timedelta(days=int(rng.integers(-30, 10)))
        orders.append([SupervisionOrder(f"DB{p}", due, None)] if p % 3 == 0 else [])
    return projects, orders


def to_arrays(
    projects: list[list[NodeStatus]], orders: list[list[SupervisionOrder]]
) -> tuple[NodeArrays, OrderArrays]:
    counts = [len(nodes) for nodes in projects]
    flat = [node for nodes in projects for node in nodes]
    node_arrays = NodeArrays(
        np.repeat(np.arange(len(projects)), counts),
        np.array([n.planned for n in flat], dtype="datetime64[D]"),
        np.array([n.done is not None for n in flat]),
    )
    flat_orders = [(p, o) for p, items in enumerate(orders) for o in items]
    order_arrays = OrderArrays(
        np.array([p for p, _ in flat_orders], dtype=np.int64),
        np.array([o.reply_due for _, o in flat_orders], dtype="datetime64[D]"),
        np.array([o.replied or "NaT" for _, o in flat_orders], dtype="datetime64[D]"),
    )
    return node_arrays, order_arrays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=30)
    args = parser.parse_args()
    calendar = default_calendar(allow_uncovered=True)
    thresholds = load_thresholds()
    projects, orders = make_data(args.projects, args.nodes)
    t0 = time.perf_counter()
    node_arrays, order_arrays = to_arrays(projects, orders)
    build = time.perf_counter() - t0
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        result = lights_batch(node_arrays, args.projects, TODAY, thresholds, calendar, orders=order_arrays)
        runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    calendar.add_working_days_array(node_arrays.planned, 5)
    calendar.working_days_between_array(
        np.full(node_arrays.planned.shape, np.datetime64(TODAY)), node_arrays.planned
    )
    calendar_time = time.perf_counter() - t0
    sample = 500
    t0 = time.perf_counter()
    for nodes, items in zip(projects[:sample], orders[:sample], strict=True):
        project_light(nodes, items, TODAY, thresholds, calendar)
    scalar = (time.perf_counter() - t0) / sample * args.projects
    counts = np.bincount(result.project, minlength=3)
    print(f"projects={args.projects} nodes/project={args.nodes} nodes={node_arrays.planned.size}")
    print(f"lights green/yellow/red: {counts[0]}/{counts[1]}/{counts[2]}")
    print(f"build columns from Python objects: {build:.3f} s")
    median, best = statistics.median(runs) * 1000, min(runs) * 1000
    print(f"vectorised recompute: median {median:.1f} ms, best {best:.1f} ms")
    print(f"calendar add_working_days + working_days_between on all nodes: {calendar_time * 1000:.1f} ms")
    print(f"scalar engine with reasons (extrapolated from {sample}): {scalar:.2f} s")
    print(f"total columns + recompute: {build + statistics.median(runs):.3f} s (target < 2 s)")


if __name__ == "__main__":
    main()
