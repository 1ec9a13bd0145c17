using System.Collections.Concurrent;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Monitoring;
using FeatureStore.Storage.Online;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>
/// Answers an online-features request: resolves the features (refs or a feature service) against cached
/// definitions, reads every view once per set of join keys (concurrently, so one round trip to the
/// store), computes on-demand features over what was read, and reports value, status and event time per
/// entity row and feature (docs/semantics.md, online read).
/// </summary>
public sealed class OnlineFeatureReader(FeatureSelector selector, IOnlineStore store, OnDemandEvaluator onDemand, ServingMetrics metrics,
    UsageLedger usage, FeatureLogger logging, TimeProvider clock)
{
    /// <param name="caller">Who reads; when a service reads for someone (<see cref="ReadCaller.OnBehalfOf"/>), the answer names what
    /// that caller may not see.</param>
    public async Task<OnlineReadResult> ReadAsync(OnlineFeaturesRequestDto request, SelectionFields fields, ReadCaller caller,
        CancellationToken cancellationToken)
    {
        var (reader, onBehalfOf) = (caller.Principal, caller.OnBehalfOf);
        var project = Names.ProjectOrDefault(request.Project);
        var selection = await selector.SelectAsync(project, request.Features, request.FeatureService, request.FullFeatureNames,
            fields, cancellationToken);
        await selector.DemandAsync(project, selection, reader, FeatureAction.ReadOnline, cancellationToken,
            request.Entities is { Count: > 0 } sent ? EntityColumns.RowsOf(sent) : null);
        var withheld = onBehalfOf is null ? null : await selector.WithheldAsync(project, selection, onBehalfOf, cancellationToken);
        var entities = EntityColumns.Check(selection, request.Entities!, "entities");
        var read = await ReadViewsAsync(project, selection, entities, cancellationToken);

        var now = clock.GetUtcNow();
        var readings = new FeatureReadings(selection.Outputs.Count, entities.RowCount);
        foreach (var stored in selection.Stored)
            for (var row = 0; row < readings.Rows; row++)
                ReadStored(read.Entry(stored.Read, stored.Place, row), stored, readings, row, now);
        foreach (var view in selection.OnDemandViews)
        {
            var computed = Compute(view, selection, entities, read, now, fields.Features);
            for (var o = 0; o < readings.Outputs; o++)
                if (selection.Outputs[o].OnDemand == view)
                    computed[view.Features.Select(f => f.Name).ToList().IndexOf(selection.Outputs[o].Ref.Feature)]
                        .CopyTo(readings.Column(o));
        }
        metrics.RecordReadings(readings);
        usage.Read(project, caller, selection, entities.RowCount, readings);
        logging.Offer(project, selection, entities, readings, now);
        return new OnlineReadResult(selection.OutputNames, selection.EncodedOutputNames, selection.OutputTypes, entities.Columns,
            entities.RowCount, readings, withheld);
    }

    /// <summary>A read asked in Feast's shape (<c>POST /get-online-features</c>, Feast's gRPC call): the same read, errors named as
    /// Feast names its fields.</summary>
    public Task<OnlineReadResult> ReadFeastAsync(FeastOnlineRequestDto request, ReadCaller caller, CancellationToken cancellationToken) =>
        ReadAsync(new OnlineFeaturesRequestDto
        {
            Project = request.Project, Entities = request.Entities, Features = request.Features,
            FeatureService = request.FeatureService, FullFeatureNames = request.FullFeatureNames,
        }, SelectionFields.Feast, caller, cancellationToken);

    /// <summary>Reads every view of the selection, one store read per key set (<see cref="FeatureSelection.Reads"/>), all issued
    /// together.</summary>
    private async Task<ReadEntries> ReadViewsAsync(string project, FeatureSelection selection, EntityColumns entities,
        CancellationToken cancellationToken)
    {
        var plan = selection.Reads;
        var pending = new Task<OnlineEntry?[]>[plan.Count];
        for (var r = 0; r < plan.Count; r++) pending[r] = store.ReadAsync(project, entities.Keys(r), plan[r].Views, cancellationToken);
        var entries = new OnlineEntry?[plan.Count][];
        for (var r = 0; r < plan.Count; r++)
        {
            entries[r] = await pending[r];
            var names = plan[r].Views;
            for (var i = 0; i < names.Count; i++)
            {
                var newest = DateTimeOffset.MinValue;
                for (var e = i; e < entries[r].Length; e += names.Count)
                    if (entries[r][e] is { } entry && entry.Time.EventTime > newest) newest = entry.Time.EventTime;
                if (newest > DateTimeOffset.MinValue) metrics.SawEventTime(project, names[i], newest);
            }
        }
        return new ReadEntries(selection, entries);
    }

    /// <summary>What the reads found: per read, key-major as <see cref="IOnlineStore.ReadAsync"/> answers.</summary>
    private sealed class ReadEntries(FeatureSelection selection, OnlineEntry?[][] entries)
    {
        public OnlineEntry? Entry(int read, int position, int row) =>
            entries[read][row * selection.Reads[read].Views.Count + position];

        public OnlineEntry? Entry(string view, int row)
        {
            var (read, position) = selection.PlaceOf(view);
            return Entry(read, position, row);
        }
    }

    /// <summary>One stored row's readings of a group's outputs, found in one pass over its values (the group lists them in the
    /// order the row stores them; one that is not where its position says is searched by name).</summary>
    private static void ReadStored(OnlineEntry? entry, StoredOutputs stored, FeatureReadings readings, int row, DateTimeOffset now)
    {
        if (entry is null)
        {
            foreach (var output in stored.Outputs) readings[output.Output, row] = Reading(null, false, default, stored.View, now);
            return;
        }
        var properties = entry.Values.EnumerateObject();
        var at = -1;
        foreach (var output in stored.Outputs)
        {
            while (at < output.Position && properties.MoveNext()) at++;
            JsonElement value;
            bool found;
            if (at == output.Position && at >= 0 && properties.Current.NameEquals(output.Utf8Feature))
                (value, found) = (properties.Current.Value, true);
            else found = entry.TryGetValue(output.Feature, out value);
            readings[output.Output, row] = Reading(entry, found, value, stored.View, now);
        }
    }

    private static FeatureReading Reading(OnlineEntry? entry, FeatureViewDefinition view, string feature, DateTimeOffset now)
    {
        JsonElement value = default;
        var found = entry is not null && entry.TryGetValue(feature, out value);
        return Reading(entry, found, value, view, now);
    }

    private static FeatureReading Reading(OnlineEntry? entry, bool found, JsonElement value, FeatureViewDefinition view,
        DateTimeOffset now)
    {
        var status = FeatureStatuses.Classify(found, found && value.ValueKind == JsonValueKind.Null,
            entry?.Time.EventTime ?? default, view.Ttl, now);
        return new FeatureReading(status.CarriesValue() ? value : null, status, found ? entry!.Time.EventTime : null);
    }

    /// <summary>
    /// An on-demand view's features for every row, computed over present inputs (others count as null). When an
    /// input a feature's expression uses (<see cref="OnDemandSql.InputsOf"/>) is missing or stale, that feature
    /// says so with the input's status and carries no value (<see cref="FeatureStatuses.OnDemand"/>); its event time is
    /// the oldest of those inputs'.
    /// </summary>
    private FeatureReading[][] Compute(OnDemandFeatureViewDefinition view, FeatureSelection selection, EntityColumns entities,
        ReadEntries read, DateTimeOffset now, string field)
    {
        var columns = OnDemandSql.StoredColumns(view);
        var sources = columns.Select(c => c.Input is { } input ? selection.LatestView(input.View) : null).ToArray();
        var inputs = new object?[entities.RowCount][];
        var inputReadings = new FeatureReading[entities.RowCount][];
        for (var row = 0; row < inputs.Length; row++)
        {
            inputs[row] = new object?[columns.Count];
            inputReadings[row] = new FeatureReading[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                object? value;
                if (columns[c].Input is { } input)
                {
                    var reading = inputReadings[row][c] = Reading(read.Entry(input.View, row), sources[c]!, input.Feature, now);
                    FeatureValues.TryReadJson(columns[c].Type, reading.Value ?? default, out value);
                }
                else FeatureValues.TryReadJson(columns[c].Type, entities.Columns[columns[c].Name][row], out value);
                inputs[row][c] = value;
            }
        }
        var results = onDemand.Evaluate(view, inputs, field);
        var readings = new FeatureReading[view.Features.Count][];
        for (var f = 0; f < readings.Length; f++)
        {
            var usedColumns = UsedColumns(view, columns)[f];
            readings[f] = new FeatureReading[inputs.Length];
            for (var row = 0; row < inputs.Length; row++)
            {
                var worst = usedColumns.Aggregate(new FeatureReading(null, FeatureStatus.Present, null),
                    (w, c) => Worse(w, inputReadings[row][c]));
                var value = results[row][f];
                var status = FeatureStatuses.OnDemand(worst.Status, value is null);
                readings[f][row] = new FeatureReading(status.CarriesValue() && value is not null
                    ? FeatureValues.ToJsonElement(value) : null, status, worst.EventTime);
            }
        }
        return readings;
    }

    // Which stored columns each on-demand feature reads, worked out once per view version (not per request).
    private readonly ConcurrentDictionary<(string Project, string View, int Version), int[][]> _usedColumns = new();

    private int[][] UsedColumns(OnDemandFeatureViewDefinition view, IReadOnlyList<OnDemandColumn> columns) =>
        _usedColumns.GetOrAdd((view.Project, view.Name, view.Version), _ => view.Features.Select(feature =>
        {
            var used = OnDemandSql.InputsOf(view, feature);
            return Enumerable.Range(0, columns.Count).Where(c => columns[c].Input is { } input && used.Contains(input)).ToArray();
        }).ToArray());

    /// <summary>Two inputs' readings as one: the worse status (<see cref="FeatureStatuses.WorseInput"/>) and the older event
    /// time.</summary>
    private static FeatureReading Worse(FeatureReading current, FeatureReading input)
    {
        var status = FeatureStatuses.WorseInput(current.Status, input.Status);
        var time = (current.EventTime, input.EventTime) switch
        {
            (null, var t) => t,
            (var t, null) => t,
            var (a, b) => a < b ? a : b,
        };
        return new FeatureReading(null, status, time);
    }
}
