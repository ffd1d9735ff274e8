"""Keyed random draws (docs/semantics.md T2): each draw is a pure function of seed, purpose, entity.

A draw never comes from a shared sequence, so a changed knob, an extra read or a rejected request
cannot shift unrelated draws; two versions of a plan fed the same incidents see the same numbers
wherever their entities agree (common random numbers for review and diff).
"""

from __future__ import annotations

import hashlib
import math

_TWO_53 = float(1 << 53)


class KeyedRandom:
    """Deterministic draws from a run seed. Keys are strings joined with a separator."""

    __slots__ = ("_keyed",)

    def __init__(self, seed: int) -> None:
        # blake2b takes a key of at most 64 bytes; hashing the seed's text admits any integer.
        key = hashlib.sha256(f"escsim:{seed}".encode()).digest()
        # Copying a hash that has taken the key skips keying it again on every draw.
        self._keyed = hashlib.blake2b(key=key, digest_size=32)

    def digest(self, *parts: str) -> bytes:
        """32 bytes that depend only on the seed and ``parts``."""
        hashed = self._keyed.copy()
        hashed.update("\x1f".join(parts).encode())
        return hashed.digest()

    def uniform(self, *parts: str) -> float:
        """A float in [0, 1)."""
        return as_uniform(self.digest(*parts))

    def uuid(self, *parts: str) -> str:
        """A version-4-shaped uuid, lower case."""
        return as_uuid(self.digest(*parts))

    def digits(self, count: int, *parts: str) -> str:
        """``count`` decimal digits, leading zeros kept: accept and activation codes."""
        return as_digits(self.digest(*parts), count)

    def lognormal(self, median: float, sigma: float, *parts: str) -> float:
        """A lognormal draw with the given median and shape (Box-Muller on two keyed uniforms)."""
        d = self.digest(*parts)
        u1 = ((int.from_bytes(d[:7], "big") >> 3) + 1) / (_TWO_53 + 1)
        u2 = (int.from_bytes(d[8:15], "big") >> 3) / _TWO_53
        z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        return median * math.exp(sigma * z)

    def exponential(self, mean: float, *parts: str) -> float:
        """An exponential draw with the given mean."""
        u = self.uniform(*parts)
        return -mean * math.log(1.0 - u)


# One digest can serve several draws of one entity: callers slice it and convert the parts.


def as_uniform(data: bytes) -> float:
    """A float in [0, 1) from the first 7 bytes."""
    return (int.from_bytes(data[:7], "big") >> 3) / _TWO_53


def as_uuid(data: bytes) -> str:
    """A version-4-shaped uuid from the first 16 bytes."""
    h = data[:16].hex()
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def as_digits(data: bytes, count: int) -> str:
    """``count`` decimal digits from the first 8 bytes."""
    number = int.from_bytes(data[:8], "big") % (10**count)
    return f"{number:0{count}d}"
