"""Groups short texts that speak to the same proposition; reads strings, produces cluster labels.

Texts become TF-IDF vectors of content terms (stems, with equivalent words
mapped to one concept), the IDF taken from the texts themselves so that words
every text shares weigh little. Average-linkage agglomerative clustering then
merges groups while their mean cosine similarity stays above a threshold.
Before that, each vector is expanded with the similarity-weighted mean of its
nearest neighbours, so texts that share few words but the same company of
texts come together, and the cosine is averaged with the share of nearest
neighbours two texts have in common: two headlines about different victims of
the same group share words but not their neighbourhoods. Pure numpy; two
thousand headlines take a few seconds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from readouts.claims.text import terms

MERGE_THRESHOLD = 0.25
NEIGHBOURS = 5  # each vector borrows the words of its nearest texts: "Crabzilla" meets "giant crab"
SHARED_NEIGHBOURS = 10  # neighbourhood size for the shared-neighbour similarity
COSINE_WEIGHT = 0.5  # similarity = this * cosine + the rest * shared neighbours


def tfidf_matrix(term_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Rows are L2-normalised TF-IDF vectors (sublinear tf, smoothed idf) over the given term lists."""
    vocabulary: dict[str, int] = {}
    for items in term_lists:
        for term in items:
            vocabulary.setdefault(term, len(vocabulary))
    document_frequency = Counter(term for items in term_lists for term in set(items))
    n = len(term_lists)
    matrix = np.zeros((n, max(1, len(vocabulary))), dtype=np.float32)
    for row, items in enumerate(term_lists):
        for term, count in Counter(items).items():
            idf = math.log((1 + n) / (1 + document_frequency[term])) + 1.0
            matrix[row, vocabulary[term]] = (1.0 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def average_linkage(similarity: np.ndarray, threshold: float) -> list[int]:
    """Cluster labels from a similarity matrix: merge the closest pair while mean similarity >= threshold."""
    n = similarity.shape[0]
    if n == 0:
        return []
    sim = similarity.astype(np.float64, copy=True)
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(n)
    active = np.ones(n, dtype=bool)
    label = np.arange(n)
    best = sim.max(axis=1)
    partner = sim.argmax(axis=1)
    while True:
        i = int(np.argmax(np.where(active, best, -np.inf)))
        if not active[i] or best[i] < threshold:
            break
        j = int(partner[i])
        # Merged row = size-weighted mean of the two rows: the average-linkage update.
        merged = (sim[i] * size[i] + sim[j] * size[j]) / (size[i] + size[j])
        merged[[i, j]] = -np.inf
        sim[i], sim[:, i] = merged, merged
        sim[j], sim[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        active[j] = False
        best[j] = -np.inf
        label[label == j] = i
        stale = active & ((partner == i) | (partner == j))
        stale[i] = True
        for k in np.flatnonzero(stale):
            partner[k] = int(np.argmax(sim[k]))
            best[k] = sim[k, partner[k]]
        better = active & (merged > best)
        partner[better] = i
        best[better] = merged[better]
    _, dense_labels = np.unique(label, return_inverse=True)
    return [int(x) for x in dense_labels]


def expand_with_neighbours(vectors: np.ndarray, neighbours: int = NEIGHBOURS) -> np.ndarray:
    """Each row plus the similarity-weighted mean of its nearest rows, L2-normalised again."""
    n = vectors.shape[0]
    if n <= neighbours + 1:
        return vectors
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1.0)
    nearest = np.argpartition(-similarity, neighbours, axis=1)[:, :neighbours]
    weights = np.take_along_axis(similarity, nearest, axis=1).clip(min=0.0)
    expanded = vectors + np.einsum("nk,nkd->nd", weights, vectors[nearest]) / neighbours
    norms = np.linalg.norm(expanded, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return expanded / norms


def shared_neighbours(vectors: np.ndarray, neighbours: int) -> np.ndarray:
    """Share of the ``neighbours`` nearest rows (each row counting itself) that two rows have in common."""
    n = vectors.shape[0]
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argpartition(-similarity, neighbours - 1, axis=1)[:, :neighbours]
    member = np.zeros((n, n), dtype=np.float32)
    # A "neighbour" that shares no term is no neighbour: texts with nothing in common stay apart.
    close = np.take_along_axis(similarity, nearest, axis=1) > 0
    np.put_along_axis(member, nearest, close.astype(np.float32), axis=1)
    np.fill_diagonal(member, 1.0)
    return (member @ member.T) / (neighbours + 1)


def text_similarity(vectors: np.ndarray) -> np.ndarray:
    """Cosine of neighbour-expanded vectors, averaged with shared neighbours when there are enough texts."""
    expanded = expand_with_neighbours(vectors)
    cosine = expanded @ expanded.T
    # A quarter of the texts at most: in a small set every text would share every neighbour.
    neighbours = min(SHARED_NEIGHBOURS, vectors.shape[0] // 4)
    if neighbours < 1:
        return cosine
    return COSINE_WEIGHT * cosine + (1.0 - COSINE_WEIGHT) * shared_neighbours(vectors, neighbours)


def cluster_texts(texts: list[str], threshold: float = MERGE_THRESHOLD) -> list[int]:
    """A cluster label per text: texts with the same label speak to the same proposition."""
    if not texts:
        return []
    return average_linkage(text_similarity(tfidf_matrix([terms(t) for t in texts])), threshold)
