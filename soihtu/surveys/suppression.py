"""Which groups of answers may be shown: the only place that decides it (pure functions).

Rules, applied to one set of sibling groups that together make up a shown total:

1. A group with fewer than MIN_GROUP answers is hidden.
2. Hidden groups must not be worked out by subtracting the shown ones from the total. So while
   the hidden groups are exactly one, or together fewer than MIN_GROUP answers, the smallest
   shown group is hidden too (complementary suppression). What remains derivable is then only
   the sum of two or more hidden groups, itself at least MIN_GROUP answers.
3. When the total itself is below MIN_GROUP, nothing is shown.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from soihtu.surveys.models import MIN_GROUP


def shown_groups[K: Hashable](counts: Mapping[K, int], minimum: int = MIN_GROUP) -> set[K]:
    """The keys of the groups that may be shown (the total is the sum of all the counts)."""
    if sum(counts.values()) < minimum:
        return set()
    hidden = {key for key, n in counts.items() if n < minimum}
    shown = sorted((key for key in counts if key not in hidden), key=lambda k: (counts[k], str(k)))
    while hidden and shown and (len(hidden) == 1 or sum(counts[k] for k in hidden) < minimum):
        hidden.add(shown.pop(0))
    return set(shown)


def total_shown(total: int, minimum: int = MIN_GROUP) -> bool:
    return total >= minimum
