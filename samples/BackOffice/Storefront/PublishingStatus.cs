namespace BackOffice.Storefront;

/// <summary>The dashboard's view of publishing to the Storefront (<c>GET /api/storefront/status</c>).</summary>
/// <param name="InMaintenanceSince">Since when the Storefront is in maintenance (publishing paused); <see langword="null"/> when it is online.</param>
/// <param name="ExpectedEnd">When its maintenance is expected to end, if known.</param>
/// <param name="Message">What the Storefront tells its visitors about it (never the operator's reason).</param>
/// <param name="Published">Publications the Storefront accepted.</param>
/// <param name="FullResyncs">Of those, full resynchronisations after a maintenance window.</param>
/// <param name="Skipped">Publications not sent (refused or aborted) because the Storefront was in maintenance.</param>
/// <param name="Aborted">Of those, publications in flight cancelled when its maintenance began.</param>
/// <param name="LastError">The last failure other than maintenance, if any.</param>
public sealed record PublishingStatus(
    DateTimeOffset? InMaintenanceSince,
    DateTimeOffset? ExpectedEnd,
    string? Message,
    int Published,
    int FullResyncs,
    int Skipped,
    int Aborted,
    string? LastError);
