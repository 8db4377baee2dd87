import asyncio
import logging

import aiohttp

log = logging.getLogger(__name__)

PAYMENTS_URL = "https://payments.example.com/charge"


async def charge(session: aiohttp.ClientSession, order_id: str, cents: int) -> str:
    async with session.post(PAYMENTS_URL, json={"order": order_id, "amount": cents}) as response:
        response.raise_for_status()
        data = await response.json()
    return data["receipt"]


async def charge_with_retry(session: aiohttp.ClientSession, order_id: str, cents: int) -> str:
    for attempt in range(3):
        try:
            return await charge(session, order_id, cents)
        except aiohttp.ClientError:
            log.warning("payment attempt %d for %s failed", attempt + 1, order_id)
            await asyncio.sleep(2**attempt)
    raise RuntimeError(f"payment for {order_id} failed three times")
