using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb;

/// <summary>
/// Fresh <see cref="DuckDbSandbox"/> connections opened ahead of need: opening a DuckDB database costs about 10 ms, a tenth of a
/// small historical request, so a few are kept ready (each used once: a locked sandbox cannot be unlocked). A used one is
/// handed back (<see cref="Release"/>) and closed, and its replacement opened, in the background once the request is done, so
/// neither competes with it for the processor. Taking when none is ready opens one on the spot.
/// </summary>
public sealed class DuckDbSpares(DuckDbLimits limits, int count = 2) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<DuckDBConnection> _ready = new();
    private int _opening;
    private bool _disposed;

    /// <summary>An unlocked connection within the limits, spilling to <paramref name="spillDirectory"/>.</summary>
    public DuckDBConnection Take(string spillDirectory)
    {
        DuckDBConnection? connection;
        lock (_gate) _ready.TryDequeue(out connection);
        if (connection is null)
        {
            Refill();
            connection = DuckDbSandbox.Open(limits);
        }
        try
        {
            DuckDbSandbox.SpillTo(connection, spillDirectory);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes a connection <see cref="Take"/> gave, once its user is done with it, and opens its replacement; both in the
    /// background.</summary>
    public void Release(DuckDBConnection connection) => _ = Task.Run(() =>
    {
        connection.Dispose();
        Refill();
    });

    private void Refill()
    {
        lock (_gate)
        {
            var missing = count - _ready.Count - _opening;
            if (_disposed || missing <= 0) return;
            _opening += missing;
            for (var i = 0; i < missing; i++) _ = Task.Run(OpenOne);
        }
    }

    private void OpenOne()
    {
        DuckDBConnection? connection = null;
        try { connection = DuckDbSandbox.Open(limits); }
        catch (DuckDBException) { } // the next Take opens its own and says why
        lock (_gate)
        {
            _opening--;
            if (connection is null) return;
            if (!_disposed)
            {
                _ready.Enqueue(connection);
                return;
            }
        }
        connection.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_ready.TryDequeue(out var connection)) connection.Dispose();
        }
    }
}
