"""Reads PolNeAR train JSONL from ../shared/data and produces the shipped attribution tagger's adapter.

Usage: python train/train.py [--data DIR] [--out DIR] [--epochs N] [--rank R]

The tagger is all-MiniLM-L6-v2 (the pinned int8 ONNX file the runtime also
reads; ``readouts.extract.encoder_model``) with a token classifier on top,
fine-tuned by low-rank adaptation: every weight matrix stays frozen and learns a
rank-R update ``B @ A``, while the biases, layer norms and the classifier train
in full. Only those trained parts are written out (about 1.5 MB instead of a
23 MB encoder), as ``adapter.npz`` beside ``meta.json``. The word and position
embeddings stay frozen as well, so any text the tokenizer can cut is covered.
Needs torch and transformers: ``pip install -r requirements-train.txt``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import time
from pathlib import Path

import numpy

from readouts.extract.encoder_model import LAYER_MATRICES, base_model_path, base_weights, pack_factor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = ROOT / "src" / "readouts" / "data" / "models" / "attribution"
# all-MiniLM-L6-v2's shape; the weights come from the base ONNX file.
ENCODER_SHAPE = dict(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                     intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=SHIPPED, help="model folder to write (the tokenizer is copied there)")
    ap.add_argument("--epochs", type=float, default=5.0)
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--batch", type=int, default=32, help="windows per step")
    ap.add_argument("--window", type=int, default=126, help="WordPieces per window, [CLS] and [SEP] aside")
    ap.add_argument("--stride", type=int, default=100, help="training window step")
    ap.add_argument("--infer-stride", type=int, default=96, help="window step the runtime uses")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--layers", type=int, default=ENCODER_SHAPE["num_hidden_layers"],
                    help="encoder layers the tagger keeps (the base encoder's first ones)")
    ap.add_argument("--teacher", type=Path, default=None,
                    help="a trained tagger folder to distil from (and to start the kept layers from)")
    ap.add_argument("--distill", type=float, default=0.5, help="weight of the teacher's scores in the loss")
    ap.add_argument("--temperature", type=float, default=2.0)
    ap.add_argument("--ffn", type=int, default=ENCODER_SHAPE["intermediate_size"],
                    help="feed-forward units each layer keeps (those that add most to its output; prune.py)")
    return ap.parse_args()


def build_model(rank: int, labels: int, layers: int):
    import torch
    from transformers import BertConfig, BertModel

    class LowRank(torch.nn.Module):
        """A frozen linear layer plus a trained rank-r update (LoRA). Written here because the
        whole method is two small matrices; a library would add a dependency for ten lines."""

        def __init__(self, base: torch.nn.Linear, r: int) -> None:
            super().__init__()
            self.base, self.scale = base, 2.0
            self.A = torch.nn.Parameter(torch.randn(r, base.in_features) / math.sqrt(base.in_features))
            self.B = torch.nn.Parameter(torch.zeros(base.out_features, r))

        def forward(self, x):
            return self.base(x) + (x @ self.A.T @ self.B.T) * self.scale

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel(BertConfig(**{**ENCODER_SHAPE, "num_hidden_layers": layers}), add_pooling_layer=False)
            kept = self.bert.state_dict().keys()
            weights = base_weights(base_model_path())
            self.bert.load_state_dict({k: torch.tensor(v) for k, v in weights.items() if k in kept})
            for name, param in self.bert.named_parameters():
                param.requires_grad = "embeddings" not in name and (name.endswith(".bias") or "LayerNorm" in name)
            for layer in self.bert.encoder.layer:
                for path in LAYER_MATRICES:
                    *parents, leaf = path.split(".")
                    owner = layer
                    for part in parents:
                        owner = getattr(owner, part)
                    setattr(owner, leaf, LowRank(getattr(owner, leaf), rank))
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(ENCODER_SHAPE["hidden_size"], labels)

        def forward(self, ids, mask):
            return self.head(self.drop(self.bert(input_ids=ids, attention_mask=mask).last_hidden_state))

    return Tagger()


def batches(examples, size: int):
    """(ids, mask, labels, teacher scores or None) per batch of (ids, labels, scores or None) windows."""
    import torch

    for i in range(0, len(examples), size):
        chunk = examples[i : i + size]
        width = max(len(ids) for ids, _, _ in chunk)
        ids = torch.tensor([ids + [0] * (width - len(ids)) for ids, _, _ in chunk])
        labels = torch.tensor([labs + [-100] * (width - len(labs)) for _, labs, _ in chunk])
        lengths = torch.tensor([len(i) for i, _, _ in chunk])
        teacher = None
        if chunk[0][2] is not None:
            teacher = torch.zeros(len(chunk), width, chunk[0][2].shape[1])
            for row, (_, _, scores) in enumerate(chunk):
                teacher[row, : len(scores)] = torch.from_numpy(scores.astype(numpy.float32))
        yield ids, (torch.arange(width)[None, :] < lengths[:, None]).long(), labels, teacher


def train(model, examples, args) -> None:
    import torch
    from distill import distilled_loss

    params = [p for p in model.parameters() if p.requires_grad]
    steps = int(math.ceil(len(examples) / args.batch) * args.epochs)
    warmup = max(1, int(0.06 * steps))
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    print(f"{len(examples)} windows, {sum(p.numel() for p in params):,} trained parameters, {steps} steps", flush=True)
    model.train()
    step, started = 0, time.time()
    while step < steps:
        random.shuffle(examples)
        for ids, mask, labels, teacher in batches(examples, args.batch):
            if step >= steps:
                break
            loss = distilled_loss(model(ids, mask), labels, teacher, args.distill, args.temperature)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)


def adapter_arrays(model, rank: int, layers: int, kept=None) -> dict[str, numpy.ndarray]:
    """The trained parts: low-rank factors as int8 rows with scales, vectors and the classifier as
    float32, and the feed-forward units each layer kept when it was pruned."""
    out = {"lora_scale": numpy.array(2.0), "layers": numpy.array(layers),
           "rank": numpy.array(rank)}
    for layer, units in enumerate(kept or []):
        out[f"encoder.layer.{layer}.intermediate.kept"] = units.astype(numpy.int16)
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        value = param.detach().numpy()
        if name.startswith("bert."):
            name = name[len("bert."):].replace(".base.", ".")
        if name.endswith((".A", ".B")):
            out.update(pack_factor(name, value))
        else:
            out[name] = value.astype(numpy.float32)
    return out


def main() -> None:
    import torch
    from tokenizers import Tokenizer

    from distill import start_from_teacher, teacher_scores
    from prune import kept_units, prune, spread
    from spans import LABELS, examples

    args = parse_args()
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    tokenizer = Tokenizer.from_file(str(SHIPPED / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    windows = examples(args.data / "polnear.train.jsonl", tokenizer, args.window, args.stride)
    scores = teacher_scores(args.teacher, windows, args.threads) if args.teacher else [None] * len(windows)
    data = [(ids, labels, score) for (ids, labels), score in zip(windows, scores)]
    model = build_model(args.rank, len(LABELS), args.layers)
    if args.teacher:
        start_from_teacher(model, args.teacher)
    kept = None
    if args.ffn < ENCODER_SHAPE["intermediate_size"]:
        kept = kept_units(model, batches(spread(data), args.batch), args.ffn)
        prune(model, kept)
    train(model, data, args)
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.out.resolve() != SHIPPED.resolve():
        shutil.copyfile(SHIPPED / "tokenizer.json", args.out / "tokenizer.json")
    numpy.savez(args.out / "adapter.npz", **adapter_arrays(model, args.rank, args.layers, kept))
    meta = {"labels": LABELS, "window": args.window, "stride": args.infer_stride, "rank": args.rank,
            "layers": args.layers, "ffn": args.ffn, "epochs": args.epochs, "trained_on": "polnear.train.jsonl"}
    if args.teacher:
        meta["distilled_from"] = {"layers": int(numpy.load(args.teacher / "adapter.npz")["layers"]),
                                  "weight": args.distill, "temperature": args.temperature}
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'adapter.npz'} ({(args.out / 'adapter.npz').stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE))
    main()
