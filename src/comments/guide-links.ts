// Where a finding's "read more" link points: a repository's own `guideUrl`,
// else the App's served pages, else the guide on GitHub.

export const DEFAULT_GUIDE_URL = "https://github.com/loopguard/loopguard/blob/main/docs/guide.md";

export function guideLink(anchor: string, baseUrl: string = DEFAULT_GUIDE_URL): string {
  const base = baseUrl.replace(/#.*$/, "");
  return `${base}#${anchor}`;
}
