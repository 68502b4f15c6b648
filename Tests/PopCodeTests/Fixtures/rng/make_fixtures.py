#!/usr/bin/env python3
"""Generates the golden numpy streams the Swift RNG tests compare against, bit for bit.

Run once from this directory (`python3 make_fixtures.py`); the JSON files it writes are
committed and the Swift tests never need Python. Made with numpy 2.4.6 on Linux x86-64.

Encoding, so that nothing is lost in text:
  * 64-bit integers and doubles are 16-digit lowercase hex strings; a double is stored as
    its IEEE-754 bit pattern (`struct.pack('<d')`), e.g. 1.5 -> "3ff8000000000000".
  * 128-bit PCG64 state and increment are "0x" + 32 hex digits.
  * Permutations are plain JSON integers.
  * FNV-1a (64-bit) hashes run over each element's 8 little-endian bytes
    (int64 for permutations, the bit pattern for doubles) and are stored as hex.

Files:
  seed_sequence.json          SeedSequence(seed): pool, generate_state(8, uint32),
                              generate_state(4, uint64), and PCG64(seed).state.
  pcg64_raw.json              PCG64(seed).random_raw(1000).
  mixed_stream.json           rng = default_rng(seed), then in this order:
                              uniform(1.5, 5.5, 300), normal(0, 0.01, 500),
                              normal(0, 0.17, 2000), permutation(2000), random(10),
                              permutation(5), normal(0, 1, 3); plus rng's final state.
  permutation_100000.json     default_rng(1000).permutation(100000): FNV-1a hash,
                              first and last 1000 elements, final state.
  standard_normal_bulk.json   default_rng(7).standard_normal(200000): FNV-1a hash,
                              first 100 values, every value from the ziggurat tail
                              (|x| > ziggurat_nor_r) with its index, final state.
  random_interval.json        numpy's C `random_interval(bitgen, max)` (the bounded draw
                              behind shuffle) called through ctypes on PCG64(1001) for a
                              cycle of bounds covering the 32-bit (buffered) and 64-bit
                              branches; the bounds, values and final state.
  ziggurat_probes.json        standard_normal() from hand-made PCG64 states whose next two
                              raw outputs are chosen (see `crafted_state`), so that every
                              table entry is hit exactly at its decision boundary:
                                ki    every layer, magnitude ki[i] - 1 (accepted at once)
                                      and ki[i] (rejected); ki[i] itself is found by
                                      bisection on numpy's own behaviour;
                                wedge layers 1-255, a magnitude between ki[i] and 2**52,
                                      and the two neighbouring 53-bit uniforms around
                                      which numpy's wedge test flips (found by bisection);
                                tail  layer 0 tail draws whose first uniform gives a
                                      different result with log(1 - u) than with numpy's
                                      log1p(-u), accepted on the first try.
                              Each case: start state and increment, the value, the state
                              after the call.
"""
import ctypes
import json
import math
import random
import struct

import numpy as np
import numpy.random._generator as numpy_generator

SEEDS = [0, 1, 7, 1000, 1001, 2**32 + 5, 123456789012]
ZIGGURAT_NOR_R = 3.6541528853610087963519472518
ZIGGURAT_NOR_INV_R = 0.27366123732975827203338247596
PCG_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
MASK64 = 2**64 - 1
MASK128 = 2**128 - 1


def hex64(value):
    return f"{int(value):016x}"


def double_bits(value):
    return hex64(struct.unpack("<Q", struct.pack("<d", float(value)))[0])


def doubles(values):
    return [double_bits(v) for v in values]


def fnv1a64(words):
    h = 0xCBF29CE484222325
    for word in words:
        for byte in struct.pack("<Q", int(word) & 0xFFFFFFFFFFFFFFFF):
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return hex64(h)


def pcg_state(bit_generator):
    state = bit_generator.state
    return {
        "state": f"0x{state['state']['state']:032x}",
        "inc": f"0x{state['state']['inc']:032x}",
        "has_uint32": int(state["has_uint32"]),
        "uinteger": int(state["uinteger"]),
    }


