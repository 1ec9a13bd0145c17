using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Registry.Sources;

namespace FeatureStore.UnitTests.Registry;

/// <summary>The registry reads an upload in the DuckDB sandbox, locked to that upload's work directory.</summary>
public sealed class SourceFileReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fs-upload-{Guid.NewGuid():N}")).FullName;

    private string Work => Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;

    private static readonly Dictionary<string, FeatureValueType> Typed = new() { ["customer_id"] = FeatureValueType.Int64 };

    private static string Csv(string path)
    {
        File.WriteAllText(path, "customer_id\n1\n2\n");
        return path;
    }

    [Fact]
    public void A_file_in_the_work_directory_is_read()
    {
        using var reader = SourceFileReader.Open(Work, new UploadOptions());
        var read = reader.ConvertCsv(Csv(Path.Combine(Work, "upload.csv")), Typed, Path.Combine(Work, "upload.parquet"));
        Assert.Equal(2, read.Rows);
    }

    [Fact]
    public void A_file_outside_the_work_directory_is_refused()
    {
        using var reader = SourceFileReader.Open(Work, new UploadOptions());
        var error = Assert.Throws<InvalidRequestException>(
            () => reader.ConvertCsv(Csv(Path.Combine(_root, "elsewhere.csv")), Typed, Path.Combine(Work, "out.parquet")));
        var refusal = Assert.Single(error.Errors);
        Assert.Equal("file", refusal.Field);
        Assert.Contains("Permission", refusal.Reason);
        Assert.False(File.Exists(Path.Combine(Work, "out.parquet")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
