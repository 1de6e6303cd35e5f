"""Schemathesis hooks for scripts/contract-fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

`POST /v1/imports` takes a file as its body, documented as a string under `text/csv` and
`application/x-ndjson`; schemathesis serializes `text/*` itself but has no serializer for
NDJSON, so it would report the operation as an error instead of testing it. The generated
string is sent as it is (UTF-8), like a CSV body.
"""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    # A non-string value (negative testing): one JSON document per line.
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode("utf-8")
