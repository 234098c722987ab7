namespace Storefront.Publications;

/// <summary>Options of the publications API (section <c>Publications</c>).</summary>
public sealed class PublicationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Publications";

    /// <summary>How long applying a publication takes (<c>Publications:ApplyTime</c>), so one can be caught in flight. Default none.</summary>
    public TimeSpan ApplyTime { get; set; }
}
