"""Travel network: geometry, graph (roads, links), integer-seconds matrix."""
from .matrix import UNREACHABLE, TravelNetwork

__all__ = ["TravelNetwork", "UNREACHABLE"]
