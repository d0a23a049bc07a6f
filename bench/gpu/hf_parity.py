#!/usr/bin/env python3
"""Compares emma4j with Hugging Face transformers' LlamaForCausalLM on a random checkpoint.

    hf_parity.py make DIR [--seed N]   writes a random tiny Llama 3 checkpoint (llama3 RoPE scaling, GQA,
                                       untied head) and parity_ids.txt into DIR
    hf_parity.py compare DIR OUT       compares OUT (written by `GpuCheck parity DIR OUT`) with transformers,
                                       computing in float64; prints ROW lines and exits 1 on a mismatch

Part of bench/gpu-check.sh only: emma4j itself never runs Python. Tolerances: emma4j computes in f32, the
reference in f64; logits must agree within 1e-4 of their largest magnitude, the loss within 1e-5
relative, and every weight's gradient within 1e-4 in relative L2 norm (f32 sums over at most a few
thousand terms stay near 1e-6).
"""
import argparse
import os
import sys

import numpy as np
import torch
from transformers import LlamaConfig, LlamaForCausalLM

LOGIT_TOL = 1e-4
LOSS_TOL = 1e-5
GRAD_TOL = 1e-4


def row(what, value, comparison):
    print(f"ROW\t{what}\t{value}\t{comparison}", flush=True)


def make(directory, seed):
    config = LlamaConfig(
        vocab_size=1000, hidden_size=128, intermediate_size=344, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, head_dim=32, max_position_embeddings=512, rms_norm_eps=1e-5, rope_theta=500000.0,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 64},
        tie_word_embeddings=False, initializer_range=0.1, bos_token_id=1, eos_token_id=2, torch_dtype="float32")
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config).float()
    with torch.no_grad():
        # RMSNorm weights start at exactly 1; perturb them so that their gradients and effect are exercised.
        for name, p in model.named_parameters():
            if name.endswith("layernorm.weight") or name == "model.norm.weight":
                p.add_(0.1 * torch.randn_like(p))
    model.save_pretrained(directory, safe_serialization=True)
    g = torch.Generator().manual_seed(seed + 1)
    ids = torch.randint(0, config.vocab_size, (96,), generator=g).tolist()
    with open(os.path.join(directory, "parity_ids.txt"), "w") as f:
        f.write(",".join(str(i) for i in ids) + "\n")
    print(f"wrote a random {sum(p.numel() for p in model.parameters())}-parameter Llama checkpoint and {len(ids)} ids to {directory}")


def read_f32(path, shape):
    a = np.fromfile(path, dtype="<f4")
    if a.size != int(np.prod(shape)):
        raise SystemExit(f"{path} holds {a.size} floats, expected {int(np.prod(shape))} for shape {tuple(shape)}")
    return torch.from_numpy(a.reshape(shape).astype(np.float64))


def compare(directory, out):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = LlamaForCausalLM.from_pretrained(directory, torch_dtype=torch.float64, attn_implementation="eager").to(device)
    with open(os.path.join(directory, "parity_ids.txt")) as f:
        ids = [int(x) for x in f.read().strip().split(",")]
    x = torch.tensor([ids], device=device)
    logits = model(x).logits[0]
    loss = torch.nn.functional.cross_entropy(logits[:-1], x[0, 1:])
    loss.backward()
    ok = True

    got = read_f32(os.path.join(out, "logits.f32"), logits.shape)
    ref = logits.detach().cpu()
    err = (got - ref).abs().max().item() / ref.abs().max().item()
    good = err <= LOGIT_TOL
    ok &= good
    row(f"HF parity: logits T={len(ids)} V={ref.shape[1]}", f"max |err| {err:.2e} of max |logit|",
        ("OK" if good else "FAIL") + f" (tol {LOGIT_TOL:g}; transformers {__import__('transformers').__version__} f64 on {device})")

    with open(os.path.join(out, "loss.txt")) as f:
        java_loss = float(f.read())
    lerr = abs(java_loss - loss.item()) / abs(loss.item())
    good = lerr <= LOSS_TOL
    ok &= good
    row("HF parity: mean loss", f"{java_loss:.6f} vs {loss.item():.6f}", ("OK" if good else "FAIL") + f" (rel {lerr:.1e}, tol {LOSS_TOL:g})")

    worst, worst_name, count = 0.0, None, 0
    for name, p in model.named_parameters():
        path = os.path.join(out, "grads", name + ".f32")
        if not os.path.exists(path):
            ok = False
            row("HF parity: gradients", "MISSING", f"emma4j wrote no gradient for {name}")
            continue
        g = read_f32(path, p.shape)
        r = p.grad.detach().cpu()
        rel = (g - r).norm().item() / max(r.norm().item(), 1e-30)
        count += 1
        if rel > worst:
            worst, worst_name = rel, name
    good = worst <= GRAD_TOL
    ok &= good
    row(f"HF parity: gradients of {count} weights", f"worst rel L2 err {worst:.2e}",
        ("OK" if good else "FAIL") + f" (tol {GRAD_TOL:g}; worst: {worst_name})")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    m.add_argument("--seed", type=int, default=1234)
    c = sub.add_parser("compare")
    c.add_argument("dir")
    c.add_argument("out")
    args = parser.parse_args()
    if args.command == "make":
        os.makedirs(args.dir, exist_ok=True)
        make(args.dir, args.seed)
    else:
        sys.exit(0 if compare(args.dir, args.out) else 1)


if __name__ == "__main__":
    main()
