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
    "quiz.sent": "答案 {answer} 已提交：讲师会向全班揭晓。",
    "quiz.score": "得分 {right}/{answered}",
    "quiz.hint.answer": "Enter：提交 · s：跳过",
    "quiz.hint.next": "→：下一步",
    "quiz.hint.wait": "等待讲师",
    "quiz.tally.counts": "{students} 人中 {answered} 人已作答 · {right} 人答对",
    "quiz.tally.wrong": "最常见的错误答案：{answer}（{count} 人）",
    "quiz.tally.none_wrong": "暂无错误答案",
    "quiz.tally.other": "其他",
    "quiz.tally.reveal": "a：向全班揭晓",
    "quiz.tally.revealed": "已向全班揭晓",
    "quiz.tally.no_prompt": "这一步没有要预测的数：继续下一步",
    "class.following": "跟随讲师 · x：自行探索",
    "class.following.waiting": "跟随中 · 等待讲师 · x：自行探索",
    "class.exploring": "自行探索中 · F：回到讲师",
    "class.presenter": "讲师 · {connected} 人连接，{following} 人跟随，{exploring} 人自行探索",
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
    "gradcheck.kink": "不可导点",
    "gradcheck.summary": "数值梯度检验：{total} 个叶节点元素中 {passed} 个通过"
                         "（相对误差 <= {tolerance}，或绝对误差 <= {abs_tolerance}）",
    "gradcheck.summary.kinks": "{summary}；{kinks} 个位于不可导点（函数在该点不可导，不作检验）",
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

    # ------------------------------------------------------------------ 界面框架
    "screen.title.circuit": "计算图",
    "screen.title.code": "代码",
    "screen.title.inspector": "检查器",
    "screen.title.values": "数值表",
    "screen.title.loss": "损失",
    "screen.title.switch": "{title} {sep} {key}：{other}",
    "screen.both_shown": "这个宽度下计算图和代码同时显示。",
    "key.help": "帮助",
    "key.quit": "退出",
    "key.next": "下一步",
    "key.prev": "上一步",
    "key.first": "第一步",
    "key.last": "最后一步",
    "key.fwd": "前向末",
    "key.bwd": "反向末",
    "key.update": "更新",
    "key.train": "训练",
    "key.edit": "编辑",
    "key.check": "检验",
    "key.view": "切换",
    "key.detail": "检查器/数值表",
    "key.full_precision": "全精度",
    "key.nonfinite": "跳到非有限值",
    "key.follow": "跟随当前步",
    "key.reload": "重新加载",
    "key.open": "打开",
    "loss.none": "还没有损失值",
    "loss.one": "第 {i} 轮：{loss}   （u：下一轮，t：训练 N 轮）",
    "loss.range": "第 {i} 轮：{loss}  {arrow}  第 {j} 轮：{last}",
    "help.colours.color": "前向的值是绿色，梯度是红色，局部梯度是黄色；当前的门高亮显示，"
                          "并画成双线边框。",
    "help.colours.nocolor": "无颜色模式（NO_COLOR）：前向的值不加修饰，梯度加下划线并标上 "
                            "{grad}，局部梯度用斜体；当前的门反色加粗，并画成双线边框。",
    "help.colours.ascii": "仅 ASCII 字符：{partial} 写作 d（dL/dx），{times} 和 {dot} 写作 *，"
                          "箭头写作 -> 和 <-，当前门的方框用 = 和 # 画出。",
    # 讲义（tui-backprop export）
    "handout.step": "第 {k} 步（共 {n} 步）",
    "handout.steps": "步骤",
    # ------------------------------------------------------------------ 终端界面
    # 面板标题（窄终端下标题里写明切换的按键）
    "tui.panel.circuit": "计算图",
    "tui.panel.code": "代码",
    "tui.panel.inspector": "检查器",
    "tui.panel.values": "数值表",
    "tui.panel.loss": "损失",
    "tui.panel.circuit.swap": "计算图 · v 切换到代码",
    "tui.panel.code.swap": "代码 · v 切换到计算图",
    "tui.panel.inspector.swap": "检查器 · i 切换到数值表",
    "tui.panel.values.swap": "数值表 · i 切换到检查器",
    # 按键说明（底栏、帮助、命令面板）
    "tui.key.help": "帮助",
    "tui.key.quit": "退出",
    "tui.key.next": "下一步",
    "tui.key.prev": "上一步",
    "tui.key.first": "第一步",
    "tui.key.last": "最后一步",
    "tui.key.fwd": "前向末",
    "tui.key.bwd": "反向末",
    "tui.key.update": "更新",
    "tui.key.train": "训练",
    "tui.key.edit": "编辑",
    "tui.key.check": "检验",
    "tui.key.view": "切换",
    "tui.key.detail": "检查器/数值表",
    "tui.key.full": "全精度",
    "tui.key.explore": "自己探索",
    "tui.key.snap_back": "回到讲师的位置",
    "tui.key.skip": "跳过本题",
    "tui.key.class_quiz": "开关全班测验",
    "tui.key.reveal": "公布答案",
    "tui.key.nonfinite": "跳到非有限值",
    "tui.key.follow": "跟随当前步",
    "tui.key.reload": "重新加载",
    "tui.key.open": "打开",
    "tui.key.close": "关闭",
    "tui.key.cancel": "取消",
    "tui.key.select": "选中",
    "tui.key.cursor_up": "上移",
    "tui.key.cursor_down": "下移",
    "tui.key.page_up": "上一页",
    "tui.key.page_down": "下一页",
    "tui.key.first_node": "第一个节点",
    "tui.key.last_node": "最后一个节点",
    # 状态栏
    "tui.status.phase.forward": "前向传播",
    "tui.status.phase.seed": "初始梯度",
    "tui.status.phase.backward": "反向传播",
    "tui.status.phase.update": "参数更新",
    "tui.status.step": "第 {k}/{n} 步",
    "tui.status.iteration": "第 {i} 次迭代",
    "tui.status.iteration.planned": "迭代 {i}/{n}",
    "tui.status.iteration.past": "迭代 {i}（已超出计划的 {n} 次）",
    "tui.status.iteration.short": "迭代 {i}",
    "tui.status.iteration.planned.short": "迭代 {i}/{n}",
    "tui.status.iteration.past.short": "迭代 {i}（超 {n}）",
    "tui.status.gate": "门",
    "tui.status.gate_name": "{node}（{label}）",
    "tui.status.output": "输出",
    "tui.status.nonfinite": "按 ! {arrow} 非有限值：{where}",
    "tui.status.nonfinite.value": "数值在第 {k} 步（{node}）",
    "tui.status.nonfinite.gradient": "梯度在第 {k} 步（{node}）",
    "tui.status.no_scenario": "尚未加载场景：按 o 打开一个",
    # 状态栏中的一行提示
    "tui.say.no_update": "无法参数更新：场景文件里需要一个带 learning_rate 的 [train] 表",
    "tui.say.no_training": "无法训练：场景文件里需要一个带 learning_rate 的 [train] 表",
    "tui.say.last_planned": "第 {i} 次迭代是计划中的最后一次：按 u 再迭代一次，按 t 再训练 N 次",
    "tui.say.history": "第 {i} 次之前的迭代只留在损失曲线里（只保留最近 {n} 次迭代的逐步记录）",
    "tui.say.all_finite": "所有数值和梯度都是有限的",
    "tui.say.updated": "参数已更新：第 {i} 次迭代开始（按 {arrow} 可回看这次参数更新）",
    "tui.say.trained": "已训练到第 {done} 次迭代；现在逐步查看第 {now} 次",
    "tui.say.train_cancelled": "已取消训练（完成 {done} / {total} 次迭代）；参数不变",
    "tui.say.changed": "{name} 已修改：各步已重新计算",
    "tui.say.reloaded": "已重新加载 {path}",
    "tui.say.nothing_to_reload": "没有可重新加载的文件",
    "tui.say.both_shown": "在这个宽度下，计算图和代码已经同时显示。",
    # 出错横幅：什么失败了，以及会话照常继续
    "tui.fail.open": "无法打开 {name}",
    "tui.fail.still_scenario": "{headline}；仍显示上一个正常的场景",
    "tui.fail.reload": "重新加载失败；仍显示上一个正常的版本",
    "tui.fail.record": "无法记录第 {i} 次迭代；仍显示上一个正常的状态",
    "tui.fail.training": "训练失败；仍显示上一个正常的状态",
    "tui.fail.show_edit": "无法显示修改后的 {name}；仍显示上一个正常的状态",
    "tui.fail.more": "{ellipsis}另有 {n} 条（运行 tui-backprop check 场景文件 可全部列出）",
    "tui.fail.memory": "内存不足；请减少迭代次数或使用更小的数组",
    "tui.fail.recursion": "嵌套太深，无法处理",
    "tui.fail.bug": "tui-backprop 内部出现意外错误（{what}）；请报告此问题",
    "tui.fail.no_learning_rate": "这个场景没有学习率",
    "tui.fail.unknown": "失败",
    # 检查器
    "tui.ins.nothing": "没有记录任何步骤",
    "tui.ins.gate": "门 {node}（{label}）",
    "tui.ins.in": "输入",
    "tui.ins.out": "输出",
    "tui.ins.cache": "缓存",
    "tui.ins.local": "局部梯度",
    "tui.ins.upstream": "上游梯度",
    "tui.ins.chain": "链式法则",
    "tui.ins.chain.scalar": "{local} {times} 上游梯度 {upstream} = {contribution}",
    "tui.ins.chain.vjp": "向量-雅可比积 = {contribution}",
    "tui.ins.count": "（第 {k} 次，共 {n} 次）",
    "tui.ins.more_terms": "{ellipsis}另 {n} 项{ellipsis}",
    "tui.ins.before": "（累加前 {value}）",
    "tui.ins.seed.output": "输出 {node}",
    "tui.ins.seed.ones": "全 1 张量 {shape}",
    "tui.ins.seed.starts": "反向传播从这里开始",
    "tui.ins.update.rule": "p {assign} p - 学习率 {dot} dp（学习率 = {lr}）",
    "tui.ins.update.none": "（没有需要更新的参数）",
    "tui.ins.selected": "已选中",
    "tui.ins.selected.back": "esc 回到当前步",
    "tui.ins.selected.what": "{name}（{kind}，{shape}）",
    "tui.ins.gate_kind": "门 {label}",
    "tui.ins.not_computed": "尚未计算",
    "tui.ins.no_gradient": "尚无梯度",
    "tui.ins.received": "已收到 {k} 份贡献，共 {n} 份",
    "tui.ins.received.from": "来自 {gate}",
    "tui.ins.received.via": "经 {ref}",
    "tui.ins.received.step": "（第 {k} 步）",
    # 数值表
    "tui.col.node": "节点",
    # 帮助
    "tui.help.title": "帮助 · esc 关闭",
    "tui.help.intro": "逐个门地单步查看前向传播、反向传播和参数更新。",
    "tui.help.class_keys": "课堂与测验",
    "tui.help.keys": "按键",
    "tui.help.col.key": "按键",
    "tui.help.col.does": "作用",
    "tui.help.next": "下一步",
    "tui.help.prev": "上一步（后退会精确地撤销这一步）",
    "tui.help.first_last": "第一步 / 最后一步",
    "tui.help.fwd_bwd": "跳到前向传播 / 反向传播的末尾",
    "tui.help.update": "执行参数更新，开始下一次迭代",
    "tui.help.train": "走快速路径再训练 N 次迭代",
    "tui.help.edit": "编辑选中叶节点的值（一个数或嵌套列表）",
    "tui.help.check": "数值梯度检验：解析梯度与数值梯度对照",
    "tui.help.view": "切换计算图 / 代码（窄终端）",
    "tui.help.detail": "切换检查器 / 数值表（窄终端）",
    "tui.help.full": "检查器中显示全精度",
    "tui.help.nonfinite": "跳到第一个非有限的数值或梯度",
    "tui.help.follow": "回到跟随当前步",
    "tui.help.reload": "从磁盘重新加载场景（文件改动时也会自动加载）",
    "tui.help.open": "打开另一个场景",
    "tui.help.palette": "命令面板：转到某个门、打开场景、切换主题",
    "tui.help.help_quit": "本帮助；q 退出",
    "tui.help.reading": "怎样读这个界面",
    "tui.help.click": "在计算图中点击一个节点，或在数值表中点击一行，即可选中它。",
    "tui.help.colours": "与 CS231n 讲义一致：前向传播的数值为绿色，梯度为红色，局部梯度为黄色。"
                        "计算图中，数值写在连线上方，梯度写在连线下方。",
    "tui.help.markers": "当前的门用双线框和加粗的连线标出；{marker} 标出它在代码中的那一行和数值表"
                        "中的那一行；代码中 {partial} 后面是梯度。? 表示被隐藏的数。",
    "tui.help.scenario": "本场景",
    # 编辑对话框
    "tui.edit.title": "编辑{kind} {name}（{shape}）",
    "tui.edit.hint": "输入一个数或嵌套列表，如 [[1, 2], [3, 4]]；也可以输入 nan 和 inf。"
                     "Enter 确认，esc 取消。",
    "tui.edit.choose": "编辑哪个叶节点？· enter 选择 · esc 取消",
    "tui.edit.refused": "{mark} {why}",
    # 训练对话框
    "tui.train.title": "再训练 N 次迭代（快速路径）",
    "tui.train.body": "普通随机梯度下降，学习率 {lr}：中间的迭代不逐步记录，只有最后一次迭代"
                      "可以逐步查看。",
    "tui.train.ask": "请输入 1 到 {max} 之间的整数",
    "tui.train.too_large": "数太大：{ask}",
    "tui.train.running": "正在训练 {n} 次迭代",
    "tui.train.progress": "{done} / {total} 次迭代",
    "tui.train.cancel_hint": "esc 取消（参数保持原样）",
    # 场景选择
    "tui.picker.title": "打开场景 · enter 打开 · esc 取消",
    "tui.picker.placeholder": "场景文件路径（或从下面选择）",
    "tui.picker.placeholder_name": "场景名称（或从下面选择）",
    "tui.picker.cannot_load": "无法加载",
    # 数值梯度检验
    "tui.gradcheck.title": "数值梯度检验：解析梯度与数值梯度 · esc 关闭",
    "tui.gradcheck.running": "检验中{ellipsis}",
    "tui.gradcheck.nothing": "没有可检验的：这个计算图没有可求导的叶节点",
    "tui.gradcheck.all_pass": "{n} 个梯度全部通过（相对误差 {le} {tolerance}）",
    "tui.gradcheck.some_fail": "{n} 个中有 {failed} 个未通过（相对误差 > {tolerance}）：{names}",
    "tui.gradcheck.failed": "数值梯度检验出错：{why}",
    # 命令面板
    "tui.cmd.goto": "转到 {name}（{label}）",
    "tui.cmd.leaf": "{kind}（叶节点）",
    "tui.cmd.open": "打开 {name}",
    "tui.cmd.local_file": "本地文件",
    "tui.cmd.placeholder": "搜索命令…",
    "tui.cmd.no_match": "没有找到匹配项",
    "tui.cmd.theme_placeholder": "搜索主题…",
    "tui.cmd.theme": "主题",
    "tui.cmd.theme_help": "切换当前主题",
    "tui.cmd.quit": "退出",
    "tui.cmd.quit_help": "退出程序",
    "tui.cmd.keys": "按键",
    "tui.cmd.keys_help": "显示当前面板和屏幕的按键",
    "tui.cmd.keys_hide_help": "隐藏按键面板",
    "tui.cmd.maximize": "最大化",
    "tui.cmd.maximize_help": "最大化当前面板",
    "tui.cmd.minimize": "还原",
    "tui.cmd.minimize_help": "把面板还原为正常大小",
    "tui.cmd.screenshot": "截图",
    "tui.cmd.screenshot_help": "把屏幕保存为 SVG 截图",
    # 损失面板
    "tui.loss.none": "尚无损失",
    "tui.loss.one": "第 {i} 次迭代：{loss}（u 下一次迭代，t 训练 N 次）",
    "tui.loss.range": "第 {i} 次迭代：{first}  {arrow}  第 {j} 次迭代：{last}",

    # ------------------------------------------------------------------ 诊断信息
    # 每条一行，"路径:行:列: 错误：说明"（tui_backprop/engine/errors.py）
    "diag.line": "{where}: {error}：{message}",
    "diag.error": "错误",
    "diag.where.scenario": "<场景>",
    "diag.value.at": "{where}：{problem}",
    # 值的类型（"实际是字符串"）
    "diag.kind.too_large": "超出 float64 范围的数",
    "diag.kind.too_large_plain": "一个太大的数",
    "diag.kind.datetime": "日期时间",
    "diag.kind.date": "日期",
    "diag.kind.time": "时刻",
    "diag.kind.string": "字符串",
    "diag.kind.table": "表",
    "diag.kind.boolean": "布尔值",
    "diag.kind.list": "列表",
    "diag.kind.integer": "整数",
    "diag.kind.float": "浮点数",
    "diag.kind.other": "其他类型的值",
    # 数与数组
    "diag.number.too_large": "数太大（float64 最多约 1.8e308）",
    "diag.number.expected": "{what} 应为数，实际是{got}",
    "diag.array.expected": "应为数或由数组成的嵌套列表，实际是{got}",
    "diag.array.dims": "数组最多 {n} 维",
    "diag.array.empty": "不允许空数组",
    "diag.array.ragged": "数组参差不齐：各行长度不同",
    "diag.array.not_number": "数组里只能放数，实际有{got}",
    "diag.array.too_many": "数组太大（超过 {n} 个元素）",
    # 文件与其中的表
    "diag.file.directory": "是目录，不是文件",
    "diag.file.not_regular": "不是普通文件",
    "diag.file.too_large": "文件太大（最多 {n} 字节）",
    "diag.file.missing": "没有这个文件（也没有同名的内置场景；见 'tui-backprop list'）",
    "diag.file.permission": "没有读取权限",
    "diag.file.os": "无法读取（系统的原话：{detail}）",
    "diag.file.utf8": "文件不是有效的 UTF-8 文本",
    "diag.toml.nested": "TOML 无效：数组或表嵌套太深",
    "diag.toml.invalid": "TOML 无效：{detail}",
    "diag.toml.unreadable": "TOML 无效：有一个值无法读取",
    "diag.scenario.empty": "场景是空的：至少需要 title，以及 [graph] 或 [network] 之一",
    "diag.scenario.no_graph": "场景必须有 [graph] 或 [network]，且只能有其中之一",
    "diag.scenario.both": "[graph] 和 [network] 只能用一个，不能同时使用",
    "diag.key.unknown": "未知的键 {key}（可用的键：{expected}）",
    "diag.key.unknown_in": "[{table}] 中有未知的键 {key}（可用的键：{expected}）",
    "diag.key.string": "'{key}' 应为字符串，实际是{got}",
    "diag.key.needs": "[{table}] 缺少 '{key}'",
    "diag.title.missing": "缺少必需的键 'title'",
    "diag.table.type": "[{table}] 应为表，实际是{got}",
    "diag.table.names": "[{table}] 应为由名字和值组成的表，实际是{got}",
    "diag.name.invalid": "[{table}] 中的名字 {name} 不是合法的标识符",
    "diag.name.function": "[{table}] 中的名字 {name} 是函数名",
    "diag.name.twice": "{name} 定义了两次",
    "diag.name.twice.tables": "{name} 在 [inputs] 和 [params] 中各定义了一次",
    "diag.name.twice.normalised": "{name} 定义了两次（另一次写作 {other}：按 Python 读标识符"
                                  "的方式规范化后是同一个名字）",
    "diag.name.twice.normalised.tables": "{name} 在 [inputs] 和 [params] 中各定义了一次（另"
                                         "一次写作 {other}：按 Python 读标识符的方式规范化后"
                                         "是同一个名字）",
    "diag.graph.no_code": "[graph] 缺少 'code'，即由赋值语句组成的字符串",
    "diag.graph.code_type": "[graph] 的 code 应为字符串，实际是{got}",
    "diag.graph.output_type": "[graph] 的 output 应为字符串，实际是{got}",
    "diag.train.lr_finite": "[train] 的 learning_rate（学习率）必须是有限的数",
    "diag.train.iterations": "[train] 的 iterations 应为 1 到 {hi} 之间的整数",
    "diag.train.iterations.got": "[train] 的 iterations 应为 1 到 {hi} 之间的整数，实际是{got}",
    "diag.train.iterations.too_large": "[train] 的 iterations 应为 1 到 {hi} 之间的整数（数"
                                       "太大）",
    "diag.budget.one": "逐步记录一次迭代大约要保存 {need} 的数组值（上限是 {budget}）："
                       "请用更小的数组或更少的门",
    "diag.budget.many": "逐步记录 {n} 次迭代大约要保存 {need} 的数组值（上限是 {budget}）："
                        "请用更小的数组或更少的门，或者少记录几次迭代",
    # 输入的值或次数（TUI 的编辑框和训练框、命令行里的数）
    "diag.typed.empty": "请输入一个数，或一个嵌套列表，如 [1, 2]",
    "diag.typed.too_long": "太长了（最多 {n} 个字符）",
    "diag.typed.nested": "不是数也不是列表：嵌套太深",
    "diag.typed.invalid": "不是数也不是列表：{detail}",
    "diag.typed.single": "请只输入一个数或一个嵌套列表",
    "diag.count.digits": "{what} 应为用数字 0-9 写的整数，实际是 {got}",
    "diag.count.too_large": "{what} 应在 {lo} 到 {hi} 之间（数太大）",
    "diag.count.range": "{what} 应在 {lo} 到 {hi} 之间，实际是 {got}",
    # [graph] 的代码
    "diag.code.syntax": "语法错误：{detail}",
    "diag.code.nested": "表达式嵌套太深（最多 {n} 层）",
    "diag.code.null": "代码里有空字符（NUL）",
    "diag.code.literal_long": "数字字面量太长",
    "diag.code.reassigned": "'{name}' 被重复赋值：每个名字只能赋值一次",
    "diag.code.not_assignment": "这里应是一条赋值语句 '名字 = 表达式'",
    "diag.code.assign_function": "'{name}' 是函数名，不能被赋值",
    "diag.code.no_operation": "'{name} = ...' 没有任何运算：每一行都要计算点什么（单纯的值请"
                              "放在 [inputs] 或 [params] 中）",
    "diag.code.strings": "不允许字符串，只能用数",
    "diag.code.constant": "不允许常量 {value}，只能用数",
    "diag.code.too_large": "数太大（float64 最多约 1.8e308；如果确实想用无穷大，请在 "
                           "[inputs] 中写 inf）",
    "diag.code.function_name": "'{name}' 是函数：请这样调用 {name}(...)",
    "diag.code.before_assigned": "'{name}' 在赋值之前就被使用了",
    "diag.code.unknown_name": "未知的名字 '{name}'",
    "diag.code.operator": "不支持运算符 '{op}'",
    "diag.code.attribute": "不允许访问属性（只能用 x.T）",
    "diag.code.transpose_number": "'.T' 需要数组，不能作用于单个数",
    "diag.code.matmul_number": "'@' 两边都必须是数组，不能是单个数",
    "diag.code.call": "只能调用内置函数",
    "diag.code.unknown_function": "未知的函数 '{name}'",
    "diag.code.keywords": "{name}() 不接受关键字参数",
    "diag.code.arity.one": "{name}() 需要 1 个参数，实际给了 {got} 个",
    "diag.code.arity": "{name}() 需要 {n} 个参数，实际给了 {got} 个",
    "diag.code.subscripts": "不允许下标",
    "diag.code.too_many_gates": "代码里的门太多（最多 {n} 个）",
    "diag.code.empty": "代码里没有任何赋值",
    "diag.code.forbidden": "场景语言中不允许{what}",
    "diag.code.what.attribute": "访问属性（只能用 x.T）",
    "diag.code.what.subscripts": "下标",
    "diag.code.what.lambda": "使用 lambda",
    "diag.code.what.comparisons": "比较运算",
    "diag.code.what.boolean": "布尔运算",
    "diag.code.what.conditional": "条件表达式",
    "diag.code.what.list": "列表字面量（数组请放在 [inputs] 或 [params] 中）",
    "diag.code.what.tuples": "元组",
    "diag.code.what.dicts": "字典",
    "diag.code.what.sets": "集合",
    "diag.code.what.comprehensions": "推导式",
    "diag.code.what.strings": "字符串",
    "diag.code.what.await": "使用 await",
    "diag.code.what.yield": "使用 yield",
    "diag.code.what.walrus": "海象运算符 :=",
    "diag.code.what.starred": "星号参数",
    "diag.code.what.slices": "切片",
    "diag.code.what.other": "使用 {kind} 表达式",
    "diag.output.leaf": "输出 {name} 是叶节点（输入或参数）：输出必须是一个门，即代码里"
                        "赋值的名字",
    "diag.output.unassigned": "输出 {name} 在代码里没有被赋值",
    "diag.indices.computed": "cross_entropy 的类别下标必须在 [inputs] 中给出，不能由计算"
                             "得到",
    "diag.indices.range": "'{name}' 中的类别下标必须是 0 到 {hi} 之间的整数",
    "diag.leaf.not_leaf": "{name} 不是叶节点",
    "diag.leaf.class_indices": "{name} 存放的是类别下标：从 0 开始的整数",
    "diag.leaf.shape": "{name} 是{what}：请输入{want}，而不是{got}",
    "diag.leaf.is.scalar": "标量",
    "diag.leaf.is.vector": "长度为 {n} 的向量",
    "diag.leaf.is.vector1": "长度为 {n} 的向量",
    "diag.leaf.is.array": " {shape} 的数组",
    "diag.leaf.enter.scalar": "一个数",
    "diag.leaf.enter.vector": "含 {n} 个数的列表",
    "diag.leaf.enter.vector1": "含 {n} 个数的列表",
    "diag.leaf.enter.array": " {shape} 的嵌套列表",
    # 形状
    "diag.shape.mismatch": "{label} 的形状不匹配：{detail}",
    "diag.shape.broadcast": "形状 {a} 和 {b} 无法广播",
    "diag.shape.broadcast.many": "形状 {shapes} 无法广播",
    "diag.shape.matmul_arrays": "矩阵乘法需要数组，实际形状是 {a} 和 {b}",
    "diag.shape.matmul_dims": "矩阵乘法只支持一维和二维数组",
    "diag.shape.matmul_inner": "形状 {a} 和 {b} 的矩阵乘法：内侧维度 {m} 和 {n} 不相等",
    "diag.shape.last_axis": "需要一维向量或二维批量，实际形状是 {shape}",
    "diag.shape.ce_logits": "cross_entropy 的 logits 必须是一维或二维，实际形状是 {shape}",
    "diag.shape.ce_target": "cross_entropy 的目标必须是与 logits 形状相同的 one-hot {shape}，"
                            "或形状为 {index_shape} 的类别下标，实际是 {got}",
    "diag.shape.stack": "stack 只接受标量",
    "diag.shape.index": "下标 {name} 超出了形状 {shape} 的范围",
    # [network]
    "diag.network.table": "[network] 应为表",
    "diag.network.with_table": "[{table}] 不能与 [network] 同时使用（[network] 自己定义 x、"
                               "target、W 和 b）",
    "diag.network.loss": "[network] 的 loss（损失）应为以下之一：{choices}",
    "diag.network.loss.got": "[network] 的 loss（损失）应为以下之一：{choices}，实际是{got}",
    "diag.network.granularity": "[network] 的 granularity 应为 \"layer\" 或 \"neuron\"，"
                                "实际是{got}",
    "diag.network.seed.too_large": "[network] 的 seed 应为 0 到 2**64 - 1 之间的整数（数"
                                   "太大）",
    "diag.network.seed.got": "[network] 的 seed 应为 0 到 2**64 - 1 之间的整数，实际是{got}",
    "diag.network.inputs_ndim": "[network] 的 inputs 应为一个样本（列表）或一批样本（列表的"
                                "列表）",
    "diag.network.layers": "[network] 至少需要一个 [[network.layers]] 表",
    "diag.network.layers.got": "[network] 至少需要一个 [[network.layers]] 表，实际是{got}",
    "diag.network.too_many_layers": "[network] 有 {n} 层（最多 {most} 层）",
    "diag.network.ce_softmax": "损失 \"cross_entropy\" 自带 softmax：请把最后一层的 "
                               "activation 设为 \"linear\"",
    "diag.network.class_targets": "[network] 的类别下标 targets 必须是 0 到 {hi} 之间的"
                                  "整数",
    "diag.network.targets_shape": "[network] 的 targets 形状应为 {shape}，实际是 {got}",
    "diag.network.targets_shape.indices": "[network] 的 targets 形状应为 {shape}，或是形状为 "
                                          "{index_shape} 的类别下标，实际是 {got}",
    "diag.network.neuron_gates": "granularity = \"neuron\" 会产生 {n} 个门（最多 {most} "
                                 "个）；请用 granularity = \"layer\"",
    "diag.network.expand": "[network] 无法展开：{detail}",
    "diag.layer.table": "第 {k} 层应为表（[[network.layers]]），实际是{got}",
    "diag.layer.unknown_key": "第 {k} 层中有未知的键 {key}（可用的键：{expected}）",
    "diag.layer.activation": "第 {k} 层：activation 应为以下之一：{choices}",
    "diag.layer.activation.got": "第 {k} 层：activation 应为以下之一：{choices}，实际是{got}",
    "diag.layer.array": "第 {k} 层的 {key}",
    "diag.layer.weights_shape": "第 {k} 层：weights 的形状应为 (units, {fan_in})（第 j 行是"
                                "进入第 j 个单元的权重），实际是 {got}",
    "diag.layer.units_rows": "第 {k} 层：units = {units}，但 weights 有 {rows} 行",
    "diag.layer.units": "第 {k} 层：请给出 'weights'，或给出 'units'（1 到 1000 之间的整数）"
                        "由随机种子生成权重，实际是 {got}",
    "diag.layer.units.neither": "两者都没有",
    "diag.layer.too_many_weights": "第 {k} 层：{units} 个单元 × {fan_in} 个输入，权重太多"
                                   "（一层最多 {most} 个）",
    "diag.layer.biases_shape": "第 {k} 层：biases 的形状应为 ({units},)，实际是 {got}",
    # tomllib 的原话（tui_backprop/engine/foreign.py），以及将来可能新增的
    "diag.detail.toml": "{text}（TOML 解析器的原话）",
    "diag.toml.statement": "无效的语句",
    "diag.toml.newline": "一条语句之后应换行或结束文件",
    "diag.toml.equals": "键之后应有 '='（键 = 值）",
    "diag.toml.table_end": "表的声明应以 ']' 结尾",
    "diag.toml.array_end": "表数组的声明应以 ']]' 结尾",
    "diag.toml.expected": "这里应为 {what}",
    "diag.toml.invalid_char": "发现无效字符 {char}",
    "diag.toml.declare_twice": "{key} 不能声明两次",
    "diag.toml.overwrite": "不能覆盖已有的值",
    "diag.toml.immutable": "不能修改已定义完的 {key}",
    "diag.toml.redefine": "不能重新定义 {key}",
    "diag.toml.key_start": "键的第一个字符无效",
    "diag.toml.unclosed_array": "数组没有闭合",
    "diag.toml.unclosed_table": "内联表没有闭合",
    "diag.toml.duplicate_key": "内联表中的键 {key} 重复",
    "diag.toml.backslash": "字符串里有未转义的 '\\'",
    "diag.toml.hex": "无效的十六进制值",
    "diag.toml.scalar": "转义字符不是有效的 Unicode 标量值",
    "diag.toml.unterminated": "字符串没有结束",
    "diag.toml.illegal_char": "非法字符 {char}",
    "diag.toml.date": "无效的日期或日期时间",
    "diag.toml.value": "无效的值",
    # Python 解析器的原话，以及将来可能新增的
    "diag.detail.python": "{text}（Python 解析器的原话）",
    "diag.syntax.comma": "语法无效：是不是漏了逗号？",
    "diag.syntax.equals": "语法无效：是不是想写 '==' 或 ':='，而不是 '='？",
    "diag.syntax.invalid": "语法无效",
    "diag.syntax.never_closed": "{bracket} 没有闭合",
    "diag.syntax.unmatched": "多出了一个 {bracket}，找不到与之配对的括号",
    "diag.syntax.mismatch_line": "右括号 {close} 与第 {line} 行的左括号 {open} 不配对",
    "diag.syntax.mismatch": "右括号 {close} 与左括号 {open} 不配对",
    "diag.syntax.indent": "意外的缩进",
    "diag.syntax.unindent": "取消缩进后与外层的任何缩进都对不齐",
    "diag.syntax.indented_block": "这里应有一个缩进的代码块",
    "diag.syntax.literal.decimal": "无效的十进制数字面量",
    "diag.syntax.literal.hexadecimal": "无效的十六进制数字面量",
    "diag.syntax.literal.octal": "无效的八进制数字面量",
    "diag.syntax.literal.binary": "无效的二进制数字面量",
    "diag.syntax.leading_zeros": "十进制整数不能以 0 开头；八进制数请用 0o 前缀",
    "diag.syntax.unterminated": "字符串没有结束（在第 {line} 行发现）",
    "diag.syntax.unterminated_triple": "三引号字符串没有结束（在第 {line} 行发现）",
    "diag.syntax.char": "无效字符 {char}（{code}）",
    "diag.syntax.nonprintable": "无效的不可打印字符 {code}",
    "diag.syntax.continuation": "续行符 '\\' 之后出现了意外的字符",
    "diag.syntax.eof": "解析时意外遇到了结尾",
    "diag.syntax.expected": "这里应为 {what}",
    "diag.syntax.assign": "不能给表达式赋值：'=' 左边只能是一个名字",
    "diag.syntax.positional": "位置参数出现在关键字参数之后",

    # ------------------------------------------------------------------ 命令行
    "cli.note": "{where}: 注意：{note}",
    "cli.check.ok": "{path}: 没有发现错误",
    "cli.no_tui": "无法使用 TUI（{why}）；改为输出逐步记录",
    "cli.theme.unknown": "没有主题 '{theme}'（可用的主题：{themes}）",
    "cli.count.digits": "应为用数字 0-9 写的整数，实际是 {got}",
    "cli.count.too_large": "应在 {lo} 到 {hi} 之间（数太大）",
    "cli.count.range": "应在 {lo} 到 {hi} 之间，实际是 {got}",
    # 记住的设置（tui_backprop/config.py）
    "config.note.unreadable": "无法读取配置文件（{why}）；使用默认设置",
    "config.note.not_toml": "忽略配置文件：它不是有效的 TOML（{detail}）",
    "config.note.unknown": "忽略未知的设置 '{key}'",
    "config.note.ignored": "忽略 {key}：{problem}",
    "config.note.unsaved": "无法保存设置（{why}）",
    "config.bad.theme": "theme 应为主题名",
    "config.bad.no_theme": "没有主题 '{theme}'",
    "config.bad.lang": "lang 应为以下之一：{langs}",
    "config.bad.precision": "precision 应为 1 到 {most} 之间的整数",
    "config.bad.ascii": "ascii 应为 true 或 false",
    "cli.tolerance.positive": "容差应为正数，实际是 {got}",
    "cli.tolerance.number": "容差应为数，实际是 {got}",
    "cli.tolerance.too_large": "容差太大（超出了 float64 的范围）",
    "cli.quiz.kind": "未知的测验类型 {kind}（可用的类型：{kinds}）",
    "cli.trace.untrained": "--iterations 需要 [train] 表（这个场景没有 learning_rate（学习"
                           "率），不做训练）",
    "cli.export.step_range": "--step 应在 1 到 {n} 之间（第一次迭代的步数），实际是 {got}",
    "cli.export.step_html": "--step 只用于 --format svg（HTML 讲义包含每一步）",
    "cli.export.cannot_write": "无法写入讲义（{why}）",
    "cli.help.body": (
        '反向传播的终端单步调试器：逐个门查看前向传播、反向传播和参数更新。\n'
        '\n'
        '  SCENARIO            场景 .toml 文件，或内置场景的名字；\n'
        '                      不给时 TUI 打开场景选择器\n'
        '  --precision N       显示的有效数字位数（1 到 {max_precision}；默认 4）\n'
        '  --lang en|zh        界面语言（默认取自区域设置 LC_ALL/LC_MESSAGES/LANG）\n'
        '  --ascii, --no-ascii 只用 ASCII 字符，或不限\n'
        '                      （默认：区域设置不是 UTF-8 时用 ASCII）\n'
        '  --theme NAME        配色主题：Textual 自带的主题，或 projector\n'
        '                      （高对比度，适合教室投影）；命令面板（ctrl+p）里也能选\n'
        '  --quiz              先预测、再揭晓：每一步的新数值显示之前先输入你的答案\n'
        '                      （--quiz-kinds KINDS 选择要预测哪些数；s 跳过）\n'
        '  主题、语言、精度和 ASCII 设置会记在\n'
        '  $XDG_CONFIG_HOME/tui-backprop/config.toml（默认 ~/.config/...）；\n'
        '  命令行上给出的选项优先。NO_COLOR=1 时不使用任何颜色。\n'
        '\n'
        '命令：\n'
        '  list                内置场景及其标题\n'
        '  check FILE...       检查场景文件；每个错误都给出所在行\n'
        '  trace FILE          第一轮迭代的逐步完整记录、损失历史和最终参数\n'
        '                      （text、json 或 markdown 格式）\n'
        '  gradcheck FILE      解析梯度与数值梯度（中心差分）对比；任何相对误差超过容差\n'
        '                      （默认 1e-6）时退出码为 1\n'
        '  export FILE         讲义：包含每一步（计算图、数值、讲解）的独立 HTML 页面，\n'
        '                      或第 K 步（--step K）计算图的 SVG\n'
        '  serve ssh|web       通过 SSH 或浏览器把调试器提供给整个教室\n'
        "                      （见 '{prog} serve --help'）\n"
        '\n'
        '退出码：0 成功；1 梯度检验未通过或内部错误；2 场景或用法有误。\n'
        '限制：每个数组最多 {elements} 个元素，最多 {gates} 个门，最多 {iterations} 轮迭代，\n'
        '逐步记录一轮迭代最多使用 {mib} MiB。'
    ),
    "cli.help.unknown": "没有命令 {topic}（可用的命令：{commands}）",
    # 各命令的 --help（argparse 的帮助，见 tui_backprop/cli.py 的 _HelpFormatter）；
    # usage 行是命令，保持原样
    "cli.help.heading": "{title}：",
    "cli.help.positionals": "位置参数",
    "cli.help.options": "选项",
    "cli.help.help": "显示此帮助信息并退出",
    "cli.help.file": "场景 .toml 文件，或内置场景的名字（见 '{prog} list'）",
    "cli.desc.open": "在一个场景上打开单步调试 TUI（不给场景时打开场景选择器）。",
    "cli.desc.list": "列出内置场景及其标题。",
    "cli.desc.check": "检查场景文件：每个错误各占一行（任何一个文件有误时退出码为 2）。",
    "cli.desc.trace": "第一轮迭代的逐步记录（前向传播、初始梯度、反向传播、参数更新），"
                      "以及各个梯度、损失历史和最终参数。",
    "cli.desc.gradcheck": "数值梯度检验：对每个叶节点元素，把解析梯度与中心差分算出的数值梯度"
                          "对照；任何相对误差超过容差时退出码为 1。",
    "cli.desc.export": "可离线打开的讲义：--format html 是第一轮迭代的每一步（计算图、数值和"
                       "讲解），--format svg 是某一步的计算图，可用于幻灯片。",
    "cli.desc.help": "显示 {prog} 或其某个命令的帮助。",
    "cli.opt.precision": "显示的有效数字位数（1 到 {most}；默认 {default}）",
    "cli.opt.lang": "帮助和错误信息的语言（默认取自区域设置 LC_ALL/LC_MESSAGES/LANG）",
    "cli.opt.open.lang": "界面语言（默认：上次记住的语言，否则取自区域设置 "
                         "LC_ALL/LC_MESSAGES/LANG）",
    "cli.opt.open.ascii": "只用 ASCII 字符（默认：上次记住的设置，否则在区域设置不是 UTF-8 "
                          "时用 ASCII）",
    "cli.opt.open.theme": "配色主题：Textual 自带的主题，或 projector（默认：上次记住的主题，"
                          "否则 textual-dark）",
    "cli.opt.open.quiz": "测验：每一步的新数值显示之前，先预测它",
    "cli.opt.open.quiz_kinds": "--quiz 要预测哪些数（用逗号分隔）：output（前向输出）、"
                               "local（局部梯度）、upstream（上游梯度）、contribution（贡献）、"
                               "accumulate（梯度累加）、update（参数更新），或 all（默认："
                               "除 upstream 外的全部）",
    "cli.opt.check.lang": "诊断信息的语言（默认取自区域设置 LC_ALL/LC_MESSAGES/LANG）",
    "cli.opt.trace.format": "text（Rich 排版的文本）、json（tui-backprop-trace/1 格式约定）"
                            "或 markdown（讲义）；默认 text",
    "cli.opt.trace.iterations": "要运行的迭代轮数（默认：场景 [train] 表中的 iterations）",
    "cli.opt.trace.precision": "显示的有效数字位数（1 到 {most}；默认 {default}；只用于 text "
                               "和 markdown：JSON 保留全部精度）",
    "cli.opt.trace.lang": "text 和 markdown 记录的语言（默认取自区域设置 "
                          "LC_ALL/LC_MESSAGES/LANG；JSON 与语言无关）",
    "cli.opt.trace.ascii": "只用 ASCII 字符，内容为英文（区域设置不是 UTF-8 时默认如此）",
    "cli.opt.gradcheck.tolerance": "能通过检验的最大相对误差（默认 {default}）",
    "cli.opt.gradcheck.lang": "表格和说明的语言（默认取自区域设置 LC_ALL/LC_MESSAGES/LANG）",
    "cli.opt.export.format": "html（每一步，在同一个页面里）或 svg（某一步的计算图）",
    "cli.opt.export.step": "SVG 显示第几步（1 到第一轮迭代的步数；默认 1）",
    "cli.opt.export.lang": "讲义的语言（默认取自区域设置）",
    "cli.opt.export.ascii": "只用 ASCII 字符，内容为英文",
    "cli.opt.export.output": "要写入的文件（默认：标准输出）",
    "cli.opt.help.topic": "要查看帮助的命令：{commands}",
    "cli.internal": "{prog}: 内部错误：{kind}：{detail}（这是 {prog} 的缺陷，请连同场景文件"
                    "一起报告；设置 {env}=1 可以看到调用栈）",
    # argparse 自己的错误
    "cli.argparse.required": "缺少以下参数：{names}",
    "cli.argparse.unrecognized": "无法识别的参数：{args}",
    "cli.argparse.one_of": "参数 {names} 中必须给出一个",
    "cli.argparse.choice": "参数 {arg}：无效的选项 {value}（可选：{choices}）",
    "cli.argparse.one_value": "参数 {arg}：需要一个值",
    "cli.argparse.explicit": "参数 {arg}：多余的值 {value}（已忽略）",
    "cli.argparse.not_with": "参数 {arg}：不能与参数 {other} 同时使用",
    "cli.argparse.argument": "参数 {arg}：{rest}",
    # tui-backprop serve
    "serve.usage.choose": "serve {what}：请选择 'ssh' 或 'web'",
    "serve.duration.format": "需要一个时长，如 30m、90s 或 1h，实际是 {got}",
    "serve.duration.range": "时长应在 1s 到 7 天之间，实际是 {got}",
    "serve.scenarios.not_folder": "--scenarios {folder}：不是文件夹",
    "serve.listen_failed": "无法在 {address} 上监听：{reason}",
    "serve.scenarios.empty": "--scenarios {folder}：其中没有 .toml 场景",
    "serve.password.both": "{name} 和 {name}-file 只能给一个",
    "serve.password.file": "{name}-file {file}：{why}",
    "serve.password.file_empty": "{name}-file {file}：第一行是空的",
    "serve.password.empty": "{name} 不能为空",
    "serve.keys.bad": "{option} {path}：{why}",
    "serve.no_auth.combined": "--no-auth 不能与 --password 或 --authorized-keys 同时使用",
    "serve.auth.choose": "请选择学生的登录方式：--password、--password-file、"
                         "--authorized-keys，或 --no-auth（仅限本机）",
    "serve.no_auth.open": "在 {host} 上使用 --no-auth，任何能连到它的人都能进入；请用 "
                          "--password 或 --authorized-keys，或者加上 --i-know-this-is-open",
    "serve.presenter.same": "讲师密码必须与班级密码不同",
    # tui-backprop serve ssh/web：启动时讲师看到的几行（命令、路径和指纹保持原样；
    # "\n" 另起一行，与值对齐）
    "serve.banner.listening": "{prog}：正在监听 {address}",
    "serve.banner.label.students": "学生输入：",
    "serve.banner.label.browsers": "学生访问：",
    "serve.banner.label.host_key": "主机密钥：",
    "serve.banner.label.key_file": "密钥文件：",
    "serve.banner.label.scenarios": "场景：",
    "serve.banner.label.login": "登录方式：",
    "serve.banner.label.limits": "限制：",
    "serve.banner.label.presenter": "讲师：",
    "serve.banner.this_machine": "本机地址",
    "serve.banner.host_key": "{fingerprint}（{algorithm}）\n"
                             "学生首次连接时，请核对 ssh 显示的指纹与此是否一致",
    "serve.banner.key_file.new": "{path}\n（本次运行时新生成）",
    "serve.banner.scenarios": "{folder}（{count}）",
    "serve.banner.scenarios.open": "{folder}（{count}）\n每个会话都从 {name} 开始",
    "serve.banner.count.one": "共 {n} 个场景",
    "serve.banner.count.many": "共 {n} 个场景",
    "serve.banner.login.none": "无需登录：任何能连到这个端口的人都能得到一个会话",
    "serve.banner.login.password": "班级密码",
    "serve.banner.login.key": "{path} 中的密钥",
    "serve.banner.login.both": "班级密码，或 {path} 中的密钥",
    "serve.banner.limits.sessions": "同时最多 {n} 个会话，空闲 {idle} 后结束",
    "serve.banner.limits.work": "每次训练最多 {iterations} 轮迭代，每个会话最多 {cpu} CPU 秒",
    "serve.banner.limits.ready": "为最先连接的 {n} 个学生预先启动会话",
    "serve.banner.presenter": "{command}\n登录凭据：{how}；其他人都跟随讲师",
    "serve.banner.presenter.password": "讲师密码",
    "serve.banner.presenter.either": "{password}或 {key}",
    "serve.banner.web.public_url": "要让其他机器访问，请加上 --public-url {url} 启动",
    "serve.banner.stop": "按 ctrl+c 停止",
    # tui-backprop serve --help（接在保持原样的 usage 行之后）
    "serve.help.body": (
        '把调试器提供给整个教室：每个学生都有自己的会话。\n'
        '\n'
        "  ssh     SSH 服务器：学生输入 'ssh -p 2222 HOST' 连接\n"
        "          （见 '{prog} ssh --help'）\n"
        '  web     网页服务器：学生用浏览器打开 http://HOST:8000\n'
        "          （见 '{prog} web --help'）"
    ),
    "serve.desc.ssh": "通过 SSH 提供调试器：每个学生一个相互隔离的会话，运行在学生自己的"
                      "终端里。",
    "serve.desc.web": "通过浏览器提供调试器（textual-serve）。",
    "serve.group.login": "登录方式（至少选一种）",
    "serve.group.presenter": "全班跟随的讲师（用户名 'presenter'，与学生的登录方式无关）",
    "serve.opt.host": "监听的地址（默认 127.0.0.1，只限本机；要在教室的网络上提供服务，"
                      "用 0.0.0.0）",
    "serve.opt.port": "端口（默认 {port}；0 表示自动选一个空闲端口）",
    "serve.opt.scenarios": "学生可以打开的场景所在的文件夹（只能打开其中的文件；默认：内置场景）",
    "serve.opt.open": "每个会话一开始就打开 --scenarios 中的这个场景（默认：场景选择器）",
    "serve.opt.max_train": "按一次 't' 最多训练的迭代轮数（默认 {most}）；训练以最低的 CPU "
                           "优先级运行",
    "serve.opt.cpu_limit": "一个会话总共可以使用的 CPU 秒数（默认 {seconds}；单步执行每按一次"
                           "键约耗 10 ms）",
    "serve.opt.lang.ssh": "此命令的帮助、错误信息和启动信息的语言（默认取自区域设置 "
                          "LC_ALL/LC_MESSAGES/LANG）；每个会话的语言取决于学生的 ssh "
                          "发送的区域设置（LANG、LC_*）",
    "serve.opt.lang.web": "此命令的帮助、错误信息和启动信息的语言（默认取自区域设置 "
                          "LC_ALL/LC_MESSAGES/LANG）；会话的语言取决于本服务器的 LANG",
    "serve.opt.password": "全班共用的密码（本机的其他用户可以在 'ps' 中看到它；见 "
                          "--password-file）",
    "serve.opt.password_file": "从 FILE 的第一行读取班级密码",
    "serve.opt.authorized_keys": "学生的公钥，OpenSSH 的 authorized_keys 格式",
    "serve.opt.no_auth": "完全不需要登录：只能用于回环地址的 --host，或者同时给出 "
                         "--i-know-this-is-open",
    "serve.opt.i_know_this_is_open": "允许在别人能连上的地址上使用 --no-auth",
    "serve.opt.presenter_password": "讲师的密码（见 --presenter-password-file）",
    "serve.opt.presenter_password_file": "从 FILE 的第一行读取讲师的密码",
    "serve.opt.presenter_key": "讲师的公钥（可以有多个），authorized_keys 格式",
    "serve.opt.max_sessions": "同时运行的会话数上限（默认 {n}）；再有学生连接时，会被告知"
                              "教室已满",
    "serve.opt.ready": "保持 N 个会话待命（默认 0）：没有人连接时提前启动会话，直到 N 个学生"
                       "都有会话为止，这样同时连接的前 N 个学生能立刻看到界面（每个待命的会话"
                       "与学生的会话一样，约占 20 MB 内存）",
    "serve.opt.idle_timeout": "会话多久没有按键就结束（如 30m、90s、1h；默认 {default}）",
    "serve.opt.host_key": "服务器的主机私钥（默认：首次运行时在 $XDG_STATE_HOME/tui-backprop "
                          "中生成的 ed25519 密钥）",
    "serve.opt.log": "把连接日志追加到 FILE（默认：标准错误输出）",
    "serve.opt.no_zygote": "每个会话都作为新的 Python 进程启动，而不是从预先导入好的进程 fork"
                           "（较慢；用于排查问题）",
    "serve.opt.public_url": "浏览器使用的地址，如果不是 http://HOST:PORT（例如在代理之后，"
                            "或者使用 --host 0.0.0.0 时）",
    # 数值梯度检验的说明
    "gradcheck.note.kink": "{name}：这里不可导：门 {gate}（{op}）正处在转折点（{where}）；解析梯度"
                      "取的是一侧的导数，数值梯度则是两侧的平均",
    "gradcheck.note.zero": "输入为 0",
    "gradcheck.note.equal": "两个输入相等",
}
