"""The pure engine of tui-backprop: scenarios, the gate table, the graph IR, the
recorded timeline and the numerical gradient check. It imports neither Textual nor Rich.
"""

from .errors import Diagnostic, ScenarioError
from .gates import GATES, GateSpec, explain, fmt_const, gate_label
from .gradcheck import GradCheckRow, gradcheck, rel_error
from .graph import Graph, Node, Ref
from .scenario import (
    MAX_ARRAY_ELEMENTS,
    MAX_FILE_BYTES,
    Scenario,
    bundled,
    load,
    load_text,
    resolve,
)
from .timeline import (
    BackwardStep,
    Contribution,
    Evaluation,
    ForwardStep,
    InputGrad,
    InputValue,
    IterationInfo,
    ParamUpdate,
    SeedStep,
    Step,
    Timeline,
    TrainResult,
    UpdateStep,
    evaluate,
    record,
    train,
)

__all__ = [
    "GATES", "MAX_ARRAY_ELEMENTS", "MAX_FILE_BYTES", "BackwardStep", "Contribution",
    "Diagnostic", "Evaluation", "ForwardStep", "GateSpec", "GradCheckRow", "Graph",
    "InputGrad", "InputValue", "IterationInfo", "Node", "ParamUpdate", "Ref", "Scenario",
    "ScenarioError", "SeedStep", "Step", "Timeline", "TrainResult", "UpdateStep", "bundled",
    "evaluate", "explain", "fmt_const", "gate_label", "gradcheck", "load", "load_text",
    "record", "rel_error", "resolve", "train",
]
