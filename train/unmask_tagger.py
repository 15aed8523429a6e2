"""Rewrite the exported tagger for one unpadded window per call: no attention mask, no NaN guard.

    python train/unmask_tagger.py SRC.int8.onnx DST.onnx

Needs the ``onnx`` package (not a runtime dependency) besides onnxruntime and numpy.

Why: torch's exporter writes BERT's attention mask as, in every layer, a ``Where`` that turns
the padding mask into 0 / -inf over a [batch, 1, length, length] tensor, an ``Add`` of it to the
scores, and after the softmax an ``IsNaN`` + ``Where`` over [batch, 12, length, length] that zeroes
rows where every key was masked. On a 512-piece window those element-wise passes took 55% of
the tagger's time (onnxruntime profile: Where 33%, Add 12%, IsNaN 4%, one thread). The tagger
runs each window alone and unpadded (``tagger.Tagger.label``), so the mask is all ones, the added
mask all zeros and no row is ever fully masked: removing the three passes changes no logit.

What it does: every layer's mask ``Add`` is bypassed (the scores go straight to the softmax),
every ``IsNaN``/``Where`` guard after the softmax is bypassed, and what only fed them (the mask
construction, the ``attention_mask`` input) is dropped. The rewritten graph is checked against
the source on windows of several lengths: the logits must be identical.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import onnx

# Window lengths (word pieces with [CLS] and [SEP]) the check runs: a full window, a short last
# window, a tiny one.
CHECK_LENGTHS = (512, 300, 17)


def unmask(model: onnx.ModelProto) -> onnx.ModelProto:
    """The graph without the attention mask's passes (see the module docstring)."""
    graph = model.graph
    bypass: dict[str, str] = {}
    for node in graph.node:
        if node.op_type == "Add" and node.name.endswith("attention/self/Add"):  # scores + mask
            bypass[node.output[0]] = node.input[0]
        elif node.op_type == "Where" and node.name.endswith("attention/self/Where_1"):  # NaN guard
            bypass[node.output[0]] = node.input[2]
    if len(bypass) != 12:
        raise SystemExit(f"expected 6 mask adds and 6 NaN guards, found {len(bypass)} nodes to bypass")
    nodes = []
    for node in graph.node:
        if node.output[0] in bypass:
            continue
        copy = onnx.NodeProto()
        copy.CopyFrom(node)
        for i, name in enumerate(copy.input):
            copy.input[i] = bypass.get(name, name)
        nodes.append(copy)
    outputs = {o.name for o in graph.output}
    while True:  # drop what nothing reads any more, until nothing changes
        read = {name for node in nodes for name in node.input} | outputs
        live = [node for node in nodes if any(o in read for o in node.output)]
        if len(live) == len(nodes):
            break
        nodes = live
    read = {name for node in nodes for name in node.input}
    inputs = [i for i in graph.input if i.name in read]
    initializers = [i for i in graph.initializer if i.name in read]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.input[:]
    graph.input.extend(inputs)
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    onnx.checker.check_model(model)
    return model


def check(source: str, rewritten: str) -> None:
    """Fail unless both graphs give identical logits on unpadded windows."""
    import onnxruntime as ort

    def session(path: str) -> ort.InferenceSession:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

    old, new = session(source), session(rewritten)
    wanted = {i.name for i in new.get_inputs()}
    rng = np.random.default_rng(13)
    for length in CHECK_LENGTHS:
        ids = rng.integers(1000, 30000, size=(1, length), dtype=np.int64)
        ids[0, 0], ids[0, -1] = 101, 102
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        a = old.run(None, feed)[0]
        b = new.run(None, {k: v for k, v in feed.items() if k in wanted})[0]
        if not np.array_equal(a, b):
            raise SystemExit(f"logits differ at length {length}: max {float(np.abs(a - b).max())}")
        print(f"length {length}: identical logits")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()
    model = unmask(onnx.load(args.source))
    onnx.save(model, args.target)
    print(f"{args.target}: {len(model.graph.node)} nodes, inputs {[i.name for i in model.graph.input]}")
    check(args.source, args.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
