var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode"))
    .UseFileStore();

var app = builder.Build();
app.UseMaintenanceMode();
app.MapGet("/", () => "Storefront");
app.Run();
