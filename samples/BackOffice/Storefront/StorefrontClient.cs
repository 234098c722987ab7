using System.Net.Http.Json;

namespace BackOffice.Storefront;

/// <summary>
/// The typed client for the Storefront's publications API. Registered with <c>.AddMaintenanceGate("Storefront")</c>:
/// while the Storefront is in maintenance a call sends nothing and throws <c>ApplicationInMaintenanceException</c>.
/// </summary>
public sealed class StorefrontClient(HttpClient http)
{
    /// <summary>The name of the HTTP client (for <c>IHttpClientFactory.CreateClient</c>).</summary>
    public const string Name = "storefront";

    /// <summary>Publishes <paramref name="publication"/>; throws on any answer but success.</summary>
    public async Task PublishAsync(StorefrontPublication publication, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/catalogue/publications", publication, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
