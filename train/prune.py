"""Reads a tagger being trained and training windows; produces the same tagger with fewer feed-forward units per layer.

The feed-forward block holds two thirds of an encoder layer's multiply-adds (384 -> 1536 -> 384
per piece against 4 x 384 x 384 for attention), and many of its units barely move the output.
Each unit is scored by how much it adds to the layer's output on real windows: the mean size of
its activation times the length of its column in the output matrix (the adapter's update
included). The highest-scoring ``n`` units of every layer are kept, in their order, and the rest
removed from the frozen matrices, the low-rank factors and the biases alike, so the pruned
tagger starts out computing the nearest it can to the unpruned one and training recovers the
rest. The kept units' indices are written with the adapter, and the runtime cuts the base
encoder's matrices the same way (``readouts.extract.encoder_model``).
"""

from __future__ import annotations

import numpy

# Windows scored to rank the units: enough for every unit's mean to settle.
SCORED_WINDOWS = 2048


def kept_units(model, batched, n: int) -> list[numpy.ndarray]:
    """Per layer, the indices (ascending) of the ``n`` feed-forward units that add most to its output,
    over ``batched`` (``train.batches`` of the windows to score, e.g. ``spread(examples)``)."""
    import torch

    layers = model.bert.encoder.layer
    totals = [torch.zeros(layer.intermediate.dense.base.out_features) for layer in layers]
    current = {"mask": None, "pieces": 0}

    def recorder(index: int):
        def record(module, inputs, output):
            totals[index] += output[current["mask"]].abs().sum(dim=0)
        return record

    hooks = [layer.intermediate.register_forward_hook(recorder(i)) for i, layer in enumerate(layers)]
    model.eval()
    with torch.no_grad():
        for ids, mask, _, _ in batched:
            current["mask"] = mask.bool()
            current["pieces"] += int(mask.sum())
            model(ids, mask)
    for hook in hooks:
        hook.remove()
    kept = []
    for layer, total in zip(layers, totals):
        contribution = total / max(1, current["pieces"]) * _column_norms(layer.output.dense)
        kept.append(numpy.sort(torch.topk(contribution, n).indices.numpy()))
    return kept


def spread(examples, count: int = SCORED_WINDOWS) -> list:
    """About ``count`` windows taken evenly across the training set (teacher scores aside)."""
    step = max(1, len(examples) // count)
    return [(ids, labels, None) for ids, labels, _ in examples[::step]]


def _column_norms(low_rank):
    """Length of each input unit's column in ``W + scale * B @ A`` (the output matrix as trained so far)."""
    weight = low_rank.base.weight + low_rank.scale * (low_rank.B @ low_rank.A)
    return weight.detach().norm(dim=0)


def prune(model, kept: list[numpy.ndarray]) -> None:
    """Remove every feed-forward unit not in ``kept`` from each layer, in place."""
    import torch

    for layer, units in zip(model.bert.encoder.layer, kept):
        index = torch.from_numpy(units).long()
        inner, outer = layer.intermediate.dense, layer.output.dense
        _replace(inner.base, "weight", inner.base.weight[index])
        _replace(inner.base, "bias", inner.base.bias[index])
        _replace(inner, "B", inner.B[index])
        _replace(outer.base, "weight", outer.base.weight[:, index])
        _replace(outer, "A", outer.A[:, index])
        inner.base.out_features = outer.base.in_features = len(units)


def _replace(module, name: str, value) -> None:
    import torch

    old = getattr(module, name)
    setattr(module, name, torch.nn.Parameter(value.detach().clone(), requires_grad=old.requires_grad))
