"""Train the attribution tagger (src/fogwatch/tagger.py) on PolNeAR: two steps.

``prepare`` (here, CPU, needs fogwatch + tokenizers + numpy) turns PolNeAR's
train and dev folders into word-piece windows with BIO labels (``train.npz``,
``dev.npz``) and converts the base encoder's weights to fp16 (``base.npz``), so
that all a GPU machine needs travels in one small folder::

    python train/polnear_tagger.py prepare ../shared/eval/polnear BASE_DIR .device-work

``fit`` (GPU machine, needs torch + transformers + onnx + onnxruntime; no
fogwatch, no network) fine-tunes one or more configurations, scores each on dev
(exact token-span F1), exports the best to ONNX, quantises it to int8 and
writes everything to OUT::

    python3 train/polnear_tagger.py fit .device-work OUT

``distil`` (CPU is enough, same packages as ``fit``) trains a smaller student: a
few of the shipped tagger's own layers (its int8 weights dequantised), taught on
PolNeAR train by the shipped model's label probabilities and the gold labels
together, then exported and quantised like ``fit``'s model::

    python3 train/polnear_tagger.py distil .device-work src/fogwatch/data/models/polnear_tagger.int8.unmasked.onnx OUT

BASE_DIR holds the base model's ``config.json``, ``model.safetensors`` and
``tokenizer.json`` (all-MiniLM-L6-v2; see src/fogwatch/data/models/MODEL.md).
Where an article has several annotators' files, the file whose annotator id
sorts first is used (the rule bench/polnear.py uses too).
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROLES = {"Source": "source", "Cue": "cue", "Content": "content"}
SEQ = 512  # WINDOW + [CLS] + [SEP]
IGNORE = -100
# Configurations tried in one GPU call, each scored per epoch on a validation
# split of train; the best (rate, epochs) is retrained on all of train. A first
# call (lr 5e-5/1e-4/2e-4 for 6/8/10 epochs, chosen on dev) showed dev F1 still
# rising at 2e-4 x 10 epochs, hence these.
CONFIGS = (
    {"lr": 2e-4, "epochs": 16},
    {"lr": 3e-4, "epochs": 12},
    {"lr": 1e-4, "epochs": 20},
)
VAL_EVERY = 10
BATCH = 16
# Seconds of training after which no further configuration is started, so one
# GPU call (the lent machine allows a few minutes) always reaches the export.
TIME_BUDGET = 200
WARMUP = 0.1
WEIGHT_DECAY = 0.01
# Distillation (``distil``). The student keeps these layers of the six-layer tagger: of the
# three-layer subsets tried, (0, 2, 4) started from the lowest train loss before any training
# (0.96 on 64 train windows, against 1.17 for (1, 3, 5) and 1.61 for (0, 1, 2); the teacher 0.03).
STUDENT_LAYERS = (0, 2, 4)
# Share of the loss taken from the teacher's probabilities (the rest from the gold labels), and
# the temperature that softens them (Hinton et al.'s defaults; not tuned: one CPU run takes 20
# minutes an epoch).
DISTIL_WEIGHT = 0.5
TEMPERATURE = 2.0
DISTIL_LR = 1e-4
DISTIL_EPOCHS = 2


# ---------------------------------------------------------------- prepare (CPU)

def pick_annotations(folder: Path) -> dict[str, Path]:
    """One .ann per article: the annotator id that sorts first."""
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return chosen


def gold_spans(path: Path) -> list[tuple[str, int, int]]:
    """(kind, start, end) for every fragment of every Source/Cue/Content T line."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not line.startswith("T") or len(parts) < 2:
            continue
        label, _, offsets = parts[1].partition(" ")
        if label in ROLES:
            for piece in offsets.split(";"):
                start, end = (int(x) for x in piece.split())
                out.append((ROLES[label], start, end))
    return out


