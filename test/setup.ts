// Every test runs with the network sealed: GitHub is only ever a nock scope.
import nock from "nock";
import { afterAll, beforeAll } from "vitest";
import { initParser } from "../src/analyzer/parser.js";

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

beforeAll(async () => {
  await initParser();
});

afterAll(() => {
  nock.cleanAll();
});
