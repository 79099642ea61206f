"""Schemathesis hooks for Steward: strategies for Steward's custom scalars, and
the checks that matter for a GraphQL API under hostile input: no 5xx, always
a well-formed GraphQL response, no internal errors, nothing internal leaked.
(Expected GraphQL errors such as VALIDATION or NOT_FOUND are correct answers.)"""

import re

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar("NaiveDate", st.dates().map(lambda d: nodes.String(d.isoformat())))
schemathesis.graphql.scalar(
    "DateTime", st.datetimes().map(lambda d: nodes.String(d.isoformat() + "Z"))
)
schemathesis.graphql.scalar(
    "Decimal",
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**12, max_value=10**12).map(
        lambda d: nodes.String(str(d))
    ),
)

LEAKS = re.compile(r"sqlx|sea_orm|sea-orm|postgres|sqlite|panicked|backtrace|\.rs:\d+|/root/|select\s.+\sfrom", re.I)


@schemathesis.check
def steward_sound_response(ctx, response, case):
    if response.status_code >= 500:
        raise AssertionError(f"server error {response.status_code}")
    try:
        body = response.json()
    except Exception as e:  # noqa: BLE001
        raise AssertionError(f"not JSON: {e}") from e
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        raise AssertionError("not a GraphQL response")
    for err in body.get("errors") or []:
        message = err.get("message")
        code = (err.get("extensions") or {}).get("code")
        if not isinstance(message, str) or not code:
            raise AssertionError(f"error without message or code: {err}")
        if code == "INTERNAL":
            raise AssertionError(f"internal error: {err}")
        if LEAKS.search(message):
            raise AssertionError(f"internal detail in an error message: {message}")
