
namespace MaintenanceMiddleware;

/// <summary>
/// Options of the maintenance middleware, bound from the configuration section <c>MaintenanceMode</c>
/// and validated at start-up. Every property is documented in the README with its configuration key.
/// </summary>
/// <remarks>
/// <see cref="Enabled"/>, <see cref="AllowedNetworks"/>, <see cref="ExemptPaths"/> and <see cref="RetryAfter"/> follow
/// configuration reloads (an edit of <c>appsettings.json</c> with <c>reloadOnChange</c>) without a restart; an edit that
/// does not validate is logged as an error naming the key and the last valid values stay. Every other option is read
/// once at start-up.
/// </remarks>
public sealed class MaintenanceModeOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "MaintenanceMode";

    /// <summary>The exempt path used when <see cref="ExemptPaths"/> is left empty.</summary>
    public const string DefaultExemptPath = "/.well-known/";

    /// <summary>
    /// The name of this application (<c>MaintenanceMode:Application</c>); maintenance is switched per application name.
    /// Defaults to the host's application name. Letters, digits, '-', '_' and '.' only: it is a folder name under <see cref="PagesRoot"/>.
    /// </summary>
    public string? Application { get; set; }

    /// <summary>
    /// The folder, relative to the content root, that holds <c>&lt;Application&gt;/maintenance/index.html</c>
    /// (<c>MaintenanceMode:PagesRoot</c>). Default <c>public</c>. Must stay inside the content root.
    /// </summary>
    public string PagesRoot { get; set; } = "public";

    /// <summary>
    /// IP addresses and CIDR ranges, IPv4 or IPv6, that keep using the site during maintenance
    /// (<c>MaintenanceMode:AllowedNetworks:0</c>, ...). Matched against <c>HttpContext.Connection.RemoteIpAddress</c> only.
    /// Follows configuration reloads.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>
    /// Path prefixes that always reach the application (<c>MaintenanceMode:ExemptPaths:0</c>, ...), for example health probes.
    /// When empty, <c>/.well-known/</c> is exempt; when set, exactly the listed prefixes are. Follows configuration reloads.
    /// </summary>
    public IList<string> ExemptPaths { get; } = [];

    /// <summary>
    /// The <c>Retry-After</c> sent when the end of the window is not known (<c>MaintenanceMode:RetryAfter</c>, e.g. <c>00:05:00</c>);
    /// positive and at most 366 days, the longest window.
    /// Default 5 minutes. Follows configuration reloads.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The public message shown to visitors when a window sets none (<c>MaintenanceMode:DefaultMessage</c>); <see langword="null"/>
    /// means a neutral built-in text. Never the internal reason.
    /// </summary>
    public string? DefaultMessage { get; set; }

    /// <summary>
    /// Forces maintenance on from configuration (<c>MaintenanceMode:Enabled</c>, or the environment variable
    /// <c>MaintenanceMode__Enabled=true</c>), for platforms that switch by redeploying with a variable.
    /// The status then says it is forced by configuration; the store cannot switch it off. Follows configuration reloads.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The URL path under which the files beside <c>index.html</c> (css, images) are served during maintenance
    /// (<c>MaintenanceMode:AssetsPath</c>). Default <c>/maintenance</c>, so <c>style.css</c> is <c>/maintenance/style.css</c>.
    /// </summary>
    public string AssetsPath { get; set; } = "/maintenance";

    /// <summary>
    /// Other applications of this environment that this host may switch (<c>MaintenanceMode:Applications:0</c>, ...),
    /// for example through its maintenance endpoints, and that it talks to: their state is kept in memory, so
    /// <c>IMaintenanceModeGate.ForApplication</c>, <c>AddMaintenanceGate</c> and <c>.DisabledWhileInMaintenance</c> can
    /// name them. Known applications are these, <see cref="Application"/> and <c>*</c>; switching any other name is
    /// refused as unknown, and naming one elsewhere stops start-up.
    /// </summary>
    public IList<string> Applications { get; } = [];

    /// <summary>
    /// The longest lifetime of a bypass link (<c>MaintenanceMode:BypassLinkMaxLifetime</c>); a longer one is refused when
    /// it is created. Positive, at most 366 days. Default 24 hours.
    /// </summary>
    public TimeSpan BypassLinkMaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long start-up waits for the first read of the store (<c>MaintenanceMode:StartupTimeout</c>). If the store is
    /// unreachable, the application starts with maintenance off (or forced on by <see cref="Enabled"/>) and converges
    /// once the store answers. Default 5 seconds.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Acknowledges that forwarded headers are trusted from every peer while <see cref="AllowedNetworks"/> is set
    /// (<c>MaintenanceMode:AllowForwardedHeadersFromAnyPeer</c>), because a network boundary already ensures that only
    /// the proxy reaches the application. Without it, that combination stops start-up in Production (anyone could send
    /// an allowed address in <c>X-Forwarded-For</c>) and logs a warning elsewhere. Default <see langword="false"/>.
    /// </summary>
    public bool AllowForwardedHeadersFromAnyPeer { get; set; }

    /// <summary>
    /// How far ahead a scheduled window is announced at <c>GET /_maintenance/notice</c> and by the banner script
    /// (<c>MaintenanceMode:NoticeLead</c>, e.g. <c>1.00:00:00</c>); <see cref="TimeSpan.Zero"/> announces only a window in force.
    /// At most 366 days. Default 24 hours.
    /// </summary>
    public TimeSpan NoticeLead { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// This instance's id in the store's instance registry (<c>MaintenanceMode:InstanceId</c>), shown by
    /// <c>maintenance instances</c> and named by <c>--wait</c>. Default: host name and process id (<c>web-3:4711</c>).
    /// Set it to a pod or slot name where those repeat; two live processes claiming one id are told apart (the second
    /// reports under the id with its session appended and logs an error).
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// How often this instance reports itself to the store (<c>MaintenanceMode:HeartbeatInterval</c>); it counts as gone
    /// after three missed reports. Besides, it reports at once whenever it applies a state or finishes draining.
    /// Between 1 second and 5 minutes. Default 5 seconds.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long, after maintenance starts, requests already in flight may run on and long-lived connections (WebSocket,
    /// server-sent events) of visitors who are not let through stay open (<c>MaintenanceMode:DrainTimeout</c>); then the
    /// connections are ended and the instance reports itself drained. Between zero and 10 minutes. Default 10 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The exempt path prefixes in force: <see cref="ExemptPaths"/>, or <c>/.well-known/</c> when it is empty.</summary>
    internal IReadOnlyList<string> EffectiveExemptPaths => ExemptPaths.Count == 0 ? [DefaultExemptPath] : [.. ExemptPaths];

    /// <summary>The effective application name (set by post-configuration from the host when left empty).</summary>
    internal string ApplicationName => Application ?? MaintenanceState.AllApplications;
}
