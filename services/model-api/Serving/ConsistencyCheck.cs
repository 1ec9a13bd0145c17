using System.Globalization;
using System.Text.Json;
using FeatureStore.Api.Security;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using Microsoft.Extensions.Options;

namespace FeatureStore.ModelApi.Serving;

/// <summary>
/// Training–serving consistency: for some customers, the promoted model's features as served online now beside
/// the offline point-in-time values at the very same instant (historical retrieval with the same refs and the
/// same as_of). Every difference is reported; a value that is not PRESENT online counts as null, as the TTL makes
/// it null offline. Equal means both null, equal booleans or strings, or numbers within 1e-9 (relative). The offline side
/// is read with gaps allowed: the instant is usually after the last materialization, a stretch no history covers yet (and
/// nothing online knows of either); the report lists those gaps beside the differences.
/// </summary>
public sealed class ConsistencyCheck(ModelCache models, FeatureApiClient featureApi, LabelReader labels,
    IOptions<ChurnModelOptions> options,
    TimeProvider clock)
{
    public const int MaxCustomers = 1000;

    /// <summary>Compares for <paramref name="caller"/>: a difference in a feature they may not read shows no values.</summary>
    public async Task<ConsistencyReportDto> RunAsync(ConsistencyRequestDto request, Principal? caller, CancellationToken cancellationToken)
    {
        var model = await models.PromotedAsync(cancellationToken);
        var details = model.Details;
        var key = options.Value.EntityKey;
        var customers = request.Customers is { Count: > 0 } chosen ? chosen
            : await SampleAsync(details.Project, request.Sample ?? 20, cancellationToken);
        // Both sides at one instant, to the microsecond feature-api keeps.
        var now = clock.GetUtcNow();
        var instant = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var at = WireTime.Text(instant);
        var online = await featureApi.OnlineAsync(details.Project, key, customers.Cast<object>().ToList(), options.Value.AsOfField,
            instant, cancellationToken,
            features: details.FeatureRefs, onBehalfOf: OnBehalfOf.HeaderValue(caller));
        var offline = await featureApi.OfflineAllowingGapsAsync(details.Project, details.FeatureRefs,
            customers.Select(c => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
            { [key] = c, [FeatureNames.EventTimestamp] = at, [options.Value.AsOfField] = at }), cancellationToken);

        var differences = new List<FeatureMismatchDto>();
        for (var i = 0; i < customers.Count; i++)
            foreach (var name in details.Features)
            {
                var row = online.Rows[i];
                var status = row.Statuses.TryGetValue(name, out var s) ? s : FeatureStatus.NotFound;
                var served = status == FeatureStatus.Present ? row.Values.GetValueOrDefault(name) : null;
                var past = offline.Rows[i].GetValueOrDefault(name);
                if (Same(OnlineFeatures.Plain(served), past)) continue;
                differences.Add(online.Withheld.Contains(name)
                    ? new FeatureMismatchDto(customers[i], name, null, ChurnPredictor.Withheld, null)
                    : new FeatureMismatchDto(customers[i], name, served, status.WireName(),
                        past is null ? null : JsonSerializer.SerializeToElement(past, FeatureStoreClient.Json)));
            }
        return new ConsistencyReportDto(instant, model.Version.Version, customers.Count,
            customers.Count * details.Features.Count, differences.Count, differences, offline.Gaps);
    }

    /// <summary>The first <paramref name="count"/> distinct customers of the labels source.</summary>
    private async Task<List<JsonElement>> SampleAsync(string project, int count, CancellationToken cancellationToken)
    {
        var labelled = await labels.ReadAsync(project, options.Value.LabelsSource, options.Value.EntityKey,
            options.Value.LabelColumn, cancellationToken);
        return labelled.Select(l => FeatureValues.ToJsonElement(l.EntityId)).DistinctBy(e => e.GetRawText()).Take(count).ToList();
    }

    /// <summary>Both null, numbers within 1e-9 (relative), or equal values of another kind (JSON values by their text).</summary>
    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long or double, long or double) => Close(Convert.ToDouble(a, CultureInfo.InvariantCulture),
            Convert.ToDouble(b, CultureInfo.InvariantCulture)),
        (JsonElement x, JsonElement y) => x.ValueKind == y.ValueKind && x.GetRawText() == y.GetRawText(),
        ({ } x, { } y) => x.Equals(y),
        _ => false,
    };

    private static bool Close(double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x));
}
