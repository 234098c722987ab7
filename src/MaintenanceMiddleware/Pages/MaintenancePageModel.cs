namespace MaintenanceMiddleware;

/// <summary>What a page template is filled with: the values of <c>{{application}}</c>, <c>{{message}}</c>, <c>{{ends_at}}</c> and <c>{{retry_after_seconds}}</c>.</summary>
/// <param name="Application">The application name.</param>
/// <param name="Message">The public message, or <see langword="null"/> (the placeholder renders empty).</param>
/// <param name="EndsAt">The end of the window, or <see langword="null"/> when unknown (the placeholder renders empty).</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> value sent with the page.</param>
internal readonly record struct MaintenancePageModel(string Application, string? Message, DateTimeOffset? EndsAt, long RetryAfterSeconds);
