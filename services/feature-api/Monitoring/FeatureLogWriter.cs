using System.Globalization;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.Storage.Objects;
using MassTransit;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Monitoring;

/// <summary>
/// Writes sampled reads (<see cref="FeatureLogger"/>) as Parquet files of each feature service's log (<see cref="FeatureLogFile"/>,
/// one per day of logging time) every <see cref="FeatureLoggingOptions.FlushInterval"/>, or as soon as a service has
/// <see cref="FeatureLoggingOptions.MaxRowsPerFile"/> rows waiting, and has the registry catalogue them
/// (<see cref="FeatureLogWritten"/>).
/// </summary>
public sealed partial class FeatureLogWriter(FeatureLogger logger, IObjectStore objects, IBus bus,
    IOptions<FeatureLoggingOptions> options, IOptions<HistoricalOptions> work, ILogger<FeatureLogWriter> log) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}-{Environment.ProcessId}";
    private readonly Dictionary<(string Project, string Service, int Version, string Date), FeatureLogFile> _waiting = [];

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

    /// <summary>Takes a read into its service's next file (one per day of logging time); returns how many rows that file holds.</summary>
    private long Add(LoggedRead read)
    {
        var service = read.Selection.Service!;
        var key = (read.Project, service.Name, service.Version, read.At.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (!_waiting.TryGetValue(key, out var file)) _waiting[key] = file = new FeatureLogFile(read.Selection);
        file.Add(read);
        return file.Rows;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var ((project, service, version, date), file) in _waiting.ToList())
        {
            _waiting.Remove((project, service, version, date));
            var local = Path.Combine(work.Value.WorkDirectory, $"log-{Guid.NewGuid():N}.parquet");
            try
            {
                Directory.CreateDirectory(work.Value.WorkDirectory);
                await file.WriteAsync(local, cancellationToken);
                var key = OfflineTables.LogKey(project, service, date, $"{_instance}-{Guid.NewGuid():N}.parquet");
                var (hash, size) = await objects.PutFileAsync(key, local, cancellationToken);
                await bus.Publish(new FeatureLogWritten(project, service, version,
                    [new OfflineFile(key, date, file.Rows, file.First!.Value, file.Last!.Value, hash, size)]), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.Dropped(file.Rows, "write failed");
                NotWritten(log, file.Rows, service, e.Message);
            }
            finally
            {
                file.Dispose();
                File.Delete(local);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Rows} sampled rows of feature service {Service} were not logged: {Reason}")]
    private static partial void NotWritten(ILogger logger, long rows, string service, string reason);
}
