using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Serving;
using FeatureStore.ModelApi.Storage;
using FeatureStore.Storage.Objects;
using MassTransit;
using Microsoft.Extensions.Options;
using Microsoft.ML;

namespace FeatureStore.ModelApi.Training;

/// <summary>
/// One training run of the churn model. The training set is point-in-time correct by construction: features are
/// retrieved through feature-api's historical retrieval at each label's own time (and saved there as a named
/// dataset, so the set can be reproduced), never read "as of now". The model uses exactly the serving feature
/// service's features, in its order, and records the versioned refs it reads them by, so serving asks for the
/// same features of the same versions. Both candidates train on one stratified split; the better held-out AUC
/// is kept as the new version.
/// </summary>
public sealed partial class ChurnTrainer(FeatureApiClient featureApi, LabelReader labels, IDefinitionCatalog catalog, IObjectStore objects,
    IModelStore store, ModelPromotions promotions, IPublishEndpoint bus, IOptions<ChurnModelOptions> defaults, TimeProvider clock,
    ILogger<ChurnTrainer> logger)
{
    /// <summary>Trains and stores a new version; answers its number and held-out AUC.</summary>
    public async Task<(int Version, double Auc)> TrainAsync(Guid jobId, TrainModelRequestDto request, CancellationToken cancellationToken)
    {
        var options = defaults.Value;
        var project = request.Project ?? options.Project;
        var trainingService = request.TrainingFeatureService ?? options.TrainingFeatureService;
        var servingService = request.ServingFeatureService ?? options.ServingFeatureService;
        var labelColumn = request.LabelColumn ?? options.LabelColumn;
        var seed = request.Seed ?? options.Seed;
        var labelled = await labels.ReadAsync(project, request.LabelsSource ?? options.LabelsSource,
            options.EntityKey, labelColumn, cancellationToken);
        if (labelled.Count(l => l.Label) < 2 || labelled.Count(l => !l.Label) < 2)
            throw FieldErrors.Invalid("labelsSource", "needs at least two labelled rows of each class to train and measure a model");

        var dataset = $"churn_training_{jobId:N}";
        var entities = labelled.Select(l => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            [options.EntityKey] = l.EntityId, [FeatureNames.EventTimestamp] = WireTime.Text(l.At),
            [options.AsOfField] = WireTime.Text(l.At), [labelColumn] = l.Label,
        }).ToList();
        var rows = await featureApi.TrainingSetAsync(project, trainingService, entities, dataset, cancellationToken);
        var saved = await featureApi.DatasetAsync(project, dataset, cancellationToken);
        var features = await ServingFeatureNamesAsync(project, servingService, labelled[0], cancellationToken);
        CheckColumns(rows, features, trainingService);
        var refs = VersionedRefs(saved, features);
        var servingVersion = (await catalog.FindAsync(project, ObjectKind.FeatureService, servingService, null, cancellationToken))?.Version
                             ?? throw FieldErrors.Invalid("servingFeatureService",
                                 $"feature service '{servingService}' does not exist in project '{project}'");

        var examples = rows.Select((row, i) => new ChurnExample
        {
            Features = FeatureVectors.FromRow(features, row),
            Label = labelled[i].Label,
        }).ToList();
        var ml = new MLContext(seed);
        var (train, test) = CandidateTrainer.StratifiedSplit(examples, request.TestFraction ?? options.TestFraction, seed);
        var candidates = CandidateTrainer.TrainAll(ml, features, train, test);
        var best = candidates.MaxBy(c => c.Metrics.Auc)!;

        var version = await store.NextVersionAsync(ChurnModelOptions.Model, cancellationToken);
        var artifact = ModelDetails.ArtifactKey(ChurnModelOptions.Model, version);
        var details = new ModelDetails(project, best.Algorithm, features, refs,
            new FeatureServiceVersionDto(trainingService, saved.FeatureServiceVersion
                ?? throw new InvalidOperationException($"dataset '{dataset}' does not name its feature service's version")),
            new FeatureServiceVersionDto(servingService, servingVersion), dataset, train.Count, test.Count,
            Math.Round(examples.Count(e => e.Label) / (double)examples.Count, 6), options.Threshold, best.Metrics,
            candidates.Select(c => c.Metrics).ToList(), best.Importance);
        using (var model = new MemoryStream())
        {
            ml.Model.Save(best.Model, ml.Data.LoadFromEnumerable(new List<ChurnExample>(), ChurnSchema.For(features.Count)).Schema, model);
            model.Position = 0;
            await objects.PutAsync(artifact, model, cancellationToken);
        }
        var now = clock.GetUtcNow();
        var stored = new ModelVersion(ChurnModelOptions.Model, version, now, jobId, artifact, details.ToJson());
        await store.AddVersionAsync(stored, cancellationToken);
        if (request.Promote) await promotions.PromoteAsync(stored, details, cancellationToken);
        await bus.Publish(new ModelTrained(ChurnModelOptions.Model, version, jobId, best.Algorithm,
            best.Metrics.Auc, best.Metrics.F1, project,
            trainingService, details.TrainingFeatureService.Version, servingService, servingVersion, artifact, now), cancellationToken);
        Trained(logger, version, best.Algorithm, best.Metrics.Auc, train.Count, test.Count);
        return (version, best.Metrics.Auc);
    }

    /// <summary>The serving service's output names, as feature-api resolves them (whole views expanded, on-demand features
    /// included).</summary>
    private async Task<List<string>> ServingFeatureNamesAsync(string project, string servingService,
        LabelledRow probe, CancellationToken cancellationToken)
    {
        var options = defaults.Value;
        var answer = await featureApi.OnlineAsync(project, options.EntityKey, [probe.EntityId], options.AsOfField,
            probe.At, cancellationToken,
            featureService: servingService);
        return [.. answer.FeatureNames];
    }

    /// <summary>Every model feature must be in the training set and be a number or a boolean.</summary>
    private static void CheckColumns(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, List<string> features,
        string trainingService)
    {
        var errors = new List<FieldError>();
        foreach (var name in features)
        {
            if (rows.Count == 0 || !rows[0].ContainsKey(name))
                errors.Add(new FieldError("servingFeatureService",
                    $"feature '{name}' is not in the training feature service '{trainingService}'"));
            else if (rows.Any(r => !FeatureVectors.IsUsable(r.GetValueOrDefault(name))))
                errors.Add(new FieldError("servingFeatureService",
                    $"feature '{name}' is not a number or a boolean; the model takes those only"));
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
    }

    /// <summary>The saved dataset's versioned refs (<c>view@v3:feature</c>) of the model's features, in input order.</summary>
    private static List<string> VersionedRefs(SavedDatasetDto saved, List<string> features)
    {
        var byName = saved.Features.ToDictionary(r => r[(r.LastIndexOf(':') + 1)..], StringComparer.Ordinal);
        return features.Select(f => byName[f]).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trained churn model v{Version} ({Algorithm}, held-out AUC {Auc}) on {TrainRows} rows, {TestRows} held out")]
    private static partial void Trained(ILogger logger, int version, string algorithm, double auc, int trainRows, int testRows);
}
