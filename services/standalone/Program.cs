using FeatureStore.Standalone;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAllServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseApiEndpoints();
app.Run();
