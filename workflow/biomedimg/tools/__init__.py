"""Developers' tools apart from the build: diff, why, tidy, bench, conda env files, throw-away copies."""
