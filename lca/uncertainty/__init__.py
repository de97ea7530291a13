"""Uncertainty and scale: sampling, the batched engine, Monte Carlo, Sobol indices, Dask sweeps."""
