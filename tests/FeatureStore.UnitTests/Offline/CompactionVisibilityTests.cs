using FeatureStore.Domain;

namespace FeatureStore.UnitTests.Offline;

/// <summary>
/// A compaction changes which files are read, never which rows: on random histories of runs and pushes, a compaction at a
/// random base (with commits landing while it runs and after it) shows, as of every commit, exactly the rows the history
/// shows without it.
/// </summary>
public sealed class CompactionVisibilityTests
{
    private static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Row(int Id, DateTimeOffset EventTime);

    private sealed record File(OfflineCommit Owner, IReadOnlyList<Row> Rows)
    {
        public long? SupersededBy { get; set; }
    }

    [Fact]
    public void A_compaction_shows_as_of_every_commit_the_rows_the_history_shows_without_it()
    {
        var random = new Random(20261204);
        var (trials, compactedFiles, compactedRowsShown) = (0, 0, 0);
        for (var trial = 0; trial < 400; trial++)
        {
            var history = new History(random);
            var before = random.Next(2, 9);
            for (var i = 0; i < before; i++) history.AddRandomCommit();
            var @base = history.Last;
            var inputs = history.Files.Where(f => OfflineVisibility.Compactable(f.Owner) && history.Shows(f, @base).Count > 0)
                .Where(_ => random.Next(4) > 0).ToList();
            if (inputs.Count == 0) continue;
            for (var i = random.Next(0, 3); i > 0; i--) history.AddRandomCommit(); // land while the compaction runs
            var withCompaction = history.Copy();
            withCompaction.Compact(inputs, @base);
            for (var i = random.Next(0, 4); i > 0; i--)
            {
                var (commit, rows) = history.RandomCommit();
                history.Add(commit, rows);
                withCompaction.Add(commit with { Sequence = withCompaction.Last + 1 }, rows);
            }
            trials++;
            compactedFiles += inputs.Count;
            // Sequences shift by one after the compaction; compare each commit of the plain history with its twin.
            var twin = new Dictionary<long, long>();
            foreach (var c in history.Commits)
                twin[c.Sequence] = withCompaction.Commits.Single(w => w.Id == c.Id).Sequence;
            foreach (var c in history.Commits)
                Assert.Equal(history.Visible(c.Sequence), withCompaction.Visible(twin[c.Sequence]));
            Assert.Equal(history.Visible(history.Last), withCompaction.Visible(withCompaction.Last));
            compactedRowsShown += withCompaction.Files.Where(f => f.Owner.Kind == OfflineCommitKind.Compaction)
                .Sum(f => withCompaction.Shows(f, withCompaction.Last).Count);
        }
        // The histories are not trivial: most trials compact several files and the compacted rows are read.
        Assert.True(trials > 200 && compactedFiles > trials && compactedRowsShown > trials,
            $"{trials} trials compacted {compactedFiles} files, {compactedRowsShown} of their rows shown");
    }

    /// <summary>A simulated offline history: commits and their files of rows, read by <see cref="OfflineVisibility"/>.</summary>
    private sealed class History(Random random)
    {
        public List<OfflineCommit> Commits { get; private init; } = [];
        public List<File> Files { get; private init; } = [];
        private int _rowIds;
        private long _pushes;

        public long Last => Commits.Count == 0 ? 0 : Commits[^1].Sequence;

        public History Copy() => new(random)
        {
            Commits = [.. Commits], Files = Files.Select(f => new File(f.Owner, f.Rows) { SupersededBy = f.SupersededBy }).ToList(),
            _rowIds = _rowIds, _pushes = _pushes,
        };

        public void AddRandomCommit()
        {
            var (commit, rows) = RandomCommit();
            Add(commit, rows);
        }

        public (OfflineCommit Commit, List<List<Row>> Files) RandomCommit()
        {
            var start = Jan1.AddHours(random.Next(0, 60 * 24));
            var window = new TimeWindow(start, start.AddHours(random.Next(0, 20 * 24)));
            var rows = Enumerable.Range(0, random.Next(0, 7))
                .Select(_ => new Row(++_rowIds,
                    window.Start.AddMinutes(random.NextInt64(0, (long)(window.End - window.Start).TotalMinutes + 1))))
                .ToList();
            var files = rows.Chunk(random.Next(1, 4)).Select(c => c.ToList()).ToList();
            var id = Guid.NewGuid();
            if (random.Next(3) == 0 && rows.Count > 0)
            {
                var span = new TimeWindow(rows.Min(r => r.EventTime), rows.Max(r => r.EventTime));
                return (new OfflineCommit(Last + 1, OfflineCommitKind.Push, id, span, Jan1, rows.Count, PushSequence: ++_pushes),
                    files);
            }
            return (new OfflineCommit(Last + 1, OfflineCommitKind.Materialization, id, window, Jan1, rows.Count,
                PushCut: random.NextInt64(0, _pushes + 1)), files);
        }

        public void Add(OfflineCommit commit, List<List<Row>> files)
        {
            Commits.Add(commit);
            Files.AddRange(files.Select(rows => new File(commit, rows)));
        }

        /// <summary>The rows of <paramref name="inputs"/> shown as of <paramref name="base"/>, rewritten as new files.</summary>
        public void Compact(IReadOnlyList<File> inputs, long @base)
        {
            var rows = inputs.SelectMany(f => Shows(Files.Single(mine => mine.Rows == f.Rows), @base)).OrderBy(r => r.EventTime)
                .ToList();
            var span = new TimeWindow(rows.Min(r => r.EventTime), rows.Max(r => r.EventTime));
            var compaction = new OfflineCommit(Last + 1, OfflineCommitKind.Compaction, Guid.NewGuid(), span, Jan1, rows.Count,
                Base: @base);
            Add(compaction, rows.Chunk(Math.Max(1, rows.Count / 2 + 1)).Select(c => c.ToList()).ToList());
            foreach (var input in Files.Where(f => inputs.Any(i => i.Rows == f.Rows))) input.SupersededBy = compaction.Sequence;
        }

        /// <summary>The rows of a file a reader keeps as of <paramref name="asOf"/> (none when the file is not read then).</summary>
        public List<Row> Shows(File file, long asOf)
        {
            if (!OfflineVisibility.Read(file.Owner.Sequence, file.SupersededBy, asOf) || file.Rows.Count == 0) return [];
            var masks = OfflineVisibility.Masks(file.Owner, file.Rows.Min(r => r.EventTime), file.Rows.Max(r => r.EventTime),
                Commits.Where(c => c.Sequence <= asOf));
            return file.Rows.Where(r => OfflineVisibility.Kept(r.EventTime, masks)).ToList();
        }

        public List<int> Visible(long asOf) => Files.SelectMany(f => Shows(f, asOf)).Select(r => r.Id).Order().ToList();
    }
}
