using System.Net.Http.Headers;
using System.Security.Cryptography;
using FeatureStore.Contracts;

namespace FeatureStore.IntegrationTests.Registry;

/// <summary>
/// The registry on PostgreSQL and S3 with a small upload limit (so the 413 path is cheap to reach), the sources the
/// upload tests write to, and the calls they make.
/// </summary>
public sealed class UploadRegistryHost : RegistryHost
{
    public const long MaxBytes = 64 * 1024;

    protected override bool UsePostgres => true;

    protected override void Configure(Dictionary<string, string> environment) =>
        environment["FeatureStore__Uploads__MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string Project => Backends.Project;
    public string TypedKey => $"sources/{Project}/typed.parquet";
    public string UntypedKey => $"sources/{Project}/untyped.parquet";
    public string SpareKey => $"sources/{Project}/spare.parquet";

    private static FieldDto F(string name, string type) => new() { Name = name, Type = type };

    /// <summary>
    /// <c>typed</c> declares its schema (and backs the push source <c>typed_push</c>); <c>untyped</c> declares none and
    /// is read by view <c>spend</c>; <c>arrays</c> declares an array column; <c>spare</c> is never written by a successful
    /// upload. Applying it again changes nothing.
    /// </summary>
    public async Task<HttpClient> StartWithSourcesAsync()
    {
        await StartAsync();
        var http = CreateClient();
        await Repositories.ApplyAsync(http, new RepositoryDto
        {
            Project = Project,
            Entities = [new EntityDto { Name = "customer", JoinKeys = [F("customer_id", "int64")] }],
            Sources =
            [
                new DataSourceDto
                {
                    Name = "typed", Path = TypedKey, TimestampField = "event_timestamp",
                    Schema = [F("customer_id", "int64"), F("event_timestamp", "timestamp"), F("amount", "float64"), F("code", "string")],
                },
                new DataSourceDto { Name = "typed_push", Kind = "push", BatchSource = "typed" },
                new DataSourceDto { Name = "untyped", Path = UntypedKey, TimestampField = "event_timestamp",
                    CreatedTimestampField = "created" },
                new DataSourceDto { Name = "spare", Path = SpareKey, TimestampField = "event_timestamp" },
                new DataSourceDto
                {
                    Name = "arrays", Path = $"sources/{Project}/arrays.parquet", TimestampField = "event_timestamp",
                    Schema = [F("customer_id", "int64"), F("event_timestamp", "timestamp"), F("scores", "float64[]")],
                },
            ],
            FeatureViews =
            [
                new FeatureViewDto
                {
                    Name = "spend", Entities = ["customer"], Source = "untyped", Ttl = "10d",
                    Schema = [new FeatureFieldDto { Name = "purchases", Type = "int64" },
                        new FeatureFieldDto { Name = "segment", Type = "string" }],
                },
            ],
        });
        return http;
    }

    public Task<Answer> UploadAsync(HttpClient http, string source, byte[] body, string contentType) =>
        UploadAsync(http, source, new ByteArrayContent(body), contentType);

    public async Task<Answer> UploadAsync(HttpClient http, string source, HttpContent content, string contentType)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Answer.ReadAsync(await http.PutAsync($"api/v1/data-sources/{source}/file?project={Project}", content, Ct));
    }

    public async Task<byte[]?> StoredAsync(string key)
    {
        if (await Objects.StatAsync(key, Ct) is null) return null;
        await using var stream = await Objects.OpenReadAsync(key, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}

/// <summary>Files for the upload tests: Parquet made from rows (property names are the column names).</summary>
public static class UploadFiles
{
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static DateTime Utc(int day, int hour = 0, int minute = 0) => new(2024, 6, day, hour, minute, 0, DateTimeKind.Utc);

    public static Task<byte[]> StatsAsync() => SourceData.ToParquetAsync(new CustomerStatsRow[]
    {
        new() { customer_id = 1, event_timestamp = Utc(1), created = Utc(1), purchases = 5, avg_basket = 10, segment = "new" },
        new() { customer_id = 2, event_timestamp = Utc(2), created = Utc(2), purchases = 7, avg_basket = 11, segment = "gold" },
        new() { customer_id = 3, event_timestamp = Utc(3), created = Utc(3), purchases = null, avg_basket = 12, segment = null },
    });

    public static Task<byte[]> TypedAsync(double amount) => SourceData.ToParquetAsync(new TypedRow[]
    {
        new() { customer_id = 1, event_timestamp = Utc(1), amount = amount, code = "007" },
        new() { customer_id = 2, event_timestamp = Utc(2), amount = amount + 1, code = "010" },
    });

#pragma warning disable IDE1006 // Parquet column names
    public sealed class TypedRow
    {
        public long customer_id { get; set; }
        public DateTime event_timestamp { get; set; }
        public double? amount { get; set; }
        public string? code { get; set; }
    }

    public sealed class WithoutAmountRow
    {
        public long customer_id { get; set; }
        public DateTime event_timestamp { get; set; }
        public string? code { get; set; }
    }

    public sealed class WrongTypesRow
    {
        public long customer_id { get; set; }
        public string? event_timestamp { get; set; }
        public string? amount { get; set; }
        public string? code { get; set; }
    }

    public sealed class WithoutSegmentRow
    {
        public long customer_id { get; set; }
        public DateTime event_timestamp { get; set; }
        public DateTime? created { get; set; }
        public long? purchases { get; set; }
    }
#pragma warning restore IDE1006
}

/// <summary>A body stream that cannot tell its length, so HttpClient sends it chunked.</summary>
public sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
