using FeatureStore.FeatureApi.Grpc;
using FeatureStore.Standalone;
using FeatureStore.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAllServices();

var app = builder.Build();
app.UseWebPathBase(StandaloneComposition.UiPathBase);
app.MapDefaultEndpoints();
app.UseApiEndpoints();
app.MapFeastGrpc();
app.MapWeb();
app.Run();
