namespace Storefront.Publications;

/// <summary>
/// Counts what the Back Office sends: every request to the publications API that reaches this process (counted before
/// the maintenance middleware, so a request refused with 503 still counts), and the publications applied or aborted.
/// </summary>
public sealed class PublicationLog
{
    private int _requests;
    private int _received;
    private int _full;
    private int _aborted;
    private string? _lastId;

    /// <summary>A publication request reached the process.</summary>
    public void RequestArrived() => Interlocked.Increment(ref _requests);

    /// <summary>A publication was applied.</summary>
    public void Received(CataloguePublication publication)
    {
        ArgumentNullException.ThrowIfNull(publication);
        if (publication.Full)
        {
            Interlocked.Increment(ref _full);
        }

        Volatile.Write(ref _lastId, publication.Id);
        Interlocked.Increment(ref _received);
    }

    /// <summary>The sender cancelled a publication while it was being received.</summary>
    public void Aborted() => Interlocked.Increment(ref _aborted);

    /// <summary>The counts so far.</summary>
    public PublicationsReport Report() =>
        new(Volatile.Read(ref _requests), Volatile.Read(ref _received), Volatile.Read(ref _full), Volatile.Read(ref _aborted), Volatile.Read(ref _lastId));
}
