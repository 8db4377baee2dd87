// `npm run bench:corpus -- [DIR] [LINES]`: writes a reproducible corpus of
// varied async Python (templates plus every rule's documented examples) for
// benchmarking when no real project is at hand. Same seed, same files.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { allRules } from "../src/checks/index.js";

const dir = resolve(process.argv[2] ?? "bench-corpus");
const targetLines = Number(process.argv[3] ?? 300_000);

// A small deterministic PRNG (mulberry32) so every run writes the same corpus.
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const TEMPLATES: ((n: number) => string)[] = [
  (n) => `
class Repository${n}:
    def __init__(self, pool):
        self._pool = pool
        self._lock = asyncio.Lock()
        self._cache: dict[str, bytes] = {}

    async def load(self, key: str) -> bytes | None:
        async with self._lock:
            if key in self._cache:
                return self._cache[key]
        row = await self._pool.fetchrow("SELECT data FROM blobs WHERE key = $1", key)
        if row is None:
            return None
        self._cache[key] = row["data"]
        return row["data"]

    async def save_many(self, items):
        results = []
        for key, value in items.items():
            results.append(await self._pool.execute("INSERT INTO blobs VALUES ($1, $2)", key, value))
        return results
`,
  (n) => `
async def fetch_page_${n}(session: aiohttp.ClientSession, url: str, retries: int = 3) -> str:
    for attempt in range(retries):
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as resp:
                resp.raise_for_status()
                return await resp.text()
        except aiohttp.ClientError as exc:
            log.warning("attempt %d for %s failed: %s", attempt, url, exc)
            await asyncio.sleep(2 ** attempt)
    raise RuntimeError(f"gave up on {url}")


async def crawl_${n}(urls):
    async with aiohttp.ClientSession() as session:
        pages = await asyncio.gather(*(fetch_page_${n}(session, u) for u in urls))
    return {u: len(p) for u, p in zip(urls, pages)}
`,
  (n) => `
def parse_record_${n}(line: str) -> dict:
    fields = [f.strip() for f in line.split(",")]
    if len(fields) < 3:
        raise ValueError(line)
    return {"id": int(fields[0]), "name": fields[1], "tags": fields[2:]}


async def import_file_${n}(path):
    records = []
    with open(path) as fh:
        for line in fh:
            records.append(parse_record_${n}(line))
    time.sleep(0.01)
    return records
`,
  (n) => `
async def worker_${n}(queue: asyncio.Queue, results: list) -> None:
    while True:
        item = await queue.get()
        try:
            results.append(await process_${n}(item))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("item %r failed", item)
        finally:
            queue.task_done()


async def process_${n}(item):
    await asyncio.sleep(0)
    return item * 2


def start_${n}(loop, queue):
    loop.create_task(worker_${n}(queue, []))
    return asyncio.run(process_${n}(1))
`,
];

const HEADER = `"""Generated benchmark module."""
import asyncio
import logging
import time

import aiohttp
import requests

log = logging.getLogger(__name__)
`;

const examples = allRules.flatMap((r) => [...r.docs.bad, ...r.docs.good]);
rmSync(dir, { recursive: true, force: true });
let lines = 0;
let files = 0;
let n = 0;
while (lines < targetLines) {
  const sub = join(dir, `pkg${files % 20}`);
  mkdirSync(sub, { recursive: true });
  const parts = [HEADER];
  const blocks = 10 + Math.floor(rand() * 30);
  for (let b = 0; b < blocks; b++) {
    // One in five blocks is a documented rule example, renamed to stay unique.
    parts.push(rand() < 0.2 ? pick(examples).replace(/\bdef (\w+)/g, `def $1_${n}`) : pick(TEMPLATES)(n));
    n++;
  }
  const text = parts.join("\n");
  writeFileSync(join(sub, `module_${files}.py`), text);
  lines += text.split("\n").length;
  files++;
}
console.log(`wrote ${files} files, ${lines} lines to ${dir}`);
