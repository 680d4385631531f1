"""The application stage machine, kept as data (``grants/data/stages.yaml``): which stage may
follow which, and whether the firm or staff takes the step."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Workflow:
    name: str
    steps: dict[str, dict[str, str]]

    def allowed(self, current: str, target: str, who: str) -> bool:
        return self.steps.get(current, {}).get(target) == who

    def next_for(self, current: str, who: str) -> list[str]:
        return [t for t, w in self.steps.get(current, {}).items() if w == who]


@dataclass(frozen=True)
class Machine:
    labels: dict[str, str]
    workflows: dict[str, Workflow]

    def label(self, stage: str) -> str:
        return self.labels.get(stage, stage)

    def workflow(self, name: str) -> Workflow:
        return self.workflows.get(name) or self.workflows["standard"]


def parse(data: dict[str, object]) -> Machine:
    labels = {str(k): str(v) for k, v in dict(data["labels"]).items()}  # type: ignore[call-overload]
    flows: dict[str, Workflow] = {}
    for name, steps in dict(data["workflows"]).items():  # type: ignore[call-overload]
        parsed = {str(a): {str(b): str(w) for b, w in dict(t).items()} for a, t in dict(steps).items()}
        for a, targets in parsed.items():
            for b in [a, *targets]:
                if b not in labels:
                    raise ValueError(f"workflow {name}: unknown stage {b}")
        flows[str(name)] = Workflow(str(name), parsed)
    return Machine(labels, flows)


@cache
def machine() -> Machine:
    text = resources.files("longcheng.grants.data").joinpath("stages.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))


def sla_light(age_working_days: int, limit: int | None) -> str:
    """green within 80% of the limit, yellow up to it, red past it; grey without a limit."""
    if not limit:
        return "grey"
    if age_working_days > limit:
        return "red"
    return "yellow" if age_working_days * 5 >= limit * 4 else "green"
