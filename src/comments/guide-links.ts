// Where a finding's "read more" link points: a repository's own `guideUrl`,
// else the App's served pages, else the guide on GitHub.
export const DEFAULT_GUIDE_URL = "https://github.com/loopguard/loopguard/blob/main/docs/guide.md";

/** The page of a rule in the docs next to the default guide (`docs/rules/<name>.md`). */
export function defaultRulePage(name: string): string {
  return DEFAULT_GUIDE_URL.replace(/guide\.md$/, `rules/${name}.md`);
}

export function guideLink(anchor: string, baseUrl: string = DEFAULT_GUIDE_URL): string {
  const base = baseUrl.replace(/#.*$/, "");
  return `${base}#${anchor}`;
}

/** Where the App serves its pages (`PUBLIC_URL`, without a trailing slash), or null when it is not set. */
function servedPagesUrl(env: NodeJS.ProcessEnv): string | null {
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, "");
  return publicUrl ? `${publicUrl}/loopguard` : null;
}

/** The guide that links point to: the repository's `guideUrl`, else the served guide, else GitHub's. */
export function guideBaseUrl(configGuideUrl: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (configGuideUrl) return configGuideUrl;
  const served = servedPagesUrl(env);
  return served ? `${served}/guide` : DEFAULT_GUIDE_URL;
}

/** A rule's page: the served one when `PUBLIC_URL` is set, else the one on GitHub. */
export function rulePageUrl(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const served = servedPagesUrl(env);
  return served ? `${served}/rules/${name}` : defaultRulePage(name);
}
