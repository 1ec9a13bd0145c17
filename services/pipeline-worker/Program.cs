using FeatureStore.PipelineWorker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineWorker();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseApiEndpoints();
app.Run();
