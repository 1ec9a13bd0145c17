namespace FeatureStore.Contracts;

/// <summary>A feature found by <c>GET /api/v1/features?q=</c>.</summary>
public sealed record FeatureHitDto(
    string Ref, string ViewKind, string View, int ViewVersion, string Feature, string Type,
    string? Description, string? Owner, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Entities);

/// <summary>A node of a lineage graph: a registry object (<c>featureView:stats</c>) or a feature
/// (<c>feature:stats:purchases</c>).</summary>
public sealed record LineageNodeDto(string Id, string Kind, string Name, int? Version);

public sealed record LineageEdgeDto(string From, string To);

/// <summary>Where a feature comes from and where it goes: sources → views → on-demand features → feature services.</summary>
public sealed record LineageDto(string Feature, IReadOnlyList<LineageNodeDto> Nodes, IReadOnlyList<LineageEdgeDto> Edges);
