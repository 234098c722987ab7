using BackOffice.Orders;
using BackOffice.Storefront;
using BackOffice.Sync;
using Microsoft.AspNetCore.Http.HttpResults;

var builder = WebApplication.CreateBuilder(args);

// 1. Maintenance mode, as in the Storefront: options from "MaintenanceMode", state in the embedded file store
//    (MaintenanceMode:FileStore:Path). Point both samples at one state file and `maintenance enable --app "*"`
//    takes the whole environment down at once.
//    Many instances behind a load balancer share one switch in PostgreSQL or Redis instead (packages
//    MaintenanceMiddleware.PostgreSql, MaintenanceMiddleware.Redis): set MaintenanceMode__PostgreSql__ConnectionString
//    or MaintenanceMode__Redis__ConnectionString and every instance follows it (both set: start-up says so).
builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode"))
    .UsePostgreSqlWhenConfigured()
    .UseRedisWhenConfigured();

// 2. The back office: orders, the catalogue, and the background catalogue synchronisation that pauses during
//    maintenance (it asks IMaintenanceModeGate, registered by AddMaintenanceMode).
builder.Services.AddRazorPages();
builder.Services.AddSingleton<OrderBook>();
builder.Services.AddSingleton<CatalogueStore>();
builder.Services.AddSingleton<SyncStatus>();
builder.Services.AddSingleton<ISupplierFeed, SimulatedSupplierFeed>();
builder.Services.AddOptions<CatalogueSyncOptions>().Bind(builder.Configuration.GetSection(CatalogueSyncOptions.SectionName));
builder.Services.AddHostedService<CatalogueSyncService>();
builder.Services.AddHealthChecks().AddMaintenanceModeCheck();   // Degraded while the state store is unreachable

// 2b. The Storefront, which this back office publishes the catalogue to (Storefront:BaseUrl). Declared in
//     MaintenanceMode:Applications, so its maintenance is known here: calls to it are skipped, the publish operation
//     is refused (409), and when it is back the catalogue is published in full once.
builder.Services.AddStorefrontPublishing(builder.Configuration);

// 3. The toggle endpoints are never anonymous. Pipelines authenticate with an API key (header X-Maintenance-Key);
//    configuration holds only its SHA-256 hash, under MaintenanceMode:ApiKeys:<name>:Hash (`maintenance hash-key`).
//    appsettings.Development.json holds a dev-only key: "backoffice-dev-key-not-secret".
builder.Services.AddAuthentication().AddMaintenanceApiKey();
builder.Services.AddAuthorizationBuilder().AddMaintenanceOperatorPolicy();   // policy "MaintenanceOperator"

var app = builder.Build();

// 4. Early in the pipeline. /healthz and /api/sync/status stay reachable: they are marked .AllowDuringMaintenance().
app.UseMaintenanceMode();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();
app.UseRefusedPublicationCounting();

app.MapRazorPages();
app.MapHealthChecks("/healthz").AllowDuringMaintenance();   // probes keep seeing the app alive

app.MapGet("/api/orders", (OrderBook orders) => TypedResults.Ok(orders.Recent));
app.MapGet("/api/catalogue", (CatalogueStore catalogue) => TypedResults.Ok(catalogue.Items));
app.MapGet("/api/sync/status", Ok<SyncStatusSnapshot> (SyncStatus status) => TypedResults.Ok(status.Snapshot()))
    .AllowDuringMaintenance();   // operators watch the sync pause and resume

// 5. The toggle endpoints for operators and pipelines: GET status, POST enable, POST disable, GET audit.
//    They keep answering during maintenance, so the same pipeline that took the app down brings it back.
// 6. "Publish catalogue to the Storefront", for operators; refused with 409 while the Storefront is in maintenance.
app.MapStorefrontPublishing("MaintenanceOperator");

app.MapMaintenanceEndpoints("/_maintenance").RequireAuthorization("MaintenanceOperator");

app.Run();