def encode_folder(folder: Path, tokenizer) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    """Windows of one PolNeAR folder: ids, labels, owned-token mask, article index."""
    from fogwatch.tagger import CLS_ID, SEP_ID, bio_labels, windows

    ids, labels, own, doc = [], [], [], []
    for n, (name, ann) in enumerate(sorted(pick_annotations(folder).items())):
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        enc = tokenizer.encode(text, add_special_tokens=False)
        tags = bio_labels(enc.offsets, gold_spans(ann))
        for start, end, own_s, own_e in windows(len(enc.ids)):
            row = np.zeros(SEQ, dtype=np.int16)
            lab = np.full(SEQ, IGNORE, dtype=np.int16)
            mine = np.zeros(SEQ, dtype=bool)
            row[: end - start + 2] = [CLS_ID, *enc.ids[start:end], SEP_ID]
            lab[1 : end - start + 1] = tags[start:end]
            mine[1 + own_s - start : 1 + own_e - start] = True
            ids.append(row), labels.append(lab), own.append(mine), doc.append(n)
    return {"ids": np.stack(ids), "labels": np.stack(labels), "own": np.stack(own), "doc": np.array(doc)}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (format: u64 header size, JSON header, raw data)."""
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + size])
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(raw[8 + size + a : 8 + size + b], dtype=dtypes[meta["dtype"]]).reshape(meta["shape"])
    return out


def prepare(data: Path, base: Path, work: Path) -> None:
    from fogwatch.tagger import load_tokenizer

    work.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(base / "tokenizer.json")
    tokenizer.save(str(work / "tokenizer.json"))
    for split in ("train", "dev"):
        arrays = encode_folder(data / split, tokenizer)
        np.savez_compressed(work / f"{split}.npz", **arrays)
        print(split, {k: v.shape for k, v in arrays.items()})
    tensors = read_safetensors(base / "model.safetensors")
    weights = {k: v.astype(np.float16) for k, v in tensors.items() if v.dtype.kind == "f"}
    np.savez(work / "base.npz", **weights)
    (work / "config.json").write_text((base / "config.json").read_text())


# ---------------------------------------------------------------- fit (GPU)

def build_model(work: Path, n_labels: int):  # type: ignore[no-untyped-def]
    import torch
    from transformers import BertConfig, BertForTokenClassification

    config = BertConfig(**json.loads((work / "config.json").read_text()), num_labels=n_labels)
    model = BertForTokenClassification(config)
    base = np.load(work / "base.npz")
    state = {f"bert.{k}": torch.from_numpy(base[k].astype(np.float32)) for k in base.files if not k.startswith("pooler")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(k.startswith("classifier") for k in missing), (missing, unexpected)
    return model


def token_spans(tags: np.ndarray) -> set[tuple[int, int, int]]:
    """(kind, first, last) token spans of a BIO id sequence; I- without B- opens a span."""
    out, kind, first = set(), 0, 0
    for i, t in enumerate([*tags.tolist(), 0]):
        this = (t + 1) // 2
        if kind and (this != kind or t % 2 == 1):
            out.add((kind, first, i - 1))
            kind = 0
        if this and not kind:
            kind, first = this, i
    return out


def dev_scores(pred: np.ndarray, dev: dict[str, np.ndarray]) -> dict[str, float]:
    """Exact token-span F1 per kind on the stitched dev articles."""
    counts = np.zeros((4, 3))
    for n in np.unique(dev["doc"]):
        rows = dev["doc"] == n
        own = dev["own"][rows]
        gold = token_spans(dev["labels"][rows][own])
        got = token_spans(pred[rows][own])
        for k in (1, 2, 3):
            g = {s for s in gold if s[0] == k}
            p = {s for s in got if s[0] == k}
            counts[k] += (len(g & p), len(p), len(g))
    out = {}
    for k, name in ((1, "source"), (2, "cue"), (3, "content")):
        tp, npred, ngold = counts[k]
        p, r = tp / max(npred, 1), tp / max(ngold, 1)
        out[name] = round(200 * p * r / max(p + r, 1e-9), 2)
    return out


def _device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def predict(model, ids: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    import torch

    out = []
    model.eval()
    with torch.no_grad(), torch.autocast(_device(), dtype=torch.bfloat16):
        for k in range(0, len(ids), 64):
            x = torch.from_numpy(ids[k : k + 64].astype(np.int64)).to(_device())
            out.append(model(input_ids=x, attention_mask=(x != 0).long()).logits.argmax(-1).cpu().numpy())
    return np.concatenate(out)


def optimiser(model, lr: float, steps: int) -> tuple:  # type: ignore[no-untyped-def]
    """AdamW (weight decay on matrices only) and a linear warm-up then linear decay over ``steps``."""
    import torch

    decay = [p for p in model.parameters() if p.ndim > 1]
    rest = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": rest, "weight_decay": 0.0}], lr=lr)
    warm = int(WARMUP * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / max(warm, 1), max(0.0, (steps - s) / max(steps - warm, 1))))
    return opt, sched


def file_log(path: Path):  # type: ignore[no-untyped-def]
    """A log function that prints each message and rewrites ``path`` with every message so far
    (a run cut short still leaves its log)."""
    lines: list[str] = []

    def log(msg: str) -> None:
        print(msg, flush=True)
        lines.append(msg)
        path.write_text("\n".join(lines) + "\n")

    return log


def smoke_sized(train: dict, dev: dict, windows: int) -> tuple[dict, dict]:
    """A few train windows and two dev articles: the whole path checked on the CPU in minutes."""
    return {k: v[:windows] for k, v in train.items()}, {k: v[dev["doc"] < 2] for k, v in dev.items()}


def train_one(work: Path, train: dict, val: dict | None, lr: float, epochs: int, log) -> tuple:  # type: ignore[no-untyped-def]
    """Fine-tune for ``epochs``; with ``val``, also the best epoch's number and scores."""
    import torch

    torch.manual_seed(13)
    model = build_model(work, 7).to(_device())
    opt, sched = optimiser(model, lr, epochs * ((len(train["ids"]) + BATCH - 1) // BATCH))
    ids = torch.from_numpy(train["ids"].astype(np.int64)).to(_device())
    labels = torch.from_numpy(train["labels"].astype(np.int64)).to(_device())
    gen = torch.Generator(device="cpu").manual_seed(13)
    best = (-1.0, 0, {})
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(ids), generator=gen)
        total = 0.0
        for k in range(0, len(order), BATCH):
            idx = order[k : k + BATCH].to(_device())
            x, y = ids[idx], labels[idx]
            with torch.autocast(_device(), dtype=torch.bfloat16):
                loss = model(input_ids=x, attention_mask=(x != 0).long(), labels=y).loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item()
        msg = f"lr={lr} epoch={epoch + 1} loss={total / (len(order) / BATCH):.4f}"
        if val is not None:
            scores = dev_scores(predict(model, val["ids"]), val)
            mean = sum(scores.values()) / 3
            msg += f" val={scores} mean={mean:.2f}"
            if mean > best[0]:
                best = (mean, epoch + 1, scores)
        log(msg)
    return model, best


def split_validation(train: dict) -> tuple[dict, dict]:
    """Every ``VAL_EVERY``-th training article held out to choose rate and epochs."""
    held = train["doc"] % VAL_EVERY == 0
    return {k: v[~held] for k, v in train.items()}, {k: v[held] for k, v in train.items()}


def export(model, out: Path, dev_ids: np.ndarray, log) -> Path:  # type: ignore[no-untyped-def]
    """fp32 ONNX (dynamic batch and length), then dynamic int8 per tensor and per channel."""
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = model.float().cpu().eval()
    fp32, int8 = Path(tempfile.mkdtemp()) / "tagger.fp32.onnx", out / "polnear_tagger.int8.onnx"
    x = torch.from_numpy(dev_ids[:2, :128].astype(np.int64))
    args = (x, (x != 0).long())
    kwargs = {"input_names": ["input_ids", "attention_mask"], "output_names": ["logits"], "opset_version": 17,
              "dynamic_axes": {n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "logits")}}
    try:
        torch.onnx.export(model, args, str(fp32), dynamo=False, **kwargs)
    except Exception as exc:  # noqa: BLE001 -- any failure of the legacy exporter: try dynamo
        log(f"legacy export failed ({exc!r}); trying dynamo")
        torch.onnx.export(model, args, str(fp32), dynamo=True, **kwargs)
    ids = dev_ids[:32].astype(np.int64)
    with torch.no_grad():
        ref = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy((ids != 0).astype(np.int64))).logits.argmax(-1).numpy()
    mask = (ids != 0) & (ids != 101) & (ids != 102)
    for path, per_channel in ((int8, False), (out / "polnear_tagger.int8pc.onnx", True)):
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=per_channel)
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        got = sess.run(None, {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64)})[0].argmax(-1)
        log(f"{path.name}: label agreement with fp32 on 32 dev windows {(got == ref)[mask].mean():.4f}; size {path.stat().st_size / 1e6:.1f} MB")
    return int8


