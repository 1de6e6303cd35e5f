#!/usr/bin/env python3
"""Fits the Python `lifetimes` library's models to an RFM summary CSV, for BENCHMARKS.md.

The CSV is the one `RAPPORT_BENCH_CSV=FILE cargo bench --bench models` writes (columns
customer_id, frequency, recency, T, monetary_value), so both libraries fit the very same
customers. Usage: lifetimes-fit.py FILE bg|mbg|pareto [...]; prints the wall time of each
fit (time.perf_counter around `.fit`) and its parameters.
"""
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

MODELS = {"bg": BetaGeoFitter, "mbg": ModifiedBetaGeoFitter, "pareto": ParetoNBDFitter}


def main() -> None:
    data = pd.read_csv(sys.argv[1])
    print(f"{len(data)} customers", flush=True)
    for name in sys.argv[2:]:
        model = MODELS[name](penalizer_coef=0.0)
        start = time.perf_counter()
        model.fit(data["frequency"], data["recency"], data["T"])
        elapsed = time.perf_counter() - start
        params = ", ".join(f"{k} {v:.5f}" for k, v in model.params_.items())
        print(f"{name}: {elapsed:.1f} s ({params})", flush=True)


if __name__ == "__main__":
    main()
