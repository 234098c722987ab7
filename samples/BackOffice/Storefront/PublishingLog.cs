namespace BackOffice.Storefront;

/// <summary>The logs of publishing to the Storefront.</summary>
internal static partial class PublishingLog
{
    [LoggerMessage(EventId = 1100, EventName = "Published", Level = LogLevel.Information, Message = "Published {Id} to the Storefront (full: {Full}, {Items} item(s)).")]
    public static partial void Published(ILogger logger, string id, bool full, int items);

    [LoggerMessage(EventId = 1101, EventName = "ResyncRetry", Level = LogLevel.Warning, Message = "Full resynchronisation of the Storefront failed (attempt {Attempt}); retrying.")]
    public static partial void ResyncRetry(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(EventId = 1102, EventName = "ResyncFailed", Level = LogLevel.Error, Message = "Full resynchronisation of the Storefront failed {Attempts} times; publish it by hand.")]
    public static partial void ResyncFailed(ILogger logger, int attempts, Exception exception);
}
