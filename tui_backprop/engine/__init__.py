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
    MAX_ITERATIONS,
    Scenario,
    bundled,
    load,
    load_text,
    parse_count,
    parse_typed_value,
    resolve,
)
from .timeline import (
    MAX_RECORD_BYTES,
    BackwardStep,
    Contribution,
    Evaluation,
    ForwardStep,
    InputGrad,
    InputValue,
    IterationInfo,
    ParamUpdate,
    RecordingTooLarge,
    SeedStep,
    Step,
    Timeline,
    TrainResult,
    UpdateStep,
    evaluate,
    record,
    recording_bytes,
    train,
)

__all__ = [
    "GATES", "MAX_ARRAY_ELEMENTS", "MAX_FILE_BYTES", "MAX_ITERATIONS", "MAX_RECORD_BYTES",
    "RecordingTooLarge", "parse_count", "parse_typed_value", "recording_bytes",
    "BackwardStep", "Contribution",
    "Diagnostic", "Evaluation", "ForwardStep", "GateSpec", "GradCheckRow", "Graph",
    "InputGrad", "InputValue", "IterationInfo", "Node", "ParamUpdate", "Ref", "Scenario",
    "ScenarioError", "SeedStep", "Step", "Timeline", "TrainResult", "UpdateStep", "bundled",
    "evaluate", "explain", "fmt_const", "gate_label", "gradcheck", "load", "load_text",
    "record", "rel_error", "resolve", "train",
]
