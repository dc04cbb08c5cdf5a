// Each test runs server processes (and nginx, PostgreSQL) on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
