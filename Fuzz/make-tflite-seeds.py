#!/usr/bin/env python3
"""Writes tiny TFLite models (a few hundred bytes) that use every operator the runtime runs.

They are seeds for the `tflite` fuzz target: the pose models are megabytes of weights, so
most mutations of them only change weights, and each one takes long to plan and run. These
load, plan and run in microseconds. Standard library only (a minimal FlatBuffer writer).

Usage: Fuzz/make-tflite-seeds.py OUTPUT_DIRECTORY
"""
import struct
import sys
from pathlib import Path


class Table:
    """A FlatBuffer table: field index → (kind, value); kind is a struct code or 'ref'."""

    def __init__(self, **fields):
        self.fields = fields  # name f<index>=(kind, value)


class Vector:
    def __init__(self, kind, values, align=4):
        self.kind, self.values, self.align = kind, values, align


class Bytes:
    def __init__(self, data):
        self.data = data


class Text:
    def __init__(self, text):
        self.text = text


class Writer:
    """Lays objects out parent first (uoffsets point forward), then patches the offsets."""

    def __init__(self):
        self.out = bytearray()

    def pad(self, align):
        while len(self.out) % align:
            self.out.append(0)

    def write(self, obj):
        if isinstance(obj, Table):
            return self.table(obj)
        if isinstance(obj, Vector):
            return self.vector(obj)
        if isinstance(obj, Bytes):
            return self.vector(Vector("B", list(obj.data), align=16))
        if isinstance(obj, Text):
            data = obj.text.encode() + b"\0"
            self.pad(4)
            start = len(self.out)
            self.out += struct.pack("<I", len(data) - 1) + data
            return start
        raise TypeError(obj)

    def table(self, table):
        fields = sorted((int(name[1:]), kind, value) for name, (kind, value) in table.fields.items())
        count = fields[-1][0] + 1 if fields else 0
        # Table body: soffset, then every field 4-byte aligned (8 for u64).
        layout, size = {}, 4
        for index, kind, _ in fields:
            width = 4 if kind == "ref" else struct.calcsize("<" + kind)
            align = max(width, 1) if width in (1, 2, 4, 8) else 4
            size = (size + align - 1) // align * align
            layout[index] = size
            size += width
        size = (size + 3) // 4 * 4
        vtable = struct.pack("<HH", 4 + 2 * count, size) + b"".join(
            struct.pack("<H", layout.get(i, 0)) for i in range(count))
        self.pad(2)
        vtable_start = len(self.out)
        self.out += vtable
        self.pad(8)
        start = len(self.out)
        self.out += bytes(size)
        struct.pack_into("<i", self.out, start, start - vtable_start)
        refs = []
        for index, kind, value in fields:
            position = start + layout[index]
            if kind == "ref":
                refs.append((position, value))
            else:
                struct.pack_into("<" + kind, self.out, position, value)
        for position, value in refs:
            target = self.write(value)
            struct.pack_into("<I", self.out, position, target - position)
        return start

    def vector(self, vector):
        width = 4 if vector.kind == "ref" else struct.calcsize("<" + vector.kind)
        # The length sits just before the elements, which get the vector's alignment.
        while (len(self.out) + 4) % vector.align:
            self.out.append(0)
        start = len(self.out)
        self.out += struct.pack("<I", len(vector.values)) + bytes(width * len(vector.values))
        refs = []
        for i, value in enumerate(vector.values):
            position = start + 4 + i * width
            if vector.kind == "ref":
                refs.append((position, value))
            else:
                struct.pack_into("<" + vector.kind, self.out, position, value)
        for position, value in refs:
            target = self.write(value)
            struct.pack_into("<I", self.out, position, target - position)
        return start


def model(opcodes, tensors, inputs, outputs, operators, buffers):
    """`tensors`: (name, shape, type, buffer); `operators`: (opcode index, inputs, outputs,
    options type, options Table or None); `buffers`: bytes (buffer 0 must be empty)."""
    root = Table(
        f0=("I", 3),
        f1=("ref", Vector("ref", [Table(f0=("b", min(code, 127)), f3=("i", code)) for code in opcodes])),
        f2=("ref", Vector("ref", [Table(
            f0=("ref", Vector("ref", [Table(
                f0=("ref", Vector("i", shape)), f1=("b", kind), f2=("I", buffer),
                f3=("ref", Text(name))) for name, shape, kind, buffer in tensors])),
            f1=("ref", Vector("i", inputs)),
            f2=("ref", Vector("i", outputs)),
            f3=("ref", Vector("ref", [Table(
                f0=("I", code), f1=("ref", Vector("i", ins)), f2=("ref", Vector("i", outs)),
                **({"f3": ("B", options_type), "f4": ("ref", options)} if options else {}))
                for code, ins, outs, options_type, options in operators])),
        )])),
        f3=("ref", Text("buddy fuzz seed")),
        f4=("ref", Vector("ref", [Table(f0=("ref", Bytes(data))) if data else Table()
                                  for data in buffers])),
    )
    writer = Writer()
    writer.out += bytes(8)  # root offset, file identifier
    start = writer.write(root)
    struct.pack_into("<I", writer.out, 0, start)
    writer.out[4:8] = b"TFL3"
    return bytes(writer.out)


