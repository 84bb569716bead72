"""Running the workflow: jobs, their logs and code dependencies, preflight checks, data restore, locks."""
