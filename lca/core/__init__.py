"""Core layer: units, distributions, parameters, sources, stages, biosphere flows, atomic files."""