def floats(*values):
    return struct.pack(f"<{len(values)}f", *values)


def ints(*values):
    return struct.pack(f"<{len(values)}i", *values)


def halves(*values):
    return struct.pack(f"<{len(values)}e", *values)


F32, F16, I32 = 0, 1, 2
ADD, CONCAT, CONV, DWCONV, D2S, DEQUANT, LOGISTIC, MAXPOOL, RESHAPE, RESIZE, PAD = (
    0, 2, 3, 4, 5, 6, 14, 17, 22, 23, 34)

# Convolutions: CONV_2D (SAME, RELU6) → DEPTHWISE (VALID) → ADD → LOGISTIC.
convolutions = model(
    opcodes=[CONV, DWCONV, ADD, LOGISTIC],
    tensors=[
        ("input", [1, 4, 4, 3], F32, 0),
        ("conv/filter", [2, 3, 3, 3], F32, 1),
        ("conv/bias", [2], F32, 2),
        ("conv", [1, 4, 4, 2], F32, 0),
        ("dw/filter", [1, 3, 3, 2], F32, 3),
        ("dw/bias", [2], F32, 4),
        ("dw", [1, 2, 2, 2], F32, 0),
        ("add", [1, 2, 2, 2], F32, 0),
        ("Identity", [1, 2, 2, 2], F32, 0),
    ],
    inputs=[0], outputs=[8, 3],
    operators=[
        (0, [0, 1, 2], [3], 1, Table(f0=("b", 0), f1=("i", 1), f2=("i", 1), f3=("b", 3))),
        (1, [3, 4, 5], [6], 2, Table(f0=("b", 1), f1=("i", 1), f2=("i", 1), f3=("i", 1))),
        (2, [6, 6], [7], 11, Table(f0=("b", 0))),
        (3, [7], [8], 0, None),
    ],
    buffers=[b"", floats(*[0.01 * i for i in range(54)]), floats(0.5, -0.5),
             floats(*[0.1 * i for i in range(18)]), floats(0.0, 1.0)],
)

# Shapes: MAX_POOL_2D → PAD → CONCATENATION → RESHAPE (options new_shape [1, -1]).
shapes = model(
    opcodes=[MAXPOOL, PAD, CONCAT, RESHAPE],
    tensors=[
        ("input", [1, 4, 4, 2], F32, 0),
        ("pool", [1, 2, 2, 2], F32, 0),
        ("paddings", [4, 2], I32, 1),
        ("pad", [1, 4, 4, 2], F32, 0),
        ("concat", [1, 4, 4, 4], F32, 0),
        ("Identity", [1, 64], F32, 0),
    ],
    inputs=[0], outputs=[5],
    operators=[
        (0, [0], [1], 5, Table(f0=("b", 1), f1=("i", 2), f2=("i", 2), f3=("i", 2), f4=("i", 2))),
        (1, [1, 2], [3], 22, Table()),
        (2, [0, 3], [4], 10, Table(f0=("i", 3), f1=("b", 0))),
        (3, [4], [5], 17, Table(f0=("ref", Vector("i", [1, -1])))),
    ],
    buffers=[b"", ints(0, 0, 1, 1, 1, 1, 0, 0)],
)

# Upsampling: DEPTH_TO_SPACE → RESIZE_BILINEAR (half-pixel), plus a float16 constant
# DEQUANTIZEd at load time and ADDed.
upsampling = model(
    opcodes=[D2S, RESIZE, DEQUANT, ADD],
    tensors=[
        ("input", [1, 2, 2, 4], F32, 0),
        ("d2s", [1, 4, 4, 1], F32, 0),
        ("size", [2], I32, 1),
        ("resize", [1, 8, 8, 1], F32, 0),
        ("half", [1, 8, 8, 1], F16, 2),
        ("dequantized", [1, 8, 8, 1], F32, 0),
        ("Identity", [1, 8, 8, 1], F32, 0),
    ],
    inputs=[0], outputs=[6],
    operators=[
        (0, [0], [1], 94, Table(f0=("i", 2))),
        (1, [1, 2], [3], 15, Table(f2=("B", 0), f3=("B", 1))),
        (2, [4], [5], 0, None),
        (3, [3, 5], [6], 11, Table(f0=("b", 3))),
    ],
    buffers=[b"", ints(8, 8), halves(*[0.25 * (i % 7) for i in range(64)])],
)

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, data in [("convolutions", convolutions), ("shapes", shapes),
                       ("upsampling", upsampling)]:
        (out / f"{name}.tflite").write_bytes(data)
        print(f"{name}.tflite: {len(data)} bytes")
