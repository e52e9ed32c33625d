"""The ASGI entry of a checkout: `uvicorn server:app` serves the store named by DIPLOGRAPH_STORE (default
.diplograph/) read-only. The endpoint itself is kg/server.py; `kg serve` is the usual way to run it."""

import os

from kg.server import Settings, create_app
from kg.store import DEFAULT_PATH

app = create_app(Settings(store=os.environ.get("DIPLOGRAPH_STORE", str(DEFAULT_PATH))))
