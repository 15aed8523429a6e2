"""A trained attribution tagger: source, cue and content spans (PolNeAR conventions).

The rule-based claims stage knows the cue verbs it was written for; this tagger
learnt PolNeAR's wider notion of attribution (beliefs, intentions, paraphrase)
from 840 annotated articles. It is a 6-layer MiniLM token classifier exported to
int8 ONNX (the graph rewritten by ``train/unmask_tagger.py`` for one unpadded
window per call, which halves its cost and changes no logit), so at run time it needs only ``onnxruntime``, ``tokenizers`` and
``numpy`` -- no torch and no network. Usage::

    tagger = load_tagger()          # None (with a logged reason) if files are absent
    if tagger:
        tagger.spans(text)          # [TaggedSpan(kind, start, end, score), ...]
        tagger.attributions(text)   # cue grouped with its source and content

Offsets are character offsets into the ``text`` given. Long texts are cut into
overlapping windows of ``WINDOW`` word pieces; each token takes its label from
the window in which it lies farthest from an edge (``windows``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .paths import PACKAGE_DATA

log = logging.getLogger(__name__)

MODEL_DIR = PACKAGE_DATA / "models"
# The exported int8 model without its attention-mask passes (train/unmask_tagger.py): it reads
# ``input_ids`` alone, so every call must hold one window and no padding.
MODEL_FILE = "polnear_tagger.int8.unmasked.onnx"
TOKENIZER_FILE = "tokenizer.json"
LABELS_FILE = "polnear_tagger.labels.json"

KINDS = ("source", "cue", "content")
LABELS = ("O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT")
# 510 word pieces + [CLS] and [SEP] fill BERT's 512 positions; windows overlap by
# 126 pieces so every token is seen with at least 63 pieces of context each side.
WINDOW = 510
STRIDE = 384
CLS_ID, SEP_ID = 101, 102
# Spans whose mean label probability is lower are dropped by ``Tagger.spans``.
# On PolNeAR dev (raw spans, attributions scoring) 0.5/0.6/0.7/0.8 gave exact F1
# source 79.3/79.9/80.5/81.3, cue 70.3/71.2/71.8/72.7, content 53.5/54.9/56.1/56.9
# against 78.7/69.7/52.8 with none; 0.7 keeps recall (cue recall falls 2 points
# more at 0.8). Chosen on dev, so expect a little less on unseen text.
MIN_SCORE = 0.7
# Closing marks PolNeAR content keeps when a quotation ends the content
# (``"...we will win."`` is one span, closing quote included).
_CLOSERS = "\"'\u201d\u2019)"
_STOPS = ".?!,;:"
# A sentence end: final punctuation, optionally a closing quote, then space.
_SENTENCE_END = re.compile(r"[.?!][\"'\u201d\u2019]?\s")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Texts tagged at once by one Tagger (``attributions_of``, ``submit``), each on one onnxruntime thread,
# from $FOGWATCH_TAGGER_THREADS; unset: the CPUs this process may use, at most DEFAULT_MAX_THREADS.
# With N > 1 the tagger has N - 1 threads of its own and the caller is the N-th when it collects a
# result (``collect``): the pipeline starts tagging a report as soon as its parse exists (``submit``,
# from the claims stage's ``prefetch``), so the tagger works on one core while spaCy parses on the
# other, and the claims stage tags what is left itself. (N threads of its own beside the parser
# crowded two cores: medians of interleaved runs, 60 articles 12.4 s against 12.1, a 100 KB report
# 4.9 s against 4.1.)
# onnxruntime releases the GIL while it runs, so a report's paragraphs are tagged on both cores
# of a two-core machine: on 300 PolNeAR articles in one process the claims stage took 27.4 s
# instead of 34.7 (whole pipeline 75.4 s instead of 83.9, the same CPU time), on a 400 KB report
# the tagger 5.1 s instead of 9.3. Splitting one text's windows over threads instead gained less
# (7.0 s on the 400 KB report), as did onnxruntime's own intra-op threads. Processes that already
# fill every core (batch workers, one per core) set it to 1.
THREADS_ENV = "FOGWATCH_TAGGER_THREADS"
DEFAULT_MAX_THREADS = 2
# Most untagged characters between a content piece and its cue: PolNeAR puts
# "at a campaign stop this week" (28) in such gaps; on the dev attributions
# 20/40/60/100/200 gave content exact F1 52.7/52.8/52.8/52.7/52.7 (flat: the
# sentence-end test does most of the work).
MAX_CONTENT_GAP = 60


class Stopped(Exception):
    """Tagging was abandoned (its report failed or went over its time budget) before it ended."""


@dataclass(frozen=True)
class TaggedSpan:
    """One tagged span: ``kind`` in KINDS, character offsets, mean label probability."""

    kind: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class TaggedAttribution:
    """A cue with the source and content pieces grouped to it (see ``group``)."""

    cue: TaggedSpan
    source: TaggedSpan | None
    content: tuple[TaggedSpan, ...]


def windows(n_tokens: int, size: int = WINDOW, stride: int = STRIDE) -> list[tuple[int, int, int, int]]:
    """Cut ``n_tokens`` into windows ``(start, end, own_start, own_end)``.

    Consecutive windows overlap by ``size - stride``; the overlap is split in
    the middle, so each token is *owned* by exactly one window, the one where it
    has the most context on both sides.
    """
    if n_tokens <= 0:
        return []
    half = (size - stride) // 2
    out: list[tuple[int, int, int, int]] = []
    start = 0
    while True:
        end = min(start + size, n_tokens)
        last = end >= n_tokens
        own_start = start + half if out else 0
        own_end = n_tokens if last else start + stride + half
        out.append((start, end, own_start, own_end))
        if last:
            return out
        start += stride


def bio_labels(offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[str, int, int]]) -> list[int]:
    """Label ids for tokens with character ``offsets`` given gold ``(kind, start, end)`` spans.

    A token belongs to a span when its first character lies inside it; the
    first such token is B-, the others I-. (The inverse of ``decode``; training
    uses it, tests round-trip through it.)
    """
    labels = [0] * len(offsets)
    starts = [a for a, _ in offsets]
    for kind, start, end in sorted(spans, key=lambda s: s[1]):
        b = 1 + 2 * KINDS.index(kind)
        first = True
        for i in range(bisect_left(starts, start), bisect_left(starts, end)):
            if labels[i] == 0:
                labels[i] = b if first else b + 1
                first = False
    return labels


def decode(labels: Sequence[int], probs: Sequence[float], offsets: Sequence[tuple[int, int]]) -> list[TaggedSpan]:
    """BIO label ids to character spans.

    An I- label that does not continue a span of its kind opens one (the model
    sometimes misses the B-); a span's score is the mean probability of its labels.
    """
    spans: list[TaggedSpan] = []
    kind, first, last, scores = None, 0, 0, []  # type: ignore[var-annotated]
    for i, label in enumerate(labels):
        this = KINDS[(label - 1) // 2] if label else None
        begins = bool(label) and (label % 2 == 1 or this != kind)
        if kind and (this != kind or begins):
            spans.append(_span(kind, offsets, first, last, scores))
            kind = None
        if this and kind is None:
            kind, first, scores = this, i, []
        if kind:
            last = i
            scores.append(float(probs[i]))
    if kind:
        spans.append(_span(kind, offsets, first, last, scores))
    return spans


def _span(kind: str, offsets: Sequence[tuple[int, int]], first: int, last: int, scores: list[float]) -> TaggedSpan:
    return TaggedSpan(kind, offsets[first][0], offsets[last][1], round(sum(scores) / len(scores), 4))


def snap_to_words(text: str, span: TaggedSpan) -> TaggedSpan:
    """Widen a span that stops or starts inside a word to the whole word.

    Labels are per word piece, and PolNeAR spans never split a word.
    """
    start, end = span.start, span.end
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return TaggedSpan(span.kind, start, end, span.score)


def trim_trailing(text: str, span: TaggedSpan) -> TaggedSpan:
    """Drop a trailing comma, semicolon or colon from a content span.

    PolNeAR leaves the clause's comma out (``All of this, she said``); the
    tagger takes it in about once in 200 content spans on dev (content exact
    F1 +0.2). Not for sources: a source with an apposition keeps its closing
    comma in PolNeAR (``Jane Roe, the spokeswoman, said``); 63 of the 87 dev
    sources the tagger ends with a comma are exact, and trimming cost 2.8 points.
    """
    end = span.end
    while end > span.start + 1 and span.kind == "content" and text[end - 1] in ",;:":
        end -= 1
    return TaggedSpan(span.kind, span.start, end, span.score) if end != span.end else span


def close_quotation(text: str, span: TaggedSpan) -> TaggedSpan:
    """Content that stops just before a quotation's closing punctuation takes it in.

    PolNeAR content that ends a quotation runs to the closing quote mark
    (``...will win."``); the tagger often stops one piece short.
    """
    if span.kind != "content":
        return span
    end = span.end
    while end < len(text) and end - span.end < 3 and text[end] in _STOPS:
        end += 1
    if end < len(text) and text[end] in _CLOSERS and _opens_quote(text, span):
        return TaggedSpan(span.kind, span.start, end + 1, span.score)
    return span


def _opens_quote(text: str, span: TaggedSpan) -> bool:
    return span.start < len(text) and text[span.start] in "\"'\u201c\u2018"


def group(spans: Sequence[TaggedSpan], text: str = "") -> list[TaggedAttribution]:
    """Group each cue with its source and the content pieces around it.

    Rule (PolNeAR: one source, one cue, content possibly split around them,
    as in ``"X," she said, "Y."``):

    - a source goes to the nearest cue (character gap between span edges);
    - a content piece goes to the cue with the least *untagged* text between
      them (source and cue spans do not count), provided no other cue or
      content piece lies in between and that text is at most
      ``MAX_CONTENT_GAP`` characters;
    - a piece before a cue also needs the text from the piece to the cue to
      hold no sentence end (``X. Y said Z``: X is not Y's), ties go to the
      cue before the piece (``A said X`` reads forward).

    Cues without source or content still give an TaggedAttribution; content or
    source spans with no cue are left out (``Tagger.spans`` still has them).
    """
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    cues = [s for s in ordered if s.kind == "cue"]
    if not cues:
        return []
    sources: dict[int, list[TaggedSpan]] = {i: [] for i in range(len(cues))}
    contents: dict[int, list[TaggedSpan]] = {i: [] for i in range(len(cues))}
    starts = [c.start for c in cues]
    index = {(c.start, c.end): i for i, c in enumerate(cues)}
    for pos, span in enumerate(ordered):
        if span.kind == "source":
            after = bisect_left(starts, span.start)
            near = [k for k in (after - 1, after) if 0 <= k < len(cues)]
            sources[min(near, key=lambda k: _gap(span, cues[k]))].append(span)
        elif span.kind == "content":
            best = _content_cue(ordered, pos, text)
            if best is not None:
                contents[index[(best.start, best.end)]].append(span)
    out = []
    for i, cue in enumerate(cues):
        source = min(sources[i], key=lambda s: _gap(s, cue), default=None)
        out.append(TaggedAttribution(cue, source, tuple(contents[i])))
    return out


def _content_cue(ordered: Sequence[TaggedSpan], pos: int, text: str) -> TaggedSpan | None:
    """The cue a content piece belongs to (see ``group``), or None."""
    piece = ordered[pos]
    options = []
    for step in (-1, 1):
        k, untagged, edge = pos + step, 0, piece.start if step < 0 else piece.end
        while 0 <= k < len(ordered) and ordered[k].kind == "source":
            s = ordered[k]
            untagged += (edge - s.end) if step < 0 else (s.start - edge)
            edge = s.start if step < 0 else s.end
            k += step
        if not (0 <= k < len(ordered)) or ordered[k].kind != "cue":
            continue
        cue = ordered[k]
        untagged += (edge - cue.end) if step < 0 else (cue.start - edge)
        if step > 0 and _ends_sentence(text[max(piece.end - 2, 0) : cue.start]):
            continue
        if untagged <= MAX_CONTENT_GAP:
            options.append((untagged, step > 0, cue))
    return min(options, key=lambda o: (o[0], o[1]))[2] if options else None


def _ends_sentence(between: str) -> bool:
    """True if the text between a content piece and a later cue closes a sentence."""
    return bool(_SENTENCE_END.search(between))


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


class Tagger:
    """An ONNX token classifier plus its tokenizer; build it with ``load_tagger``."""

    def __init__(self, session, tokenizer, threads: int = 1) -> None:  # type: ignore[no-untyped-def]
        self.session = session
        self.tokenizer = tokenizer
        self.inputs = {i.name for i in session.get_inputs()}
        self.pool = ThreadPoolExecutor(threads - 1, thread_name_prefix="tagger") if threads > 1 else None

    def attributions_of(
        self, texts: Sequence[str], min_score: float = MIN_SCORE
    ) -> list[list[TaggedAttribution]]:
        """``attributions`` of each text, several texts at once on the tagger's threads (see THREADS_ENV)."""
        if self.pool is None or len(texts) < 2:
            return [self.attributions(text, min_score) for text in texts]
        stop = threading.Event()
        jobs = [(text, self.submit(text, stop, min_score)) for text in texts]
        return [self.collect(text, job, min_score) for text, job in jobs]

    def collect(
        self, text: str, job: Future[list[TaggedAttribution]], min_score: float = MIN_SCORE
    ) -> list[TaggedAttribution]:
        """The result of ``submit(text)``. A job no thread has begun is done here, by the caller, who
        would otherwise only wait: so the caller is one of the tagger's threads while it collects."""
        if job.cancel():
            return self.attributions(text, min_score)
        return job.result()

    @property
    def background(self) -> bool:
        """Whether texts can be tagged on threads of its own while the caller goes on (``submit``)."""
        return self.pool is not None

    def submit(
        self, text: str, stop: threading.Event, min_score: float = MIN_SCORE
    ) -> Future[list[TaggedAttribution]]:
        """Start ``attributions`` of ``text`` on the tagger's threads. Once ``stop`` is set the work ends at
        its next window (the future then raises ``Stopped``): a thread cannot be stopped from outside."""
        if self.pool is None:
            raise RuntimeError("this tagger has no threads of its own (FOGWATCH_TAGGER_THREADS=1)")
        return self.pool.submit(self.attributions, text, min_score, stop)

    def spans(
        self, text: str, min_score: float = MIN_SCORE, stop: threading.Event | None = None
    ) -> list[TaggedSpan]:
        """Source, cue and content spans of ``text`` (character offsets), in text order.

        The model's spans scoring at least ``min_score``, boundaries fixed
        (``snap_to_words``, ``trim_trailing``, ``close_quotation``).
        """
        kept = [s for s in self.raw_spans(text, stop) if s.score >= min_score]
        return [close_quotation(text, trim_trailing(text, snap_to_words(text, s))) for s in kept]

    def raw_spans(self, text: str, stop: threading.Event | None = None) -> list[TaggedSpan]:
        """The spans as decoded from the model's labels, no boundary fixes (``Stopped``: see ``label``)."""
        if not text or not text.strip():
            return []
        # Lone surrogates cannot be encoded; U+FFFD keeps the length, so offsets hold.
        enc = self.tokenizer.encode(_SURROGATE.sub("\ufffd", text), add_special_tokens=False)
        labels, probs = self.label(np.asarray(enc.ids, dtype=np.int64), stop)
        return decode(labels, probs, enc.offsets)

    def attributions(
        self, text: str, min_score: float = MIN_SCORE, stop: threading.Event | None = None
    ) -> list[TaggedAttribution]:
        """Cues of ``text`` grouped with their source and content pieces (``group``)."""
        return group(self.spans(text, min_score, stop), text)

    def label(self, ids: np.ndarray, stop: threading.Event | None = None) -> tuple[list[int], list[float]]:
        """Best label id and its probability for each token, windows stitched.

        One window per ONNX call: the model has no attention mask, so windows are never padded
        into a batch (batches were slower anyway: see bench/RESULTS.md, issue 17). Raises ``Stopped``
        before the next window once ``stop`` is set, so abandoned work on a long text ends soon.
        """
        labels = np.zeros(len(ids), dtype=np.int64)
        probs = np.zeros(len(ids), dtype=np.float32)
        for s, e, own_s, own_e in windows(len(ids)):
            if stop is not None and stop.is_set():
                raise Stopped
            part = self._run(ids[s:e])[1 + own_s - s : 1 + own_e - s]
            labels[own_s:own_e] = part.argmax(-1)
            probs[own_s:own_e] = part.max(-1)
        return labels.tolist(), probs.tolist()

    def _run(self, piece: np.ndarray) -> np.ndarray:
        """Label probabilities for one window, [CLS] and [SEP] around it."""
        ids = np.concatenate(([CLS_ID], piece, [SEP_ID])).astype(np.int64)[None, :]
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        logits = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0][0]
        logits = logits - logits.max(-1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(-1, keepdims=True)


def tagger_threads() -> int:
    """Texts one Tagger tags at once: $FOGWATCH_TAGGER_THREADS, else the usable CPUs up to DEFAULT_MAX_THREADS."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            log.warning("%s=%r is not a whole number; tagging one text at a time", THREADS_ENV, raw)
            return 1
    return max(1, min(DEFAULT_MAX_THREADS, usable_cpus()))


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load_tagger(model_dir: Path | None = None, threads: int | None = None) -> Tagger | None:
    """The tagger, loaded once per process and thread count; None (reason logged) if it cannot be.

    ``threads``: texts tagged at once (``Tagger.attributions_of``; default ``tagger_threads()``).
    Each onnxruntime call runs on one thread: parallel texts used the second core better.
    """
    return _load_tagger(model_dir, tagger_threads() if threads is None else threads)


@lru_cache(maxsize=4)
def _load_tagger(model_dir: Path | None, threads: int) -> Tagger | None:
    folder = Path(model_dir) if model_dir else MODEL_DIR
    model, vocab = folder / MODEL_FILE, folder / TOKENIZER_FILE
    missing = [p.name for p in (model, vocab) if not p.is_file()]
    if missing:
        log.warning("attribution tagger disabled: %s missing in %s", ", ".join(missing), folder)
        return None
    try:
        import onnxruntime as ort

        tokenizer = load_tokenizer(vocab)
    except ImportError as exc:
        log.warning("attribution tagger disabled: %s", exc)
        return None
    labels = json.loads((folder / LABELS_FILE).read_text()) if (folder / LABELS_FILE).is_file() else list(LABELS)
    if tuple(labels) != LABELS:
        log.warning("attribution tagger disabled: label map %s is not %s", labels, LABELS)
        return None
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    return Tagger(session, tokenizer, threads)


def load_tokenizer(path: Path):  # type: ignore[no-untyped-def]
    """The word-piece tokenizer with truncation and padding off (windows do that)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer
