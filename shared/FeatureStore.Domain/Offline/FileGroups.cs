namespace FeatureStore.Domain;

/// <summary>
/// How an offline history is cut into files (docs/semantics.md, offline files): consecutive pieces — a run's event dates, or a
/// history's small files when it is compacted — share a file until it holds <c>target</c> rows, then the next piece starts
/// another. A piece is never split, so a file holds fewer than <c>target</c> rows plus its last piece's; every file but the
/// last holds at least <c>target</c>.
/// </summary>
public static class FileGroups
{
    public static List<List<T>> Cut<T>(IEnumerable<T> ordered, Func<T, long> rows, long target)
    {
        var groups = new List<List<T>>();
        List<T>? open = null;
        long held = 0;
        foreach (var piece in ordered)
        {
            if (open is null || held >= target)
            {
                groups.Add(open = []);
                held = 0;
            }
            open.Add(piece);
            held += rows(piece);
        }
        return groups;
    }
}
