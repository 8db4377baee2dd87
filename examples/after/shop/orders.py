import asyncio
import json
import subprocess
from pathlib import Path

import aiohttp

from .payments import charge_with_retry

RECEIPTS = Path("receipts")


async def save_receipt(order_id: str, receipt: str) -> None:
    text = json.dumps({"order": order_id, "receipt": receipt})
    with open(RECEIPTS / f"{order_id}.json", "w") as out:
        out.write(text)


async def notify_warehouse(order_id: str) -> None:
    subprocess.run(["notify-warehouse", order_id], check=True)


async def audit(order_id: str) -> None:
    await asyncio.sleep(0)


async def place_order(session: aiohttp.ClientSession, order_id: str, cents: int) -> str:
    receipt = await charge_with_retry(session, order_id, cents)
    await save_receipt(order_id, receipt)
    notify_warehouse(order_id)
    asyncio.create_task(audit(order_id))
    return receipt


async def export_report(rows: list[dict], path: str) -> None:
    with open(path, "w") as report:
        for row in rows:
            report.write(f"{row['order']},{row['amount']}\n")
