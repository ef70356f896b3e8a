#!/usr/bin/python3
"""An independent Stream Liner client in the style of the playbook's Example 1 (Python websockets).

Usage: python_client.py BASE_URL TOKEN
Opens BASE_URL/calls, /queues and /agents with only `Authorization: Bearer TOKEN` (websockets 10.4:
extra_headers), reads JSON documents until the server sends the text frame "__end__", and prints one JSON
line: {"calls": {"status": 101, "documents": n, "id_calls": [...], "non_json": n}, ...}. A refused
handshake shows its HTTP status instead (e.g. 401). Exit code 3 when websockets cannot be imported.
"""
import asyncio
import json
import sys

try:
    import websockets
    from websockets.exceptions import ConnectionClosed, InvalidStatusCode
except ImportError as err:  # the Node test turns this into an install hint
    print(json.dumps({"import_error": str(err)}))
    sys.exit(3)

FEEDS = ("calls", "queues", "agents")


async def read_feed(base_url, token, feed):
    result = {"status": None, "documents": 0, "id_calls": [], "non_json": 0}
    try:
        async with websockets.connect(
            f"{base_url}/{feed}", extra_headers={"Authorization": "Bearer " + token}
        ) as websocket:
            result["status"] = 101
            while True:
                try:
                    message = await websocket.recv()
                except ConnectionClosed:
                    break
                if message == "__end__":
                    break
                try:
                    data = json.loads(message)
                except json.JSONDecodeError:
                    result["non_json"] += 1
                    continue
                result["documents"] += 1
                if data.get("id_call") not in result["id_calls"]:
                    result["id_calls"].append(data.get("id_call"))
    except InvalidStatusCode as err:
        result["status"] = err.status_code
    return result


async def main():
    base_url, token = sys.argv[1], sys.argv[2]
    results = await asyncio.wait_for(
        asyncio.gather(*(read_feed(base_url, token, feed) for feed in FEEDS)), timeout=60
    )
    print(json.dumps(dict(zip(FEEDS, results))))


if __name__ == "__main__":
    asyncio.run(main())
