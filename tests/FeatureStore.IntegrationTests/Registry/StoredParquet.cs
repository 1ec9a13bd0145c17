using DuckDB.NET.Data;

namespace FeatureStore.IntegrationTests.Registry;

/// <summary>Reads a stored Parquet object back with DuckDB, as the pipeline would: the bytes as view <c>file</c>, one query, every
/// row.</summary>
public static class StoredParquet
{
    public static List<object?[]> Read(byte[] parquet, string query)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fs-stored-{Guid.NewGuid():N}.parquet");
        File.WriteAllBytes(path, parquet);
        try
        {
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = $"SET TimeZone = 'UTC'; CREATE VIEW file AS SELECT * FROM read_parquet('{path.Replace("'", "''")}')";
                setup.ExecuteNonQuery();
            }
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            var rows = new List<object?[]>();
            while (reader.Read())
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
            return rows;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
