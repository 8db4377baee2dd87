import asyncio
import logging
import time

import aiohttp
import requests

log = logging.getLogger(__name__)

PAYMENTS_URL = "https://payments.example.com/charge"
RATES_URL = "https://rates.example.com/latest"


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
            time.sleep(2**attempt)
    raise RuntimeError(f"payment for {order_id} failed three times")


async def exchange_rate(currency: str) -> float:
    response = requests.get(RATES_URL, params={"currency": currency}, timeout=5)
    return response.json()["rate"]
