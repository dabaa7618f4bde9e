"""Writes the ONNX import corpus: small CNNs exported by PyTorch's torch.onnx.export and graphs
built with onnx's own helper, the way those exporters write what people put in CNNs.

Regenerate (Debian python3-torch 1.13 and python3-onnx 1.12; OpenBLAS tuning variables unset):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 packages/onnx/corpus/make_corpus.py

Weights are seeded (torch.manual_seed per model; batch-norm running statistics are set to
non-trivial seeded values so that a dropped or misplaced batch norm shows). The test
(test/corpus.test.ts) imports every file and compares our engine with onnxruntime-node run on
the file itself. MANIFEST.json lists each file with what it exercises and the exporter/opset.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
manifest = []


def seed_bn(model, seed):
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
            m.running_var.copy_(torch.rand(n, generator=g) * 0.8 + 0.6)
            m.weight.data.copy_(torch.rand(n, generator=g) * 0.8 + 0.6)
            m.bias.data.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)


def export(name, model, input_shape, what, opset=None, dynamic_batch=False, seed=0):
    model.eval()
    seed_bn(model, seed + 1000)
    x = torch.rand(*input_shape, generator=torch.Generator().manual_seed(seed))
    path = os.path.join(HERE, f"{name}.onnx")
    kwargs = {"input_names": ["input"], "output_names": ["output"], "do_constant_folding": True}
    if opset is not None:
        kwargs["opset_version"] = opset
    if dynamic_batch:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(model, x, path, **kwargs)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    manifest.append(
        {
            "file": f"{name}.onnx",
            "exporter": f"torch {torch.__version__} torch.onnx.export",
            "opset": m.opset_import[0].version,
            "batch": "dynamic" if dynamic_batch else input_shape[0],
            "input": list(input_shape[1:]),
            "operators": ops,
            "exercises": what,
        }
    )


# ---- the network of issue 17: conv + BN, a residual block, average pool, dropout, view ----
class IssueNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.conv3 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(8)
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.avg_pool2d(x, 2)
        y = F.relu(self.bn2(self.conv2(x)))
        y = self.bn3(self.conv3(y))
        x = F.relu(x + y)
        x = F.avg_pool2d(x, 2)
        x = self.drop(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


class AvgPoolPad(nn.Module):
    """F.avg_pool2d(x, 2): PyTorch 1.13 writes an all-zero Pad before the AveragePool."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.fc = nn.Linear(4 * 5 * 5, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(x, 1))


class ViewBatch(nn.Module):
    """x.view(x.size(0), -1): at batch 1 the exporter folds the target to the constant [1, -1]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=2)
        self.fc = nn.Linear(4 * 6 * 6, 10)

    def forward(self, x):
        x = F.relu(self.conv(x))
        return self.fc(x.view(x.size(0), -1))


class Flattens(nn.Module):
    def __init__(self, how):
        super().__init__()
        self.how = how
        self.conv = nn.Conv2d(3, 6, 3)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(6 * 6 * 6, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        if self.how == "nn-flatten":
            x = self.flat(x)
        elif self.how == "torch-flatten":
            x = torch.flatten(x, 1)
        elif self.how == "reshape-shape0":
            x = x.reshape(x.shape[0], -1)
        elif self.how == "view-minus1":
            x = x.view(-1, 6 * 6 * 6)
        return self.fc(x)


class BnPositions(nn.Module):
    """BN on the input, after ReLU, before a conv without bias, and after a linear (BatchNorm1d)."""

    def __init__(self):
        super().__init__()
        self.bn_in = nn.BatchNorm2d(3)
        self.conv1 = nn.Conv2d(3, 6, 3, bias=False)
        self.bn_post_relu = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 6, 3, stride=2)
        self.fc1 = nn.Linear(6 * 4 * 4, 16)
        self.bn_fc = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        x = self.bn_in(x)
        x = self.bn_post_relu(F.relu(self.conv1(x)))
        x = F.relu(self.conv2(x))
        x = torch.flatten(x, 1)
        x = F.relu(self.bn_fc(self.fc1(x)))
        return self.fc2(x)


class AvgPadded(nn.Module):
    def __init__(self, include):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=include)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(torch.flatten(self.gap(x), 1))


class SigmoidTanh(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.fc1 = nn.Linear(4 * 13 * 13, 12)
        self.fc2 = nn.Linear(12, 3)

    def forward(self, x):
        x = F.max_pool2d(torch.sigmoid(self.conv(x)), 2)
        x = torch.tanh(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


class MeanHead(nn.Module):
    """x.mean((2, 3)) as the global pool (ReduceMean, keepdims 0), and a 1x1 conv shortcut."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.short = nn.Conv2d(8, 16, 1, stride=2, bias=False)
        self.bn_s = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.bn2(self.conv2(x)) + self.bn_s(self.short(x)))
        return self.fc(x.mean((2, 3)))


