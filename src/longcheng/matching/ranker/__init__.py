"""The challenge ↔ capability ranker, a pure engine (no database, no web).

``Ranker(capabilities).rank(challenge, top=10)`` returns :class:`Match` records with a score
and the reasons in Chinese. Texts are folded (traditional → simplified with OpenCC, full-width
→ ASCII), cut into jieba words, character bigrams and taxonomy concepts
(``data/concepts.yaml``: fields, concepts and their synonyms), and scored by BM25 per channel,
fused. :class:`TfidfBaseline` is the plain character-bigram TF-IDF baseline for the bench.
Imports only the standard library, numpy, yaml, opencc and jieba/rjieba.
"""

from longcheng.matching.ranker.baseline import TfidfBaseline
from longcheng.matching.ranker.concepts import Taxonomy, default_taxonomy
from longcheng.matching.ranker.engine import Ranker, Weights, analyse
from longcheng.matching.ranker.model import Doc, Match

__all__ = ["Doc", "Match", "Ranker", "Taxonomy", "TfidfBaseline", "Weights", "analyse", "default_taxonomy"]
