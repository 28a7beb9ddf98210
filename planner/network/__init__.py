"""Travel network: geometry, graph (roads, links), integer-seconds matrix."""
from .geometry import UNREACHABLE
from .matrix import TravelNetwork

__all__ = ["TravelNetwork", "UNREACHABLE"]
