using Microsoft.AspNetCore.Http.HttpResults;
using Storefront.Catalog;
using Storefront.Publications;

var builder = WebApplication.CreateBuilder(args);

// 1. Maintenance mode. Options come from the "MaintenanceMode" section of appsettings.json, overridable by
//    environment variables (MaintenanceMode__Enabled=true forces the maintenance page on). State lives in the
//    embedded file store (MaintenanceMode:FileStore:Path, default the machine's state file outside the app folder,
//    e.g. /var/lib/maintenance-middleware/state.json; README "Deploying"), which the `maintenance` CLI switches too.
//    Many instances behind a load balancer share one switch in PostgreSQL or Redis instead (packages
//    MaintenanceMiddleware.PostgreSql, MaintenanceMiddleware.Redis): set MaintenanceMode__PostgreSql__ConnectionString
//    or MaintenanceMode__Redis__ConnectionString and every instance follows it (both set: start-up says so).
builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode"))
    .UsePostgreSqlWhenConfigured()
    .UseRedisWhenConfigured();

// 2. The shop itself.
builder.Services.AddRazorPages();
builder.Services.AddSingleton<ProductCatalog>();

// The publications API the Back Office publishes the catalogue to (POST/GET /api/catalogue/publications).
// Storefront:BaseUrl is where the Back Office finds this Storefront; it is also where it listens unless --urls says otherwise.
builder.Services.AddSingleton<PublicationLog>();
builder.Services.AddOptions<PublicationOptions>().Bind(builder.Configuration.GetSection(PublicationOptions.SectionName));
if (builder.Configuration["urls"] is null && builder.Configuration["Storefront:BaseUrl"] is { Length: > 0 } baseUrl)
{
    builder.WebHost.UseUrls(baseUrl);
}
builder.Services.AddHealthChecks().AddMaintenanceModeCheck();   // Degraded while the state store is unreachable

var app = builder.Build();

// Counted before maintenance mode: the count says whether the Back Office sent anything during maintenance.
app.UsePublicationCounting();

// 3. Early in the pipeline: before static files and endpoints, so that during maintenance nothing else runs.
//    (WebApplication runs routing first, so the middleware sees each endpoint's .AllowDuringMaintenance().)
app.UseMaintenanceMode();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();

app.MapRazorPages();
app.MapHealthChecks("/healthz").AllowDuringMaintenance();   // probes keep seeing the app alive

app.MapPublications();

var api = app.MapGroup("/api/products");
api.MapGet("/", (ProductCatalog catalog) => TypedResults.Ok(catalog.All));
api.MapGet("/{id:int}", Results<Ok<Product>, NotFound> (int id, ProductCatalog catalog) =>
    catalog.Find(id) is { } product ? TypedResults.Ok(product) : TypedResults.NotFound());
api.MapStockFeed();   // live stock over server-sent events; ended after MaintenanceMode:DrainTimeout when maintenance starts

app.Run();
