"""简体中文消息。与 :mod:`tui_backprop.text.en` 的键和参数一一对应。

术语取自中文课程讲义的通行译法：计算图、前向传播、反向传播、链式法则、局部梯度、
上游梯度、梯度累加（``+=``）、缓存、参数更新、学习率、损失、数值梯度检验。
门的消息参数：``a``、``b`` 为输入名，``c`` 为常数操作数。
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ------------------------------------------------------------------ plumbing
    "sep.sentence": "",
    "sep.list": "、",

    # ------------------------------------------------------------------ phases
    "phase.forward.title": "前向传播",
    "phase.seed.title": "初始梯度",
    "phase.backward.title": "反向传播",
    "phase.update.title": "参数更新",
    "phase.forward.tag": "前向",
    "phase.seed.tag": "起点",
    "phase.backward.tag": "反向",
    "phase.update.tag": "更新",

    # ------------------------------------------------------------------ node kinds
    "kind.input": "输入",
    "kind.param": "参数",
    "kind.const": "常量",
    "kind.gate": "门",
    "shape.scalar": "标量",

    # ------------------------------------------------------------------ step parts
    "step.gate": "门",
    "step.heading.forward": "第 {k} 步：{equation}（门 {label}）",
    "step.heading.backward": "第 {k} 步：反向经过 {equation}（门 {label}）",
    "step.heading.plain": "第 {k} 步：{text}",
    "step.heading.update": "第 {k} 步：对每个参数执行 {rule}。",
    "step.output": "输出",
    "step.cache": "缓存",
    "step.cached_for_backward": "为反向传播缓存：{items}",
    "step.upstream": "上游梯度",
    "step.jacobian": "{formula}（雅可比矩阵，见“贡献”一栏）",
    "step.how.vjp": "向量-雅可比积",
    "step.how.elementwise": "上游梯度 {op} 局部梯度",
    "step.how.summed": "{how}，再求和回形状 {shape}",
    "step.seed.tensor": "{partial} = 形状为 {shape} 的全 1 张量（输出不是标量：每个元素的"
                        "初始梯度都取 1，相当于对它求和）",
    "step.update.rule": "p = p - {lr} {dot} {partial}",
    "step.accumulate": "梯度 {name} += {added}：{before} {arrow} {after}",
    "step.accumulate.contribution": "贡献",
    "step.accumulate.count": "（{name} 的第 {k} 次累加，共 {n} 次）",
    "step.nonfinite.value": "前向传播中第一个非有限值（inf 或 nan）出现在这一步",
    "step.nonfinite.gradient": "反向传播中第一个非有限梯度（inf 或 nan）出现在这一步",
    "step.warning_line": "**注意：**{note}。",
    "step.output_line": "输出：{value}",

    # 缓存项（GateSpec.cache_keys）
    "cache.out": "输出",
    "cache.mask": "掩码",
    "cache.softmax": "softmax",

    # ------------------------------------------------------------------ explanations
    "explain.forward.local_now": "这个门的局部梯度此刻就已算出，留到反向传播时使用。",
    "explain.seed.scalar": "反向传播从计算图的输出开始：{node} 对自身的梯度为 1。此后按与前向相反的"
                           "顺序，每个门把上游梯度乘以自己的局部梯度，这就是链式法则。",
    "explain.seed.tensor": "反向传播从计算图的输出开始：{node} 对自身的梯度是一个全 1 张量（每个"
                           "元素一个 1）。此后按与前向相反的顺序，每个门把上游梯度乘以自己的"
                           "局部梯度，这就是链式法则。",
    "explain.backward.fan_out": "{name} 被用到 {uses} 次，所以 d{name} 是这几份贡献之和"
                                "（梯度累加 +=）。",
    "explain.update": "参数更新让每个参数逆着梯度走一小步：p ← p - 学习率 · dp（学习率 = "
                      "{lr}），也就是沿损失下降的方向前进一点。",

    # ------------------------------------------------------------------ quiz and class
    "quiz.ask.output": "预测前向输出：{node} = ?",
    "quiz.ask.local": "预测局部梯度 ∂{node}/∂{name} = ?",
    "quiz.ask.upstream": "预测到达 {node} 的上游梯度 = ?",
    "quiz.ask.contribution": "预测 {node} 传给 d{name} 的贡献（上游梯度 × 局部梯度）= ?",
    "quiz.ask.accumulate": "预测这次 +=（第 {k} 次，共 {n} 次）之后的 d{name} = ?",
    "quiz.ask.update": "预测更新后的 {name} = ?",
    "quiz.explain.output": "{node} = {formula}，其中 {inputs}：{value}",
    "quiz.explain.local": "∂{node}/∂{name} = {formula} = {value}",
    "quiz.explain.upstream": "{node} 的上游梯度 = 迄今所有累加进 d{node} 的值 = {value}",
    "quiz.explain.contribution": "上游梯度 {upstream} × 局部梯度 {local} = {value}",
    "quiz.explain.accumulate": "累加前 {before} + 贡献 {contribution} = {value}",
    "quiz.explain.update": "{name} - 学习率 × 梯度 = {before} - {lr} × {grad} = {value}",
    "quiz.error.empty": "请输入一个数，例如 -4、1/4 或 0.73*(1-0.73)",
    "quiz.error.length": "太长：最多 {limit} 个字符",
    "quiz.error.syntax": "只能输入数字、+ - * / ** 和括号，例如 -0.2*4",
    "quiz.error.nesting": "嵌套太深",
    "quiz.error.magnitude": "数值太大",
    "quiz.error.division": "除以零",
    "quiz.right": "答对了！",
    "quiz.wrong": "不对：你的答案是 {answer}。",
    "quiz.skipped": "已跳过。",
    "quiz.missed": "未作答。",
    "quiz.answer": "答案：{value}",
    "quiz.sent": "答案 {answer} 已提交：讲解者会向全班揭晓。",
    "quiz.score": "得分 {right}/{answered}",
    "quiz.hint.answer": "Enter：提交 · s：跳过",
    "quiz.hint.next": "→：下一步",
    "quiz.hint.wait": "等待讲解者",
    "quiz.tally.counts": "{students} 人中 {answered} 人已作答 · {right} 人答对",
    "quiz.tally.wrong": "最常见的错误答案：{answer}（{count} 人）",
    "quiz.tally.none_wrong": "暂无错误答案",
    "quiz.tally.other": "其他",
    "quiz.tally.reveal": "a：向全班揭晓",
    "quiz.tally.revealed": "已向全班揭晓",
    "quiz.tally.no_prompt": "这一步没有要预测的数：继续下一步",
    "class.following": "跟随讲解者 · x：自行探索",
    "class.following.waiting": "跟随中 · 等待讲解者 · x：自行探索",
    "class.exploring": "自行探索中 · F：回到讲解者",
    "class.presenter": "讲解者 · {connected} 人连接，{following} 人跟随，{exploring} 人自行探索",
    "class.presenter.quiz": "z：测验{state}",
    "class.quiz.on": "开",
    "class.quiz.off": "关",
    "class.offline": "无法连接课堂服务器：自行探索",

    # ------------------------------------------------------------------ traces
    "trace.scenario": "场景",
    "trace.code": "代码",
    "trace.code.network": "代码（由场景文件的 [network] 表生成）",
    "trace.output_is": "输出：{name}。",
    "trace.learning_rate_is": "学习率 {lr}。",
    "trace.summary.output": "输出：{name}",
    "trace.summary.learning_rate": "学习率：{lr}",
    "trace.summary.iterations": "迭代次数：{n}",
    "trace.result": "结果",
    "trace.gradients": "梯度",
    "trace.loss_history": "损失变化",
    "trace.final_params": "最终参数",
    "trace.iterations_note": "第 1 次迭代逐步展示；第 2 至第 {n} 次迭代走快速路径，不逐步记录。",
    "trace.loss_rows.markdown": "共 {total} 次迭代，这里列出其中 {shown} 次（JSON 轨迹包含"
                                "全部）。",
    "trace.loss_rows.text": "共 {total} 次迭代，这里列出其中 {shown} 次（--format json "
                            "可看全部）。",
    "trace.note.ascii_english": "提示：ASCII 输出只能用英文（中文字符不在 ASCII 范围内）",
    "col.leaf": "叶节点",
    "col.kind": "类型",
    "col.shape": "形状",
    "col.value": "值",
    "col.input": "输入",
    "col.local_grad": "局部梯度",
    "col.contribution": "贡献",
    "col.contribution_chain": "贡献（上游梯度 {times} 局部梯度）",
    "col.grad_before": "累加前梯度",
    "col.grad_after": "累加后梯度",
    "col.param": "参数",
    "col.before": "更新前",
    "col.grad": "梯度",
    "col.after": "更新后",
    "col.iteration": "迭代",
    "col.grad_of_leaf": "{partial}(叶节点)",

    # ------------------------------------------------------------------ gradcheck
    "gradcheck.col.element": "叶节点元素",
    "gradcheck.col.analytic": "解析梯度",
    "gradcheck.col.numerical": "数值梯度",
    "gradcheck.col.rel_error": "相对误差",
    "gradcheck.col.result": "结果",
    "gradcheck.pass": "通过",
    "gradcheck.fail": "未通过",
    "gradcheck.summary": "数值梯度检验：{total} 个叶节点元素中 {passed} 个通过"
                         "（相对误差 <= {tolerance}）",
    "gradcheck.summary.failed": "{summary}；{failed} 个未通过",

    # ------------------------------------------------------------------ gates
    # 二元算术
    "gate.add.forward": "加法门把两个输入相加。",
    "gate.add.backward": "加法门把上游梯度原样分给每个输入（它的局部梯度都是 1）。",
    "gate.sub.forward": "减法门求两个输入之差。",
    "gate.sub.backward": "减法门把上游梯度原样传给第一个输入，把它的相反数传给第二个输入。",
    "gate.mul.forward": "乘法门把两个输入相乘，并把两者都缓存下来供反向传播使用。",
    "gate.mul.backward": "乘法门会“交换”输入：每个输入的局部梯度就是另一个输入的值，"
                         "再乘以上游梯度。",
    "gate.div.forward": "除法门用第一个输入除以第二个输入。",
    "gate.div.backward": "除法门对分子把上游梯度乘以 1/{b}，对分母乘以 -{a}/{b}²。",
    "gate.pow.forward": "幂门计算 {a} 的 {b} 次幂。",
    "gate.pow.backward": "幂门的局部梯度：对底数是 {b}·{a}^({b}-1)，对指数是 {a}^{b}·ln {a}，"
                         "各自再乘以上游梯度。",
    # 一个操作数为常数
    "gate.add_const.forward": "这个门给输入加上常数 {c}。",
    "gate.add_const.backward": "加上常数不改变梯度：局部梯度为 1，上游梯度原样传回。",
    "gate.sub_const.forward": "这个门从输入中减去常数 {c}。",
    "gate.sub_const.backward": "减去常数不改变梯度：局部梯度为 1。",
    "gate.rsub_const.forward": "这个门用常数 {c} 减去输入。",
    "gate.rsub_const.backward": "{c} - {a} 的局部梯度是 -1，所以上游梯度取相反数后传回。",
    "gate.mul_const.forward": "这个门把输入乘以常数 {c}。",
    "gate.mul_const.backward": "乘以常数时，梯度也按同一个常数缩放。",
    "gate.div_const.forward": "这个门把输入除以常数 {c}。",
    "gate.div_const.backward": "除以常数时，梯度按 1/{c} 缩放。",
    "gate.rdiv_const.forward": "这个门计算 {c}/{a}。",
    "gate.rdiv_const.backward": "{c}/{a} 的局部梯度是 -{c}/{a}²，再乘以上游梯度。",
    "gate.pow_const.forward": "这个门计算输入的 {c} 次幂。",
    "gate.pow_const.backward": "幂法则：{a}^{c} 的局部梯度是 {c}·{a}^({c}-1)。",
    "gate.rpow_const.forward": "这个门计算常数 {c} 的 {a} 次幂。",
    "gate.rpow_const.backward": "{c}^{a} 的局部梯度是 {c}^{a}·ln {c}。",
    # 一元函数
    "gate.exp.forward": "指数门对输入取指数，并缓存结果。",
    "gate.exp.backward": "exp 的导数就是它自己：用缓存的输出乘以上游梯度即可。",
    "gate.log.forward": "对数门对输入取自然对数。",
    "gate.log.backward": "ln {a} 的局部梯度是 1/{a}。",
    "gate.sqrt.forward": "平方根门对输入开平方，并缓存结果。",
    "gate.sqrt.backward": "√{a} 的局部梯度是 1/(2√{a})，直接用缓存的输出计算。",
    "gate.abs.forward": "绝对值门取输入的绝对值。",
    "gate.abs.backward": "|{a}| 的局部梯度是 {a} 的符号（{a} = 0 处取 0）。",
    "gate.sigmoid.forward": "sigmoid 门把输入压缩到 (0, 1) 区间，并缓存输出。",
    "gate.sigmoid.backward": "sigmoid 的局部梯度是 σ({a})(1-σ({a}))，直接用缓存的输出计算。",
    "gate.tanh.forward": "tanh 门把输入压缩到 (-1, 1) 区间，并缓存输出。",
    "gate.tanh.backward": "tanh 的局部梯度是 1-tanh²，直接用缓存的输出计算。",
    "gate.relu.forward": "ReLU 门让正的输入通过、其余置零，并缓存哪些输入通过了。",
    "gate.relu.backward": "ReLU 在输入为正的位置把上游梯度原样传回，其余位置梯度为 0。",
    "gate.relu.local.0": "{a} > 0 时为 1，否则为 0",
    "gate.max.forward": "max 门输出两个输入中较大的一个。",
    "gate.max.backward": "max 门把上游梯度全部交给较大的那个输入，另一个得到 0"
                         "（相等时两者平分）。",
    "gate.max.local.0": "{a} > {b} 时为 1，否则为 0",
    "gate.max.local.1": "{b} > {a} 时为 1，否则为 0",
    "gate.min.forward": "min 门输出两个输入中较小的一个。",
    "gate.min.backward": "min 门把上游梯度全部交给较小的那个输入，另一个得到 0"
                         "（相等时两者平分）。",
    "gate.min.local.0": "{a} < {b} 时为 1，否则为 0",
    "gate.min.local.1": "{b} < {a} 时为 1，否则为 0",
    "gate.transpose.forward": "转置门交换输入的行与列。",
    "gate.transpose.backward": "转置的梯度就是把上游梯度再转置回来。",
    "gate.transpose.local.0": "把梯度转置回去",
    # 归约与向量门
    "gate.sum.forward": "求和门把输入的所有元素加起来。",
    "gate.sum.backward": "求和门把上游梯度分给每一个元素（局部梯度为 1）。",
    "gate.mean.forward": "均值门对输入的所有元素求平均。",
    "gate.mean.backward": "均值门让每个元素分到上游梯度的 1/n。",
    "gate.matmul.forward": "矩阵乘法门计算 {a} @ {b}，并把两个操作数都缓存下来供反向传播"
                           "使用。",
    "gate.matmul.backward": "对矩阵乘积 D = W @ X，梯度为 dW = dD @ Xᵀ、dX = Wᵀ @ dD："
                            "对一对形状，就知道该转置哪个操作数。",
    "gate.matmul.local.0": "d{a} = 上游梯度 @ {b}ᵀ",
    "gate.matmul.local.1": "d{b} = {a}ᵀ @ 上游梯度",
    "gate.dot.forward": "点积门计算两个输入的点积。",
    "gate.dot.backward": "点积中每个输入的梯度是另一个输入乘以上游梯度（矩阵情形即 "
                         "dW = dD @ Xᵀ）。",
    "gate.dot.local.0": "d{a} = 上游梯度 @ {b}ᵀ",
    "gate.dot.local.1": "d{b} = {a}ᵀ @ 上游梯度",
    "gate.softmax.forward": "softmax 门沿最后一个轴把得分变成概率，并缓存结果。",
    "gate.softmax.backward": "softmax 的雅可比矩阵是 diag(s) - s sᵀ；它的向量-雅可比积是 "
                             "s ⊙ (上游梯度 - Σ 上游梯度⊙s)。",
    "gate.softmax.local.0": "dz = s ⊙ (上游梯度 - Σ 上游梯度⊙s)",
    "gate.log_softmax.forward": "log_softmax 门沿最后一个轴计算对数概率，并缓存 softmax。",
    "gate.log_softmax.backward": "log_softmax 的向量-雅可比积是 上游梯度 - softmax ⊙ Σ "
                                 "上游梯度。",
    "gate.log_softmax.local.0": "dz = 上游梯度 - softmax ⊙ Σ 上游梯度",
    "gate.stack.forward": "堆叠门把若干标量拼成一个向量。",
    "gate.stack.backward": "堆叠门把上游梯度的各个分量分别交还给对应的标量。",
    "gate.stack.local.0": "取上游梯度的第 i 个分量",
    # 损失
    "gate.mse.forward": "均方误差门对差值的平方求平均。",
    "gate.mse.backward": "均方误差对每个元素的局部梯度是 2({a} - {b})/n。",
    "gate.half_sse.forward": "半平方误差和门计算 ½Σ({a} - {b})²。",
    "gate.half_sse.backward": "½ 正好抵消平方求导得到的 2：局部梯度就是 {a} - {b}。",
    "gate.bce.forward": "二元交叉熵门用 0/1 目标给预测概率打分。",
    "gate.bce.backward": "二元交叉熵对概率的局部梯度是 (-{b}/{a} + (1-{b})/(1-{a}))/n。",
    "gate.cross_entropy.forward": "softmax 交叉熵门先对得分做 softmax，再取目标类别的负对数"
                                  "概率（在一个批次上取平均）。",
    "gate.cross_entropy.backward": "softmax 与交叉熵合在一起，梯度出奇地简单：softmax 减去"
                                   "独热目标（再除以批次大小）。",
    "gate.local.see_formula": "（见公式）",
}
