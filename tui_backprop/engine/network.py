"""Expand a ``[network]`` table into the same graph a ``[graph]`` scenario builds.

The expansion is written out as scenario code (the Code panel shows it) and parsed by
the same parser, which for this generated code alone also accepts element references
like ``W1[0,1]`` (neuron granularity) and the ``stack`` gate.

Seeded weights: ``numpy.random.default_rng(seed)``, drawn layer by layer, normal with
standard deviation ``1/sqrt(fan_in)``; biases default to zero.
"""

from __future__ import annotations

import numpy as np

from ..text.catalogue import Msg
from .arrays import MAX_ARRAY_ELEMENTS, TooLarge, _say, _tname, _to_array
from .graph import Graph, Node
from .parse import MAX_GATES, parse_graph

#: The most layers a [network] may have.
MAX_LAYERS = 32

NETWORK_KEYS = {"inputs", "targets", "loss", "granularity", "seed", "layers"}
LAYER_KEYS = {"weights", "biases", "activation", "units"}
ACTIVATIONS = {"sigmoid", "tanh", "relu", "linear", "softmax"}
LOSSES = {"half_sse", "mse", "cross_entropy", "bce"}


def expand_network(net, errs) -> Graph | None:
    """Validate ``net`` (the parsed ``[network]`` table) and build its graph.

    Problems are added to ``errs`` (a ``scenario._Errors``); returns None if any.
    """
    if not isinstance(net, dict):
        errs.at(Msg("diag.network.table"), None, "network")
        return None
    n_before = len(errs.items)
    for key in net:
        if key not in NETWORK_KEYS:
            errs.at(Msg("diag.key.unknown_in", key=_say(key), table="network",
                        expected=", ".join(sorted(NETWORK_KEYS))), "network", key)
    loss = net.get("loss")
    if not isinstance(loss, str) or loss not in LOSSES:
        choices = ", ".join(sorted(LOSSES))
        errs.at(Msg("diag.network.loss", choices=choices) if loss is None else
                Msg("diag.network.loss.got", choices=choices, got=_say(loss)),
                "network", "loss")
    gran = net.get("granularity", "layer")
    if not isinstance(gran, str) or gran not in ("layer", "neuron"):
        errs.at(Msg("diag.network.granularity", got=_say(gran)), "network", "granularity")
    seed = net.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        too_large = isinstance(seed, TooLarge) or (isinstance(seed, int)
                                                   and not isinstance(seed, bool) and seed > 0)
        errs.at(Msg("diag.network.seed.too_large") if too_large else
                Msg("diag.network.seed.got", got=_say(seed)), "network", "seed")
        seed = 0
    x = None
    if "inputs" not in net:
        errs.at(Msg("diag.key.needs", table="network", key="inputs"), "network")
    else:
        x = _to_array(net["inputs"], "[network] inputs", errs, ("network", "inputs"))
    t = None
    if "targets" not in net:
        errs.at(Msg("diag.key.needs", table="network", key="targets"), "network")
    else:
        t = _to_array(net["targets"], "[network] targets", errs,
                      ("network", "targets"))
    if x is not None and x.ndim not in (1, 2):
        errs.at(Msg("diag.network.inputs_ndim"), "network", "inputs")
        x = None
    layers = net.get("layers")
    if not isinstance(layers, list) or not layers:
        errs.at(Msg("diag.network.layers") if layers is None else
                Msg("diag.network.layers.got", got=_tname(layers)), "network",
                None if layers is None else "layers")
        return None
    for k, layer in enumerate(layers):
        if not isinstance(layer, dict):
            errs.at(Msg("diag.layer.table", k=k + 1, got=_tname(layer)), "network", "layers")
            return None
    if x is None:
        return None

    if len(layers) > MAX_LAYERS:
        errs.at(Msg("diag.network.too_many_layers", n=len(layers), most=MAX_LAYERS),
                "network")
        return None
    rng = np.random.default_rng(seed)
    fan_in = x.shape[-1]
    values: dict[str, np.ndarray] = {"x": x}
    acts = []
    for k, layer in enumerate(layers, 1):
        where = ("network.layers", k - 1)
        for key in layer:
            if key not in LAYER_KEYS:
                errs.at(Msg("diag.layer.unknown_key", key=_say(key), k=k,
                            expected=", ".join(sorted(LAYER_KEYS))), *where[:1], key, where[1])
        act = layer.get("activation")
        if not isinstance(act, str) or act not in ACTIVATIONS:
            choices = ", ".join(sorted(ACTIVATIONS))
            errs.at(Msg("diag.layer.activation", k=k, choices=choices) if act is None else
                    Msg("diag.layer.activation.got", k=k, choices=choices, got=_say(act)),
                    where[0], "activation", where[1])
        acts.append(act)
        if "weights" in layer:
            w = _to_array(layer["weights"], Msg("diag.layer.array", k=k, key="weights"), errs,
                          (where[0], "weights", where[1]))
            if w is None:
                return None
            if w.ndim != 2 or w.shape[1] != fan_in:
                errs.at(Msg("diag.layer.weights_shape", k=k, fan_in=fan_in, got=str(w.shape)),
                        where[0], "weights", where[1])
                return None
            units = w.shape[0]
            given = layer.get("units", units)
            if isinstance(given, bool) or not isinstance(given, int) or given != units:
                shown = given if isinstance(given, int) and not isinstance(given, bool) and \
                    abs(given) < 10**9 else _say(given)
                errs.at(Msg("diag.layer.units_rows", k=k, units=shown, rows=units),
                        where[0], "units", where[1])
        else:
            units = layer.get("units")
            if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= 1000:
                got = (Msg("diag.layer.units.neither") if units is None else
                       f"{units:,}" if isinstance(units, int) and abs(units) < 10**9 else
                       Msg("diag.kind.too_large_plain") if isinstance(units, int | TooLarge)
                       else _tname(units))
                errs.at(Msg("diag.layer.units", k=k, got=got), where[0], "units", where[1])
                return None
            if units * fan_in > MAX_ARRAY_ELEMENTS:
                errs.at(Msg("diag.layer.too_many_weights", k=k, units=units, fan_in=fan_in,
                            most=f"{MAX_ARRAY_ELEMENTS:,}"), where[0], "units", where[1])
                return None
            w = rng.normal(0.0, 1.0 / np.sqrt(fan_in), size=(units, fan_in))
        if "biases" in layer:
            b = _to_array(layer["biases"], Msg("diag.layer.array", k=k, key="biases"), errs,
                          (where[0], "biases", where[1]))
            if b is None:
                return None
            if b.shape != (units,):
                errs.at(Msg("diag.layer.biases_shape", k=k, units=units, got=str(b.shape)),
                        where[0], "biases", where[1])
                return None
        else:
            b = np.zeros(units)
        values[f"W{k}"] = w
        values[f"b{k}"] = b
        fan_in = units
    if loss == "cross_entropy" and acts[-1] == "softmax":
        errs.at(Msg("diag.network.ce_softmax"), "network.layers", "activation",
                len(layers) - 1)
    if t is not None:
        batch = x.ndim == 2
        n = x.shape[0] if batch else None
        out_shape = (n, fan_in) if batch else (fan_in,)
        index_shape = (n,) if batch else ()
        if loss == "cross_entropy" and t.shape == index_shape:
            if np.any(t != np.round(t)) or np.any(t < 0) or np.any(t >= fan_in):
                errs.at(Msg("diag.network.class_targets", hi=fan_in - 1), "network", "targets")
        elif t.shape != out_shape:
            if loss == "cross_entropy":
                msg = Msg("diag.network.targets_shape.indices", shape=str(out_shape),
                          index_shape=str(index_shape), got=str(t.shape))
            else:
                msg = Msg("diag.network.targets_shape", shape=str(out_shape), got=str(t.shape))
            errs.at(msg, "network", "targets")
        values["target"] = t
    if len(errs.items) > n_before:
        return None
    if gran == "neuron":
        estimate = _neuron_gate_estimate(values, acts, loss)
        if estimate > MAX_GATES:
            errs.at(Msg("diag.network.neuron_gates", n=f"{estimate:,}", most=f"{MAX_GATES:,}"),
                    "network", "granularity")
            return None

    code = (_neuron_code if gran == "neuron" else _layer_code)(values, acts, loss)
    leaves = [Node("x", "input", shape=x.shape), Node("target", "input", shape=t.shape)]
    for k in range(1, len(layers) + 1):
        leaves += [Node(f"W{k}", "param", shape=values[f"W{k}"].shape),
                   Node(f"b{k}", "param", shape=values[f"b{k}"].shape)]
    graph, diags = parse_graph(code, leaves, values, "loss", internal=True)
    if diags:  # the limits on layers, units and gates should have refused it earlier
        for d in diags:
            errs.at(Msg("diag.network.expand", detail=d.msg), "network")
        return None
    return graph


