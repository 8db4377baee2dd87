import asyncio

import aiohttp

from .orders import place_order


async def main() -> None:
    loop = asyncio.get_event_loop()
    started = loop.time()
    async with aiohttp.ClientSession() as session:
        receipts = await asyncio.gather(
            place_order(session, "A-1", 1999),
            place_order(session, "A-2", 4999),
        )
    print(receipts, f"in {loop.time() - started:.1f}s")


def reorder(session: aiohttp.ClientSession, order_id: str) -> str:
    return await place_order(session, order_id, 1999)


if __name__ == "__main__":
    asyncio.run(main())
