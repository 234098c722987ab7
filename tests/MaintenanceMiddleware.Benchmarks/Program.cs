// Micro benchmarks (BenchmarkDotNet):  dotnet run -c Release --project tests/MaintenanceMiddleware.Benchmarks -- --filter '*'
// Whole-process hosts for wrk:         Load/run-wrk.sh (starts `host <variant> <port> <content root>` for each variant)
// Allowlist size under wrk:           Load/run-wrk-allowlist.sh (hosts `on-1` and `on-10000`, paired runs)
// PostgreSQL propagation (3 hosts, or --hosts N):   dotnet run -c Release --project tests/MaintenanceMiddleware.Benchmarks -- propagation "<connection string>" [toggles] [--hosts N]
// PostgreSQL confirmed switching (50 hosts report, a waiter confirms; or --hosts N):
//                                                   dotnet run -c Release --project tests/MaintenanceMiddleware.Benchmarks -- propagation-ack "<connection string>" [rounds] [--hosts N]
// Redis propagation (3 hosts, or --hosts N):        dotnet run -c Release --project tests/MaintenanceMiddleware.Benchmarks -- propagation-redis "<connection string>" [toggles] [--hosts N]
if (args.Length > 0 && args[0] == "propagation")
{
    return await MaintenanceMiddleware.Benchmarks.Propagation.PropagationBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "propagation-ack")
{
    return await MaintenanceMiddleware.Benchmarks.Propagation.AckPropagationBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "propagation-redis")
{
    return await MaintenanceMiddleware.Benchmarks.Propagation.RedisPropagationBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "host")
{
    return await MaintenanceMiddleware.Benchmarks.Load.LoadHost.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