def _neuron_gate_estimate(values, acts, loss) -> int:
    """The number of gates :func:`_neuron_code` makes, counted without generating it:
    per sample and unit a multiply and an add per input (the last add is the bias's)
    and the activation; a softmax layer stacks its scores (one gate) into a softmax;
    then the loss gates, and the mean over the batch."""
    x, t = values["x"], values["target"]
    batch = x.ndim == 2
    samples = x.shape[0] if batch else 1
    per_sample = 0
    units = x.shape[-1]
    last_softmax = False
    for k, act in enumerate(acts, 1):
        fan_in, units = values[f"W{k}"].shape[1], values[f"W{k}"].shape[0]
        per_sample += units * 2 * fan_in
        if act == "softmax":
            per_sample += 2
            last_softmax = k == len(acts)
            if last_softmax:
                break
        elif act != "linear":
            per_sample += units
    if last_softmax:
        per_sample += 2  # stack the targets, the loss
    elif loss == "cross_entropy":
        one_hot = t.shape == ((x.shape[0], units) if batch else (units,))
        per_sample += 2 + (1 if one_hot else 0)
    else:
        per_sample += units * (8 if loss == "bce" else 2) + (units - 1) + 1
    return samples * per_sample + ((samples - 1) + 1 if batch else 0)


