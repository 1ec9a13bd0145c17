using System.Text.Json;

namespace FeatureStore.Contracts;

// A repository definition as users write it (YAML or JSON, kept in git) and POST to /api/v1/apply.
// Everything is nullable so that the registry can report every missing field at once, with its path;
// types and durations travel as the text users write ("int64", "30d").

public sealed class RepositoryDto
{
    public string? Project { get; set; }
    public List<EntityDto?>? Entities { get; set; }
    public List<DataSourceDto?>? Sources { get; set; }
    public List<FeatureViewDto?>? FeatureViews { get; set; }
    public List<OnDemandFeatureViewDto?>? OnDemandFeatureViews { get; set; }
    public List<FeatureServiceDto?>? FeatureServices { get; set; }
    public List<PermissionDto?>? Permissions { get; set; }
}

/// <summary>What every object may say about itself.</summary>
public abstract class ObjectDto
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Owner { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class FieldDto
{
    public string? Name { get; set; }
    public string? Type { get; set; }
}

public sealed class EntityDto : ObjectDto
{
    public List<FieldDto?>? JoinKeys { get; set; }
}

public sealed class DataSourceDto : ObjectDto
{
    /// <summary><c>batch</c> (default) or <c>push</c>.</summary>
    public string? Kind { get; set; }
    public string? Path { get; set; }
    public string? TimestampField { get; set; }
    public string? CreatedTimestampField { get; set; }
    /// <summary>For a push source: the batch source that keeps its history.</summary>
    public string? BatchSource { get; set; }
    /// <summary>Optional; when absent the registry reads it from the Parquet object at <see cref="Path"/>.</summary>
    public List<FieldDto?>? Schema { get; set; }
}

public sealed class ValidationRulesDto
{
    public double? Min { get; set; }
    public double? Max { get; set; }
    public List<JsonElement>? AllowedValues { get; set; }
    public bool? NotNull { get; set; }
    public JsonElement? Default { get; set; }
}

public sealed class FeatureFieldDto
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Description { get; set; }
    public ValidationRulesDto? Validation { get; set; }

    /// <summary>The feature's own tags, laid over its view's: <c>sensitivity: pii</c> protects this feature alone.</summary>
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class TransformationDto
{
    /// <summary>One SELECT over the table <c>source</c>.</summary>
    public string? Sql { get; set; }
}

public sealed class AggregationDto
{
    /// <summary>The feature it produces (declared in the schema too).</summary>
    public string? Name { get; set; }
    public string? Function { get; set; }
    public string? Column { get; set; }
    public string? Window { get; set; }
}

public sealed class FeatureViewDto : ObjectDto
{
    public List<string?>? Entities { get; set; }
    public string? Source { get; set; }
    public List<FeatureFieldDto?>? Schema { get; set; }
    public string? Ttl { get; set; }
    public TransformationDto? Transformation { get; set; }
    public List<AggregationDto?>? Aggregations { get; set; }
    public bool? Online { get; set; }
    public bool? Offline { get; set; }
    /// <summary>Cron expression (5 fields, or 6 with seconds) for incremental materialization.</summary>
    public string? Schedule { get; set; }
    /// <summary>Share of rows that may fail validation before a run fails (0 to 1; default 0).</summary>
    public double? MaxInvalidRate { get; set; }
    /// <summary>How old the newest served value may grow before the view counts as late (a duration, such as '6h'); the
    /// data-freshness monitor compares against it. None: only the TTL counts.</summary>
    public string? Freshness { get; set; }
}

public sealed class OnDemandFeatureDto
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    /// <summary>A SQL expression over the source views' features and the request fields.</summary>
    public string? Expression { get; set; }
    public string? Description { get; set; }
}

public sealed class OnDemandFeatureViewDto : ObjectDto
{
    public List<string?>? Sources { get; set; }
    public List<FieldDto?>? RequestFields { get; set; }
    public List<OnDemandFeatureDto?>? Schema { get; set; }
}

/// <summary>A permission: the objects it covers and what holders of its roles may do with them (only an admin may change
/// one).</summary>
public sealed class PermissionDto : ObjectDto
{
    /// <summary>Object kinds (<c>featureView</c>, <c>onDemandFeatureView</c>, <c>featureService</c>, …); absent: all.</summary>
    public List<string?>? Types { get; set; }
    /// <summary>Name patterns with <c>*</c> and <c>?</c>; absent: every name.</summary>
    public List<string?>? NamePatterns { get; set; }
    /// <summary>Tags an object must carry, every one, to be covered (<c>sensitivity: pii</c>).</summary>
    public Dictionary<string, string>? RequiredTags { get; set; }
    public List<string?>? Roles { get; set; }
    /// <summary><c>describe</c>, <c>read_online</c>, <c>read_offline</c>, <c>materialize</c>, …</summary>
    public List<string?>? Actions { get; set; }
    /// <summary>Other projects the permission grants to: with <c>read_offline</c> over a data source, a source of theirs may read
    /// the covered source's object (a share; no role needed).</summary>
    public List<string?>? Projects { get; set; }
}

public sealed class FeatureServiceDto : ObjectDto
{
    /// <summary>Feature references (<c>view:feature</c>, <c>view@v2:feature</c>) or whole views (<c>view</c>).</summary>
    public List<string?>? Features { get; set; }
    /// <summary>Logs what this service serves online: <c>{sampleRate: 0.1}</c> logs one read in ten.</summary>
    public FeatureLoggingDto? Logging { get; set; }
    /// <summary>Drift monitoring: a schedule, the window and reference compared, thresholds (see <c>docs/monitoring.md</c>).</summary>
    public DriftMonitoringDto? Drift { get; set; }
}

public sealed class FeatureLoggingDto
{
    /// <summary>The share of reads logged, more than 0 and at most 1.</summary>
    public double? SampleRate { get; set; }
}

public sealed class DriftMonitoringDto
{
    /// <summary>Cron (five or six fields, UTC) of scheduled checks; absent: checks run only when asked.</summary>
    public string? Schedule { get; set; }
    /// <summary>The served values a scheduled check compares: the last <c>24h</c> by default.</summary>
    public string? Window { get; set; }
    /// <summary>The saved dataset compared with; absent: the training set of the promoted model that uses the service.</summary>
    public string? Reference { get; set; }
    /// <summary>Thresholds for every feature of the service (each absent one: the default).</summary>
    public DriftThresholdsDto? Thresholds { get; set; }
    /// <summary>Per feature (<c>view:feature</c>), thresholds of its own over the service's.</summary>
    public Dictionary<string, DriftThresholdsDto?>? Features { get; set; }
}

/// <summary>A score at or past its threshold is drift. Defaults: PSI 0.2, KS 0.1 at p below 0.01, Jensen–Shannon 0.1, null-rate
/// change 0.1, judged from 50 values a side.</summary>
public sealed class DriftThresholdsDto
{
    public double? Psi { get; set; }
    public double? KsStatistic { get; set; }
    public double? KsPValue { get; set; }
    public double? JensenShannon { get; set; }
    public double? NullRateChange { get; set; }
    public int? MinimumValues { get; set; }
}
