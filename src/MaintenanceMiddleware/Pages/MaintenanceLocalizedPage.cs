namespace MaintenanceMiddleware;

/// <summary>A localized maintenance page, <c>&lt;culture&gt;/index.html</c> in the maintenance folder.</summary>
/// <param name="Culture">The culture name as .NET spells it (<c>de</c>, <c>fr-CH</c>), sent as <c>Content-Language</c>.</param>
/// <param name="Template">The page, split into literals and placeholders.</param>
internal sealed record MaintenanceLocalizedPage(string Culture, MaintenancePageTemplate Template);
