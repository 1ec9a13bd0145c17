using FeatureStore.FeatureApi;
using FeatureStore.FeatureApi.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFeatureApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseApiEndpoints();
app.MapFeastGrpc();
app.Run();
