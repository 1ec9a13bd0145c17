using System.Text.Json;
using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

/// <summary>
/// <c>POST /api/v1/push</c>: rows for a push source (each with the join keys, the source's timestamp field and
/// any features of the views that read it), written to the online store, the offline store, or both.
/// </summary>
public sealed class PushRequestDto : IProjectScoped
{
    public string? Project { get; set; }
    public string? PushSource { get; set; }
    public List<Dictionary<string, JsonElement>>? Rows { get; set; }
    /// <summary><c>online</c>, <c>offline</c> or <c>online_and_offline</c> (Feast's push modes); online when absent.</summary>
    public string? To { get; set; }
}

/// <summary>What one view took from a push: online keys changed (an older row never replaces a newer one) and offline files
/// catalogued.</summary>
public sealed record PushedViewDto(string View, int Version, long OnlineKeysWritten, int OfflineFiles, long OfflineRows);

public sealed record PushResultDto(Guid PushId, int Rows, IReadOnlyList<PushedViewDto> Views);
