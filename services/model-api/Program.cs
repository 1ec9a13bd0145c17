using FeatureStore.ModelApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddModelApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseApiEndpoints();
app.Run();
