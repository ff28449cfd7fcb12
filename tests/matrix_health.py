"""Access-matrix entry of the liveness probe, the floor of ``make bench``: open to everyone."""

from tests.matrix import everyone

EXPECTATIONS = {"healthz": everyone(200)}
