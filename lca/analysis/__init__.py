"""Analysis layer: comparison, break-even, tornado, sampling, the batched engine, Monte Carlo, Sobol, sweeps."""
