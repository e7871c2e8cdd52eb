"""English messages. Keys are documented in :mod:`tui_backprop.text.catalogue`; every key
here has its Chinese twin in :mod:`tui_backprop.text.zh` with the same parameters.

Gate messages take ``a`` and ``b`` (the input names) and ``c`` (the constant operand).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ------------------------------------------------------------------ plumbing
    "sep.sentence": " ",
    "sep.list": ", ",

    # ------------------------------------------------------------------ phases
    "phase.forward.title": "Forward pass",
    "phase.seed.title": "Seed",
    "phase.backward.title": "Backward pass",
    "phase.update.title": "Parameter update",
    "phase.forward.tag": "forward",
    "phase.seed.tag": "seed",
    "phase.backward.tag": "backward",
    "phase.update.tag": "update",

    # ------------------------------------------------------------------ node kinds
    "kind.input": "input",
    "kind.param": "param",
    "kind.const": "const",
    "kind.gate": "gate",
    "shape.scalar": "scalar",

    # ------------------------------------------------------------------ step parts
    "step.gate": "gate",
    "step.heading.forward": "Step {k}: {equation} (gate {label})",
    "step.heading.backward": "Step {k}: back through {equation} (gate {label})",
    "step.heading.plain": "Step {k}: {text}",
    "step.heading.update": "Step {k}: {rule} for every param.",
    "step.output": "output",
    "step.cache": "cache",
    "step.cached_for_backward": "Cached for the backward pass: {items}",
    "step.upstream": "upstream",
    "step.jacobian": "{formula} (a Jacobian: see the contribution)",
    "step.how.vjp": "vector-Jacobian product",
    "step.how.elementwise": "upstream {op} local_grad",
    "step.how.summed": "{how} summed to shape {shape}",
    "step.seed.tensor": "{partial} = ones of shape {shape} (the output is not a scalar: "
                        "every element is seeded with 1, as for its sum)",
    "step.update.rule": "p = p - {lr} {dot} {partial}",
    "step.accumulate": "grad {name} += {added}:  {before} {arrow} {after}",
    "step.accumulate.contribution": "contribution",
    "step.accumulate.count": "(+= {k} of {n} into {name})",
    "step.nonfinite.value": "first non-finite value (inf or nan) of the forward pass "
                            "appears here",
    "step.nonfinite.gradient": "first non-finite gradient (inf or nan) of the backward "
                               "pass appears here",
    "step.warning_line": "**Warning:** {note}.",
    "step.output_line": "Output: {value}",

    # cache keys (GateSpec.cache_keys), as the step views name them
    "cache.out": "out",
    "cache.mask": "mask",
    "cache.softmax": "softmax",

    # ------------------------------------------------------------------ explanations
    "explain.forward.local_now": "Its local gradients are computed now, for the backward "
                                 "pass.",
    "explain.seed.scalar": "The backward pass starts at the output: the gradient of {node} "
                           "with respect to itself is 1. From here each gate, in reverse "
                           "order, multiplies the upstream gradient by its local gradients.",
    "explain.seed.tensor": "The backward pass starts at the output: the gradient of {node} "
                           "with respect to itself is a tensor of ones (one for each "
                           "element). From here each gate, in reverse order, multiplies the "
                           "upstream gradient by its local gradients.",
    "explain.backward.fan_out": "{name} is used {uses} times, so d{name} is the sum of "
                                "their contributions (+=).",
    "explain.update": "The update moves each parameter against its gradient: "
                      "p ← p - learning_rate · dp (learning_rate = {lr}), a small step "
                      "downhill on the loss.",

    # ------------------------------------------------------------------ quiz and class
    "quiz.ask.output": "Predict the forward output: {node} = ?",
    "quiz.ask.local": "Predict the local gradient ∂{node}/∂{name} = ?",
    "quiz.ask.upstream": "Predict the upstream gradient arriving at {node} = ?",
    "quiz.ask.contribution": "Predict the contribution {node} sends to d{name} "
                             "(upstream × local_grad) = ?",
    "quiz.ask.accumulate": "Predict d{name} after this += ({k} of {n}) = ?",
    "quiz.ask.update": "Predict the updated {name} = ?",
    "quiz.explain.output": "{node} = {formula} with {inputs}: {value}",
    "quiz.explain.local": "∂{node}/∂{name} = {formula} = {value}",
    "quiz.explain.local_inputs": "∂{node}/∂{name} = {formula} with {inputs}: {value}",
    "quiz.explain.local_const": "{node} = {gate}, so ∂{node}/∂{name} = {formula} whatever "
                                "the inputs are",
    "quiz.explain.upstream": "upstream of {node} = every += into d{node} so far = {value}",
    "quiz.explain.contribution": "upstream {upstream} × local {local} = {value}",
    "quiz.explain.accumulate": "grad_before {before} + contribution {contribution} = "
                               "{value}",
    "quiz.explain.update": "{name} - learning_rate × grad = {before} - {lr} × {grad} = "
                           "{value}",
    "quiz.error.empty": "type a number, e.g. -4, 1/4 or 0.73*(1-0.73)",
    "quiz.error.length": "too long: at most {limit} characters",
    "quiz.error.syntax": "only numbers, + - * / ** and parentheses, e.g. -0.2*4",
    "quiz.error.nesting": "nested too deeply",
    "quiz.error.magnitude": "the number is too large",
    "quiz.error.not_real": "not a real number (a negative number to a fractional power)",
    "quiz.error.division": "division by zero",
    "quiz.right": "Right!",
    "quiz.wrong": "Not quite: you said {answer}.",
    "quiz.skipped": "Skipped.",
    "quiz.missed": "No answer.",
    "quiz.answer": "The answer: {value}",
    "quiz.sent": "Answer {answer} sent: the presenter reveals it to everyone.",
    "quiz.score": "score {right}/{answered}",
    "quiz.score.new": "New scenario {title}: a new quiz score",
    "quiz.hint.answer": "Enter: submit · s: skip",
    "quiz.hint.next": "→: next step",
    "quiz.hint.wait": "waiting for the presenter",
    "quiz.tally.counts": "{answered} of {students} answered · {right} right",
    "quiz.tally.wrong": "most common wrong answer: {answer} ({count})",
    "quiz.tally.none_wrong": "no wrong answers yet",
    "quiz.tally.other": "other",
    "quiz.tally.reveal": "a: reveal to everyone",
    "quiz.tally.revealed": "revealed to everyone",
    "quiz.tally.no_prompt": "nothing to ask at this step: step on",
    "class.following": "FOLLOWING the presenter · x: explore on your own",
    "class.following.waiting": "FOLLOWING · waiting for the presenter · x: explore",
    "class.following.left": "FOLLOWING · the presenter has left · x: explore on your own",
    "class.say.presenter_drives": "the presenter is driving: press x to explore on your own",
    "class.exploring": "EXPLORING on your own · F: back to the presenter",
    "class.presenter": "PRESENTER · {connected} connected, {following} following, "
                       "{exploring} exploring",
    "class.presenter.quiz": "z: quiz {state}",
    "class.quiz.on": "on",
    "class.quiz.off": "off",
    "class.offline": "class server unreachable: on your own",

    # ------------------------------------------------------------------ traces
    "trace.scenario": "Scenario",
    "trace.code": "Code",
    "trace.code.network": "Code (generated from the [network] table)",
    "trace.output_is": "Output: {name}.",
    "trace.learning_rate_is": "Learning rate {lr}.",
    "trace.summary.output": "Output: {name}",
    "trace.summary.learning_rate": "learning rate: {lr}",
    "trace.summary.iterations": "iterations: {n}",
    "trace.result": "Result",
    "trace.gradients": "Gradients",
    "trace.loss_history": "Loss history",
    "trace.final_params": "Final params",
    "trace.iterations_note": "Iteration 1 is shown step by step; iterations 2 to {n} ran "
                             "on the fast path (not recorded).",
    "trace.loss_rows.markdown": "{shown} of {total} iterations shown (the JSON trace has "
                                "every one).",
    "trace.loss_rows.text": "{shown} of {total} iterations shown (--format json has every "
                            "one).",
    "trace.note.ascii_english": "note: ASCII output is in English (Chinese needs "
                                "characters outside ASCII)",
    "col.leaf": "leaf",
    "col.kind": "kind",
    "col.shape": "shape",
    "col.value": "value",
    "col.input": "input",
    "col.local_grad": "local_grad",
    "col.contribution": "contribution",
    "col.contribution_chain": "contribution (upstream {times} local_grad)",
    "col.grad_before": "grad_before",
    "col.grad_after": "grad_after",
    "col.param": "param",
    "col.before": "before",
    "col.grad": "grad",
    "col.after": "after",
    "col.iteration": "iteration",
    "col.grad_of_leaf": "{partial}leaf",

    # ------------------------------------------------------------------ gradcheck
    "gradcheck.col.element": "leaf element",
    "gradcheck.col.analytic": "analytic",
    "gradcheck.col.numerical": "numerical",
    "gradcheck.col.rel_error": "relative error",
    "gradcheck.col.result": "result",
    "gradcheck.pass": "pass",
    "gradcheck.fail": "FAIL",
    "gradcheck.kink": "kink",
    "gradcheck.summary": "{passed} of {total} leaf elements pass (relative error <= "
                         "{tolerance}, or absolute error <= {abs_tolerance})",
    "gradcheck.summary.kinks": "{summary}; {kinks} at a kink (not differentiable there, "
                               "not checked)",
    "gradcheck.summary.failed": "{summary}; {failed} FAIL",

    # ------------------------------------------------------------------ gates
    # binary arithmetic
    "gate.add.forward": "The add gate sums its inputs.",
    "gate.add.backward": "The add gate distributes the upstream gradient equally to all its "
                         "inputs (its local gradients are 1).",
    "gate.sub.forward": "The subtract gate takes the difference of its inputs.",
    "gate.sub.backward": "The subtract gate passes the upstream gradient to its first input "
                         "and its negation to its second.",
    "gate.mul.forward": "The multiply gate multiplies its inputs and keeps both for the "
                        "backward pass.",
    "gate.mul.backward": "The multiply gate swaps its inputs: each input's local gradient "
                         "is the other input's value, scaled by the upstream gradient.",
    "gate.div.forward": "The divide gate divides its first input by its second.",
    "gate.div.backward": "The divide gate scales the upstream gradient by 1/{b} for the "
                         "numerator and by -{a}/{b}² for the denominator.",
    "gate.pow.forward": "The power gate raises {a} to the power {b}.",
    "gate.pow.backward": "The power gate's local gradients are {b}·{a}^({b}-1) for the base "
                         "and {a}^{b}·ln {a} for the exponent, each times the upstream "
                         "gradient.",
    # one constant operand
    "gate.add_const.forward": "This gate adds the constant {c}.",
    "gate.add_const.backward": "Adding a constant does not change the gradient: the local "
                               "gradient is 1, so the upstream gradient passes through "
                               "unchanged.",
    "gate.sub_const.forward": "This gate subtracts the constant {c}.",
    "gate.sub_const.backward": "Subtracting a constant does not change the gradient: the "
                               "local gradient is 1.",
    "gate.rsub_const.forward": "This gate subtracts its input from the constant {c}.",
    "gate.rsub_const.backward": "The local gradient of {c} - {a} is -1, so the upstream "
                                "gradient passes back negated.",
    "gate.mul_const.forward": "This gate multiplies its input by the constant {c}.",
    "gate.mul_const.backward": "Multiplying by a constant scales the gradient by that "
                               "constant.",
    "gate.div_const.forward": "This gate divides its input by the constant {c}.",
    "gate.div_const.backward": "Dividing by a constant scales the gradient by 1/{c}.",
    "gate.rdiv_const.forward": "This gate computes {c}/{a}.",
    "gate.rdiv_const.backward": "The local gradient of {c}/{a} is -{c}/{a}², times the "
                                "upstream gradient.",
    "gate.pow_const.forward": "This gate raises its input to the power {c}.",
    "gate.pow_const.backward": "The power rule: the local gradient of {a}^{c} is "
                               "{c}·{a}^({c}-1).",
    "gate.rpow_const.forward": "This gate raises the constant {c} to the power {a}.",
    "gate.rpow_const.backward": "The local gradient of {c}^{a} is {c}^{a}·ln {c}.",
    # unary functions
    "gate.exp.forward": "The exp gate exponentiates its input and caches the result.",
    "gate.exp.backward": "The local gradient of exp is exp itself: the cached output times "
                         "the upstream gradient.",
    "gate.log.forward": "The log gate takes the natural logarithm of its input.",
    "gate.log.backward": "The local gradient of ln {a} is 1/{a}.",
    "gate.sqrt.forward": "The square-root gate takes the square root of its input and "
                         "caches it.",
    "gate.sqrt.backward": "The local gradient of √{a} is 1/(2√{a}), computed from the "
                          "cached output.",
    "gate.abs.forward": "The abs gate takes the absolute value of its input.",
    "gate.abs.backward": "The local gradient of |{a}| is the sign of {a} (0 at {a} = 0).",
    "gate.sigmoid.forward": "The sigmoid gate squashes its input into (0, 1) and caches its "
                            "output.",
    "gate.sigmoid.backward": "The sigmoid's local gradient is σ({a})(1-σ({a})), computed "
                             "from the cached output.",
    "gate.tanh.forward": "The tanh gate squashes its input into (-1, 1) and caches its "
                         "output.",
    "gate.tanh.backward": "The local gradient of tanh is 1-tanh², computed from the cached "
                          "output.",
    "gate.relu.forward": "The ReLU gate passes positive inputs and zeroes the rest; it "
                         "caches which passed.",
    "gate.relu.backward": "The ReLU routes the upstream gradient through where its input "
                          "was positive and blocks it elsewhere.",
    "gate.relu.local.0": "1 if {a} > 0 else 0",
    "gate.max.forward": "The max gate outputs the larger of its inputs.",
    "gate.max.backward": "The max gate routes the upstream gradient to the input that was "
                         "larger; the other gets zero (a tie splits it equally).",
    "gate.max.local.0": "1 if {a} > {b} else 0",
    "gate.max.local.1": "1 if {b} > {a} else 0",
    "gate.min.forward": "The min gate outputs the smaller of its inputs.",
    "gate.min.backward": "The min gate routes the upstream gradient to the input that was "
                         "smaller; the other gets zero (a tie splits it equally).",
    "gate.min.local.0": "1 if {a} < {b} else 0",
    "gate.min.local.1": "1 if {b} < {a} else 0",
    "gate.transpose.forward": "The transpose gate swaps the rows and columns of its input.",
    "gate.transpose.backward": "The gradient of a transpose is the transposed upstream "
                               "gradient.",
    "gate.transpose.local.0": "transposes the gradient back",
    # reductions and vector gates
    "gate.sum.forward": "The sum gate adds up every element of its input.",
    "gate.sum.backward": "The sum gate distributes the upstream gradient to every element "
                         "(local gradient 1).",
    "gate.mean.forward": "The mean gate averages every element of its input.",
    "gate.mean.backward": "The mean gate gives every element 1/n of the upstream gradient.",
    "gate.matmul.forward": "The matrix-multiply gate computes {a} @ {b}; it keeps both "
                           "operands for the backward pass.",
    "gate.matmul.backward": "For a matrix product D = W @ X the gradients are dW = dD @ Xᵀ "
                            "and dX = Wᵀ @ dD: the shapes tell you which operand to "
                            "transpose.",
    "gate.matmul.local.0": "d{a} = upstream @ {b}ᵀ",
    "gate.matmul.local.1": "d{b} = {a}ᵀ @ upstream",
    "gate.dot.forward": "The dot gate takes the dot product of its inputs.",
    "gate.dot.backward": "For a dot product each input's gradient is the other input times "
                         "the upstream gradient (dW = dD @ Xᵀ for matrices).",
    "gate.dot.local.0": "d{a} = upstream @ {b}ᵀ",
    "gate.dot.local.1": "d{b} = {a}ᵀ @ upstream",
    "gate.softmax.forward": "The softmax gate turns scores into probabilities along the "
                            "last axis and caches them.",
    "gate.softmax.backward": "Softmax's Jacobian is diag(s) - s sᵀ; its vector-Jacobian "
                             "product is s ⊙ (upstream - Σ upstream⊙s).",
    "gate.softmax.local.0": "dz = s ⊙ (upstream - Σ upstream⊙s)",
    "gate.log_softmax.forward": "The log-softmax gate computes log-probabilities along the "
                                "last axis and caches the softmax.",
    "gate.log_softmax.backward": "The vector-Jacobian product of log-softmax is upstream - "
                                 "softmax ⊙ Σ upstream.",
    "gate.log_softmax.local.0": "dz = upstream - softmax ⊙ Σ upstream",
    "gate.stack.forward": "The stack gate collects scalars into a vector.",
    "gate.stack.backward": "The stack gate hands each scalar its own element of the "
                           "upstream gradient.",
    "gate.stack.local.0": "picks element i of upstream",
    # losses
    "gate.mse.forward": "The mean-squared-error gate averages the squared differences.",
    "gate.mse.backward": "The MSE's local gradient is 2({a} - {b})/n for each element.",
    "gate.half_sse.forward": "The half sum-of-squared-errors gate computes "
                             "½Σ({a} - {b})².",
    "gate.half_sse.backward": "The ½ cancels the 2 of the square: the local gradient is "
                              "simply {a} - {b}.",
    "gate.bce.forward": "The binary cross-entropy gate scores probabilities against 0/1 "
                        "targets.",
    "gate.bce.backward": "The BCE's local gradient for the probability is "
                         "(-{b}/{a} + (1-{b})/(1-{a}))/n.",
    "gate.cross_entropy.forward": "The softmax cross-entropy gate applies softmax to the "
                                  "logits and takes the negative log-probability of the "
                                  "target class (averaged over the batch).",
    "gate.cross_entropy.backward": "Softmax and cross-entropy together have the famous "
                                   "simple gradient: softmax - one-hot target (divided by "
                                   "the batch size).",
    "gate.local.see_formula": "(see formula)",

    # ------------------------------------------------------------------ the TUI's frame
    # (panel titles, footer keys, loss panel, colour modes; tui/debugger.py, tui/loss.py)
    "screen.title.circuit": "Circuit",
    "screen.title.code": "Code",
    "screen.title.inspector": "Inspector",
    "screen.title.values": "Values",
    "screen.title.loss": "Loss",
    "screen.title.switch": "{title} {sep} {key}: {other}",
    "screen.both_shown": "Circuit and code are both shown at this width.",
    "key.help": "help",
    "key.quit": "quit",
    "key.next": "next",
    "key.prev": "prev",
    "key.first": "first",
    "key.last": "last",
    "key.fwd": "fwd",
    "key.bwd": "bwd",
    "key.update": "update",
    "key.train": "train",
    "key.edit": "edit",
    "key.check": "check",
    "key.view": "view",
    "key.detail": "inspector/values",
    "key.full_precision": "full precision",
    "key.nonfinite": "jump to non-finite",
    "key.follow": "follow step",
    "key.reload": "reload",
    "key.open": "open",
    "loss.none": "no loss yet",
    "loss.one": "iteration {i}: {loss}   (u: next iteration, t: train N)",
    "loss.range": "iteration {i}: {loss}  {arrow}  iteration {j}: {last}",
    # what the help says about telling values and gradients apart, per colour mode
    "help.colours.color": "Forward values are green, gradients red, local gradients yellow; "
                          "the current gate is highlighted and drawn with a double border.",
    "help.colours.nocolor": "No colours (NO_COLOR): forward values are plain, gradients "
                            "underlined and marked {grad}, local gradients in italics; the "
                            "current gate is in reverse video and bold, with a double border.",
    "help.colours.ascii": "ASCII only: {partial} is written d (dL/dx), {times} and {dot} "
                          "are *, arrows are -> and <-, and the current gate's box is "
                          "drawn with = and #.",
    # handouts (tui-backprop export)
    "handout.step": "Step {k} of {n}",
    "handout.steps": "Steps",
    # ------------------------------------------------------------------ the TUI
    # panel titles (on a narrow terminal a panel names the key that swaps it)
    "tui.panel.circuit": "Circuit",
    "tui.panel.code": "Code",
    "tui.panel.inspector": "Inspector",
    "tui.panel.values": "Values",
    "tui.panel.loss": "Loss",
    "tui.panel.circuit.swap": "Circuit · v: code",
    "tui.panel.code.swap": "Code · v: circuit",
    "tui.panel.inspector.swap": "Inspector · i: values",
    "tui.panel.values.swap": "Values · i: inspector",
    # key descriptions (footer, help, command palette)
    "tui.key.help": "help",
    "tui.key.quit": "quit",
    "tui.key.next": "next",
    "tui.key.prev": "prev",
    "tui.key.first": "first",
    "tui.key.last": "last",
    "tui.key.fwd": "fwd",
    "tui.key.bwd": "bwd",
    "tui.key.update": "update",
    "tui.key.train": "train",
    "tui.key.edit": "edit",
    "tui.key.check": "check",
    "tui.key.view": "view",
    "tui.key.detail": "inspector/values",
    "tui.key.full": "full precision",
    "tui.key.explore": "explore on your own",
    "tui.key.snap_back": "back to the presenter",
    "tui.key.skip": "skip the question",
    "tui.key.class_quiz": "class quiz on/off",
    "tui.key.reveal": "reveal the answer",
    "tui.key.nonfinite": "jump to non-finite",
    "tui.key.follow": "follow step",
    "tui.key.reload": "reload",
    "tui.key.open": "open",
    "tui.key.close": "close",
    "tui.key.cancel": "cancel",
    "tui.key.select": "select",
    "tui.key.cursor_up": "cursor up",
    "tui.key.cursor_down": "cursor down",
    "tui.key.page_up": "page up",
    "tui.key.page_down": "page down",
    "tui.key.first_node": "first node",
    "tui.key.last_node": "last node",
    # Textual's own keys (scrolling, focus, text boxes), as the keys panel shows them
    "tui.tkey.quit": "Quit",
    "tui.tkey.quit.tooltip": "Quit the app and return to the command prompt.",
    "tui.tkey.command_palette": "palette",
    "tui.tkey.command_palette.tooltip": "Open the command palette",
    "tui.tkey.focus_next": "Focus Next",
    "tui.tkey.focus_previous": "Focus Previous",
    "tui.tkey.copy": "Copy selected text",
    "tui.tkey.cut": "Cut selected text",
    "tui.tkey.paste": "Paste text from the clipboard",
    "tui.tkey.scroll_up": "Scroll Up",
    "tui.tkey.scroll_down": "Scroll Down",
    "tui.tkey.scroll_left": "Scroll Left",
    "tui.tkey.scroll_right": "Scroll Right",
    "tui.tkey.scroll_home": "Scroll Home",
    "tui.tkey.scroll_end": "Scroll End",
    "tui.tkey.page_up": "Page Up",
    "tui.tkey.page_down": "Page Down",
    "tui.tkey.page_left": "Page Left",
    "tui.tkey.page_right": "Page Right",
    "tui.tkey.cursor_up": "Up",
    "tui.tkey.cursor_down": "Down",
    "tui.tkey.cursor_left": "Move cursor left",
    "tui.tkey.cursor_right": "Move cursor right",
    "tui.tkey.cursor_left_select": "Move cursor left and select",
    "tui.tkey.cursor_right_select": "Move cursor right and select",
    "tui.tkey.cursor_left_word": "Move cursor left a word",
    "tui.tkey.cursor_right_word": "Move cursor right a word",
    "tui.tkey.cursor_left_word_select": "Move cursor left a word and select",
    "tui.tkey.cursor_right_word_select": "Move cursor right a word and select",
    "tui.tkey.first": "First",
    "tui.tkey.last": "Last",
    "tui.tkey.top": "Top",
    "tui.tkey.bottom": "Bottom",
    "tui.tkey.select": "Select",
    "tui.tkey.select_all": "Select all",
    "tui.tkey.home": "Go to start",
    "tui.tkey.end": "Go to end",
    "tui.tkey.home_select": "Select line start",
    "tui.tkey.end_select": "Select line end",
    "tui.tkey.delete_left": "Delete character left",
    "tui.tkey.delete_right": "Delete character right",
    "tui.tkey.delete_left_word": "Delete left to start of word",
    "tui.tkey.delete_right_word": "Delete right to start of word",
    "tui.tkey.delete_left_all": "Delete all to the left",
    "tui.tkey.delete_right_all": "Delete all to the right",
    "tui.tkey.submit": "Submit",
    # the status bar
    "tui.status.phase.forward": "FORWARD",
    "tui.status.phase.seed": "SEED",
    "tui.status.phase.backward": "BACKWARD",
    "tui.status.phase.update": "UPDATE",
    "tui.status.step": "step {k}/{n}",
    "tui.status.iteration": "iteration {i}",
    "tui.status.iteration.planned": "iteration {i}/{n}",
    "tui.status.iteration.past": "iteration {i} (past {n})",
    "tui.status.iteration.short": "it {i}",
    "tui.status.iteration.planned.short": "it {i}/{n}",
    "tui.status.iteration.past.short": "it {i} (past {n})",
    "tui.status.gate": "gate",
    "tui.status.gate_name": "{node} ({label})",
    "tui.status.output": "output",
    "tui.status.nonfinite": "press ! {arrow} non-finite {where}",
    "tui.status.nonfinite.value": "value step {k} ({node})",
    "tui.status.nonfinite.gradient": "gradient step {k} ({node})",
    "tui.status.no_scenario": "no scenario loaded: press o to open one",
    # one-line messages in the status bar
    "tui.say.no_update": "no update: add a [train] table with a learning_rate",
    "tui.say.no_training": "no training: add a [train] table with a learning_rate",
    "tui.say.last_planned": "iteration {i} is the last one planned: u runs another, t trains "
                            "N more",
    "tui.say.history": "iterations before {i} are in the loss history (the last {n} are "
                       "kept recorded)",
    "tui.say.all_finite": "every value and gradient is finite",
    "tui.say.updated": "updated the params: iteration {i} starts ({arrow} shows the update)",
    "tui.say.trained": "trained to iteration {done}; stepping through iteration {now}",
    "tui.say.train_cancelled": "training cancelled at {done} / {total} iterations; params "
                               "unchanged",
    "tui.say.changed": "{name} changed: the timeline was recorded again",
    "tui.note.zh_needs_utf8": "Chinese needs a UTF-8 terminal; this one shows ASCII, so "
                              "the screens are in English",
    "tui.say.reloaded": "reloaded {path}",
    "tui.say.nothing_to_reload": "nothing to reload",
    "tui.say.both_shown": "Circuit and code are both shown at this width.",
    # the banner: what failed, and that the session goes on
    "tui.fail.open": "cannot open {name}",
    "tui.fail.still_scenario": "{headline}; still showing the last good scenario",
    "tui.fail.reload": "reload failed; still showing the last good version",
    "tui.fail.record": "cannot record iteration {i}; still showing the last good state",
    "tui.fail.training": "training failed; still showing the last good state",
    "tui.fail.show_edit": "cannot show the new {name}; still showing the last good state",
    "tui.fail.more": "{ellipsis} and {n} more (tui-backprop check FILE lists them all)",
    "tui.fail.memory": "not enough memory for this; try fewer iterations or smaller arrays",
    "tui.fail.recursion": "nested too deeply to follow",
    "tui.fail.bug": "an unexpected error inside tui-backprop ({what}); please report it",
    "tui.fail.no_learning_rate": "this scenario has no learning_rate",
    "tui.fail.unknown": "failed",
    # the inspector
    "tui.ins.nothing": "nothing recorded",
    "tui.ins.gate": "gate {node} ({label})",
    "tui.ins.in": "in",
    "tui.ins.out": "out",
    "tui.ins.cache": "cache",
    "tui.ins.local": "local",
    "tui.ins.upstream": "upstream",
    "tui.ins.chain": "chain",
    "tui.ins.chain.scalar": "{local} {times} upstream {upstream} = {contribution}",
    "tui.ins.chain.vjp": "vector-Jacobian product = {contribution}",
    "tui.ins.count": "({k} of {n})",
    "tui.ins.more_terms": "{ellipsis}{n} more{ellipsis}",
    "tui.ins.before": "(before {value})",
    "tui.ins.seed.output": "output {node}",
    "tui.ins.seed.ones": "ones {shape}",
    "tui.ins.seed.starts": "the backward pass starts here",
    "tui.ins.update.rule": "p {assign} p - learning_rate {dot} dp   (learning_rate = {lr})",
    "tui.ins.update.none": "(no params to update)",
    "tui.ins.selected": "selected",
    "tui.ins.selected.back": "esc: back to the current step",
    "tui.ins.selected.what": "{name}  ({kind}, {shape})",
    "tui.ins.gate_kind": "gate {label}",
    "tui.ins.not_computed": "not computed yet",
    "tui.ins.no_gradient": "no gradient yet",
    "tui.ins.received": "received {k} of {n} contributions",
    "tui.ins.received.from": "from {gate}",
    "tui.ins.received.via": "via {ref}",
    "tui.ins.received.step": "(step {k})",
    # the values table
    "tui.col.node": "node",
    # the help screen
    "tui.help.title": "Help · esc to close",
    "tui.help.intro": "Step gate by gate through the forward pass, the backward pass and "
                      "the update.",
    "tui.help.keys": "Keys",
    "tui.help.class_keys": "In this class and quiz",
    "tui.help.col.key": "key",
    "tui.help.col.does": "what it does",
    "tui.help.next": "next step",
    "tui.help.prev": "previous step (stepping back undoes exactly)",
    "tui.help.first_last": "first / last step",
    "tui.help.fwd_bwd": "end of the forward / backward pass",
    "tui.help.update": "run the update and start the next iteration",
    "tui.help.train": "train N more iterations on the fast path",
    "tui.help.edit": "edit the selected leaf's value (number or nested list)",
    "tui.help.check": "gradient check: analytic vs numerical",
    "tui.help.view": "switch circuit / code (narrow terminals)",
    "tui.help.detail": "switch inspector / values (narrow terminals)",
    "tui.help.full": "full precision in the inspector",
    "tui.help.nonfinite": "jump to the first non-finite value or gradient",
    "tui.help.follow": "back to following the current step",
    "tui.help.reload": "reload the scenario from disk (also automatic)",
    "tui.help.open": "open another scenario",
    "tui.help.palette": "command palette: go to a gate, open a scenario, theme",
    "tui.help.help_quit": "this help; q quits",
    "tui.help.reading": "Reading the screen",
    "tui.help.click": "Click a node in the circuit or a row in the values table to select it.",
    "tui.help.colours": "Forward values are green, gradients red and local gradients yellow, "
                        "as in the CS231n notes. In the circuit a value sits above its wire "
                        "and a gradient below it.",
    "tui.help.markers": "The current gate has a double border and heavy wires; {marker} marks "
                        "its line in the code and its row in the values table; {partial} "
                        "marks a gradient in the code. A ? stands for a number that is "
                        "hidden.",
    "tui.help.scenario": "This scenario",
    # the edit dialogs
    "tui.edit.title": "Edit {kind} {name} ({shape})",
    "tui.edit.hint": "A number or a nested list such as [[1, 2], [3, 4]]; nan and inf are "
                     "allowed. Enter applies, esc cancels.",
    "tui.edit.choose": "Edit which leaf? · enter chooses · esc cancels",
    "tui.edit.refused": "{mark} {why}",
    # the train dialogs
    "tui.train.title": "Train N more iterations (fast path)",
    "tui.train.body": "Plain SGD with learning_rate {lr}: nothing is recorded until the last "
                      "iteration, which you can step through.",
    "tui.train.ask": "type a whole number from 1 to {max}",
    "tui.train.too_large": "too large: {ask}",
    "tui.train.running": "Training {n} iterations",
    "tui.train.progress": "{done} / {total} iterations",
    "tui.train.cancel_hint": "esc cancels (the params stay as they were)",
    # the scenario picker
    "tui.picker.title": "Open a scenario · enter opens · esc cancels",
    "tui.picker.placeholder": "path/to/scenario.toml (or pick below)",
    "tui.picker.placeholder_name": "a scenario name (or pick below)",
    "tui.picker.cannot_load": "cannot load",
    # the gradient check
    "tui.gradcheck.title": "Gradient check: analytic vs numerical · esc closes",
    "tui.gradcheck.running": "checking{ellipsis}",
    "tui.gradcheck.nothing": "nothing to check: the graph has no differentiable leaves",
    "tui.gradcheck.all_pass": "all {n} gradients pass (relative error {le} {tolerance})",
    "tui.gradcheck.some_fail": "{failed} of {n} fail (relative error > {tolerance}): {names}",
    "tui.gradcheck.failed": "the gradient check failed: {why}",
    # the command palette
    "tui.cmd.goto": "go to {name} ({label})",
    "tui.cmd.leaf": "{kind} leaf",
    "tui.cmd.open": "open {name}",
    "tui.cmd.local_file": "local file",
    "tui.cmd.placeholder": "Search for commands…",
    "tui.cmd.no_match": "No matches found",
    "tui.cmd.theme_placeholder": "Search for themes…",
    "tui.cmd.theme": "Theme",
    "tui.cmd.theme_help": "Change the current theme",
    "tui.cmd.quit": "Quit",
    "tui.cmd.quit_help": "Quit the application",
    "tui.cmd.keys": "Keys",
    "tui.cmd.keys_help": "Show the keys of the focused panel and of the screen",
    "tui.cmd.keys_hide_help": "Hide the keys panel",
    "tui.cmd.maximize": "Maximize",
    "tui.cmd.maximize_help": "Maximize the focused panel",
    "tui.cmd.minimize": "Minimize",
    "tui.cmd.minimize_help": "Restore the panel to its normal size",
    "tui.cmd.screenshot": "Screenshot",
    "tui.cmd.screenshot_help": "Save an SVG screenshot of the screen",
    # the loss panel
    "tui.loss.none": "no loss yet",
    "tui.loss.one": "iteration {i}: {loss}   (u: next iteration, t: train N)",
    "tui.loss.range": "iteration {i}: {first}  {arrow}  iteration {j}: {last}",

    # ------------------------------------------------------------------ diagnostics
    # one line each, "path:line:col: error: message" (tui_backprop/engine/errors.py)
    "diag.line": "{where}: {error}: {message}",
    "diag.error": "error",
    "diag.where.scenario": "<scenario>",
    "diag.value.at": "{where}: {problem}",
    # kinds of value ("got a string")
    "diag.kind.too_large": "a number too large for float64",
    "diag.kind.too_large_plain": "a number too large",
    "diag.kind.datetime": "a date and time",
    "diag.kind.date": "a date",
    "diag.kind.time": "a time of day",
    "diag.kind.string": "a string",
    "diag.kind.table": "a table",
    "diag.kind.boolean": "a boolean",
    "diag.kind.list": "a list",
    "diag.kind.integer": "an integer",
    "diag.kind.float": "a float",
    "diag.kind.other": "a value of another kind",
    # numbers and arrays
    "diag.number.too_large": "number too large (float64 holds at most about 1.8e308)",
    "diag.number.expected": "{what} must be a number, got {got}",
    "diag.array.expected": "expected a number or nested list of numbers, got {got}",
    "diag.array.dims": "arrays may have at most {n} dimensions",
    "diag.array.empty": "empty arrays are not allowed",
    "diag.array.ragged": "ragged array: rows have different lengths",
    "diag.array.not_number": "arrays hold numbers only, got {got}",
    "diag.array.too_many": "array is too large (more than {n} elements)",
    # the file and its tables
    "diag.file.directory": "is a directory, not a file",
    "diag.file.not_regular": "is not a regular file",
    "diag.file.too_large": "file is too large (at most {n} bytes)",
    "diag.file.missing": "no such file (and no bundled scenario of that name; see "
                         "'tui-backprop list')",
    "diag.file.permission": "permission denied",
    "diag.file.os": "{detail}",
    "diag.file.utf8": "file is not valid UTF-8 text",
    "diag.toml.nested": "invalid TOML: arrays or tables nested too deeply",
    "diag.toml.invalid": "invalid TOML: {detail}",
    "diag.toml.unreadable": "invalid TOML: a value could not be read",
    "diag.scenario.empty": "empty scenario: it needs at least a title and a [graph] or "
                           "[network]",
    "diag.scenario.no_graph": "a scenario needs exactly one of [graph] or [network]",
    "diag.scenario.both": "use either [graph] or [network], not both",
    "diag.key.unknown": "unknown key {key} (expected one of: {expected})",
    "diag.key.unknown_in": "unknown key {key} in [{table}] (expected one of: {expected})",
    "diag.key.string": "'{key}' must be a string, got {got}",
    "diag.key.needs": "[{table}] needs '{key}'",
    "diag.title.missing": "missing required key 'title'",
    "diag.table.type": "[{table}] must be a table, got {got}",
    "diag.table.names": "[{table}] must be a table of names and values, got {got}",
    "diag.name.invalid": "[{table}] name {name} is not a valid identifier",
    "diag.name.long": "[{table}] name {name} is too long (at most {n} characters)",
    "diag.name.function": "[{table}] name {name} is a function name",
    "diag.name.twice": "{name} is defined twice",
    "diag.name.twice.tables": "{name} is defined twice in [inputs] and [params]",
    "diag.name.twice.normalised": "{name} is defined twice (also as {other}: the same name "
                                  "once normalised, as Python reads identifiers)",
    "diag.name.twice.normalised.tables": "{name} is defined twice (also as {other}: the same "
                                         "name once normalised, as Python reads "
                                         "identifiers) in [inputs] and [params]",
    "diag.graph.no_code": "[graph] needs 'code', a string of assignments",
    "diag.graph.code_type": "[graph] code must be a string, got {got}",
    "diag.graph.output_type": "[graph] output must be a string, got {got}",
    "diag.train.lr_finite": "[train] learning_rate must be a finite number",
    "diag.train.iterations": "[train] iterations must be a whole number from 1 to {hi}",
    "diag.train.iterations.got": "[train] iterations must be a whole number from 1 to {hi}, "
                                 "got {got}",
    "diag.train.iterations.too_large": "[train] iterations must be a whole number from 1 to "
                                       "{hi} (too large)",
    "diag.budget.one": "recording one iteration step by step would keep about {need} of "
                       "array values (the budget is {budget}): use smaller arrays or fewer "
                       "gates",
    "diag.budget.many": "recording {n} iterations step by step would keep about {need} of "
                        "array values (the budget is {budget}): use smaller arrays or fewer "
                        "gates, or record fewer iterations",
    # a typed value or count (the TUI's edit and train boxes, command-line numbers)
    "diag.typed.empty": "type a number or a nested list such as [1, 2]",
    "diag.typed.too_long": "too long (at most {n} characters)",
    "diag.typed.nested": "not a number or list: nested too deeply",
    "diag.typed.invalid": "not a number or list: {detail}",
    "diag.typed.single": "type a single number or nested list",
    "diag.count.digits": "{what} must be a whole number written with digits 0-9, got {got}",
    "diag.count.too_large": "{what} must be from {lo} to {hi} (too large)",
    "diag.count.range": "{what} must be from {lo} to {hi}, got {got}",
    # the [graph] code
    "diag.code.syntax": "syntax error: {detail}",
    "diag.code.nested": "expression nested too deeply (at most {n} levels)",
    "diag.code.null": "the code contains a null character",
    "diag.code.literal_long": "number literal too long",
    "diag.code.reassigned": "'{name}' is reassigned: each name is assigned once",
    "diag.code.not_assignment": "expected an assignment 'name = expression'",
    "diag.code.assign_function": "'{name}' is a function name and cannot be assigned",
    "diag.code.no_operation": "'{name} = ...' has no operation: a line must compute "
                              "something (put plain values in [inputs] or [params])",
    "diag.code.strings": "strings are not allowed; only numbers",
    "diag.code.constant": "the constant {value} is not allowed; only numbers",
    "diag.code.too_large": "number too large (float64 holds at most about 1.8e308; put inf "
                           "in [inputs] if you mean it)",
    "diag.code.function_name": "'{name}' is a function: call it as {name}(...)",
    "diag.code.before_assigned": "'{name}' is used before it is assigned",
    "diag.code.unknown_name": "unknown name '{name}'",
    "diag.code.operator": "operator '{op}' is not supported",
    "diag.code.attribute": "attribute access is not allowed (only x.T)",
    "diag.code.transpose_number": "'.T' needs an array, not a number",
    "diag.code.matmul_number": "'@' needs two arrays, not a number",
    "diag.code.call": "only calls of the built-in functions are allowed",
    "diag.code.unknown_function": "unknown function '{name}'",
    "diag.code.keywords": "{name}() takes no keyword arguments",
    "diag.code.arity.one": "{name}() takes 1 argument, got {got}",
    "diag.code.arity": "{name}() takes {n} arguments, got {got}",
    "diag.code.subscripts": "subscripts are not allowed",
    "diag.code.name_long": "the name is too long (at most {n} characters)",
    "diag.code.too_many_gates": "the code has too many gates (at most {n})",
    "diag.code.empty": "the code assigns nothing",
    "diag.code.forbidden": "{what} not allowed in the scenario language",
    "diag.code.what.attribute": "attribute access (only x.T is allowed)",
    "diag.code.what.subscripts": "subscripts",
    "diag.code.what.lambda": "lambda",
    "diag.code.what.comparisons": "comparisons",
    "diag.code.what.boolean": "boolean operators",
    "diag.code.what.conditional": "conditional expressions",
    "diag.code.what.list": "list literals (put arrays in [inputs] or [params])",
    "diag.code.what.tuples": "tuples",
    "diag.code.what.dicts": "dicts",
    "diag.code.what.sets": "sets",
    "diag.code.what.comprehensions": "comprehensions",
    "diag.code.what.strings": "strings",
    "diag.code.what.await": "await",
    "diag.code.what.yield": "yield",
    "diag.code.what.walrus": "the walrus operator",
    "diag.code.what.starred": "starred arguments",
    "diag.code.what.slices": "slices",
    "diag.code.what.other": "{kind}",
    "diag.output.leaf": "output {name} is a leaf (an input or param): the output must be a "
                        "gate, a name the code assigns",
    "diag.output.unassigned": "output {name} is not assigned in code",
    "diag.indices.computed": "class indices for cross_entropy must be given in [inputs], "
                             "not computed",
    "diag.indices.range": "class indices in '{name}' must be whole numbers from 0 to {hi}",
    "diag.leaf.not_leaf": "{name} is not a leaf",
    "diag.leaf.class_indices": "{name} holds class indices: whole numbers from 0",
    "diag.leaf.shape": "{name} is {what}: enter {want}, not {got}",
    "diag.leaf.is.scalar": "a scalar",
    "diag.leaf.is.vector": "a vector of {n}",
    "diag.leaf.is.vector1": "a vector of {n}",
    "diag.leaf.is.array": "{shape}",
    "diag.leaf.enter.scalar": "one number",
    "diag.leaf.enter.vector": "a list of {n} numbers",
    "diag.leaf.enter.vector1": "a list of {n} number",
    "diag.leaf.enter.array": "a {shape} nested list",
    # shapes
    "diag.shape.mismatch": "shape mismatch in {label}: {detail}",
    "diag.shape.broadcast": "shapes {a} and {b} do not broadcast",
    "diag.shape.broadcast.many": "shapes {shapes} do not broadcast",
    "diag.shape.matmul_arrays": "matrix product needs arrays, got shapes {a} and {b}",
    "diag.shape.matmul_dims": "matrix product supports 1-D and 2-D arrays only",
    "diag.shape.matmul_inner": "matrix product of shapes {a} and {b}: inner dimensions {m} "
                               "and {n} differ",
    "diag.shape.last_axis": "needs a 1-D vector or a 2-D batch, got shape {shape}",
    "diag.shape.ce_logits": "cross_entropy logits must be 1-D or 2-D, got shape {shape}",
    "diag.shape.ce_target": "cross_entropy target must be one-hot with the logits' shape "
                            "{shape} or class indices of shape {index_shape}, got {got}",
    "diag.shape.stack": "stack takes scalars",
    "diag.shape.index": "index {name} is out of range for shape {shape}",
    # [network]
    "diag.network.table": "[network] must be a table",
    "diag.network.with_table": "[{table}] cannot be used with [network] (it defines x, "
                               "target, W and b)",
    "diag.network.loss": "[network] loss must be one of {choices}",
    "diag.network.loss.got": "[network] loss must be one of {choices}, got {got}",
    "diag.network.granularity": "[network] granularity must be \"layer\" or \"neuron\", "
                                "got {got}",
    "diag.network.seed.too_large": "[network] seed must be a whole number from 0 to "
                                   "2**64 - 1 (too large)",
    "diag.network.seed.got": "[network] seed must be a whole number from 0 to 2**64 - 1, "
                             "got {got}",
    "diag.network.inputs_ndim": "[network] inputs must be one sample (a list) or a batch (a "
                                "list of lists)",
    "diag.network.layers": "[network] needs at least one [[network.layers]] table",
    "diag.network.layers.got": "[network] needs at least one [[network.layers]] table, got "
                               "{got}",
    "diag.network.too_many_layers": "[network] has {n} layers (at most {most})",
    "diag.network.ce_softmax": "loss \"cross_entropy\" applies softmax itself: make the "
                               "last layer's activation \"linear\"",
    "diag.network.class_targets": "[network] class-index targets must be whole numbers from "
                                  "0 to {hi}",
    "diag.network.targets_shape": "[network] targets must have shape {shape}, got {got}",
    "diag.network.targets_shape.indices": "[network] targets must have shape {shape} or "
                                          "class indices of shape {index_shape}, got {got}",
    "diag.network.neuron_gates": "granularity = \"neuron\" would make {n} gates (at most "
                                 "{most}); use granularity = \"layer\"",
    "diag.network.expand": "[network] cannot be expanded: {detail}",
    "diag.layer.table": "layer {k} must be a table ([[network.layers]]), got {got}",
    "diag.layer.unknown_key": "unknown key {key} in layer {k} (expected one of: {expected})",
    "diag.layer.activation": "layer {k}: activation must be one of {choices}",
    "diag.layer.activation.got": "layer {k}: activation must be one of {choices}, got {got}",
    "diag.layer.array": "layer {k} {key}",
    "diag.layer.weights_shape": "layer {k}: weights must have shape (units, {fan_in}) (row j "
                                "holds the weights into unit j), got {got}",
    "diag.layer.units_rows": "layer {k}: units = {units} but weights have {rows} rows",
    "diag.layer.units": "layer {k}: give 'weights', or 'units' (a whole number from 1 to "
                        "1000) to draw them from the seed, got {got}",
    "diag.layer.units.neither": "neither",
    "diag.layer.too_many_weights": "layer {k}: {units} units × {fan_in} inputs is too many "
                                   "weights (at most {most} in one layer)",
    "diag.layer.biases_shape": "layer {k}: biases must have shape ({units},), got {got}",
    # tomllib's own messages (tui_backprop/engine/foreign.py), and any it may add
    "diag.detail.toml": "{text}",
    "diag.toml.statement": "Invalid statement",
    "diag.toml.newline": "Expected newline or end of document after a statement",
    "diag.toml.equals": "Expected '=' after a key in a key/value pair",
    "diag.toml.table_end": "Expected ']' at the end of a table declaration",
    "diag.toml.array_end": "Expected ']]' at the end of an array declaration",
    "diag.toml.expected": "Expected {what}",
    "diag.toml.invalid_char": "Found invalid character {char}",
    "diag.toml.declare_twice": "Cannot declare {key} twice",
    "diag.toml.overwrite": "Cannot overwrite a value",
    "diag.toml.immutable": "Cannot mutate immutable namespace {key}",
    "diag.toml.redefine": "Cannot redefine namespace {key}",
    "diag.toml.key_start": "Invalid initial character for a key part",
    "diag.toml.unclosed_array": "Unclosed array",
    "diag.toml.unclosed_table": "Unclosed inline table",
    "diag.toml.duplicate_key": "Duplicate inline table key {key}",
    "diag.toml.backslash": "Unescaped '\\' in a string",
    "diag.toml.hex": "Invalid hex value",
    "diag.toml.scalar": "Escaped character is not a Unicode scalar value",
    "diag.toml.unterminated": "Unterminated string",
    "diag.toml.illegal_char": "Illegal character {char}",
    "diag.toml.date": "Invalid date or datetime",
    "diag.toml.value": "Invalid value",
    # Python's parser's own messages, and any it may add
    "diag.detail.python": "{text}",
    "diag.syntax.comma": "invalid syntax. Perhaps you forgot a comma?",
    "diag.syntax.equals": "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
    "diag.syntax.invalid": "invalid syntax",
    "diag.syntax.never_closed": "{bracket} was never closed",
    "diag.syntax.unmatched": "unmatched {bracket}",
    "diag.syntax.mismatch_line": "closing parenthesis {close} does not match opening "
                                 "parenthesis {open} on line {line}",
    "diag.syntax.mismatch": "closing parenthesis {close} does not match opening parenthesis "
                            "{open}",
    "diag.syntax.indent": "unexpected indent",
    "diag.syntax.unindent": "unindent does not match any outer indentation level",
    "diag.syntax.indented_block": "expected an indented block",
    "diag.syntax.literal.decimal": "invalid decimal literal",
    "diag.syntax.literal.hexadecimal": "invalid hexadecimal literal",
    "diag.syntax.literal.octal": "invalid octal literal",
    "diag.syntax.literal.binary": "invalid binary literal",
    "diag.syntax.leading_zeros": "leading zeros in decimal integer literals are not "
                                 "permitted; use an 0o prefix for octal integers",
    "diag.syntax.unterminated": "unterminated string literal (detected at line {line})",
    "diag.syntax.unterminated_triple": "unterminated triple-quoted string literal (detected "
                                       "at line {line})",
    "diag.syntax.char": "invalid character {char} ({code})",
    "diag.syntax.nonprintable": "invalid non-printable character {code}",
    "diag.syntax.continuation": "unexpected character after line continuation character",
    "diag.syntax.eof": "unexpected EOF while parsing",
    "diag.syntax.expected": "expected {what}",
    "diag.syntax.assign": "cannot assign to an expression: the left of '=' must be a name",
    "diag.syntax.positional": "positional argument follows keyword argument",

    # ------------------------------------------------------------------ the command line
    "cli.note": "{where}: note: {note}",
    "cli.check.ok": "{path}: ok",
    "cli.no_tui": "the TUI is not available ({why}); printing the trace instead",
    "cli.theme.unknown": "no theme '{theme}' (themes: {themes})",
    "cli.count.digits": "must be a whole number written with digits 0-9, got {got}",
    "cli.count.too_large": "must be from {lo} to {hi} (too large)",
    "cli.count.range": "must be from {lo} to {hi}, got {got}",
    # the remembered settings (tui_backprop/config.py)
    "config.note.unreadable": "cannot read the config file ({why}); using the defaults",
    "config.note.not_toml": "ignoring the config file, it is not valid TOML ({detail})",
    "config.note.unknown": "ignoring unknown setting '{key}'",
    "config.note.ignored": "ignoring {key}: {problem}",
    "config.note.unsaved": "cannot save the settings ({why})",
    "config.bad.theme": "theme must be a theme's name",
    "config.bad.no_theme": "no theme '{theme}'",
    "config.bad.lang": "lang must be one of {langs}",
    "config.bad.precision": "precision must be a whole number from 1 to {most}",
    "config.bad.ascii": "ascii must be true or false",
    "cli.tolerance.positive": "tolerance must be a positive number, got {got}",
    "cli.tolerance.number": "tolerance must be a number, got {got}",
    "cli.tolerance.too_large": "tolerance is too large (beyond float64's range)",
    "cli.quiz.kind": "unknown quiz kind {kind} (kinds: {kinds})",
    "cli.trace.untrained": "--iterations needs a [train] table (this scenario has no "
                           "learning_rate, so nothing is trained)",
    "cli.export.step_range": "--step must be from 1 to {n} (the steps of the first "
                             "iteration), got {got}",
    "cli.export.step_html": "--step is for --format svg (the HTML shows every step)",
    "cli.export.cannot_write": "cannot write the handout ({why})",
    "cli.help.body": (
        'A terminal step-through debugger for backpropagation, gate by gate.\n'
        '\n'
        '  SCENARIO            a scenario .toml file or the name of a bundled scenario;\n'
        '                      without one the TUI opens its scenario picker\n'
        '  --precision N       significant digits shown (1 to {max_precision}; default 4)\n'
        '  --lang en|zh        the language (default: from the locale,\n'
        '                      LC_ALL/LC_MESSAGES/LANG)\n'
        '  --ascii, --no-ascii only ASCII characters, or not (default: ASCII when the\n'
        '                      locale is not UTF-8)\n'
        "  --theme NAME        a colour theme: Textual's, or projector (high contrast,\n"
        '                      for a lecture hall); also in the command palette\n'
        '                      (ctrl+p)\n'
        '  --quiz              predict, then reveal: type each step\'s new number before\n'
        '                      it is shown (--quiz-kinds KINDS: which numbers; s skips)\n'
        '  Theme, language, precision and ASCII are remembered in\n'
        '  $XDG_CONFIG_HOME/tui-backprop/config.toml (~/.config/... by default); an\n'
        '  option given on the command line wins. NO_COLOR=1 draws without any colour.\n'
        '\n'
        'commands:\n'
        '  list                the bundled scenarios with their titles\n'
        '  check FILE...       validate scenario files; print every error with its line\n'
        '  trace FILE          the full step-by-step record of the first iteration, the\n'
        '                      loss history and the final params (text, json or\n'
        '                      markdown)\n'
        '  gradcheck FILE      analytic vs numerical (central difference) gradients;\n'
        '                      exit 1 if any relative error exceeds the tolerance\n'
        '                      (default 1e-6)\n'
        '  export FILE         a handout: a self-contained HTML page of every step\n'
        '                      (circuit, numbers, explanation) or an SVG of the circuit\n'
        '                      at --step K\n'
        '  serve ssh|web       serve the debugger to a room, over SSH or to browsers\n'
        "                      (see '{prog} serve --help')\n"
        '\n'
        'exit codes: 0 success, 1 gradient check failed or internal error, 2 bad\n'
        'scenario or usage.\n'
        'limits: {elements} elements per array, {gates} gates, {iterations}\n'
        'iterations, {mib} MiB to record one iteration step by step.'
    ),
    "cli.help.unknown": "no command {topic} (commands: {commands})",
    # the commands' --help (argparse's, see tui_backprop/cli.py: _HelpFormatter); the
    # usage lines stay literal, they are commands
    "cli.help.heading": "{title}:",
    "cli.help.positionals": "positional arguments",
    "cli.help.options": "options",
    "cli.help.help": "show this help message and exit",
    "cli.help.file": "a scenario .toml file or the name of a bundled scenario (see "
                     "'{prog} list')",
    "cli.desc.open": "Open the step-through TUI on a scenario (or the scenario picker).",
    "cli.desc.list": "List the bundled scenarios with their titles.",
    "cli.desc.check": "Validate scenario files: every error, one line each (exit 2 if any "
                      "is bad).",
    "cli.desc.trace": "The step-by-step record of the first iteration (forward, seed, "
                      "backward, update), the gradients, the loss history and the final "
                      "params.",
    "cli.desc.gradcheck": "Analytic gradients against central differences for every leaf "
                          "element; exit 1 if any relative error exceeds the tolerance.",
    "cli.desc.export": "A handout that opens offline: --format html, every step of the "
                       "first iteration (the circuit, the numbers and the explanation), or "
                       "--format svg, the circuit at one step for slides.",
    "cli.desc.help": "Show help for {prog} or one of its commands.",
    "cli.opt.precision": "significant digits shown (1 to {most}; default {default})",
    "cli.opt.lang": "the language of the help and the errors (default: from the locale, "
                    "LC_ALL / LC_MESSAGES / LANG)",
    "cli.opt.open.lang": "the language (default: remembered, else from the locale: LC_ALL / "
                         "LC_MESSAGES / LANG)",
    "cli.opt.open.ascii": "only ASCII characters (default: remembered, else ASCII when the "
                          "locale is not UTF-8)",
    "cli.opt.open.theme": "the colour theme: Textual's themes or projector (default: "
                          "remembered, else textual-dark)",
    "cli.opt.open.quiz": "predict each step's new number before it is shown",
    "cli.opt.open.quiz_kinds": "what --quiz asks (comma-separated): output, local, upstream, "
                               "contribution, accumulate, update, or all (default: all but "
                               "upstream)",
    "cli.opt.check.lang": "the language of the diagnostics (default: from the locale, "
                          "LC_ALL / LC_MESSAGES / LANG)",
    "cli.opt.trace.format": "text (a Rich rendering), json (the tui-backprop-trace/1 "
                            "contract) or markdown (a handout); default text",
    "cli.opt.trace.iterations": "iterations to run (default: the scenario's [train] "
                                "iterations)",
    "cli.opt.trace.precision": "significant digits shown (1 to {most}; default {default}; "
                               "text and markdown only: JSON keeps full precision)",
    "cli.opt.trace.lang": "language of the text and markdown traces (default: from the "
                          "locale, LC_ALL / LC_MESSAGES / LANG; JSON is language-free)",
    "cli.opt.trace.ascii": "only ASCII characters, in English (default when the locale is "
                           "not UTF-8)",
    "cli.opt.gradcheck.tolerance": "the largest relative error that passes (default "
                                   "{default})",
    "cli.opt.gradcheck.lang": "the language of the table and the notes (default: from the "
                              "locale, LC_ALL / LC_MESSAGES / LANG)",
    "cli.opt.export.format": "html (every step, one page) or svg (the circuit at one step)",
    "cli.opt.export.step": "the step the SVG shows (1 to the number of steps of the first "
                           "iteration; default 1)",
    "cli.opt.export.lang": "the language (default: from the locale)",
    "cli.opt.export.ascii": "only ASCII characters, in English",
    "cli.opt.export.output": "the file to write (default: standard output)",
    "cli.opt.help.topic": "the command to explain: {commands}",
    "cli.internal": "{prog}: internal error: {kind}: {detail} (this is a bug in {prog}; "
                    "please report it with the scenario file; {env}=1 shows the traceback)",
    # argparse's own errors
    "cli.argparse.required": "the following arguments are required: {names}",
    "cli.argparse.unrecognized": "unrecognized arguments: {args}",
    "cli.argparse.one_of": "one of the arguments {names} is required",
    "cli.argparse.choice": "argument {arg}: invalid choice: {value} (choose from {choices})",
    "cli.argparse.one_value": "argument {arg}: expected one argument",
    "cli.argparse.explicit": "argument {arg}: ignored explicit argument {value}",
    "cli.argparse.not_with": "argument {arg}: not allowed with argument {other}",
    "cli.argparse.argument": "argument {arg}: {rest}",
    # tui-backprop serve
    "serve.usage.choose": "serve {what}: choose 'ssh' or 'web'",
    "serve.duration.format": "a duration like 30m, 90s or 1h is needed, got {got}",
    "serve.duration.range": "the duration must be from 1s to 7 days, got {got}",
    "serve.scenarios.not_folder": "--scenarios {folder}: not a folder",
    "serve.listen_failed": "cannot listen on {address}: {reason}",
    # what the SSH server tells a student's terminal, in the student's locale's language
    "serve.say.no_pty": ("this is a full-screen debugger and needs a terminal; connect "
                         "with: ssh -t -p {port} HOST"),
    "serve.say.full": ("sorry, the class is full ({count} sessions running); please try "
                       "again in a minute."),
    "serve.say.start_failed": "could not start your session; please reconnect.",
    "serve.say.server_failed": "the session failed on the server; please reconnect.",
    "serve.say.cpu": ("your session used its CPU allowance ({seconds} s) and was ended; "
                      "reconnect to start again."),
    "serve.say.crashed": "the debugger stopped unexpectedly; reconnect to start again.",
    "serve.say.idle": ("your session ended: no key was pressed for {duration}; reconnect "
                       "to start again."),
    "serve.say.stopped": "the class server was stopped; your session has ended.",
    "serve.scenarios.empty": "--scenarios {folder}: no .toml scenarios in it",
    "serve.password.both": "give {name} or {name}-file, not both",
    "serve.password.file": "{name}-file {file}: {why}",
    "serve.password.file_empty": "{name}-file {file}: the first line is empty",
    "serve.password.empty": "{name} must not be empty",
    "serve.password.file_long": ("{name}-file {file}: the first line is longer than "
                                 "{limit} bytes"),
    "serve.keys.large": ("{option} {path}: larger than {limit} KiB (an authorized_keys "
                         "file has one short line per key)"),
    "serve.log.bad": "--log {path}: {why}",
    "serve.keys.bad": "{option} {path}: {why}",
    "serve.no_auth.combined": "--no-auth cannot be combined with --password or "
                              "--authorized-keys",
    "serve.auth.choose": "choose how students log in: --password, --password-file, "
                         "--authorized-keys or (on this machine only) --no-auth",
    "serve.no_auth.open": "--no-auth on {host} would let anyone who can reach it in; use "
                          "--password or --authorized-keys, or add --i-know-this-is-open",
    "serve.presenter.same": "the presenter password must differ from the class password",
    # tui-backprop serve ssh/web: what the instructor sees at start (commands, paths and
    # the fingerprint are literal; "\n" starts a line under the value column)
    "serve.banner.listening": "{prog}: listening on {address}",
    "serve.banner.label.students": "students type:",
    "serve.banner.label.browsers": "students open:",
    "serve.banner.label.host_key": "host key:",
    "serve.banner.label.key_file": "key file:",
    "serve.banner.label.scenarios": "scenarios:",
    "serve.banner.label.login": "login:",
    "serve.banner.label.limits": "limits:",
    "serve.banner.label.presenter": "presenter:",
    "serve.banner.this_machine": "THIS-MACHINE",
    "serve.banner.host_key": "{fingerprint} ({algorithm})\n"
                             "students check it against what ssh prints on first connect",
    "serve.banner.key_file.new": "{path}\n(created on this run)",
    "serve.banner.scenarios": "{folder} ({count})",
    "serve.banner.scenarios.open": "{folder} ({count})\nevery session starts on {name}",
    "serve.banner.count.one": "{n} scenario",
    "serve.banner.count.many": "{n} scenarios",
    "serve.banner.login.none": "none: anyone who can reach the port gets a session",
    "serve.banner.login.password": "the class password",
    "serve.banner.login.key": "a key in {path}",
    "serve.banner.login.both": "the class password, or a key in {path}",
    "serve.banner.limits.sessions": "{n} sessions at once, each ended after {idle} idle",
    "serve.banner.limits.work": "{iterations} iterations per train, {cpu} CPU-s per session",
    "serve.banner.limits.ready": "sessions started ahead for the first {n} students",
    "serve.banner.presenter": "{command}\nwith {how}; everyone else follows",
    "serve.banner.presenter.password": "the presenter password",
    "serve.banner.presenter.either": "{password} or {key}",
    "serve.banner.web.public_url": "for other machines, start it with --public-url {url}",
    "serve.banner.stop": "stop with ctrl+c",
    # tui-backprop serve --help (after its usage lines, which stay literal)
    "serve.help.body": (
        'Serve the debugger to a room: every student gets their own session.\n'
        '\n'
        "  ssh     an SSH server: students type 'ssh -p 2222 HOST'\n"
        "          (see '{prog} ssh --help')\n"
        '  web     a web server: students open http://HOST:8000\n'
        "          (see '{prog} web --help')"
    ),
    "serve.desc.ssh": "Serve the debugger over SSH: one isolated session per student, on its "
                      "own terminal.",
    "serve.desc.web": "Serve the debugger to browsers (textual-serve).",
    "serve.group.login": "login (choose at least one)",
    "serve.group.presenter": "a presenter the class follows (user name 'presenter', whatever "
                             "the students' login)",
    "serve.opt.host": "address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 "
                      "for the room's network)",
    "serve.opt.port": "port (default {port}; 0 picks a free one)",
    "serve.opt.scenarios": "the folder of scenarios students may open (only files under it; "
                           "default: the bundled scenarios)",
    "serve.opt.open": "start every session on this scenario of --scenarios (default: the "
                      "scenario picker)",
    "serve.opt.max_train": "the most iterations one 't' may train (default {most}); training "
                           "runs at the lowest CPU priority",
    "serve.opt.cpu_limit": "CPU seconds one session may use in all (default {seconds}; "
                           "stepping costs ~10 ms a key)",
    "serve.opt.lang.ssh": "the language of this command's help, errors and start-up "
                          "lines (default: from the "
                          "locale, LC_ALL / LC_MESSAGES / LANG); each session follows the "
                          "locale its student's ssh sends (LANG, LC_*)",
    "serve.opt.lang.web": "the language of this command's help, errors and start-up "
                          "lines (default: from the "
                          "locale, LC_ALL / LC_MESSAGES / LANG); the sessions follow this "
                          "server's LANG",
    "serve.opt.password": "a shared class password (visible to other users of this machine "
                          "in 'ps'; see --password-file)",
    "serve.opt.password_file": "read the class password from the first line of FILE",
    "serve.opt.authorized_keys": "students' public keys, OpenSSH authorized_keys format",
    "serve.opt.no_auth": "no login at all: only on a loopback --host, or with "
                         "--i-know-this-is-open",
    "serve.opt.i_know_this_is_open": "allow --no-auth on an address others can reach",
    "serve.opt.presenter_password": "the presenter's password (see "
                                    "--presenter-password-file)",
    "serve.opt.presenter_password_file": "read the presenter's password from the first line "
                                         "of FILE",
    "serve.opt.presenter_key": "the presenter's public key(s), authorized_keys format",
    "serve.opt.max_sessions": "sessions at once (default {n}); the next student is told the "
                              "class is full",
    "serve.opt.ready": "keep N sessions up (default 0): sessions are started ahead, while "
                       "nobody connects, until N students have one, so the first N who "
                       "connect at once get their screen at once (a waiting session holds "
                       "~20 MB, as a student's does)",
    "serve.opt.idle_timeout": "end a session after this long without a key (30m, 90s, 1h; "
                              "default {default})",
    "serve.opt.host_key": "the server's private host key (default: an ed25519 key generated "
                          "on first run in $XDG_STATE_HOME/tui-backprop)",
    "serve.opt.log": "append the connection log to FILE (default: stderr)",
    "serve.opt.no_shared_screens": "let every following student's session draw the "
                                   "presenter's steps itself (by default followers whose "
                                   "windows and terminals match share one drawing session, "
                                   "so a step costs one redraw, not one per student)",
    "serve.opt.no_zygote": "start every session as a new Python process instead of forking "
                           "a pre-imported one (slower; for troubleshooting)",
    "serve.opt.public_url": "the address browsers use, if not http://HOST:PORT (behind a "
                            "proxy, or with --host 0.0.0.0)",
    # the gradient check's notes
    "gradcheck.note.kink": "{name}: not differentiable here: gate {gate} ({op}) is at its "
                      "switching point ({where}); the analytic gradient takes one side, the "
                      "numerical one averages both",
    "gradcheck.note.zero": "its input is 0",
    "gradcheck.note.equal": "its two inputs are equal",
}
