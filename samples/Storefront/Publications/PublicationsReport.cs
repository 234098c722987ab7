namespace Storefront.Publications;

/// <summary>What <c>GET /api/catalogue/publications</c> answers.</summary>
/// <param name="Requests">Publication requests that reached this process, whatever came of them (maintenance 503s included).</param>
/// <param name="Received">Publications received and applied.</param>
/// <param name="Full">Of those, full publications (resynchronisations).</param>
/// <param name="Aborted">Publications the sender cancelled while they were being received.</param>
/// <param name="LastId">The identifier of the last publication applied.</param>
public sealed record PublicationsReport(int Requests, int Received, int Full, int Aborted, string? LastId);
