using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Performance;
using FeatureStore.ModelApi.Storage;
using FeatureStore.ModelApi.Training;
using Microsoft.Extensions.Options;

namespace FeatureStore.ModelApi.Serving;

/// <summary>
/// Churn predictions from the promoted model. For a customer, its features come from feature-api's online store
/// by the model's exact versioned refs in one call, with <c>as_of</c> = now for the on-demand ones; raw values may
/// be sent instead. Every feature used is reported with its status: a value that is missing, null or older than
/// its view's TTL is not used (the model fills it as training did) and is listed under <c>missing</c>, never hidden.
/// When feature-api cannot serve at all (unreachable, its circuit open, or down itself for want of its online store), a
/// request that chose <c>predictWithout</c> gets a prediction with every feature <see cref="Unavailable"/>, marked degraded
/// with the reason; otherwise it is a 503 naming feature-api. A refusal of what was asked (feature-api's 4xx) always fails.
/// </summary>
public sealed partial class ChurnPredictor(ModelCache models, FeatureApiClient featureApi, IOptions<ChurnModelOptions> options,
    TimeProvider clock, ModelMetrics metrics, PredictionLog log, ILogger<ChurnPredictor> logger)
{
    public const string Provided = "PROVIDED";
    public const string NotProvided = "NOT_PROVIDED";
    /// <summary>The status of every feature of a degraded prediction: it could not be read at all, so it is not known to be
    /// missing, null or stale.</summary>
    public const string Unavailable = "UNAVAILABLE";
    private const string Present = "PRESENT";

    /// <summary>Withheld from the echo: a feature the model used but <c>caller</c> may not read online (a protected feature,
    /// FeatureProtection); its value and time are not shown.</summary>
    public const string Withheld = "WITHHELD";

    public async Task<PredictionDto> PredictAsync(PredictChurnRequestDto request, Principal? caller, CancellationToken cancellationToken)
    {
        var model = await models.PromotedAsync(cancellationToken);
        var details = model.Details;
        var predictWithout =
            (request.WhenFeaturesUnavailable ?? options.Value.WhenFeaturesUnavailable) == FeaturesUnavailable.PredictWithout;
        var (used, degradation, withheld) = request.Features is { } raw ? (FromRaw(details, raw), null, [])
            : await FromOnlineAsync(details, request.CustomerId!.Value, predictWithout, OnBehalfOf.HeaderValue(caller),
                $"{model.Version.Model}/{model.Version.Version}", cancellationToken);
        var vector = used.Select(u => FeatureVectors.ToInput(u.Status is Present or Provided ? u.Value : null)).ToArray();
        var probability = Math.Round(model.Probability(vector), 6);
        var missing = used.Where(u => u.Status is not (Present or Provided)).Select(u => u.Name).ToList();
        // The model used them; the caller sees that it did, not what they were.
        if (withheld.Count > 0)
            used = used.Select(u => withheld.Contains(u.Name) ? u with { Value = null, Status = Withheld, EventTimestamp = null } : u)
                .ToList();
        metrics.Predicted(model.Version.Version, probability, probability >= details.Threshold, missing.Count);
        if (request.CustomerId is { } customer) // raw feature values name nobody whose outcome could come later
            log.Record(new LoggedPrediction(Guid.NewGuid(), ChurnModelOptions.Model, model.Version.Version, CustomerKey.Of(customer),
                probability, details.Threshold, degradation is not null, clock.GetUtcNow()));
        if (degradation is not null)
        {
            metrics.Degraded(model.Version.Version, degradation.Dependency);
            LogDegraded(degradation, model.Version.Version);
        }
        return new PredictionDto(request.CustomerId, probability, probability >= details.Threshold,
            details.Threshold, model.Version.Version,
            details.Algorithm, used, missing, degradation is not null, degradation, withheld.Count > 0 ? withheld : null);
    }

    private async Task<(List<UsedFeatureDto> Used, DegradationDto? Degradation, List<string> Withheld)> FromOnlineAsync(
        ModelDetails details, JsonElement customerId, bool predictWithout, string? onBehalfOf, string modelName,
        CancellationToken cancellationToken)
    {
        OnlineFeatures answer;
        try
        {
            answer = await featureApi.OnlineForPredictionAsync(details.Project, options.Value.EntityKey, customerId,
                options.Value.AsOfField, clock.GetUtcNow(), details.FeatureRefs, onBehalfOf, modelName, cancellationToken);
        }
        catch (FeatureApiRejectedException e) when (e.FeatureApiStatus == 400
            && e.RejectedFields.Any(f => f.StartsWith("entities", StringComparison.Ordinal)))
        {
            throw FieldErrors.Invalid("customerId", $"is not a valid {options.Value.EntityKey}: {e.Errors[0].Reason}");
        }
        catch (RefusedException e) when (predictWithout && DegradationOf(e) is { } degradation)
        {
            return (details.Features.Select(name => new UsedFeatureDto(name, null, Unavailable, null)).ToList(), degradation, []);
        }
        var row = answer.Rows[0];
        return (details.Features.Select(name => new UsedFeatureDto(name,
            row.Values.GetValueOrDefault(name),
            row.Statuses.TryGetValue(name, out var status) ? status.WireName() : FeatureStatus.NotFound.WireName(),
            row.EventTimestamps.GetValueOrDefault(name))).ToList(),
            null,
            [.. answer.Withheld]);
    }

    /// <summary>
    /// A refusal that means feature-api could not serve (no answer, its circuit open, or its own 502/503/504 naming what it
    /// lacks) as the reason a prediction is degraded; null for anything that is an answer about the request itself.
    /// </summary>
    public static DegradationDto? DegradationOf(RefusedException refusal) => refusal switch
    {
        DependencyUnavailableException unreachable => new DegradationDto(FeatureApiClient.ServiceName, unreachable.Errors[0].Reason),
        FeatureApiRejectedException { IsOutage: true } down => new DegradationDto(FeatureApiClient.ServiceName, down.Summary),
        _ => null,
    };

    // An outage degrades every prediction (hundreds a second): one line per interval says so, not one per prediction.
    private const long LogIntervalMilliseconds = 10_000;
    private static long _loggedAt = -LogIntervalMilliseconds;

    private void LogDegraded(DegradationDto degradation, int version)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _loggedAt);
        if (now - last >= LogIntervalMilliseconds && Interlocked.CompareExchange(ref _loggedAt, now, last) == last)
            LogPredictedWithout(logger, version, degradation.Dependency, degradation.Reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Churn predictions (model version {Version}) are made without online "
        + "features, as their requests asked: {Dependency} cannot serve them ({Reason}); logged once per 10 s while it lasts")]
    private static partial void LogPredictedWithout(ILogger logger, int version, string dependency, string reason);

    private static List<UsedFeatureDto> FromRaw(ModelDetails details, Dictionary<string, JsonElement> raw)
    {
        var errors = raw.Keys.Where(k => !details.Features.Contains(k))
            .Select(k => new FieldError($"features.{k}",
                $"is not a feature of the promoted model (it uses: {string.Join(", ", details.Features)})"))
            .Concat(raw.Where(r => !FeatureVectors.IsUsable(r.Value))
                .Select(r => new FieldError($"features.{r.Key}", "must be a number, a boolean or null")))
            .ToList();
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        return details.Features.Select(name => raw.TryGetValue(name, out var value)
            ? new UsedFeatureDto(name, value, Provided, null)
            : new UsedFeatureDto(name, null, NotProvided, null)).ToList();
    }
}
