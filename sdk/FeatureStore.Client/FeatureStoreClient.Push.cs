using System.Text.Json;
using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Where pushed rows go (Feast's push modes).</summary>
public enum PushTarget
{
    Online,
    Offline,
    OnlineAndOffline,
}

/// <summary>Push: rows for a push source, straight into the online store, the offline store or both.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Pushes rows (join keys, the source's timestamp field, features of the views that read it) to
    /// <paramref name="pushSource"/>; an older row never replaces a newer one online.</summary>
    public Task<PushResultDto> PushAsync(string pushSource, IEnumerable<IReadOnlyDictionary<string, object?>> rows,
        PushTarget to = PushTarget.Online, string? project = null, CancellationToken cancellationToken = default) =>
        PostAsync<PushResultDto>(FeatureApi, "push", new PushRequestDto
        {
            Project = ProjectOf(project), PushSource = pushSource,
            To = to switch { PushTarget.Offline => "offline", PushTarget.OnlineAndOffline => "online_and_offline", _ => "online" },
            Rows = rows.Select(row => row.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value, Json))).ToList(),
        }, cancellationToken);
}
