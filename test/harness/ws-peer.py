# An independent WebSocket peer for the tests: Debian's python3-websockets.
# Usage: ws-peer.py URL TEXT ; prints the server's first message (the
# fixture's hello), then the echo of "echo:TEXT", one per line.
import asyncio
import sys

import websockets


async def main(url: str, text: str) -> None:
    async with websockets.connect(url, open_timeout=20, close_timeout=5) as ws:
        print(await ws.recv(), flush=True)
        await ws.send(f"echo:{text}")
        print(await ws.recv(), flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2]))
