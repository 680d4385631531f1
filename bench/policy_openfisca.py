"""R&D growth reward on 1,000,000 synthetic firms: Longcheng's engine against openfisca-core.

    .venv/bin/python bench/policy_openfisca.py --n 1000000 --repeats 5

openfisca-core is AGPL-3.0 and never a dependency: this script installs it into its own
virtualenv under ``bench/out/openfisca-venv`` (git-ignored) the first time, or uses the Python
given with ``--openfisca-python``. Each engine runs in its own subprocess on the same population
(saved as .npy), so ``ru_maxrss`` is that engine's own peak. Printed: build and calculate time
(median of the repeats, each on fresh objects), ratio, peak RSS and its rise over the process
after imports and data loading, and the number of firms whose amount differs from the exact
Decimal computation.

Population (as in shared/notes/rules-as-code.md): growth lognormal with median 600,000 yuan and
sigma 1.6, rounded to the fen, 20 % made negative; 75 % of firms of an eligible type.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "bench" / "out" / "openfisca-venv"
#: OpenFisca set-ups, fastest honest one first: ``build_default_simulation`` (OpenFisca's own
#: builder for ``count`` persons with integer ids), integer ids through ``declare_person_entity``,
#: and string ids (``np.arange(n).astype(str)``), which this bench used at first and which makes
#: OpenFisca's build several times slower.
SETUPS = ("default", "int-ids", "str-ids")
BANDS = [(200_000, 0.10), (2_000_000, 0.08), (10_000_000, 0.06), (100_000_000, 0.04), (200_000_000, 0.02)]


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def population(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    growth_fen = np.round(rng.lognormal(np.log(600_000), 1.6, n) * 100).astype(np.int64)
    growth_fen[rng.random(n) < 0.2] *= -1
    type_code = rng.choice(np.array([0, 1, 2], dtype=np.int8), n, p=[0.45, 0.30, 0.25])
    return growth_fen, type_code


def exact_fen(growth_fen: np.ndarray, type_code: np.ndarray) -> np.ndarray:
    """The reward computed firm by firm with Decimal, rounded half up to the fen once."""
    result = np.zeros(len(growth_fen), dtype=np.int64)
    tops = [b[0] for b in BANDS[1:]] + [None]
    rates = [Decimal(str(rate)) for _, rate in BANDS]
    cent = Decimal("0.01")
    for row in np.flatnonzero((type_code < 2) & (growth_fen >= 20_000_000)).tolist():
        growth = Decimal(int(growth_fen[row])) / 100
        total = Decimal(0)
        for (low, _), top, rate in zip(BANDS, tops, rates, strict=True):
            upper = growth if top is None else min(growth, Decimal(top))
            if upper > low:
                total += (upper - low) * rate
        result[row] = int(total.quantize(cent, rounding=ROUND_HALF_UP) * 100)
    return result


# --- worker: Longcheng -------------------------------------------------------------------
def run_ours(folder: Path, repeats: int) -> dict[str, Any]:
    from longcheng.policy.engine.evaluate import Evaluation
    from longcheng.policy.engine.inputs import Column, build_inputs
    from longcheng.policy.engine.loader import load_pack
    from longcheng.policy.engine.periods import Period

    growth, codes = np.load(folder / "growth_fen.npy"), np.load(folder / "type_code.npy").astype(np.int16)
    pack = load_pack()
    period = Period(2025)
    baseline = maxrss_mib()
    builds, calcs = [], []
    amounts = np.zeros(0, dtype=np.int64)
    for _ in range(repeats):
        start = time.perf_counter()
        inputs = build_inputs(pack, {"rd_growth": growth, "enterprise_type": Column(codes)}, period)
        built = time.perf_counter()
        amounts = Evaluation(pack, inputs, period).clause("innovation.rd_growth_reward").amount_fen
        builds.append(built - start)
        calcs.append(time.perf_counter() - built)
        del inputs
    np.save(folder / "ours.npy", amounts)
    return {
        "build": statistics.median(builds),
        "calc": statistics.median(calcs),
        "baseline": baseline,
        "peak": maxrss_mib(),
    }


# --- worker: OpenFisca -------------------------------------------------------------------
def openfisca_system() -> Any:
    """A one-entity system: inputs rd_growth (float) and is_eligible_type, a YAML-like scale."""
    from openfisca_core.entities import build_entity
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    enterprise = build_entity(key="enterprise", plural="enterprises", label="Enterprise", is_person=True)

    class rd_growth(Variable):  # noqa: N801 - OpenFisca names variables by class name
        value_type = float
        entity = enterprise
        definition_period = DateUnit.YEAR
        label = "R&D growth (yuan)"

    class is_eligible_type(Variable):  # noqa: N801
        value_type = bool
        entity = enterprise
        definition_period = DateUnit.YEAR
        label = "High-tech or tech SME"

    class rd_reward(Variable):  # noqa: N801
        value_type = float
        entity = enterprise
        definition_period = DateUnit.YEAR
        label = "R&D growth reward (yuan)"

        def formula(enterprise, period, parameters):  # noqa: N805
            growth = enterprise("rd_growth", period)
            eligible = enterprise("is_eligible_type", period)
            p = parameters(period).innovation.rd_reward
            return np.where(eligible & (growth >= p.min_growth), p.bands.calc(growth), 0)

    brackets = [{"threshold": {"values": {"2021-01-01": 0}}, "rate": {"values": {"2021-01-01": 0}}}]
    brackets += [
        {"threshold": {"values": {"2021-01-01": t}}, "rate": {"values": {"2021-01-01": r}}} for t, r in BANDS
    ]
    data = {
        "innovation": {
            "rd_reward": {"min_growth": {"values": {"2021-01-01": 200_000}}, "bands": {"brackets": brackets}}
        }
    }
    system = TaxBenefitSystem([enterprise])
    system.add_variables(rd_growth, is_eligible_type, rd_reward)
    system.parameters = ParameterNode("", data=data)
    return system


def _openfisca_simulation(system: Any, setup: str, count: int) -> Any:
    """A simulation of ``count`` enterprises built the way ``setup`` names (see :data:`SETUPS`)."""
    from openfisca_core.simulations import SimulationBuilder

    if setup == "default":
        return SimulationBuilder().build_default_simulation(system, count)
    ids = np.arange(count).astype(str) if setup == "str-ids" else np.arange(count)
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("enterprise", ids)
    return builder.build(system)


def run_openfisca(folder: Path, repeats: int, setup: str = "default") -> dict[str, Any]:
    import openfisca_core

    growth_yuan = np.load(folder / "growth_fen.npy") / 100
    eligible = np.load(folder / "type_code.npy") < 2
    system = openfisca_system()
    baseline = maxrss_mib()
    builds, calcs = [], []
    amounts = np.zeros(0)
    for _ in range(repeats):
        start = time.perf_counter()
        simulation = _openfisca_simulation(system, setup, len(growth_yuan))
        simulation.set_input("rd_growth", "2025", growth_yuan)
        simulation.set_input("is_eligible_type", "2025", eligible)
        built = time.perf_counter()
        amounts = simulation.calculate("rd_reward", "2025")
        builds.append(built - start)
        calcs.append(time.perf_counter() - built)
        del simulation
    np.save(folder / f"theirs-{setup}.npy", amounts)
    version = getattr(openfisca_core, "__version__", None) or _dist_version("openfisca-core")
    return {
        "build": statistics.median(builds),
        "calc": statistics.median(calcs),
        "baseline": baseline,
        "peak": maxrss_mib(),
        "version": version,
        "dtype": str(amounts.dtype),
    }


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


# --- parent ------------------------------------------------------------------------------
def openfisca_python(given: str | None) -> str:
    if given:
        return given
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"installing openfisca-core into {VENV} (benchmark only, AGPL, not a dependency)…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "openfisca-core", "numpy"], check=True)
    return str(python)


def worker(python: str, which: str, folder: Path, repeats: int, setup: str = "default") -> dict[str, Any]:
    env_path = str(ROOT / "src")
    command = [
        python,
        str(Path(__file__).resolve()),
        "--worker",
        which,
        "--data",
        str(folder),
        "--repeats",
        str(repeats),
        "--setup",
        setup,
    ]
    done = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compare(theirs_fen: np.ndarray, exact: np.ndarray) -> tuple[int, int, float]:
    diff = np.abs(theirs_fen - exact)
    return int((diff >= 1).sum()), int((diff >= 100).sum()), float(diff.max()) / 100


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--openfisca-python", default=None)
    parser.add_argument("--setups", nargs="+", choices=SETUPS, default=list(SETUPS))
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 firms, one repeat; OpenFisca only if already installed"
    )
    parser.add_argument("--worker", choices=["ours", "openfisca"], help=argparse.SUPPRESS)
    parser.add_argument("--setup", choices=SETUPS, default="default", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = (
            run_ours(args.data, args.repeats)
            if args.worker == "ours"
            else run_openfisca(args.data, args.repeats, args.setup)
        )
        print(json.dumps(result))
        return
    if args.smoke:
        args.n, args.repeats = 2000, 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        growth, codes = population(args.n, args.seed)
        np.save(folder / "growth_fen.npy", growth)
        np.save(folder / "type_code.npy", codes)
        exact = exact_fen(growth, codes)
        ours = worker(sys.executable, "ours", folder, args.repeats)
        ours_fen = np.load(folder / "ours.npy")
        report(args, growth, codes, exact, ours, ours_fen)
        python = (
            None if args.smoke and not args.openfisca_python and not VENV.exists() else args.openfisca_python
        )
        if args.smoke and python is None and not VENV.exists():
            print("openfisca : not installed under bench/out, skipped in the smoke run")
            return
        for setup in args.setups:
            try:
                theirs = worker(openfisca_python(python), "openfisca", folder, args.repeats, setup)
            except (subprocess.CalledProcessError, OSError) as exc:
                stderr = getattr(exc, "stderr", "") or ""
                print(f"openfisca-core could not be installed or run here: {exc}\n{stderr[-2000:]}")
                return
            theirs_fen = np.round(np.load(folder / f"theirs-{setup}.npy").astype(np.float64) * 100)
            compare_line(setup, ours, exact, theirs, theirs_fen.astype(np.int64))


def report(
    args: argparse.Namespace,
    growth: np.ndarray,
    codes: np.ndarray,
    exact: np.ndarray,
    ours: dict[str, Any],
    ours_fen: np.ndarray,
) -> None:
    qualifying = int(((codes < 2) & (growth >= 20_000_000)).sum())
    print(f"population: {args.n:,} firms, {qualifying:,} qualify (literal reading), seed {args.seed}")
    print(f"repeats   : {args.repeats} (times are medians)")
    line("longcheng", ours, exact, ours_fen)


def compare_line(
    setup: str, ours: dict[str, Any], exact: np.ndarray, theirs: dict[str, Any], theirs_fen: np.ndarray
) -> None:
    name = f"openfisca {setup}"
    line(name, theirs, exact, theirs_fen)
    print(f"{name:<21}: openfisca-core {theirs['version']}, result dtype {theirs['dtype']}")
    total_ours, total_theirs = ours["build"] + ours["calc"], theirs["build"] + theirs["calc"]
    rise = (ours["peak"] - ours["baseline"]) / (theirs["peak"] - theirs["baseline"])
    speed, calc = total_theirs / total_ours, theirs["calc"] / ours["calc"]
    print(f"{name:<21}: ours is {speed:5.1f}x faster on build+calc, {calc:5.1f}x on calc")
    peak = ours["peak"] / theirs["peak"]
    print(f"{name:<21}: peak RSS ours/theirs = {peak:.2f}, RSS rise ours/theirs = {rise:.2f}")


def line(name: str, run: dict[str, Any], exact: np.ndarray, amounts_fen: np.ndarray) -> None:
    build, calc = run["build"] * 1000, run["calc"] * 1000
    rise = run["peak"] - run["baseline"]
    print(f"{name:<21}: build {build:8.1f} ms  calc {calc:8.1f} ms  total {build + calc:8.1f} ms")
    print(f"{name:<21}: peak RSS {run['peak']:7.1f} MiB (rise {rise:6.1f} MiB over imports + data)")
    wrong, wrong_yuan, worst = compare(amounts_fen, exact)
    print(f"{name:<21}: firms differing from exact Decimal: {wrong:,} (>= 1 yuan: {wrong_yuan})")
    print(f"{name:<21}: worst difference {worst:.2f} yuan")


if __name__ == "__main__":
    main()
