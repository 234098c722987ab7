namespace MaintenanceMiddleware.Benchmarks.Propagation;

// TODO(PostgreSQL helper): 3 hosts on one database, 100 toggles, p50/p99 from commit to every host answering 503.
internal static class PropagationBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length == 0 ? 2 : 1);
}
