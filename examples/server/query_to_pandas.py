#!/usr/bin/env python3
"""Queries a `docket serve` into a pandas DataFrame (spec §8).

    python3 query_to_pandas.py http://127.0.0.1:8470 'treason[2015..2024]'

Each statement that prints gives one result; this takes the first, whose
rows become the DataFrame's rows and whose fields its columns (in the
order of spec §4). `lo`/`hi` are numbers (`hi` is NaN when unbounded),
`approx` a boolean, every other field a string. Prints the DataFrame's
series, period, value and source as CSV. Debian: python3-pandas,
python3-requests. Run by tests/e2e/serve_test.cc.
"""
import sys

import pandas as pd
import requests


def query(base_url, statements):
    """The first result of `statements` as a DataFrame; raises on an error object."""
    answer = requests.get(f"{base_url}/api/v1/query", params={"q": statements}, timeout=30)
    body = answer.json()
    if "error" in body:
        error = body["error"]
        raise RuntimeError(f"{error['kind']} (HTTP {answer.status_code}): {error['message']}")
    first = body["results"][0]
    return pd.DataFrame(first["rows"], columns=first["fields"])


def main():
    base_url, statements = sys.argv[1], sys.argv[2]
    frame = query(base_url, statements)
    sys.stdout.write(frame[["series", "period", "value", "source"]].to_csv(index=False))


if __name__ == "__main__":
    main()
