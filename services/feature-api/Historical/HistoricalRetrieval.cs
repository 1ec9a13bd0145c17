using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.DuckDb;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Monitoring;
using FeatureStore.FeatureApi.Serving;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>What a historical retrieval asks for; the entity dataframe is already a file in <see cref="WorkDirectory"/>.</summary>
public sealed record HistoricalRequest(string Project, IReadOnlyList<string>? Features, string? FeatureService, bool FullFeatureNames,
    string TimestampField, string? SaveAs, string EntityFile, EntityFrameFormat EntityFormat, string WorkDirectory, bool AllowGaps = false);

public enum ResultFormat { Json, Csv, Parquet }

/// <summary>The answer as a file to stream, the dataset it was saved as (if asked), and the gaps it was allowed to have.</summary>
public sealed record HistoricalResult(string File, long Rows, SavedDatasetDto? Dataset, IReadOnlyList<ViewGaps> Gaps);

/// <summary>
/// Historical point-in-time retrieval: selects features like online serving does, loads the entity
/// dataframe, checks that each view's offline history covers what its rows need (<see cref="CoverageCheck"/>: a
/// 409 otherwise, unless gaps are allowed), fetches the files the history shows (the registry's catalog, never a
/// bucket listing; cached locally by content hash), runs <see cref="PointInTimeJoinSql"/> in DuckDB under a memory
/// limit (spilling to disk beyond it) and writes the answer to a file the endpoint streams, so no result is ever
/// held whole in memory.
/// </summary>
public sealed class HistoricalRetrieval(FeatureSelector selector, DefinitionCache definitions, IDefinitionCatalog catalog,
    IObjectStore objects, HeldHistories held,
    SavedDatasets datasets, IOptions<HistoricalOptions> options, UsageLedger usage) : IDisposable
{
    private readonly ObjectFileCache _files = new(objects, options.Value.CacheDirectory, options.Value.CacheLimitBytes);
    private readonly DuckDbSpares _connections = new(new DuckDbLimits(options.Value.MemoryLimit, options.Value.Threads));

    /// <summary>A fresh scratch directory for one request; the caller deletes it when the answer is sent.</summary>
    public string NewWorkDirectory() =>
        Directory.CreateDirectory(Path.Combine(options.Value.WorkDirectory, $"h-{Guid.NewGuid():N}")).FullName;

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<HistoricalResult> RunAsync(HistoricalRequest request, ResultFormat format, ReadCaller caller,
        CancellationToken cancellationToken)
    {
        var reader = caller.Principal;
        // A training set right after an apply is of what was applied, not of what the cache held a moment ago.
        await definitions.CatchUpAsync(request.Project, cancellationToken);
        var selection = await selector.SelectAsync(request.Project, request.Features, request.FeatureService, request.FullFeatureNames,
            SelectionFields.Api, cancellationToken);
        await selector.DemandAsync(request.Project, selection, reader, FeatureAction.ReadOffline, cancellationToken);
        foreach (var view in selection.OnDemandViews)
            OnDemandEvaluator.EnsureAllowed(view, request.FeatureService is null ? "features" : "featureService");
        if (request.SaveAs is { } name && await datasets.ExistsAsync(request.Project, name, cancellationToken))
            throw new ConflictException([new FieldError("saveAs", $"dataset '{name}' already exists in project '{request.Project}'")]);
        // The catalog is asked while the entity frame loads: the registry's answer and DuckDB's work overlap.
        var snapshotsAsked = Task.WhenAll(selection.Views.Select(async view =>
            (view, await catalog.OfflineSnapshotAsync(request.Project, view.Name, view.Version, cancellationToken))));
        var connection = Open(request.WorkDirectory);
        try
        {
            var entityColumns = EntityFrame.Load(connection, request.EntityFile, request.EntityFormat, selection.RequiredColumns(),
                request.TimestampField, "entities");
            var columns = entityColumns.Select(c => c.Name).ToList();
            var clashes = selection.Outputs.Where(o => columns.Contains(o.OutputName)).Select(o =>
                new FieldError("entities", $"column '{o.OutputName}' has the output name of feature {o.Ref}; " +
                    "rename it or ask for fullFeatureNames")).ToList();
            if (clashes.Count > 0) throw FieldErrors.Invalid(clashes);

            List<(FeatureViewDefinition View, OfflineSnapshot Snapshot)> snapshots;
            try { snapshots = [.. await snapshotsAsked]; }
            catch (HttpRequestException e) { throw DefinitionCache.Unreachable(e); }
            var gaps = CoverageCheck.Find(connection, snapshots, request.TimestampField);
            if (gaps.Count > 0 && !request.AllowGaps)
                throw CoverageCheck.Conflict(gaps, request.FeatureService is null ? "features" : "featureService");

            // Only the files holding rows some entity row can match are fetched and read (PointInTime.Reach).
            var (rows, times) = EntityFrame.Extent(connection, request.TimestampField);
            var byKey = rows <= options.Value.KeyJoinRows;
            var files = new List<ViewFiles>();
            foreach (var (view, snapshot) in snapshots)
            {
                var reach = times is { } t ? PointInTime.Reach(t.Start, t.End, view.Ttl) : (TimeWindow?)null;
                // A few entity rows are answered from the history held in memory, once it is.
                if (byKey && rows > 0
                    && held.Held(request.Project, view, snapshot, ct => LocalFilesAsync(snapshot.Files, ct)) is { } history)
                    files.Add(new ViewFiles(view, [], reach, history));
                else
                    files.Add(new ViewFiles(view,
                        await LocalFilesAsync(
                            snapshot.Files.Where(f => reach is { } r && r.Overlaps(f.MinEventTime, f.MaxEventTime)).ToList(),
                            cancellationToken), reach, EventTies: snapshot.EventTies));
            }
            // On-demand expressions run in the join: from here on DuckDB reads only this request's files.
            DuckDbSandbox.Lock(connection, request.WorkDirectory, files.SelectMany(f => f.Files.Select(l => l.Path)));
            AnswerFromHeld(connection, selection, files, request.TimestampField);
            var query = $"({PointInTimeJoinSql.Query(selection, files, request.TimestampField, columns, byKey)})";
            SavedDatasetDto? dataset = null;
            // A Parquet file only when one is answered or kept; text is otherwise written straight from the join.
            var throughParquet = format == ResultFormat.Parquet || request.SaveAs is not null;
            if (throughParquet)
            {
                var parquet = Path.Combine(request.WorkDirectory, "result.parquet");
                Limited(connection, $"COPY {query} TO {Literal(parquet)} (FORMAT PARQUET, COMPRESSION zstd)", cancellationToken);
                usage.Read(request.Project, caller, selection, rows, readings: null);
                if (request.SaveAs is { } saveAs)
                    dataset = await datasets.SaveAsync(request.Project, saveAs, selection, request.FullFeatureNames,
                        request.TimestampField, await FileHashes.Sha256Async(request.EntityFile, cancellationToken), rows, parquet,
                        cancellationToken);
                if (format == ResultFormat.Parquet) return new HistoricalResult(parquet, rows, dataset, gaps);
                query = $"read_parquet({Literal(parquet)})";
            }

            var text = Path.Combine(request.WorkDirectory, format == ResultFormat.Json ? "result.json" : "result.csv");
            var answerColumns = entityColumns.Concat(selection.OutputNames.Zip(selection.OutputTypes.Select(DuckDbTypes.ToSql)));
            var copyOptions = format == ResultFormat.Json ? "FORMAT JSON, ARRAY true" : "FORMAT CSV, HEADER true";
            Limited(connection, $"COPY ({TextFriendly(answerColumns, query)}) TO {Literal(text)} ({copyOptions})", cancellationToken);
            if (!throughParquet) usage.Read(request.Project, caller, selection, rows, readings: null); // the join ran just now
            return new HistoricalResult(text, rows, dataset, gaps);
        }
        finally { _connections.Release(connection); }
    }

    /// <summary>Catalogued files as local files with their masks, fetched four at a time.</summary>
    private async Task<IReadOnlyList<LocalFile>> LocalFilesAsync(IReadOnlyList<CataloguedFile> catalogued,
        CancellationToken cancellationToken)
    {
        var paths = new LocalFile[catalogued.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, catalogued.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) => paths[i] = new LocalFile(await LocalFileAsync(catalogued[i], ct), catalogued[i].Masks ?? []));
        return paths;
    }

    /// <summary>The answers of the views whose histories are held, each written as the table the join reads for it.</summary>
    private static void AnswerFromHeld(DuckDBConnection connection, FeatureSelection selection, List<ViewFiles> files,
        string timestampField)
    {
        var answered = files.Select((f, i) => (f.Held, Index: i, Features: PointInTimeJoinSql.NeededFeatures(selection, f.View)))
            .Where(a => a.Held is not null && a.Features.Count > 0).ToList();
        if (answered.Count == 0) return;
        var queries = EntityFrame.HeldQueries(connection, timestampField,
            answered.SelectMany(a => files[a.Index].View.JoinKeys).Select(k => k.Name).Distinct().ToList());
        connection.Execute(string.Join(";\n",
            answered.Select(a => a.Held!.AnswerTable(PointInTimeJoinSql.HeldTable(a.Index), a.Index, a.Features))));
        foreach (var (history, index, features) in answered)
            history!.AnswerInto(connection, PointInTimeJoinSql.HeldTable(index), features, queries);
    }

    /// <summary>A catalogued file as a local file; one the catalog names but the object store lacks is the store failing, not the
    /// request.</summary>
    private async Task<string> LocalFileAsync(CataloguedFile file, CancellationToken cancellationToken)
    {
        try { return await _files.LocalFileAsync(file.Path, cancellationToken, file.ContentHash); }
        catch (StoredObjectNotFoundException e)
        {
            throw new DependencyUnavailableException([new FieldError("objectStore",
                $"the offline file '{e.Key}' the catalog lists is missing from the object store")]);
        }
    }

    /// <summary>The answer's columns (the entity frame's, then the features, as the join and its Parquet file both hold them) with
    /// timestamps as ISO-8601 UTC text and bytes as base64, as the JSON API writes them everywhere else.</summary>
    private static string TextFriendly(IEnumerable<(string Name, string Type)> columns, string relation)
    {
        var projections = columns.Select(c => (Name: DuckDbTypes.Quote(c.Name), c.Type)).Select(c =>
            c.Type.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? $"{WireTime.SqlText(c.Name)} AS {c.Name}"
            : c.Type == "BLOB" ? $"to_base64({c.Name}) AS {c.Name}" : c.Name);
        return $"SELECT {string.Join(", ", projections)} FROM {relation}";
    }

    /// <summary>A statement over user SQL (on-demand expressions run in the join) within <see cref="HistoricalOptions.QueryTimeLimit"/>
    /// and the request's own cancellation.</summary>
    private void Limited(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        try { DuckDbTimeLimit.Execute(connection, sql, options.Value.QueryTimeLimit, cancellationToken); }
        catch (QueryTimeLimitException e)
        {
            throw new UnprocessableException([new FieldError("entities",
                $"the retrieval was stopped: {e.Message} (FeatureStore:Historical:QueryTimeLimit); "
                + "ask for fewer rows or features at once")]);
        }
    }

    private DuckDBConnection Open(string workDirectory) => _connections.Take(Path.Combine(workDirectory, "spill"));

    public void Dispose() => _connections.Dispose();

    private static string Literal(string text) => DuckDbTypes.Literal(text);
}
