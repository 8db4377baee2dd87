// One shared set of example results for the renderer snapshots: a file with an
// exact single-line fix, a multi-line finding without a fix, a warning and a
// fix that needs an import (so no suggestion block).
import { analyzeSource } from "../../src/analyzer/analyze.js";
import type { Finding } from "../../src/analyzer/types.js";

export const SAMPLE_PATH = "service/app.py";

export const SAMPLE_SOURCE = `import asyncio
import time

import requests


async def fetch(url):
    time.sleep(0.5)
    return requests.get(
        url,
        timeout=10,
    )


async def main():
    asyncio.create_task(fetch("https://example.com"))
    loop = asyncio.get_event_loop()
    return loop
`;

export const NEEDS_IMPORT_SOURCE = `import time


async def tick():
    time.sleep(1)
`;

export function sampleFindings(): Finding[] {
  return analyzeSource(SAMPLE_PATH, SAMPLE_SOURCE).findings;
}

export function needsImportFinding(): Finding {
  return analyzeSource("service/tick.py", NEEDS_IMPORT_SOURCE).findings[0]!;
}
