namespace BackOffice.Sync;

/// <summary>Options of the catalogue synchronisation, bound from <c>CatalogueSync</c>.</summary>
public sealed class CatalogueSyncOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CatalogueSync";

    /// <summary>The pause between two incremental synchronisations (<c>CatalogueSync:Interval</c>).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many pages a full synchronisation reads (<c>CatalogueSync:Pages</c>).</summary>
    public int Pages { get; set; } = 8;

    /// <summary>How long the simulated supplier takes per call (<c>CatalogueSync:SimulatedLatency</c>).</summary>
    public TimeSpan SimulatedLatency { get; set; } = TimeSpan.FromMilliseconds(400);
}
