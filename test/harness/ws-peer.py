# An independent WebSocket peer for the tests: Debian's python3-websockets.
# Usage: ws-peer.py URL TEXT ; prints the server's first message (the
# fixture's hello), then the echo of "echo:TEXT", then the extensions the
# server agreed to ("none"), one per line. The client offers
# permessage-deflate, as python3-websockets does by default.
import asyncio
import sys

import websockets


def agreed_extensions(ws) -> str:
    # The newer client keeps the handshake response; the legacy one its headers.
    response = getattr(ws, "response", None)
    headers = response.headers if response is not None else ws.response_headers
    return headers.get("Sec-WebSocket-Extensions") or "none"


async def main(url: str, text: str) -> None:
    async with websockets.connect(url, open_timeout=20, close_timeout=5, max_size=2**24) as ws:
        print(await ws.recv(), flush=True)
        await ws.send(f"echo:{text}")
        print(await ws.recv(), flush=True)
        print(agreed_extensions(ws), flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2]))
