using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using MassTransit;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Monitoring;

/// <summary>
/// Writes sampled reads (<see cref="FeatureLogger"/>) as Parquet files of each feature service's log, every
/// <see cref="FeatureLoggingOptions.FlushInterval"/> or as soon as a service has <see cref="FeatureLoggingOptions.MaxRowsPerFile"/>
/// rows waiting, and has the registry catalogue them (<see cref="FeatureLogWritten"/>). One row per entity row served:
/// <c>__log_timestamp</c>, <c>__request_id</c>, the join keys, and per feature <c>{view}__{feature}</c> with its
/// <c>__timestamp</c> and <c>__status</c> (Feast's logging layout).
/// </summary>
public sealed partial class FeatureLogWriter(FeatureLogger logger, ParquetTableWriter tables, IBus bus,
    IOptions<FeatureLoggingOptions> options, IOptions<HistoricalOptions> work, ILogger<FeatureLogWriter> log) : BackgroundService
{
    public const string LogTime = "__log_timestamp";
    public const string RequestId = "__request_id";

    private readonly string _instance = $"{Environment.MachineName}-{Environment.ProcessId}";
    private readonly Dictionary<(string Project, string Service, int Version), List<LoggedRead>> _waiting = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reads = logger.Reads;
        while (true)
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            window.CancelAfter(options.Value.FlushInterval);
            try
            {
                while (await reads.WaitToReadAsync(window.Token))
                    while (reads.TryRead(out var read))
                        if (Add(read) >= options.Value.MaxRowsPerFile) await FlushAsync(CancellationToken.None);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            catch (OperationCanceledException)
            {
                while (reads.TryRead(out var read)) Add(read); // what was sampled before the stop is still written
                await FlushAsync(CancellationToken.None);
                return;
            }
            await FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Queues a read for its service's next file; returns how many rows that file has waiting.</summary>
    private int Add(LoggedRead read)
    {
        var service = read.Selection.Service!;
        var key = (read.Project, service.Name, service.Version);
        if (!_waiting.TryGetValue(key, out var list)) _waiting[key] = list = [];
        list.Add(read);
        return list.Sum(r => r.RowCount);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var ((project, service, version), reads) in _waiting.ToList())
        {
            _waiting.Remove((project, service, version));
            var directory = Directory.CreateDirectory(Path.Combine(work.Value.WorkDirectory, $"log-{Guid.NewGuid():N}")).FullName;
            try
            {
                var batch = Guid.NewGuid().ToString("N")[..12];
                var files = await tables.WriteAsync(directory, "log", Columns(reads[0].Selection), LogTime, reads.SelectMany(Rows),
                    (date, file) => OfflineTables.LogKey(project, service, date, $"{_instance}-{batch}-{file}"), cancellationToken);
                await bus.Publish(new FeatureLogWritten(project, service, version, files.Select(f => new OfflineFile(f.Path, f.Date,
                    f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes)).ToList()), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.Dropped(reads.Count, "write failed");
                NotWritten(log, reads.Count, service, e.Message);
            }
            finally
            {
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
            }
        }
    }

    /// <summary>Every read of a service version resolves to the same outputs: its columns follow from one selection.</summary>
    private static List<(string Name, FeatureValueType Type)> Columns(FeatureSelection selection) =>
        new List<(string, FeatureValueType)> { (LogTime, FeatureValueType.Timestamp), (RequestId, FeatureValueType.String) }
            .Concat(Keys(selection))
            .Concat(selection.Outputs.SelectMany(o => new[]
            {
                (Column(o), o.Type), ($"{Column(o)}__timestamp", FeatureValueType.Timestamp),
                ($"{Column(o)}__status", FeatureValueType.String),
            })).ToList();

    private static IEnumerable<(string Name, FeatureValueType Type)> Keys(FeatureSelection selection) =>
        selection.Views.SelectMany(v => v.JoinKeys).DistinctBy(k => k.Name).Select(k => (k.Name, k.Type));

    public static string Column(SelectedFeature output) => $"{output.Ref.View}__{output.Ref.Feature}";

    private static IEnumerable<Action<Utf8JsonWriter>> Rows(LoggedRead read) => Enumerable.Range(0, read.RowCount).Select(row =>
        (Action<Utf8JsonWriter>)(writer =>
        {
            writer.WritePropertyName(LogTime);
            FeatureValues.WriteJson(writer, read.At);
            writer.WriteString(RequestId, read.RequestId);
            foreach (var (key, _) in Keys(read.Selection))
            {
                writer.WritePropertyName(key);
                if (read.Entities.TryGetValue(key, out var values)) values[row].WriteTo(writer);
                else writer.WriteNullValue();
            }
            for (var o = 0; o < read.Selection.Outputs.Count; o++)
            {
                var name = Column(read.Selection.Outputs[o]);
                var reading = read.Readings[o][row];
                writer.WritePropertyName(name);
                if (reading.Value is { } value) value.WriteTo(writer);
                else writer.WriteNullValue();
                writer.WritePropertyName($"{name}__timestamp");
                FeatureValues.WriteJson(writer, reading.EventTime);
                writer.WriteString($"{name}__status", OnlineResponseJson.StatusText(reading.Status));
            }
        }));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reads} sampled reads of feature service {Service} were not logged: {Reason}")]
    private static partial void NotWritten(ILogger logger, int reads, string service, string reason);
}
