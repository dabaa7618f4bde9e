"""One LeNet-5 training epoch in PyTorch CPU (the baseline of bench/aware-epoch.bench.ts).

Same network (zoo lenet5: conv 6@5x5 pad 2, pool, conv 16@5x5, pool, 120, 84, 10), batch 64,
SGD lr 0.01 momentum 0.9, last partial batch dropped, on the images the bench passes as raw files.
Usage: python3 lenet5_epoch_torch.py <images.f32> <labels.u8> <count> <threads>
Prints one line: `seconds <wall s> cpu <CPU s of all threads>`. Run with Debian's /usr/bin/python3 (python3-torch); the bench unsets
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this process only (with them set the epoch is ~30x slower).
"""
import sys
import time

import numpy as np
import torch
from torch import nn

images_path, labels_path, count, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(1)
x = torch.from_numpy(np.fromfile(images_path, dtype=np.float32).reshape(count, 1, 28, 28))
y = torch.from_numpy(np.fromfile(labels_path, dtype=np.uint8).astype(np.int64))
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
order = torch.randperm(count)
t0 = time.perf_counter()
c0 = time.process_time()
for b in range(count // 64):
    idx = order[b * 64:(b + 1) * 64]
    opt.zero_grad()
    loss = loss_fn(model(x[idx]), y[idx])
    loss.backward()
    opt.step()
print(f"seconds {time.perf_counter() - t0:.3f} cpu {time.process_time() - c0:.3f}")
