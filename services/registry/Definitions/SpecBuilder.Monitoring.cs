using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;

namespace FeatureStore.Registry.Definitions;

/// <summary>A feature service's drift monitoring: schedule, window, reference and thresholds, each checked with its path.</summary>
public sealed partial class SpecBuilder
{
    /// <summary>Null with <paramref name="ok"/> true when the service declares none; null with it false on a problem.</summary>
    private DriftMonitoring? Drift(DriftMonitoringDto? dto, string path, out bool ok)
    {
        ok = true;
        if (dto is null) return null;
        ok &= Cron(dto.Schedule, $"{path}.schedule");
        var window = DriftMonitoring.DefaultWindow;
        if (dto.Window is not null) ok &= PositiveDuration(dto.Window, $"{path}.window", out window);
        ok &= OptionalName(dto.Reference, $"{path}.reference");
        var thresholds = Thresholds(dto.Thresholds, DriftThresholds.Default, $"{path}.thresholds", ref ok);
        var features = new Dictionary<string, DriftThresholds>(StringComparer.Ordinal);
        foreach (var (key, own) in dto.Features ?? [])
        {
            var at = $"{path}.features.{key}";
            if (!FeatureRef.TryParse(key, out var feature) || feature.Version is not null)
                ok = Fail(at, "must be named view:feature (a feature of the service, any version)");
            else if (own is null) ok = Fail(at, "must be thresholds {\"psi\", \"ksStatistic\", …}");
            else features[key] = Thresholds(own, thresholds, at, ref ok);
        }
        return ok ? new DriftMonitoring(dto.Schedule?.Trim(), window, dto.Reference, thresholds, features) : null;
    }

    /// <summary>The given thresholds over <paramref name="inherited"/> (each absent one is inherited).</summary>
    private DriftThresholds Thresholds(DriftThresholdsDto? dto, DriftThresholds inherited, string path, ref bool ok)
    {
        if (dto is null) return inherited;
        ok &= Within(dto.Psi, 0, double.MaxValue, $"{path}.psi", "must be more than 0");
        ok &= Within(dto.KsStatistic, 0, 1, $"{path}.ksStatistic", "must be more than 0 and at most 1");
        ok &= Within(dto.KsPValue, 0, 1, $"{path}.ksPValue", "must be more than 0 and at most 1");
        ok &= Within(dto.JensenShannon, 0, 1, $"{path}.jensenShannon", "must be more than 0 and at most 1");
        ok &= Within(dto.NullRateChange, 0, 1, $"{path}.nullRateChange", "must be more than 0 and at most 1");
        if (dto.MinimumValues is < 2 or > DriftThresholds.MaxMinimumValues)
            ok = Fail($"{path}.minimumValues", $"must be from 2 to {DriftThresholds.MaxMinimumValues}");
        return new DriftThresholds(dto.Psi ?? inherited.Psi, dto.KsStatistic ?? inherited.KsStatistic, dto.KsPValue ?? inherited.KsPValue,
            dto.JensenShannon ?? inherited.JensenShannon, dto.NullRateChange ?? inherited.NullRateChange,
            dto.MinimumValues ?? inherited.MinimumValues);
    }

    private bool Within(double? value, double above, double atMost, string path, string reason) =>
        value is null || (value > above && value <= atMost && double.IsFinite(value.Value)) || Fail(path, reason);
}
