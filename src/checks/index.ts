// The registry: every rule, in code order. A rule not listed here never runs
// (a consistency test checks that every file in this folder is listed).
import type { Rule } from "../analyzer/rule.js";
import blockingSleep from "./blocking-sleep.js";
import blockingHttp from "./blocking-http.js";
import blockingSubprocess from "./blocking-subprocess.js";
import blockingFileIo from "./blocking-file-io.js";
import blockingCall from "./blocking-call.js";
import transitiveBlockingCall from "./transitive-blocking-call.js";
import blockingPathMetadata from "./blocking-path-metadata.js";
import configuredBlockingCall from "./configured-blocking-call.js";
import loopArgument from "./loop-argument.js";
import missingAwait from "./missing-await.js";
import danglingTask from "./dangling-task.js";
import repeatedAsyncioRun from "./repeated-asyncio-run.js";
import nestedEventLoop from "./nested-event-loop.js";
import getEventLoopInCoroutine from "./get-event-loop-in-coroutine.js";
import awaitOutsideAsync from "./await-outside-async.js";
import syncWithAsyncResource from "./sync-with-async-resource.js";
import asyncWithSyncResource from "./async-with-sync-resource.js";
import asyncWithoutAwait from "./async-without-await.js";
import unawaitedCoroutineValue from "./unawaited-coroutine-value.js";
import sequentialAwaitInLoop from "./sequential-await-in-loop.js";
import clientSessionPerRequest from "./client-session-per-request.js";
import unclosedClientSession from "./unclosed-client-session.js";
import busyWait from "./busy-wait.js";
import swallowedCancellation from "./swallowed-cancellation.js";
import executorPerCall from "./executor-per-call.js";
import asyncTestWithoutMarker from "./async-test-without-marker.js";
import syncMockForAsync from "./sync-mock-for-async.js";
import asyncFixturePlainDecorator from "./async-fixture-plain-decorator.js";
import calledAssertOnAsyncMock from "./called-assert-on-async-mock.js";

export const allRules: readonly Rule[] = [
  blockingSleep,
  blockingHttp,
  blockingSubprocess,
  blockingFileIo,
  blockingCall,
  transitiveBlockingCall,
  blockingPathMetadata,
  configuredBlockingCall,
  missingAwait,
  unawaitedCoroutineValue,
  danglingTask,
  repeatedAsyncioRun,
  nestedEventLoop,
  getEventLoopInCoroutine,
  loopArgument,
  awaitOutsideAsync,
  syncWithAsyncResource,
  asyncWithoutAwait,
  asyncWithSyncResource,
  sequentialAwaitInLoop,
  clientSessionPerRequest,
  unclosedClientSession,
  busyWait,
  swallowedCancellation,
  executorPerCall,
  asyncTestWithoutMarker,
  syncMockForAsync,
  asyncFixturePlainDecorator,
  calledAssertOnAsyncMock,
];