def fit(work: Path, out: Path, smoke: bool = False) -> None:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    log = file_log(out / "train_log.txt")
    train, dev = dict(np.load(work / "train.npz")), dict(np.load(work / "dev.npz"))
    configs = CONFIGS
    if smoke:  # a CPU check of the whole path on a few windows
        train, dev = smoke_sized(train, dev, 12)
        configs = ({"lr": 1e-4, "epochs": 1},)
    log(f"torch {torch.__version__} on {_device()}; train windows {len(train['ids'])}, dev {len(dev['ids'])}")
    best = None
    results = []
    fit_part, val = split_validation(train)
    began = time.time()
    for cfg in configs:
        if time.time() - began > TIME_BUDGET:
            log(f"time budget spent: skipping {cfg}")
            continue
        t0 = time.time()
        _, (mean, epoch, scores) = train_one(work, fit_part, val, cfg["lr"], cfg["epochs"], log)
        results.append({**cfg, "best_epoch": epoch, "val_token_span_f1": scores, "mean": round(mean, 2),
                        "seconds": round(time.time() - t0, 1)})
        log(json.dumps(results[-1]))
        if best is None or mean > best["mean"]:
            best = results[-1]
    log(f"chosen on validation: lr={best['lr']} epochs={best['best_epoch']}; retraining on all of train")
    model, _ = train_one(work, train, None, best["lr"], best["best_epoch"], log)
    dev_f1 = dev_scores(predict(model, dev["ids"]), dev)
    log(f"dev exact token-span F1 (bf16, GPU): {dev_f1}")
    summary = {"configs": results, "chosen": {"lr": best["lr"], "epochs": best["best_epoch"]}, "dev_token_span_f1": dev_f1,
               "batch": BATCH, "warmup": WARMUP, "weight_decay": WEIGHT_DECAY, "window": SEQ,
               "precision": "bf16 autocast", "validation": f"every {VAL_EVERY}th train article"}
    (out / "scores.json").write_text(json.dumps(summary, indent=1))
    model = model.cpu()
    try:
        export(model, out, dev["ids"], log)
    except Exception as exc:  # noqa: BLE001 -- any export failure: bring the weights back instead
        log(f"export failed: {exc!r}; writing fp16 weights")
        np.savez(out / "tagger_fp16.npz", **{k: v.half().numpy() for k, v in model.state_dict().items()})


