using MaintenanceMiddleware.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var app = new CliApplication(Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable);
return await app.RunAsync(args, cancel.Token).ConfigureAwait(false);
