// Usage:
//   enable <state-file> <application> <reason>      one enable; prints the new version
//   toggle <state-file> <application> <count> <id>  <count> parallel enables/disables, each retried on conflict;
//                                                    prints "successes=<n> conflicts=<n>"
// Exit codes: 0 done, 1 failed, 2 bad usage.
using MaintenanceMiddleware;

if (args.Length < 3)
{
    await Console.Error.WriteLineAsync("usage: enable <file> <app> <reason> | toggle <file> <app> <count> <id>");
    return 2;
}

var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = args[1], LockTimeout = TimeSpan.FromSeconds(30) });
var service = MaintenanceModeServiceFactory.Create(store);
var application = args[2];

switch (args[0])
{
    case "enable" when args.Length == 4:
        var state = await service.EnableAsync(new EnableMaintenanceRequest
        {
            Application = application,
            Reason = args[3],
            Actor = new MaintenanceActor("writer", "cli"),
        });
        Console.WriteLine($"version={state.Version}");
        return 0;

    case "toggle" when args.Length == 5 && int.TryParse(args[3], out var count):
        var id = args[4];
        var successes = 0;
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            var actor = new MaintenanceActor($"writer-{id}", "cli");
            var reason = $"writer {id} change {i}";
            for (var attempt = 0; attempt < 500; attempt++)
            {
                try
                {
                    if (i % 2 == 0)
                    {
                        await service.EnableAsync(new EnableMaintenanceRequest { Application = application, Reason = reason, Actor = actor });
                    }
                    else
                    {
                        await service.DisableAsync(new DisableMaintenanceRequest { Application = application, Reason = reason, Actor = actor });
                    }

                    Interlocked.Increment(ref successes);
                    return;
                }
                catch (MaintenanceConflictException)
                {
                    // Someone switched first: read again and retry, as a pipeline step would.
                    Interlocked.Increment(ref conflicts);
                    await Task.Delay(Random.Shared.Next(1, 10));
                }
            }

            throw new InvalidOperationException($"Change {i} of writer {id} lost every retry.");
        })));
        Console.WriteLine($"successes={successes} conflicts={conflicts}");
        return 0;

    default:
        await Console.Error.WriteLineAsync($"unknown or incomplete command '{args[0]}'");
        return 2;
}