# ---------------------------------------------------------------- distil (CPU)

def teacher_from_onnx(path: Path, work: Path):  # type: ignore[no-untyped-def]
    """The shipped tagger back as a torch model: its int8 weights dequantised ((q - zero) x scale).

    The exporter keeps the names of biases, LayerNorms and embeddings; the linear layers' weights
    are anonymous ``onnx::MatMul_N`` inputs, six per layer in the order query, key, value, attention
    output, intermediate, output, then the classifier. The rebuilt model agrees with the int8 file
    on about 97% of word-piece labels (the int8 file also quantises activations)."""
    import onnx
    import torch
    from onnx import numpy_helper
    from transformers import BertConfig, BertForTokenClassification

    arrays = {i.name: numpy_helper.to_array(i) for i in onnx.load(str(path)).graph.initializer}

    def dequantised(name: str) -> np.ndarray:
        q, scale = arrays[name + "_quantized"].astype(np.float32), arrays[name + "_scale"]
        return (q - arrays[name + "_zero_point"].astype(np.float32)) * scale

    matmuls = sorted({k[: -len("_quantized")] for k in arrays if k.startswith("onnx::MatMul") and k.endswith("_quantized")},
                     key=lambda k: int(k.split("_")[1]))
    config = BertConfig(**json.loads((work / "config.json").read_text()), num_labels=7)
    if len(matmuls) != 6 * config.num_hidden_layers + 1:
        raise ValueError(f"{path}: {len(matmuls)} weight matrices, not 6 per layer plus the classifier")
    state = {k: torch.from_numpy(v.copy()) for k, v in arrays.items()
             if k.startswith(("bert.", "classifier.")) and not k.endswith(("_scale", "_zero_point", "_quantized"))}
    for kind in ("word", "token_type", "position"):
        name = f"bert.embeddings.{kind}_embeddings.weight"
        state[name] = torch.from_numpy(dequantised(name))
    linear = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
              "intermediate.dense", "output.dense")
    for layer in range(config.num_hidden_layers):
        for part, name in zip(linear, matmuls[6 * layer : 6 * layer + 6]):
            state[f"bert.encoder.layer.{layer}.{part}.weight"] = torch.from_numpy(dequantised(name).T.copy())
    state["classifier.weight"] = torch.from_numpy(dequantised(matmuls[-1]).T.copy())
    model = BertForTokenClassification(config)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all("pooler" in k for k in missing), (missing, unexpected)
    return model.eval()