def write(name, payload):
    with open(name, "w") as handle:
        json.dump(payload, handle, separators=(",", ":"))
        handle.write("\n")


def seed_sequence():
    cases = []
    for seed in SEEDS:
        sequence = np.random.SeedSequence(seed)
        cases.append({
            "seed": seed,
            "pool": [int(w) for w in sequence.pool],
            "state32": [int(w) for w in sequence.generate_state(8, np.uint32)],
            "state64": [hex64(w) for w in sequence.generate_state(4, np.uint64)],
            "pcg64": pcg_state(np.random.PCG64(seed)),
        })
    return {"numpy": np.__version__, "cases": cases}


def pcg64_raw():
    cases = []
    for seed in SEEDS:
        raw = np.random.PCG64(seed).random_raw(1000)
        cases.append({"seed": seed, "raw": [hex64(v) for v in raw]})
    return {"numpy": np.__version__, "cases": cases}


def mixed_stream():
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        cases.append({
            "seed": seed,
            "uniform_1_5_5_5_300": doubles(rng.uniform(1.5, 5.5, 300)),
            "normal_0_0_01_500": doubles(rng.normal(0, 0.01, 500)),
            "normal_0_0_17_2000": doubles(rng.normal(0, 0.17, 2000)),
            "permutation_2000": [int(v) for v in rng.permutation(2000)],
            "random_10": doubles(rng.random(10)),
            "permutation_5": [int(v) for v in rng.permutation(5)],
            "normal_0_1_3": doubles(rng.normal(0, 1, 3)),
            "final_state": pcg_state(rng.bit_generator),
        })
    return {"numpy": np.__version__, "cases": cases}


def permutation_100000():
    seed, count = 1000, 100000
    rng = np.random.default_rng(seed)
    values = rng.permutation(count)
    return {
        "numpy": np.__version__, "seed": seed, "count": count,
        "fnv1a64": fnv1a64(values),
        "head": [int(v) for v in values[:1000]],
        "tail": [int(v) for v in values[-1000:]],
        "final_state": pcg_state(rng.bit_generator),
    }


def standard_normal_bulk():
    seed, count = 7, 200000
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(count)
    bits = values.view(np.uint64)
    tail = [{"index": int(i), "value": double_bits(values[i])}
            for i in np.nonzero(np.abs(values) > ZIGGURAT_NOR_R)[0]]
    return {
        "numpy": np.__version__, "seed": seed, "count": count,
        "fnv1a64": fnv1a64(bits),
        "head": doubles(values[:100]),
        "tail_values": tail,
        "final_state": pcg_state(rng.bit_generator),
    }


def random_interval():
    library = ctypes.CDLL(numpy_generator.__file__)
    library.random_interval.restype = ctypes.c_uint64
    library.random_interval.argtypes = [ctypes.c_void_p, ctypes.c_uint64]
    seed = 1001
    bit_generator = np.random.PCG64(seed)
    handle = bit_generator.ctypes.bit_generator.value
    bounds = [0, 1, 2, 5, 6, 100, 2**31, 2**32 - 2, 2**32 - 1, 2**32, 2**33 + 17,
              2**53, 2**63 + 5, 2**64 - 1, 3, 999_999]
    maxes, values = [], []
    for _ in range(40):
        for bound in bounds:
            maxes.append(hex64(bound))
            values.append(hex64(library.random_interval(handle, bound)))
    return {
        "numpy": np.__version__, "seed": seed, "maxes": maxes, "values": values,
        "final_state": pcg_state(bit_generator),
    }


def rotate_left(value, count):
    return ((value << count) | (value >> (64 - count))) & MASK64 if count else value


def output_state(output, rnd):
    """A random 128-bit PCG64 state whose XSL-RR output is `output`."""
    high = rnd.getrandbits(64)
    return high << 64 | (rotate_left(output, high >> 58) ^ high)


def crafted_state(first, second, rnd):
    """(start, inc, after1, after2): a PCG64 state and odd increment whose next two
    raw outputs are `first` and `second`, and the states after one and two steps."""
    after1 = output_state(first, rnd)
    while True:
        after2 = output_state(second, rnd)
        inc = (after2 - PCG_MULTIPLIER * after1) & MASK128
        if inc & 1:
            break
    start = ((after1 - inc) * pow(PCG_MULTIPLIER, -1, 2**128)) & MASK128
    return start, inc, after1, after2