class Concat(nn.Module):
    """torch.cat of two branches on the channel axis (an Inception-style block)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.b1 = nn.Conv2d(4, 3, 1)
        self.b2a = nn.Conv2d(4, 2, 1)
        self.b2b = nn.Conv2d(2, 5, 3, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.stem(x)), 2)
        y = torch.cat([F.relu(self.b1(x)), F.relu(self.b2b(F.relu(self.b2a(x))))], 1)
        y = F.max_pool2d(y, 2)
        return self.fc(torch.flatten(y, 1))


def torch_corpus():
    torch.manual_seed(1)
    export("issue17-net-batch1", IssueNet(), (1, 1, 28, 28),
           "the issue's network at the default batch 1: all-zero Pad + AveragePool, view(x.size(0), -1) "
           "folded to [1, -1], residual Add, BN after conv with and without bias, Dropout", seed=1)
    torch.manual_seed(1)
    export("issue17-net-dynamic", IssueNet(), (2, 1, 28, 28),
           "the same network with a dynamic batch axis: view(x.size(0), -1) as Shape-Gather-Unsqueeze-Concat",
           dynamic_batch=True, seed=1)
    torch.manual_seed(2)
    export("avg-pool2d-pad", AvgPoolPad(), (1, 1, 12, 12), "F.avg_pool2d(x, 2): all-zero Pad + AveragePool", seed=2)
    torch.manual_seed(3)
    export("view-size0-batch1", ViewBatch(), (1, 1, 13, 13), "x.view(x.size(0), -1) at batch 1 (Reshape to [1, -1])", seed=3)
    for k, how in enumerate(["nn-flatten", "torch-flatten", "reshape-shape0", "view-minus1"]):
        torch.manual_seed(10 + k)
        export(f"flatten-{how}", Flattens(how), (2, 3, 14, 14), f"flatten written as {how}",
               dynamic_batch=True, seed=10 + k)
    torch.manual_seed(20)
    export("bn-positions", BnPositions(), (1, 3, 11, 11),
           "BatchNormalization on the input, after ReLU, before a bias-free conv, after Gemm (BatchNorm1d)", seed=20)
    for k, include in enumerate([True, False]):
        torch.manual_seed(30 + k)
        export(f"avgpool-pad-count-include-{int(include)}", AvgPadded(include), (1, 1, 9, 9),
               f"AvgPool2d(3, 2, padding=1, count_include_pad={include}) and AdaptiveAvgPool2d(1)", seed=30 + k)
    torch.manual_seed(40)
    export("sigmoid-tanh", SigmoidTanh(), (1, 1, 28, 28), "Sigmoid after conv, Tanh after Gemm (MNIST-shaped input)", seed=40)
    torch.manual_seed(50)
    export("mean-head-opset11", MeanHead(), (1, 3, 8, 8),
           "x.mean((2, 3)) (ReduceMean keepdims 0), conv shortcut with BN, opset 11", opset=11, seed=50)
    torch.manual_seed(50)
    export("mean-head-opset9", MeanHead(), (1, 3, 8, 8), "the same network at opset 9", opset=9, seed=50)
    torch.manual_seed(60)
    export("concat-branches", Concat(), (1, 1, 16, 16), "torch.cat of two conv branches (Concat on channels)", seed=60)


# ---- graphs written with onnx.helper, as other tools and hand-written converters do ----
def helper_model(name, nodes, inits, input_shape, output_shape, what, opset):
    rng = np.random.default_rng(len(manifest) + 100)
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", *input_shape])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", *output_shape])],
        [numpy_helper.from_array(v.astype(np.float32) if v.dtype.kind == "f" else v, k) for k, v in inits.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="onnx.helper")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, f"{name}.onnx"))
    manifest.append(
        {
            "file": f"{name}.onnx",
            "exporter": f"onnx {onnx.__version__} helper",
            "opset": opset,
            "batch": "dynamic",
            "input": list(input_shape),
            "operators": sorted({n.op_type for n in nodes}),
            "exercises": what,
        }
    )
    del rng


def w(shape, seed, scale=0.4):
    return (np.random.default_rng(seed).random(shape) * 2 - 1) * scale


def helper_corpus():
    # Pad with non-zero symmetric pads folded into the following Conv; Conv without bias; Identity;
    # Flatten; Gemm with transB 0; pads as an initializer (opset 13).
    helper_model(
        "helper-pad-conv-opset13",
        [
            helper.make_node("Pad", ["x", "pads"], ["p"], mode="constant"),
            helper.make_node("Conv", ["p", "c_w"], ["c"], kernel_shape=[3, 3]),
            helper.make_node("Relu", ["c"], ["r"]),
            helper.make_node("Identity", ["r"], ["i"]),
            helper.make_node("MaxPool", ["i"], ["m"], kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node("Flatten", ["m"], ["f"], axis=1),
            helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["y"]),
        ],
        {
            "pads": np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64),
            "c_w": w((4, 2, 3, 3), 1),
            "fc_w": w((4 * 4 * 4, 6), 2),
            "fc_b": w((6,), 3),
        },
        [2, 8, 8],
        [6],
        "explicit Pad (1 on each side) folded into a bias-free Conv, Identity, Gemm transB 0",
        13,
    )
    # Opset 9 Pad (pads as an attribute) before an AveragePool; Dropout with ratio attribute;
    # Sigmoid; MatMul + Add bias; Reshape to a constant [-1, F].
    helper_model(
        "helper-pad-attr-opset9",
        [
            helper.make_node("Conv", ["x", "c_w", "c_b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            helper.make_node("Sigmoid", ["c"], ["s"]),
            helper.make_node("Pad", ["s"], ["p"], mode="constant", pads=[0, 0, 1, 1, 0, 0, 1, 1], value=0.0),
            helper.make_node("AveragePool", ["p"], ["a"], kernel_shape=[3, 3], strides=[2, 2]),
            helper.make_node("Dropout", ["a"], ["d"], ratio=0.3),
            helper.make_node("Reshape", ["d", "shape"], ["f"]),
            helper.make_node("MatMul", ["f", "fc_w"], ["mm"]),
            helper.make_node("Add", ["mm", "fc_b"], ["y"]),
        ],
        {
            "c_w": w((3, 1, 3, 3), 4),
            "c_b": w((3,), 5),
            "shape": np.array([-1, 3 * 4 * 4], dtype=np.int64),
            "fc_w": w((3 * 4 * 4, 5), 6),
            "fc_b": w((5,), 7),
        },
        [1, 8, 8],
        [5],
        "opset 9: Pad with attributes (zeros counted by the AveragePool), Sigmoid, Dropout ratio, MatMul + Add",
        9,
    )
    # GlobalAveragePool + Squeeze as the head, Tanh, Concat of an identity and a conv branch.
    helper_model(
        "helper-concat-gap-opset13",
        [
            helper.make_node("Conv", ["x", "a_w", "a_b"], ["a"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            helper.make_node("Tanh", ["a"], ["t"]),
            helper.make_node("Conv", ["t", "b_w"], ["b"], kernel_shape=[1, 1]),
            helper.make_node("Concat", ["t", "b"], ["cat"], axis=1),
            helper.make_node("GlobalAveragePool", ["cat"], ["g"]),
            helper.make_node("Squeeze", ["g", "axes"], ["sq"]),
            helper.make_node("Gemm", ["sq", "fc_w", "fc_b"], ["y"], transB=1),
        ],
        {
            "a_w": w((4, 2, 3, 3), 8),
            "a_b": w((4,), 9),
            "b_w": w((3, 4, 1, 1), 10),
            "axes": np.array([2, 3], dtype=np.int64),
            "fc_w": w((5, 7), 11),
            "fc_b": w((5,), 12),
        },
        [2, 6, 6],
        [5],
        "Tanh, Concat of the tensor itself and a conv of it, GlobalAveragePool + Squeeze, Gemm transB 1",
        13,
    )


if __name__ == "__main__":
    for f in os.listdir(HERE):
        if f.endswith(".onnx"):
            os.remove(os.path.join(HERE, f))
    torch_corpus()
    helper_corpus()
    with open(os.path.join(HERE, "MANIFEST.json"), "w") as fh:
        json.dump({"regenerate": "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 packages/onnx/corpus/make_corpus.py",
                   "files": manifest}, fh, indent=2)
        fh.write("\n")
    print(f"{len(manifest)} files written to {HERE}", file=sys.stderr)
