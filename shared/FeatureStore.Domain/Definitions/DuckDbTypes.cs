
namespace FeatureStore.Domain;

/// <summary>Feature types as DuckDB column types, and back (the registry checks SQL with DuckDB; the pipeline runs it).</summary>
public static class DuckDbTypes
{
    public static string ToSql(FeatureValueType type) => type switch
    {
        FeatureValueType.Int32 => "INTEGER",
        FeatureValueType.Int64 => "BIGINT",
        FeatureValueType.Float32 => "FLOAT",
        FeatureValueType.Float64 => "DOUBLE",
        FeatureValueType.Bool => "BOOLEAN",
        FeatureValueType.String => "VARCHAR",
        FeatureValueType.Bytes => "BLOB",
        FeatureValueType.Timestamp => "TIMESTAMP WITH TIME ZONE",
        _ when type.IsArray() => ToSql(type.ElementType()) + "[]",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The feature type a DuckDB column type fits in, or null when none does.</summary>
    public static FeatureValueType? FromSql(string sqlType)
    {
        var type = sqlType.Trim().ToUpperInvariant();
        if (type.EndsWith("[]", StringComparison.Ordinal))
            return FromSql(type[..^2]) switch
            {
                FeatureValueType.Int32 => FeatureValueType.Int32Array,
                FeatureValueType.Int64 => FeatureValueType.Int64Array,
                FeatureValueType.Float32 => FeatureValueType.Float32Array,
                FeatureValueType.Float64 => FeatureValueType.Float64Array,
                _ => null,
            };
        if (type.StartsWith("DECIMAL", StringComparison.Ordinal)) return FeatureValueType.Float64;
        if (type.StartsWith("TIMESTAMP", StringComparison.Ordinal) || type == "DATE") return FeatureValueType.Timestamp;
        return type switch
        {
            "TINYINT" or "SMALLINT" or "INTEGER" or "UTINYINT" or "USMALLINT" => FeatureValueType.Int32,
            "BIGINT" or "UINTEGER" or "HUGEINT" or "UBIGINT" => FeatureValueType.Int64,
            "FLOAT" or "REAL" => FeatureValueType.Float32,
            "DOUBLE" => FeatureValueType.Float64,
            "BOOLEAN" => FeatureValueType.Bool,
            "VARCHAR" => FeatureValueType.String,
            "BLOB" => FeatureValueType.Bytes,
            _ => null,
        };
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>A string literal (paths, patterns): single quotes, doubled inside.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>A UTC timestamp literal, to the microsecond.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        $"TIMESTAMPTZ '{time.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'";
}
