using System.Text.Json.Nodes;

namespace FeatureStore.Contracts;

/// <summary>One field that changes: its path inside the object's definition and the old and new values.</summary>
public sealed record FieldChangeDto(string Path, JsonNode? Old, JsonNode? New);

/// <summary>
/// The offline history a new view version reads (named by the version that started it), whether it restarts, and what the
/// history it replaces covered: the windows to materialize again so historical retrieval answers for them.
/// </summary>
public sealed record HistoryPlanDto(int History, bool Restarts, IReadOnlyList<FeatureStore.Domain.TimeWindow> Backfill);

/// <summary>What an apply does (or would do) to one object; for a view, what becomes of its offline history.</summary>
public sealed record ObjectChangeDto(
    string Kind,
    string Name,
    string Action,
    int? FromVersion,
    int? ToVersion,
    bool Breaking,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<FieldChangeDto> Diff,
    bool Executed,
    HistoryPlanDto? History = null);

public sealed record PlanSummaryDto(int Create, int Update, int Delete, int Unchanged, int Breaking);

/// <summary>The answer of <c>POST /api/v1/apply</c>: the plan, and whether it was carried out.</summary>
public sealed record ApplyResultDto(
    string Project,
    bool DryRun,
    bool Applied,
    long Revision,
    PlanSummaryDto Summary,
    IReadOnlyList<ObjectChangeDto> Changes);

/// <summary>A project's revision alone (<c>GET /api/v1/projects/{project}/revision</c>): 0 when it was never applied.</summary>
public sealed record ProjectRevisionDto(string Project, long Revision);

public sealed record ProjectDto(string Name, long Revision, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, int> Objects);

public sealed record ObjectVersionDto(int Version, bool Deleted, long Revision, DateTimeOffset CreatedAt);
