import asyncio

import aiohttp

from .orders import place_order


async def main() -> None:
    async with aiohttp.ClientSession() as session:
        receipts = await asyncio.gather(
            place_order(session, "A-1", 1999),
            place_order(session, "A-2", 4999),
        )
    print(receipts)


if __name__ == "__main__":
    asyncio.run(main())
