namespace MaintenanceMiddleware.Cli.Commands;

/// <summary>
/// Maps a request field, as the service and the endpoints name it (<c>reason</c>, the JSON name), to the CLI option
/// that carries it (<c>--reason</c>), so an error reads the same over a store and over HTTP.
/// </summary>
internal static class CliOptionNames
{
    public static string For(string field) => field switch
    {
        "application" => "--app",
        "reason" => "--reason",
        "name" => "--name",
        "id" => "<id>",
        "message" => "--message",
        "endsAt" => "--until",
        "duration" => "--for",
        "startsAt" => "--starts-at",
        "allowedNetworks" => "--allow",
        "limit" => "--limit",
        "mode" => "--read-only",
        "expectedVersion" => "--expected-version",
        _ => field,
    };
}
