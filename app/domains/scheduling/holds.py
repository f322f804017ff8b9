"""Slot holds of the public booking page, kept in Redis.

One hash per organization (`scheduling:holds:<org>`) maps a hold's token to
`specialist|start|end|expires|client` (epoch seconds). One Lua script places a hold: it
drops expired entries, then refuses the hold when the token already holds a slot, the client
address keeps its maximum, or the range overlaps a live hold of the same specialist; else it
stores it. Redis runs a script atomically, so of two concurrent holds for the last free
specialist of a slot exactly one is stored. Holds expire by their own expiry (the key's TTL
only collects an idle organization's hash). Availability and booking receive the live holds
as a parameter; a change is published on `scheduling:calendar:<id>` for the live stream.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from app.domains.tenancy.public import namespaced

PLACE = """
local key = KEYS[1]
local token, specialist = ARGV[1], ARGV[2]
local s, e, now, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local client, per_client = ARGV[7], tonumber(ARGV[8])
local entries = redis.call('HGETALL', key)
local mine = 0
for i = 1, #entries, 2 do
  local t, v = entries[i], entries[i + 1]
  local sp, hs, he, ex, cl = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  if tonumber(ex) <= now then
    redis.call('HDEL', key, t)
  else
    if t == token then return 'token' end
    if cl == client then mine = mine + 1 end
    if sp == specialist and tonumber(hs) < e and s < tonumber(he) then return 'taken' end
  end
end
if mine >= per_client then return 'client' end
local value = specialist .. '|' .. s .. '|' .. e .. '|' .. (now + ttl)
redis.call('HSET', key, token, value .. '|' .. client)
local left = redis.call('TTL', key)
if left < ttl then redis.call('EXPIRE', key, ttl) end
return 'ok'
"""

RELEASE = """
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
"""


@dataclass(frozen=True)
class Hold:
    token: str
    specialist_id: str
    start: int
    end: int
    expires: int


def holds_key(prefix: str, org_id: str) -> str:
    return namespaced(prefix, f"scheduling:holds:{org_id}")


def channel(prefix: str, calendar_id: str) -> str:
    return namespaced(prefix, f"scheduling:calendar:{calendar_id}")


async def live(redis, prefix: str, org_id: str) -> list[Hold]:
    """The organization's holds that have not expired."""
    now = int(time.time())
    found = []
    for token, value in (await redis.hgetall(holds_key(prefix, org_id))).items():
        token = token.decode() if isinstance(token, bytes) else token
        value = value.decode() if isinstance(value, bytes) else value
        specialist, start, end, expires, _client = value.split("|", 4)
        if int(expires) > now:
            found.append(Hold(token, specialist, int(start), int(end), int(expires)))
    return found


def as_parameter(holds: list[Hold], *, except_token: str | None = None) -> str:
    """The holds as the SQL functions' `holds` parameter."""
    return json.dumps(
        [
            {
                "specialist_id": h.specialist_id,
                "start": datetime.fromtimestamp(h.start, UTC).isoformat(),
                "end": datetime.fromtimestamp(h.end, UTC).isoformat(),
            }
            for h in holds
            if h.token != except_token
        ]
    )


async def place(redis, prefix, org_id, token, specialist_id, start, end, ttl, client, per_client):
    """'ok', or why not: 'token' (it holds a slot), 'client' (at its maximum), 'taken'."""
    result = await redis.eval(
        PLACE,
        1,
        holds_key(prefix, org_id),
        token,
        specialist_id,
        start,
        end,
        int(time.time()),
        ttl,
        client,
        per_client,
    )
    return result.decode() if isinstance(result, bytes) else result


async def release(redis, prefix: str, org_id: str, token: str) -> bool:
    return bool(await redis.eval(RELEASE, 1, holds_key(prefix, org_id), token))
