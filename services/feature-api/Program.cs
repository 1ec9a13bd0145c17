using FeatureStore.FeatureApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFeatureApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseApiEndpoints();
app.Run();
