#!/usr/bin/python3
"""PyTorch side of the training-throughput benchmark: the same CIFAR ShuffleNetV2 step as Training.Bench.

Run with Debian's /usr/bin/python3 (python3-torch 1.13, python3-torchvision 0.14). One measurement per process:
    pytorch_peer.py --model shufflenet_v2_x1_0 --activation cos --batch 128 --threads 2 --warmup 3 --steps 12
"""
import argparse
import resource
import time

import torch
import torch.nn as nn
import torchvision


class CoS(nn.Module):
    """CoS as a PyTorch user writes it: x*sigmoid(x) + (sigmoid(5x) - 0.5)^2 from elementary ops."""

    def forward(self, x):
        return x * torch.sigmoid(x) + (torch.sigmoid(5 * x) - 0.5) ** 2


ACTIVATIONS = {"relu": lambda: nn.ReLU(inplace=True), "swish": nn.SiLU, "cos": CoS}


def cifar_shufflenet(name, activation):
    model = getattr(torchvision.models, name)(num_classes=10)
    model.conv1[0].stride = (1, 1)  # CIFAR variant: first convolution stride 1, no early max-pool
    model.maxpool = nn.Identity()
    replace_relu(model, activation)
    return model


def replace_relu(module, activation):
    for name, child in module.named_children():
        if isinstance(child, nn.ReLU):
            setattr(module, name, ACTIVATIONS[activation]())
        else:
            replace_relu(child, activation)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="shufflenet_v2_x1_0")
    parser.add_argument("--activation", default="relu", choices=sorted(ACTIVATIONS))
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=12)
    a = parser.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = cifar_shufflenet(a.model, a.activation)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    images = torch.randn(a.batch, 3, 32, 32)
    labels = torch.randint(0, 10, (a.batch,))
    model.train()

    def step():
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        loss.item()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"framework=pytorch activation={a.activation} images_per_s={a.batch * a.steps / seconds:.1f} peak_rss_mib={peak_mib:.0f}")


if __name__ == "__main__":
    main()