def ziggurat_probes():
    rnd = random.Random(20240601)
    bit_generator = np.random.PCG64(0)
    generator = np.random.Generator(bit_generator)

    def normal_from(first, second):
        start, inc, after1, after2 = crafted_state(first, second, rnd)
        bit_generator.state = {"bit_generator": "PCG64",
                               "state": {"state": start, "inc": inc},
                               "has_uint32": 0, "uinteger": 0}
        value = generator.standard_normal()
        final = bit_generator.state["state"]["state"]
        steps = 1 if final == after1 else 2 if final == after2 else 3
        return value, {"state": f"0x{start:032x}", "inc": f"0x{inc:032x}",
                       "value": double_bits(value), "final": f"0x{final:032x}"}, steps, after2

    def raw_normal(layer, magnitude, sign):
        return rnd.getrandbits(3) << 61 | magnitude << 9 | sign << 8 | layer

    def raw_uniform(numerator):
        return numerator << 11 | rnd.getrandbits(11)

    cases = []
    thresholds = []
    for layer in range(256):
        low, high = 0, 2**52  # bisect for the smallest magnitude not accepted at once
        while low < high:
            middle = (low + high) // 2
            _, _, steps, _ = normal_from(raw_normal(layer, middle, rnd.getrandbits(1)),
                                         rnd.getrandbits(64))
            low, high = (middle + 1, high) if steps == 1 else (low, middle)
        thresholds.append(low)
        for magnitude in (low - 1, low):
            if 0 <= magnitude < 2**52:
                _, case, _, _ = normal_from(raw_normal(layer, magnitude, rnd.getrandbits(1)),
                                            rnd.getrandbits(64))
                cases.append({"kind": "ki", "layer": layer, **case})

    for layer in range(1, 256):
        magnitude = (thresholds[layer] + 2**52) // 2
        first = raw_normal(layer, magnitude, rnd.getrandbits(1))
        low, high = 0, 2**53  # bisect for the smallest uniform the wedge test rejects
        while low < high:
            middle = (low + high) // 2
            _, _, steps, _ = normal_from(first, raw_uniform(middle))
            low, high = (middle + 1, high) if steps == 2 else (low, middle)
        for numerator in (low - 1, low):
            if 0 <= numerator < 2**53:
                _, case, _, _ = normal_from(first, raw_uniform(numerator))
                cases.append({"kind": "wedge", "layer": layer, **case})

    tail_cases = 0
    while tail_cases < 8:
        magnitude = rnd.randrange(thresholds[0], 2**52)
        numerator = rnd.randrange(1, 2**52)
        uniform = numerator * (1.0 / 9007199254740992.0)
        xx = -ZIGGURAT_NOR_INV_R * math.log1p(-uniform)
        if xx == -ZIGGURAT_NOR_INV_R * math.log(1.0 - uniform):
            continue
        value, case, steps, after2 = normal_from(raw_normal(0, magnitude, rnd.getrandbits(1)),
                                                 raw_uniform(numerator))
        expected = -(ZIGGURAT_NOR_R + xx) if (magnitude >> 8) & 1 else ZIGGURAT_NOR_R + xx
        if case["final"] == f"0x{(PCG_MULTIPLIER * after2 + int(case['inc'], 16)) & MASK128:032x}":
            assert value == expected, "numpy's tail no longer uses log1p(-u)"
            cases.append({"kind": "tail", "layer": 0, **case})
            tail_cases += 1
    return {"numpy": np.__version__, "cases": cases}


if __name__ == "__main__":
    write("seed_sequence.json", seed_sequence())
    write("pcg64_raw.json", pcg64_raw())
    write("mixed_stream.json", mixed_stream())
    write("permutation_100000.json", permutation_100000())
    write("standard_normal_bulk.json", standard_normal_bulk())
    write("random_interval.json", random_interval())
    write("ziggurat_probes.json", ziggurat_probes())
