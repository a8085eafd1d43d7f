"""The bare baseline: a FastAPI app whose one ``async def`` route returns a dict.

Served by uvicorn with the options ``fangkong serve`` uses (uvloop and httptools from
``uvicorn[standard]``, ``proxy_headers``, no ``Server`` header), two workers by default, and
no access log. Every benchmark ratio in ``BENCHMARKS.md`` is measured against this app.

Run it by hand with ``.venv/bin/python bench/hello_app.py --port 8001``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def hello() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    import uvicorn  # noqa: PLC0415 - only the server needs it, not an importer of ``app``

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    uvicorn.run(
        "hello_app:app", app_dir=str(Path(__file__).parent), host=args.host, port=args.port,
        workers=args.workers, proxy_headers=True, server_header=False, access_log=False,
        log_level="warning",
    )  # fmt: skip


if __name__ == "__main__":
    main()
