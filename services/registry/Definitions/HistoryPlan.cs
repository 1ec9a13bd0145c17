using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// What planning needs of the views' offline histories: every stored version (deletions aside) of the views an apply
/// creates or changes, and what the history of each one's current version covers.
/// </summary>
public sealed record HistoryContext(
    IReadOnlyDictionary<string, IReadOnlyList<FeatureViewDefinition>> Versions,
    IReadOnlyDictionary<(string View, int History), IReadOnlyList<TimeWindow>> Covered)
{
    public static readonly HistoryContext Empty = new(new Dictionary<string, IReadOnlyList<FeatureViewDefinition>>(),
        new Dictionary<(string, int), IReadOnlyList<TimeWindow>>());
}

/// <summary>
/// Gives a new view version its offline history (<see cref="ViewHistory.Assign"/>) and says in the plan what that means:
/// it keeps the history it had, finds an earlier one again, or starts a new one that needs a backfill of what the old one
/// covered (until then historical retrieval answers 409 for those times).
/// </summary>
public static class HistoryPlan
{
    public static (IRegistryDefinition Stamped, string? Note, HistoryPlanDto? Plan) Stamp(IRegistryDefinition definition, int version,
        DateTimeOffset now,
        IRegistryDefinition? before, HistoryContext histories)
    {
        var stamped = definition.Stamped(version, now);
        if (stamped is not FeatureViewDefinition view) return (stamped, null, null);
        view = view with { History = ViewHistory.Assign(view, histories.Versions.GetValueOrDefault(view.Name) ?? []) };
        var history = view.HistoryVersion;
        if (before is FeatureViewDefinition old && old.HistoryVersion == history)
            return (view, $"keeps the offline history v{history}: what it computes is unchanged", new HistoryPlanDto(history, false, []));
        var covered = before is FeatureViewDefinition previous
            ? histories.Covered.GetValueOrDefault((view.Name, previous.HistoryVersion)) ?? []
            : [];
        if (history != version)
            return (view, $"reads the offline history v{history} again: it computes what v{history} did",
                new HistoryPlanDto(history, false, []));
        if (before is not FeatureViewDefinition replaced) return (view, null, new HistoryPlanDto(history, false, []));
        var changed = string.Join(", ", ViewHistory.Differences(replaced, view));
        var note = covered.Count == 0
            ? $"history restarts ({changed} changed); v{replaced.Version}'s history held nothing to backfill"
            : $"history restarts ({changed} changed): historical retrieval answers 409 for these times until they are backfilled; " +
              $"materialize {string.Join(" and ", covered.Select(Coverage.Describe))}";
        return (view, note, new HistoryPlanDto(history, true, covered));
    }
}
