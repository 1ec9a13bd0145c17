using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace FeatureStore.IntegrationTests.Registry;

/// <summary>
/// <c>PUT /api/v1/data-sources/{name}/file</c> against a real registry process, PostgreSQL and S3: good files are stored
/// at the source's path (CSV converted to Parquet with the declared types), and every bad one is refused with a
/// problem naming what is wrong, leaving the stored object as it was.
/// </summary>
public sealed class UploadSourceFileTests(UploadRegistryHost host) : IClassFixture<UploadRegistryHost>
{
    private const string Parquet = "application/vnd.apache.parquet";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_parquet_file_is_stored_as_sent_and_the_registry_reads_it()
    {
        using var http = await host.StartWithSourcesAsync();
        var file = await UploadFiles.StatsAsync();

        var answer = await host.UploadAsync(http, "untyped", file, Parquet);

        Assert.True(answer.Status == 200, answer.Text);
        var body = answer.Body;
        Assert.Equal("untyped", body.GetProperty("source").GetString());
        Assert.Equal(host.Project, body.GetProperty("project").GetString());
        Assert.Equal(host.UntypedKey, body.GetProperty("path").GetString());
        Assert.Equal(file.Length, body.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(3, body.GetProperty("rows").GetInt64());
        Assert.Equal(UploadFiles.Sha256(file), body.GetProperty("fingerprint").GetString());
        Assert.Equal(Parquet, body.GetProperty("contentType").GetString());
        var columns = body.GetProperty("columns").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("type").GetString());
        Assert.Equal("int64", columns["purchases"]);
        Assert.Equal("timestamp", columns["event_timestamp"]);
        Assert.Equal("string", columns["segment"]);
        Assert.Equal(file, await host.StoredAsync(host.UntypedKey));

        // The source declares no schema, so this SQL can only be checked against the stored file's own columns.
        var applied = await http.ApplyYamlAsync($"""
            project: {host.Project}
            featureViews:
              - name: doubled
                entities: [customer]
                source: untyped
                ttl: 10d
                transformation:
                  sql: SELECT customer_id, event_timestamp, created, purchases * 2 AS twice FROM source
                schema:
                  - {"{"}name: twice, type: int64{"}"}
            """);
        Assert.True(applied.Status == 200, applied.Text);
    }

