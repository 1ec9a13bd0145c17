using FeatureStore.Api;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Storage;
using FeatureStore.ModelApi.Training;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace FeatureStore.ModelApi.Serving;

/// <summary>A loaded model version: its record, details and a pool of prediction engines (one engine is not thread-safe).</summary>
public sealed class LoadedModel(ModelVersion version, ModelDetails details, ObjectPool<PredictionEngine<ChurnExample, ChurnScore>> engines)
{
    public ModelVersion Version { get; } = version;
    public ModelDetails Details { get; } = details;

    public double Probability(float[] features)
    {
        var engine = engines.Get();
        try { return engine.Predict(new ChurnExample { Features = features }).Probability; }
        finally { engines.Return(engine); }
    }
}

/// <summary>
/// The promoted churn model, loaded once per version from its artifact. Which version is promoted is read from
/// the store at most once per <see cref="PromotionRecheck"/> (a promotion here takes effect at once; one made by
/// another replica within that time), so a prediction does not wait for the database.
/// </summary>
public sealed class ModelCache(IModelStore store, IObjectStore objects, TimeProvider clock)
{
    public static readonly TimeSpan PromotionRecheck = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoadedModel? _loaded;
    private int? _promoted;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>The promoted version, loaded; a 409 problem when no version has been promoted.</summary>
    public async Task<LoadedModel> PromotedAsync(CancellationToken cancellationToken)
    {
        if (_loaded is { } loaded && _promoted == loaded.Version.Version && clock.GetUtcNow() - _checkedAt < PromotionRecheck)
            return loaded;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() - _checkedAt >= PromotionRecheck || _promoted is null)
            {
                _promoted = await store.PromotedAsync(ChurnModelOptions.Model, cancellationToken);
                _checkedAt = clock.GetUtcNow();
            }
            if (_promoted is not { } version)
                throw new ConflictException([new FieldError("model",
                    "no churn model version is promoted yet: train one (POST /api/v1/models/churn/train) and promote it")]);
            if (_loaded?.Version.Version != version) _loaded = await LoadAsync(version, cancellationToken);
            return _loaded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets what is promoted, so the next prediction reads it again (after a promotion in this process).</summary>
    public void Invalidate() => _checkedAt = DateTimeOffset.MinValue;

    private async Task<LoadedModel> LoadAsync(int number, CancellationToken cancellationToken)
    {
        var version = await store.FindVersionAsync(ChurnModelOptions.Model, number, cancellationToken)
                      ?? throw new InvalidOperationException($"promoted churn model v{number} has no record");
        var details = ModelDetails.Of(version);
        var ml = new MLContext();
        using var artifact = new MemoryStream();
        await using (var stream = await objects.OpenReadAsync(version.Artifact, cancellationToken))
            await stream.CopyToAsync(artifact, cancellationToken);
        artifact.Position = 0;
        var model = ml.Model.Load(artifact, out _);
        var schema = ChurnSchema.For(details.Features.Count);
        var engines = new DefaultObjectPool<PredictionEngine<ChurnExample, ChurnScore>>(
            new EnginePolicy(() => ml.Model.CreatePredictionEngine<ChurnExample, ChurnScore>(model, inputSchemaDefinition: schema)),
            Environment.ProcessorCount * 4);
        return new LoadedModel(version, details, engines);
    }

    private sealed class EnginePolicy(Func<PredictionEngine<ChurnExample, ChurnScore>> create)
        : IPooledObjectPolicy<PredictionEngine<ChurnExample, ChurnScore>>
    {
        public PredictionEngine<ChurnExample, ChurnScore> Create() => create();
        public bool Return(PredictionEngine<ChurnExample, ChurnScore> obj) => true;
    }
}
