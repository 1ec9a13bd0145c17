using Parquet.Serialization;

namespace FeatureStore.Testing;

/// <summary>Parquet sources made from plain rows (property names become column names).</summary>
public static class SourceData
{
    public static async Task<byte[]> ToParquetAsync<T>(IEnumerable<T> rows) where T : new()
    {
        using var buffer = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, buffer);
        return buffer.ToArray();
    }
}

// Source rows of the apply → materialize → serve walk. Lower-case names on purpose: they are the Parquet column names.
#pragma warning disable IDE1006
public sealed class CustomerStatsRow
{
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public DateTime? created { get; set; }
    public long? purchases { get; set; }
    public double? avg_basket { get; set; }
    public string? segment { get; set; }
}

public sealed class CustomerFlagsRow
{
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public bool? is_active { get; set; }
}

public sealed class ClickRow
{
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public long? clicks { get; set; }
    public string? channel { get; set; }
}
#pragma warning restore IDE1006
