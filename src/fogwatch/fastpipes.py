"""Faster stand-ins for two rule components of the spaCy model, giving the same annotations.

The model's ``attribute_ruler`` runs a spaCy ``Matcher`` of 179 patterns over every token (16 µs a
token, 13% of the parse on news copy), and its ``lemmatizer`` recomputes every base form it meets
(10 µs a token, 7%): together about a tenth of a worker's CPU (issue 17). Both only look at a
token's own attributes, so their results can be kept per distinct token instead of recomputed:

- ``FastAttributeRuler`` finds the ruler's matches itself. Its patterns are fixed sequences of
  token specifications (no operators) over TAG, LOWER, DEP and IS_SPACE, so which specifications
  a token meets follows from those four values, each tested once per distinct value. The matches
  then go to the ruler's own ``set_annotations``, in the ruler's order. A pattern of any other
  form leaves the model's ``Matcher`` in charge of every pattern.
- ``CachedLemmatizer`` keeps each lemma under the key the model's lemmatizer caches by (text, part
  of speech, morphology), including the base forms it does not cache.

``tests/test_fastpipes.py`` checks both against the model's own components, token by token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

ATTRIBUTE_RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
_FAST_RULER = "fogwatch_attribute_ruler"
_FAST_LEMMATIZER = "fogwatch_lemmatizer"

# The token attributes a pattern may test for the fast path (compared as strings, IS_SPACE as a boolean).
_ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")
# Bit 0 is in every mask, so that a known mask is never 0 (which reads as "not cached"); the
# specification n is bit n + 1.
_ALWAYS = 1
# Distinct values (words) a cache keeps before it starts afresh: a worker's day of news meets
# ever more of them. 200,000 entries hold about 40 MB; 200 news articles meet about 20,000 words.
MAX_CACHED = 200_000


def _test(value: Any) -> Callable[[Any], bool] | None:
    """The predicate of a pattern value other than a plain one (IN, NOT_IN, REGEX); None for a
    form the fast path lacks. Plain values (a string, a boolean) are looked up, not tested."""
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda got: got in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            banned = frozenset(arg)
            return lambda got: got not in banned
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)
            return lambda got: bool(pattern.search(got))
    return None


def _plain(value: Any) -> bool:
    return isinstance(value, (str, bool))


class FastAttributeRuler:
    """The model's attribute ruler with its matches found from cached answers (module docstring).

    Each token specification of the ruler's patterns is a bit. For every attribute, each distinct
    value the text shows is tested once against every specification, giving the bits of those
    that value does not rule out; a token meets the specifications whose bits survive all four of
    its attributes' masks, and the patterns that can start at it are kept per such combination."""

    def __init__(self, ruler: Any) -> None:
        self.ruler = ruler
        # (match key, the ruler's order of its entry, the bit of each of the pattern's tokens' specs)
        self.patterns: list[tuple[int, int, tuple[int, ...]]] = []
        # Per attribute: the bits of specs that do not test it; of those that want a plain value,
        # by value; and the other tests with their bits.
        self._free = dict.fromkeys(_ATTRIBUTES, _ALWAYS)
        self._equal: dict[str, dict[Any, int]] = {attr: {} for attr in _ATTRIBUTES}
        self._tested: dict[str, list[tuple[int, Callable[[Any], bool]]]] = {attr: [] for attr in _ATTRIBUTES}
        self.fast = self._compile_patterns()
        self._masks: dict[str, dict[int | bool, int]] = {attr: {} for attr in _ATTRIBUTES}
        self._starts: dict[int, tuple[tuple[int, int, tuple[int, ...]], ...]] = {}

    def _compile_patterns(self) -> bool:
        """Index every spec of the ruler's patterns; False where one is beyond the fast path."""
        strings = self.ruler.vocab.strings
        specs = 0
        # The ruler keys its i-th entry's patterns by the string of i, and applies entries in that order.
        for order, entry in enumerate(self.ruler.patterns):
            key = strings.add(str(order))
            for pattern in entry["patterns"]:
                bits = []
                for spec in pattern:
                    specs += 1
                    bit = 1 << specs
                    if not self._index(spec, bit):
                        return False
                    bits.append(bit)
                self.patterns.append((key, order, tuple(bits)))
        return True

    def _index(self, spec: dict[str, Any], bit: int) -> bool:
        if any(attr not in _ATTRIBUTES for attr in spec):
            return False
        for attr in _ATTRIBUTES:
            if attr not in spec:
                self._free[attr] |= bit
            elif _plain(spec[attr]):
                self._equal[attr][spec[attr]] = self._equal[attr].get(spec[attr], 0) | bit
            else:
                test = _test(spec[attr])
                if test is None:
                    return False
                self._tested[attr].append((bit, test))
        return True

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc) if self.fast else self.ruler.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` gives: (ruler index, match key, start, end), sorted."""
        tags, lowers, deps, spaces = (self._masks[attr] for attr in _ATTRIBUTES)
        met = []
        for t in doc:
            tag, lower, dep, space = t.tag, t.lower, t.dep, t.is_space
            met.append(
                (tags.get(tag) or self._mask("TAG", tag))
                & (lowers.get(lower) or self._mask("LOWER", lower))
                & (deps.get(dep) or self._mask("DEP", dep))
                & (spaces.get(space) or self._mask("IS_SPACE", space))
            )
        found: set[tuple[int, int, int, int]] = set()
        for i, mask in enumerate(met):
            starts = self._starts.get(mask)
            if starts is None:
                starts = self._starts[mask] = tuple(
                    (key, order, bits[1:]) for key, order, bits in self.patterns if mask & bits[0]
                )
            for key, order, rest in starts:
                end = i + 1 + len(rest)
                if end <= len(met) and all(met[i + 1 + k] & bit for k, bit in enumerate(rest)):
                    found.add((order, key, i, end))
        return sorted(found)

    def _mask(self, attr: str, raw: int | bool) -> int:
        """The bits of the specifications a value of ``attr`` does not rule out (a string's id, or
        IS_SPACE's boolean), worked out on its first sight."""
        value = raw if attr == "IS_SPACE" else self.ruler.vocab.strings[raw]
        bits = self._free[attr] | self._equal[attr].get(value, 0)
        for bit, test in self._tested[attr]:
            if test(value):
                bits |= bit
        known = self._masks[attr]
        if len(known) >= MAX_CACHED:  # a long run meets ever more words: start the cache afresh
            known.clear()
        known[raw] = bits
        return bits


class CachedLemmatizer:
    """The model's lemmatizer with every lemma kept under (text, part of speech, morphology). Its
    ``lookups`` are the model lemmatizer's (the places stage reads the lemma index)."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.lookups = lemmatizer.lookups
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        overwrite = self.lemmatizer.overwrite
        for token in doc:
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = self._lemmas.get(key)
                if lemma is None:
                    if len(self._lemmas) >= MAX_CACHED:
                        self._lemmas.clear()
                    lemma = self._lemmas[key] = strings.add(self.lemmatizer.lemmatize(token)[0])
                token.lemma = lemma
        return doc


@Language.factory(_FAST_RULER)
def _make_fast_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.get_pipe(ATTRIBUTE_RULER))


@Language.factory(_FAST_LEMMATIZER)
def _make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.get_pipe(LEMMATIZER))


def speed_up(nlp: Language) -> None:
    """Put the stand-ins in place of the model's components, under the same names and places."""
    for original, fast in ((ATTRIBUTE_RULER, _FAST_RULER), (LEMMATIZER, _FAST_LEMMATIZER)):
        if original in nlp.pipe_names:
            nlp.add_pipe(fast, before=original)
            nlp.remove_pipe(original)
            nlp.rename_pipe(fast, original)
