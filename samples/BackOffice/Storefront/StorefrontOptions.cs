namespace BackOffice.Storefront;

/// <summary>Where the Storefront is (section <c>Storefront</c>).</summary>
public sealed class StorefrontOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Storefront";

    /// <summary>The Storefront's base address (<c>Storefront:BaseUrl</c>), e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public Uri? BaseUrl { get; set; }
}
