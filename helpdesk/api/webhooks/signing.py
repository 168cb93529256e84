"""The signature of a delivery: `Infolijn-Signature: t=<unix time>,v1=<hex>`.

v1 is HMAC-SHA256 with the endpoint's secret over "<t>.<body>" (the raw request body, bytes).
The receiver recomputes it, compares in constant time, and refuses a timestamp older than a few
minutes (a replayed delivery). docs/api.md has a receiver in a few lines.
"""

import hashlib
import hmac

HEADER = "Infolijn-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
