namespace FeatureStore.Domain.Monitoring;

/// <summary>
/// Drift monitoring declared on a feature service: a cron <see cref="Schedule"/> (none: checks run only when asked), the
/// <see cref="Window"/> of served values each scheduled check compares, the saved dataset compared with (none: the training set
/// of the model version last promoted that uses the service), the service's thresholds and, per feature (<c>view:feature</c>),
/// thresholds of its own.
/// </summary>
public sealed record DriftMonitoring(string? Schedule, TimeSpan Window, string? Reference, DriftThresholds Thresholds,
    IReadOnlyDictionary<string, DriftThresholds> Features)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    /// <summary>How <see cref="Features"/> names a feature: <c>view:feature</c>, whatever version is served.</summary>
    public static string KeyOf(string view, string feature) => $"{view}:{feature}";

    /// <summary>The thresholds that judge a feature (any version of it).</summary>
    public DriftThresholds For(FeatureRef feature) =>
        Features.TryGetValue(KeyOf(feature.View, feature.Feature), out var own) ? own : Thresholds;

    /// <summary>The thresholds of a service that declares none.</summary>
    public static DriftThresholds ThresholdsOf(DriftMonitoring? monitoring, FeatureRef feature) =>
        monitoring?.For(feature) ?? DriftThresholds.Default;
}

/// <summary>A model's promoted version (it answers predictions), the dataset it was trained on and the services it uses.</summary>
public sealed record PromotedModel(string Project, string Model, int Version, string Dataset, string TrainingFeatureService,
    string ServingFeatureService, DateTimeOffset PromotedAt);

/// <summary>The one rule for what a drift check compares with.</summary>
public static class DriftReference
{
    /// <summary>The dataset asked for; else the one the service declares; else the training set of the model version promoted last
    /// that serves from or was trained on the service; else none.</summary>
    public static string? Choose(string? asked, FeatureServiceDefinition service, IEnumerable<PromotedModel> promoted) =>
        asked ?? service.Drift?.Reference ?? promoted
            .Where(m => m.Project == service.Project
                        && (m.ServingFeatureService == service.Name || m.TrainingFeatureService == service.Name))
            .MaxBy(m => m.PromotedAt)?.Dataset;
}
