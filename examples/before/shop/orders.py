import asyncio
import json
from pathlib import Path

import aiohttp

from .payments import charge_with_retry

RECEIPTS = Path("receipts")


async def save_receipt(order_id: str, receipt: str) -> None:
    text = json.dumps({"order": order_id, "receipt": receipt})
    await asyncio.to_thread((RECEIPTS / f"{order_id}.json").write_text, text)


async def notify_warehouse(order_id: str) -> None:
    proc = await asyncio.create_subprocess_exec("notify-warehouse", order_id)
    await proc.wait()


async def place_order(session: aiohttp.ClientSession, order_id: str, cents: int) -> str:
    receipt = await charge_with_retry(session, order_id, cents)
    await save_receipt(order_id, receipt)
    await notify_warehouse(order_id)
    return receipt


def export_report(rows: list[dict], path: str) -> None:
    with open(path, "w") as report:
        for row in rows:
            report.write(f"{row['order']},{row['amount']}\n")