def _layer_code(values, acts, loss) -> str:
    x = values["x"]
    batch = x.ndim == 2
    lines = []
    prev = "x"
    for k, act in enumerate(acts, 1):
        w = values[f"W{k}"]
        lines.append(f"# layer {k}: {w.shape[1]} -> {w.shape[0]} units, {act}")
        lines.append(f"a{k} = {prev} @ W{k}.T" if batch else f"a{k} = W{k} @ {prev}")
        lines.append(f"z{k} = a{k} + b{k}")
        if act == "linear":
            prev = f"z{k}"
        else:
            lines.append(f"h{k} = {act}(z{k})")
            prev = f"h{k}"
    lines.append(f"# loss: {loss}" + (" (mean over the batch)" if batch else ""))
    if loss == "half_sse" and batch:
        lines.append(f"loss = half_sse({prev}, target) / {x.shape[0]}")
    else:
        lines.append(f"loss = {loss}({prev}, target)")
    return "\n".join(lines) + "\n"


def _neuron_code(values, acts, loss) -> str:
    x = values["x"]
    t = values["target"]
    batch = x.ndim == 2
    samples = range(x.shape[0]) if batch else [None]
    lines = []
    per_sample = []
    for s in samples:
        sfx = "" if s is None else f"_s{s}"
        prev = [f"x[{i}]" if s is None else f"x[{s},{i}]" for i in range(x.shape[-1])]
        for k, act in enumerate(acts, 1):
            w = values[f"W{k}"]
            lines.append(f"# layer {k}" + ("" if s is None else f", sample {s}")
                         + f": {w.shape[1]} -> {w.shape[0]} units, {act}")
            outs = []
            for j in range(w.shape[0]):
                terms = " + ".join(f"W{k}[{j},{i}]*{p}" for i, p in enumerate(prev))
                z = f"z{k}_{j}{sfx}"
                lines.append(f"{z} = {terms} + b{k}[{j}]")
                if act == "linear":
                    outs.append(z)
                elif act == "softmax":
                    outs.append(None)
                else:
                    h = f"h{k}_{j}{sfx}"
                    lines.append(f"{h} = {act}({z})")
                    outs.append(h)
            if act == "softmax":  # a vector gate over the layer's scores
                zs = ", ".join(f"z{k}_{j}{sfx}" for j in range(w.shape[0]))
                lines.append(f"h{k}{sfx} = softmax(stack({zs}))")
                if k == len(acts):
                    prev = None  # the loss reads the whole vector
                    break
                outs = [f"h{k}{sfx}[{j}]" for j in range(w.shape[0])]
            prev = outs
        lines.append("# loss" + ("" if s is None else f", sample {s}"))
        tref = (lambda j: f"target[{j}]") if s is None else (lambda j, s=s: f"target[{s},{j}]")
        if prev is None:  # softmax output is a vector: use vector losses on it
            vec = f"h{len(acts)}{sfx}"
            tv = "stack(" + ", ".join(tref(j) for j in range(t.shape[-1])) + ")"
            name = f"loss{sfx}" if batch else "loss"
            fn = {"half_sse": "half_sse", "mse": "mse", "bce": "bce"}[loss]
            lines.append(f"{name} = {fn}({vec}, {tv})")
            per_sample.append(name)
            continue
        if loss == "cross_entropy":
            logits = "stack(" + ", ".join(prev) + ")"
            one_hot = t.shape == ((x.shape[0], len(prev)) if batch else (len(prev),))
            if one_hot:
                tv = "stack(" + ", ".join(tref(j) for j in range(len(prev))) + ")"
            else:
                tv = "target" if s is None else f"target[{s}]"
            name = f"loss{sfx}" if batch else "loss"
            lines.append(f"{name} = cross_entropy({logits}, {tv})")
            per_sample.append(name)
            continue
        errs = []
        for j, o in enumerate(prev):
            e = f"e_{j}{sfx}"
            if loss == "bce":
                lines.append(f"{e} = -({tref(j)} * log({o}) + (1 - {tref(j)}) * log(1 - {o}))")
            else:
                lines.append(f"{e} = ({o} - {tref(j)}) ** 2")
            errs.append(e)
        total = " + ".join(errs)
        name = f"loss{sfx}" if batch else "loss"
        if loss == "half_sse":
            total = f"({total})" if len(errs) > 1 else total
            lines.append(f"{name} = 0.5 * {total}")
        else:
            lines.append(f"{name} = ({total}) / {len(errs)}")
        per_sample.append(name)
    if batch:
        lines.append("# mean over the batch")
        lines.append(f"loss = ({' + '.join(per_sample)}) / {len(per_sample)}")
    return "\n".join(lines) + "\n"
