//! End-to-end tests live in `tests/e2e/`: one test binary against the real server.
