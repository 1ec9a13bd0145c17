using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Offline;

/// <summary>How the compaction endpoints show a compaction.</summary>
internal static class CompactionAnswers
{
    public static OfflineCompactionDto Dto(this OfflineCompaction c) => new(c.Id, c.Project, c.View, c.History, c.Base, c.Trigger,
        c.Status.ToString().ToLowerInvariant(), c.Inputs.Count, c.RowsIn, c.RequestedAt, c.FinishedAt, c.CommitSequence, c.FilesOut,
        c.Error);
}
