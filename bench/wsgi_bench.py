"""The production app (configured from the environment) plus a hello-world endpoint, for `bench intake`:
the reference is served by the same gunicorn, the same workers and the same middleware in the same run."""

from __future__ import annotations

from caseflow.app import create_app

app = create_app()


@app.get("/_bench/hello")
def hello() -> str:
    """Hello, world: the floor of a request through Flask and gunicorn."""
    return "hello"
