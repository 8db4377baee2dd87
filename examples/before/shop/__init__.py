"""A small async order service: the example loopguard reviews in `npm run demo`."""