def teacher_logits(path: Path, ids: np.ndarray) -> np.ndarray:
    """The shipped model's logits on each window, run as the tagger runs it (alone, unpadded)."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    out = np.zeros((*ids.shape, 7), dtype=np.float16)
    for row, window in enumerate(ids.astype(np.int64)):
        n = int((window != 0).sum())
        out[row, :n] = session.run(None, {"input_ids": window[None, :n]})[0][0]
    return out


def distil(work: Path, teacher: Path, out: Path, epochs: int = DISTIL_EPOCHS, smoke: bool = False) -> None:
    """Train a ``STUDENT_LAYERS`` student on the teacher's probabilities and the gold labels, score it
    on dev, export and quantise it (then ``unmask_tagger.py`` as for the full model)."""
    import torch
    import torch.nn.functional as F

    out.mkdir(parents=True, exist_ok=True)
    log = file_log(out / "distil_log.txt")
    train, dev = dict(np.load(work / "train.npz")), dict(np.load(work / "dev.npz"))
    if smoke:
        train, dev = smoke_sized(train, dev, 8)
        epochs = 1
    torch.manual_seed(13)
    began = time.time()
    soft = torch.from_numpy(teacher_logits(teacher, train["ids"]).astype(np.float32))
    log(f"teacher logits on {len(soft)} train windows in {time.time() - began:.0f} s")
    model = teacher_from_onnx(teacher, work)
    log(f"teacher (dequantised) dev exact token-span F1: {dev_scores(predict(model, dev['ids']), dev)}")
    model.bert.encoder.layer = torch.nn.ModuleList(model.bert.encoder.layer[i] for i in STUDENT_LAYERS)
    model.config.num_hidden_layers = len(STUDENT_LAYERS)
    log(f"student: layers {STUDENT_LAYERS}, before training dev F1 {dev_scores(predict(model, dev['ids']), dev)}")
    opt, sched = optimiser(model, DISTIL_LR, epochs * ((len(train["ids"]) + BATCH - 1) // BATCH))
    ids = torch.from_numpy(train["ids"].astype(np.int64))
    labels = torch.from_numpy(train["labels"].astype(np.int64))
    gen = torch.Generator().manual_seed(13)
    for epoch in range(epochs):
        model.train()
        order, total, t0 = torch.randperm(len(ids), generator=gen), 0.0, time.time()
        for k in range(0, len(order), BATCH):
            idx = order[k : k + BATCH]
            x, y, t = ids[idx], labels[idx], soft[idx]
            keep = y != IGNORE
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(input_ids=x, attention_mask=(x != 0).long()).logits.float()
            hard = F.cross_entropy(logits[keep], y[keep])
            taught = F.kl_div(F.log_softmax(logits[keep] / TEMPERATURE, -1), F.log_softmax(t[keep] / TEMPERATURE, -1),
                              log_target=True, reduction="batchmean") * TEMPERATURE**2
            loss = DISTIL_WEIGHT * taught + (1 - DISTIL_WEIGHT) * hard
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item()
        scores = dev_scores(predict(model, dev["ids"]), dev)
        log(f"epoch {epoch + 1}: loss {total / max(len(order) / BATCH, 1):.4f}, {time.time() - t0:.0f} s, dev F1 {scores}")
    summary = {"layers": list(STUDENT_LAYERS), "epochs": epochs, "lr": DISTIL_LR, "distil_weight": DISTIL_WEIGHT,
               "temperature": TEMPERATURE, "batch": BATCH, "dev_token_span_f1": scores}
    (out / "distil_scores.json").write_text(json.dumps(summary, indent=1))
    export(model, out, dev["ids"], log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("data", type=Path)
    p.add_argument("base", type=Path)
    p.add_argument("work", type=Path)
    f = sub.add_parser("fit")
    f.add_argument("work", type=Path)
    f.add_argument("out", type=Path)
    f.add_argument("--smoke", action="store_true", help="one short CPU run on a few windows")
    d = sub.add_parser("distil")
    d.add_argument("work", type=Path)
    d.add_argument("teacher", type=Path, help="the shipped int8 tagger (.onnx)")
    d.add_argument("out", type=Path)
    d.add_argument("--epochs", type=int, default=DISTIL_EPOCHS)
    d.add_argument("--smoke", action="store_true", help="one short run on a few windows")
    args = parser.parse_args(argv)
    if args.step == "prepare":
        prepare(args.data, args.base, args.work)
    elif args.step == "fit":
        fit(args.work, args.out, args.smoke)
    else:
        distil(args.work, args.teacher, args.out, args.epochs, args.smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