    [Fact]
    public async Task A_csv_file_is_stored_as_parquet_with_the_declared_types()
    {
        using var http = await host.StartWithSourcesAsync();
        // Auto-detected, amount would be BIGINT and code the numbers 7, 10 and 100; the source declares float64 and string.
        var csv = "customer_id,event_timestamp,amount,code,note\n"
                  + "1,2024-06-01T10:00:00Z,3,007,first\n"
                  + "2,2024-06-01 12:30:00,4,010,\"second, quoted\"\n"
                  + "3,2024-06-02,5,100,third\n";

        var answer = await host.UploadAsync(http, "typed", Encoding.UTF8.GetBytes(csv), "text/csv");

        Assert.True(answer.Status == 200, answer.Text);
        Assert.Equal("text/csv", answer.Body.GetProperty("contentType").GetString());
        Assert.Equal(3, answer.Body.GetProperty("rows").GetInt64());
        var stored = await host.StoredAsync(host.TypedKey);
        Assert.NotNull(stored);
        Assert.Equal(UploadFiles.Sha256(stored), answer.Body.GetProperty("fingerprint").GetString());
        Assert.Equal(stored.Length, answer.Body.GetProperty("sizeBytes").GetInt64());
        var columns = answer.Body.GetProperty("columns").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("sqlType").GetString())).ToList();
        Assert.Equal(new (string?, string?)[] { ("customer_id", "BIGINT"), ("event_timestamp", "TIMESTAMP WITH TIME ZONE"),
            ("amount", "DOUBLE"), ("code", "VARCHAR"), ("note", "VARCHAR") }, columns);

        var rows = StoredParquet.Read(stored, "SELECT customer_id, epoch_ms(event_timestamp), amount, code, note, " +
            "typeof(event_timestamp), typeof(amount) FROM file ORDER BY customer_id");
        Assert.Equal(3, rows.Count);
        Assert.Equal(new object?[] { 1L, new DateTimeOffset(UploadFiles.Utc(1, 10)).ToUnixTimeMilliseconds(), 3.0, "007", "first",
            "TIMESTAMP WITH TIME ZONE", "DOUBLE" }, rows[0]);
        Assert.Equal(new object?[] { 2L, new DateTimeOffset(UploadFiles.Utc(1, 12, 30)).ToUnixTimeMilliseconds(), 4.0, "010",
            "second, quoted", "TIMESTAMP WITH TIME ZONE", "DOUBLE" }, rows[1]);
        Assert.Equal(new object?[] { 3L, new DateTimeOffset(UploadFiles.Utc(2)).ToUnixTimeMilliseconds(), 5.0, "100", "third",
            "TIMESTAMP WITH TIME ZONE", "DOUBLE" }, rows[2]);
    }

    [Fact]
    public async Task A_file_missing_a_declared_column_is_refused_and_the_stored_file_is_kept()
    {
        using var http = await host.StartWithSourcesAsync();
        var good = await UploadFiles.TypedAsync(1.5);
        Assert.Equal(200, (await host.UploadAsync(http, "typed", good, Parquet)).Status);
        var withoutAmount = await SourceData.ToParquetAsync(
            new[] { new UploadFiles.WithoutAmountRow { customer_id = 1, event_timestamp = UploadFiles.Utc(1), code = "x" } });

        var answer = await host.UploadAsync(http, "typed", withoutAmount, Parquet);

        Assert.True(answer.Status == 400, answer.Text);
        Assert.Equal(["file.columns.amount"], answer.ErrorFields);
        Assert.Equal(good, await host.StoredAsync(host.TypedKey));
    }

    [Fact]
    public async Task Columns_of_the_wrong_type_are_refused_each_by_name()
    {
        using var http = await host.StartWithSourcesAsync();
        var before = await host.StoredAsync(host.TypedKey);
        var wrong = await SourceData.ToParquetAsync(
            new[] { new UploadFiles.WrongTypesRow { customer_id = 1, event_timestamp = "2024-06-01", amount = "3.5", code = "x" } });

        var answer = await host.UploadAsync(http, "typed", wrong, Parquet);

        Assert.True(answer.Status == 400, answer.Text);
        Assert.Equal(["file.columns.amount", "file.columns.event_timestamp"], answer.ErrorFields.Order(StringComparer.Ordinal));
        Assert.Equal(before, await host.StoredAsync(host.TypedKey));
    }

    [Fact]
    public async Task A_csv_value_that_is_not_of_its_declared_type_is_refused_naming_column_and_row()
    {
        using var http = await host.StartWithSourcesAsync();
        var csv = "customer_id,event_timestamp,amount,code\n1,2024-06-01T00:00:00Z,3,a\n2,2024-06-01T00:00:00Z,three,b\n3,yesterday,4,c\n";

        var answer = await host.UploadAsync(http, "typed", Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8");

        Assert.True(answer.Status == 400, answer.Text);
        var errors = answer.Body.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("reason").GetString()!);
        Assert.Equal(["file.columns.amount", "file.columns.event_timestamp"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("row 2 holds 'three'", errors["file.columns.amount"]);
        Assert.Contains("row 3 holds 'yesterday'", errors["file.columns.event_timestamp"]);
    }

    [Fact]
    public async Task A_csv_array_is_refused_when_one_element_is_not_of_its_type()
    {
        using var http = await host.StartWithSourcesAsync();
        var good = "customer_id,event_timestamp,scores\n1,2024-06-01T00:00:00Z,\"[1.5, 2]\"\n2,2024-06-01T00:00:00Z,\n";
        var bad = "customer_id,event_timestamp,scores\n1,2024-06-01T00:00:00Z,\"[1.5, 2]\"\n2,2024-06-01T00:00:00Z,\"[3, x]\"\n";

        var stored = await host.UploadAsync(http, "arrays", Encoding.UTF8.GetBytes(good), "text/csv");
        var refused = await host.UploadAsync(http, "arrays", Encoding.UTF8.GetBytes(bad), "text/csv");

        Assert.True(stored.Status == 200, stored.Text);
        Assert.Contains(stored.Body.GetProperty("columns").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "scores" && c.GetProperty("sqlType").GetString() == "DOUBLE[]");
        Assert.True(refused.Status == 400, refused.Text);
        Assert.Equal(["file.columns.scores"], refused.ErrorFields);
        Assert.Contains("row 2 holds '[3, x]'", refused.Text);
    }

    [Fact]
    public async Task Without_a_declared_schema_the_file_must_serve_the_views_that_read_the_source()
    {
        using var http = await host.StartWithSourcesAsync();
        var withoutSegment = await SourceData.ToParquetAsync(new[] { new UploadFiles.WithoutSegmentRow { customer_id = 1,
            event_timestamp = UploadFiles.Utc(1), created = UploadFiles.Utc(1), purchases = 3 } });

        var answer = await host.UploadAsync(http, "untyped", withoutSegment, Parquet);

        Assert.True(answer.Status == 400, answer.Text);
        Assert.Contains("file.featureViews.spend.schema[1].name", answer.ErrorFields);
        Assert.Contains("segment", answer.Text);
    }

    [Fact]
    public async Task Without_a_declared_schema_the_timestamp_fields_must_still_be_there()
    {
        using var http = await host.StartWithSourcesAsync();
        var clicks = await SourceData.ToParquetAsync(
            new[] { new ClickRow { customer_id = 1, event_timestamp = UploadFiles.Utc(1), clicks = 2, channel = "web" } });

        var answer = await host.UploadAsync(http, "untyped", clicks, Parquet);

        Assert.True(answer.Status == 400, answer.Text);
        Assert.Contains("file.columns.created", answer.ErrorFields);
    }

    [Fact]
    public async Task A_push_source_is_refused_naming_its_batch_source()
    {
        using var http = await host.StartWithSourcesAsync();

        var answer = await host.UploadAsync(http, "typed_push", await UploadFiles.TypedAsync(1), Parquet);

        Assert.True(answer.Status == 400, answer.Text);
        Assert.Equal(["name"], answer.ErrorFields);
        Assert.Contains("batch source 'typed'", answer.Text);
    }

    [Fact]
    public async Task An_unknown_source_is_a_404()
    {
        using var http = await host.StartWithSourcesAsync();

        var answer = await host.UploadAsync(http, "nowhere", await UploadFiles.TypedAsync(1), Parquet);

        Assert.True(answer.Status == 404, answer.Text);
        Assert.Equal(["name"], answer.ErrorFields);
    }

    [Theory]
    [InlineData("garbage", Parquet)]
    [InlineData("garbage", "application/octet-stream")]
    [InlineData("empty", Parquet)]
    [InlineData("empty", "text/csv")]
    public async Task A_body_that_is_no_file_is_refused_naming_file(string body, string contentType)
    {
        using var http = await host.StartWithSourcesAsync();
        var bytes = body == "empty" ? [] : RandomNumberGenerator.GetBytes(4096);

        var answer = await host.UploadAsync(http, "spare", bytes, contentType);

        Assert.True(answer.Status == 400, answer.Text);
        Assert.Equal(["file"], answer.ErrorFields);
        Assert.Null(await host.StoredAsync(host.SpareKey));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_a_413_naming_file(bool withLength)
    {
        using var http = await host.StartWithSourcesAsync();
        var bytes = new byte[UploadRegistryHost.MaxBytes + 1];
        // Without a length the body arrives chunked, so the limit is only found while it is read.
        HttpContent content = withLength ? new ByteArrayContent(bytes) : new StreamContent(new UnseekableStream(bytes));

        var answer = await host.UploadAsync(http, "spare", content, Parquet);

        Assert.True(answer.Status == 413, answer.Text);
        Assert.Equal(["file"], answer.ErrorFields);
        Assert.Null(await host.StoredAsync(host.SpareKey));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/csv; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task An_unsupported_content_type_is_a_415_problem(string? contentType)
    {
        using var http = await host.StartWithSourcesAsync();
        var content = new ByteArrayContent(await UploadFiles.TypedAsync(1));
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        using var response = await http.PutAsync($"api/v1/data-sources/typed/file?project={host.Project}", content, Ct);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var answer = await Answer.ReadAsync(response);

        Assert.True(answer.Status == 415, answer.Text);
        Assert.Equal(["Content-Type"], answer.ErrorFields);
    }
}
