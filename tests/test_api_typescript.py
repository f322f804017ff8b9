"""A frontend's view of the contract: generate the TypeScript client from the served
`/schema/openapi.json` with openapi-typescript and type-check the sample module
(`tests/contract/sample.ts`: sign in, list members with the cursor, handle a 402 by `kind`)
with `tsc --noEmit`. The npm packages are pinned in `tests/contract/package-lock.json`;
`.ci/run` installs them (`npm ci`) before `make test`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.api_client import Api

CONTRACT = Path(__file__).resolve().parent / "contract"
BIN = CONTRACT / "node_modules" / ".bin"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=CONTRACT, capture_output=True, text=True, timeout=300)


def test_the_generated_typescript_client_type_checks_the_sample(api: Api) -> None:
    assert shutil.which("node"), "Node.js is needed (Node 20 comes with the CI machines)"
    assert (BIN / "openapi-typescript").exists() and (BIN / "tsc").exists(), (
        "run `npm ci` in tests/contract (.ci/run does)"
    )
    response = api.get("/schema/openapi.json")
    assert response.status_code == 200
    (CONTRACT / "openapi.json").write_text(json.dumps(response.json(), indent=1))
    generated = _run(str(BIN / "openapi-typescript"), "openapi.json", "-o", "generated/api.d.ts")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    types = (CONTRACT / "generated" / "api.d.ts").read_text()
    assert "members_list: {" in types and '"limit_exceeded"' in types
    checked = _run(str(BIN / "tsc"), "--noEmit", "-p", ".")
    assert checked.returncode == 0, checked.stdout + checked.stderr
