using FeatureStore.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWeb();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseWeb();
app.Run();
