// The Probot app: wires GitHub events to the review job and nothing else.
import type { ApplicationFunctionOptions, Probot } from "probot";
import { onCheckRunRerequested, onCheckSuiteRerequested, onPullRequest, PULL_REQUEST_EVENTS } from "./github/events.js";

export default (app: Probot, _options?: ApplicationFunctionOptions): void => {
  app.on([...PULL_REQUEST_EVENTS], onPullRequest);
  app.on("check_run.rerequested", onCheckRunRerequested);
  app.on("check_suite.rerequested", onCheckSuiteRerequested);
};
