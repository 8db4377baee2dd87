// The Probot app: wires GitHub events to the review job, and the guide pages to HTTP.
import type { ApplicationFunctionOptions, Probot } from "probot";
import {
  onCheckRunRerequested,
  onCheckSuiteRerequested,
  onPullRequest,
  onPullRequestClosed,
  PULL_REQUEST_EVENTS,
} from "./github/events.js";
import { addGuidePages } from "./web/guide-pages.js";

export default (app: Probot, options?: ApplicationFunctionOptions): void => {
  app.on([...PULL_REQUEST_EVENTS], onPullRequest);
  app.on("pull_request.closed", onPullRequestClosed);
  app.on("check_run.rerequested", onCheckRunRerequested);
  app.on("check_suite.rerequested", onCheckSuiteRerequested);
  addGuidePages(options?.addHandler);
};
