"""Matching text against the names of resources: normalisation, ranking and suggestions.

Text and names are compared after Unicode NFKC (full-width ``ＤＳ５９０`` is ``DS590``),
case folding and the removal of accents from Latin letters (``Séko`` is ``Seko``; Japanese
voicing marks are kept, ``ガ`` is not ``カ``), with punctuation read as a word break. A name
matches, best first:

0. ``exact``: the whole name, spaces aside (``세코히로시게`` is ``세코 히로시게``);
1. ``prefix``: the name starts with the text, which makes up at least a third of it (``世耕``
   finds ``世耕弘成``; ``Seko`` is no prefix of ``Seko says the first approval ...``);
2. ``token``: every word of the text is a word of the name (``Seko``);
3. ``partial``: every word of the text occurs inside the name (``弘成``, ``chemi``);
4. ``fuzzy``: a close spelling (difflib), offered only when nothing matches better.

Within a tier, things named in the dispute (persons, states, firms, posts, materials, cases)
come before events and statements, then tenures, sources and the ontology's terms; then a
label beats a short label, an external id and a slug; then a name with fewer other words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from kg.errors import ExploreError

TIERS = ("exact", "prefix", "token", "partial", "fuzzy")
#: Kinds of resource, in the order they come within a tier.
KIND_ORDER = {"person": 0, "agent": 0, "post": 0, "place": 0, "material": 0, "agreement": 0, "case": 0,
              "event": 1, "statement": 1, "tenure": 2, "source": 3}
#: How a name was given, best first.
KEY_KINDS = ("label", "short label", "external id", "slug", "id")
MAX_TEXT = 200
FUZZY_CUTOFF = 0.72
SUGGESTION_CUTOFF = 0.5
PREFIX_COVER = 1 / 3
_WORD = re.compile(r"\w+")


def _latin(ch: str) -> bool:
    return ch < "\u0370" or "\u1e00" <= ch <= "\u1eff"


def normalize(text: str) -> str:
    """Words of ``text`` compared case-, width- and accent-insensitively, joined by spaces."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    kept, base = [], ""
    for ch in folded:
        if unicodedata.combining(ch):
            if base and _latin(base):
                continue
        else:
            base = ch
        kept.append(ch)
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", "".join(kept))))


def check_text(text: str, what: str = "search text", limit: int = MAX_TEXT) -> str:
    """``text`` stripped, or an ExploreError saying why it cannot be matched."""
    if len(text) > limit:
        raise ExploreError(f"the {what} is {len(text)} characters long; give at most {limit}")
    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs")), None)
    if bad is not None:
        raise ExploreError(f"the {what} contains a control character (U+{ord(bad):04X}); "
                           "give printable text")
    text = text.strip()
    if not normalize(text):
        raise ExploreError(f"the {what} is empty" + (" (only punctuation)" if text else "")
                           + "; give a name, a label, a slug or an id")
    return text


def tier(query: str, key: str) -> tuple[int, float] | None:
    """How well a normalised name matches a normalised text: (tier, closeness), or None.

    Closeness ranks names within a tier: the share of the name the text covers.
    """
    q, k = query.replace(" ", ""), key.replace(" ", "")
    if not q or not k:
        return None
    cover = len(q) / len(k)
    if q == k:
        return 0, 1.0
    if k.startswith(q) and cover >= PREFIX_COVER:
        return 1, cover
    q_words, k_words = query.split(), key.split()
    if all(w in k_words for w in q_words):
        return 2, cover
    if all(w in k for w in q_words):
        return 3, cover
    return None


class Fuzzy:
    """How close names are to one text (0-1): the whole strings, or word by word.

    difflib's matchers are built once per text and each word's score is remembered, since
    the same words recur across thousands of names.
    """

    def __init__(self, query: str, floor: float = FUZZY_CUTOFF):
        self.floor = floor
        self.whole = difflib.SequenceMatcher(None, "", query.replace(" ", ""))
        self.words = [difflib.SequenceMatcher(None, "", w) for w in query.split()]
        self.seen: dict[str, list[float]] = {}

    def _ratio(self, matcher: difflib.SequenceMatcher, text: str) -> float:
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() < self.floor or matcher.quick_ratio() < self.floor:
            return 0.0
        return matcher.ratio()

    def _word(self, word: str) -> list[float]:
        if word not in self.seen:
            self.seen[word] = [self._ratio(m, word) for m in self.words]
        return self.seen[word]

    def score(self, key: str) -> float:
        best = self._ratio(self.whole, key.replace(" ", ""))
        words = [self._word(w) for w in set(key.split())]
        if words and self.words:
            per_word = [max(scores[k] for scores in words) for k in range(len(self.words))]
            best = max(best, sum(per_word) / len(per_word))
        return best


def rank(query: str, entries: list[dict], allow_fuzzy: bool = True) -> list[tuple[tuple, dict, dict]]:
    """Entries matching ``query`` (normalised), best first: ``(sort key, entry, key matched)``.

    Each entry appears once, by its best name. Fuzzy matches come only when nothing else does.
    """
    found = []
    for entry in entries:
        best = None
        for key in entry["keys"]:
            match = tier(query, key["norm"])
            if match is None:
                continue
            order = (match[0], KIND_ORDER.get(entry["kind"], 4), KEY_KINDS.index(key["kind"]), -match[1])
            if best is None or order < best[0]:
                best = (order, key)
        if best is not None:
            found.append(((*best[0], entry["id"]), entry, best[1]))
    if not found and allow_fuzzy:
        close = Fuzzy(query)
        for entry in entries:
            best = None
            for key in entry["keys"]:
                score = close.score(key["norm"])
                if score >= FUZZY_CUTOFF and (best is None or score > best[0]):
                    best = (score, key)
            if best is not None:
                found.append(((4, KIND_ORDER.get(entry["kind"], 4), KEY_KINDS.index(best[1]["kind"]),
                               -best[0], entry["id"]), entry, best[1]))
    found.sort(key=lambda item: item[0])
    return found


def suggestions(query: str, entries: list[dict], count: int = 5) -> list[dict]:
    """The entries closest to a text that matched nothing (at most ``count``)."""
    scored = []
    close = Fuzzy(query, SUGGESTION_CUTOFF)
    for entry in entries:
        score = max((close.score(key["norm"]) for key in entry["keys"]), default=0.0)
        if score >= SUGGESTION_CUTOFF:
            scored.append((-score, entry["id"], entry))
    return [entry for _, _, entry in sorted(scored, key=lambda s: s[:2])[:count]]
