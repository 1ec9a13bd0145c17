using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Training;
using Microsoft.Extensions.Options;

namespace FeatureStore.ModelApi.Serving;

/// <summary>
/// Churn predictions from the promoted model. For a customer, its features come from feature-api's online store
/// by the model's exact versioned refs in one call, with <c>as_of</c> = now for the on-demand ones; raw values may
/// be sent instead. Every feature used is reported with its status: a value that is missing, null or older than
/// its view's TTL is not used (the model fills it as training did) and is listed under <c>missing</c>, never hidden.
/// </summary>
public sealed class ChurnPredictor(ModelCache models, FeatureApiClient featureApi, IOptions<ChurnModelOptions> options, TimeProvider clock,
    ModelMetrics metrics)
{
    public const string Provided = "PROVIDED";
    public const string NotProvided = "NOT_PROVIDED";
    private const string Present = "PRESENT";

    public async Task<PredictionDto> PredictAsync(PredictChurnRequestDto request, CancellationToken cancellationToken)
    {
        var model = await models.PromotedAsync(cancellationToken);
        var details = model.Details;
        var used = request.Features is { } raw ? FromRaw(details, raw)
            : await FromOnlineAsync(details, request.CustomerId!.Value, cancellationToken);
        var vector = used.Select(u => FeatureVectors.ToInput(u.Status is Present or Provided ? u.Value : null)).ToArray();
        var probability = Math.Round(model.Probability(vector), 6);
        var missing = used.Where(u => u.Status is not (Present or Provided)).Select(u => u.Name).ToList();
        metrics.Predicted(model.Version.Version, probability, probability >= details.Threshold, missing.Count);
        return new PredictionDto(request.CustomerId, probability, probability >= details.Threshold,
            details.Threshold, model.Version.Version,
            details.Algorithm, used, missing);
    }

    private async Task<List<UsedFeatureDto>> FromOnlineAsync(ModelDetails details, JsonElement customerId,
        CancellationToken cancellationToken)
    {
        JsonElement answer;
        try
        {
            answer = await featureApi.OnlineAsync(details.Project, options.Value.EntityKey, [customerId],
                options.Value.AsOfField, clock.GetUtcNow(),
                cancellationToken, features: details.FeatureRefs);
        }
        catch (FeatureApiRejectedException e) when (e.FeatureApiStatus == 400
            && e.RejectedFields.Any(f => f.StartsWith("entities", StringComparison.Ordinal)))
        {
            throw FieldErrors.Invalid("customerId", $"is not a valid {options.Value.EntityKey}: {e.Errors[0].Reason}");
        }
        var row = answer.GetProperty("results")[0];
        var values = row.GetProperty("values");
        var statuses = row.GetProperty("statuses");
        var times = row.GetProperty("eventTimestamps");
        return details.Features.Select(name => new UsedFeatureDto(name,
            values.TryGetProperty(name, out var value) ? value.Clone() : null,
            statuses.TryGetProperty(name, out var status) ? status.GetString()! : "NOT_FOUND",
            times.TryGetProperty(name, out var time) && time.ValueKind == JsonValueKind.String ? time.GetDateTimeOffset() : null)).ToList();
    }

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
