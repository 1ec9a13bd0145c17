using System.Diagnostics;
using FeatureStore.Domain;
using FeatureStore.Storage;
using FeatureStore.Storage.Online;
using StackExchange.Redis;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>What every online store must do; run against Redis and SQLite alike.</summary>
public abstract class OnlineStoreContract
{
    private static readonly DateTimeOffset T = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["purchases", "segment"];
    protected readonly string Project = $"p_{Guid.NewGuid():N}";

    protected abstract Task<IOnlineStore> CreateStoreAsync();

    private static EntityKey Key(long id) => EntityKey.Single("customer_id", id.ToString());

    private static OnlineRow Row(long id, DateTimeOffset time, long purchases, string segment = "s") =>
        new(Key(id), new RowTime(time), [purchases, segment]);

    private static long? Purchases(OnlineEntry? entry) =>
        entry is not null && entry.TryGetValue("purchases", out var v) ? v.GetInt64() : null;

    [Fact]
    public async Task Reads_back_what_was_written_for_every_key_and_view()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(2, await store.WriteAsync(Project, "stats", Names, [Row(1, T, 10), Row(2, T, 20)], TimeSpan.Zero,
            TestContext.Current.CancellationToken));
        Assert.Equal(1, await store.WriteAsync(Project, "other", Names, [Row(1, T.AddDays(1), 99)], TimeSpan.Zero,
            TestContext.Current.CancellationToken));

        var entries = await store.ReadAsync(Project, [Key(1), Key(2), Key(3)], ["stats", "other"], TestContext.Current.CancellationToken);

        Assert.Equal([10L, 99L, 20L, null, null, null], entries.Select(Purchases));
        Assert.Equal(new RowTime(T.AddDays(1)), entries[1]!.Time);
        Assert.True(entries[0]!.TryGetValue("segment", out var segment) && segment.GetString() == "s");
    }

    [Fact]
    public async Task A_write_marks_the_project_once_and_later_writes_keep_the_mark()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.Null(await store.MarkedSinceAsync(Project, ct));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        // Values that expire at once still mark: the marker says the store held data, not that it holds it now.
        await store.WriteAsync(Project, "stats", Names, [Row(1, T, 10)], TimeSpan.FromMinutes(1), ct);
        var since = await store.MarkedSinceAsync(Project, ct);
        Assert.NotNull(since);
        Assert.InRange(since.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        await Task.Delay(20, ct);
        await store.WriteAsync(Project, "other", Names, [Row(2, T.AddDays(1), 20)], TimeSpan.Zero, ct);
        Assert.Equal(since, await store.MarkedSinceAsync(Project, ct));
        Assert.Null(await store.MarkedSinceAsync(Project + "_other", ct));
    }

    [Fact]
    public async Task A_retraction_applies_only_while_the_expected_row_is_held()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        await store.WriteAsync(Project, "stats", Names,
            [Row(1, T.AddHours(2), 2), Row(2, T.AddHours(2), 20), Row(3, T.AddHours(5), 30)], TimeSpan.Zero, ct);
        var older = OnlinePayload.Encode(new RowTime(T), Names, [1L, "older"]);
        Assert.Equal(2, await store.RetractAsync(Project, "stats", [
            new Retraction(Key(1), new RowTime(T.AddHours(2)), older, null),          // held: replaced by an older row
            new Retraction(Key(2), new RowTime(T.AddHours(2)), null, null),           // held, nothing older: forgotten
            new Retraction(Key(3), new RowTime(T.AddHours(2)), null, null),           // holds a newer row: left alone
            new Retraction(Key(4), new RowTime(T.AddHours(2)), older, null)], ct));   // holds nothing: left alone
        var entries = await store.ReadAsync(Project, [Key(1), Key(2), Key(3), Key(4)], ["stats"], ct);
        Assert.Equal([1L, null, 30L, null], entries.Select(Purchases));
        Assert.Equal(new RowTime(T), entries[0]!.Time);
        // Done again, nothing matches any more: a redelivered run changes nothing twice.
        Assert.Equal(0, await store.RetractAsync(Project, "stats", [new Retraction(Key(1), new RowTime(T.AddHours(2)), null, null)], ct));
    }

    [Fact]
    public async Task An_older_row_never_replaces_a_newer_one()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync(Project, "stats", Names, [Row(1, T.AddHours(1), 2)], TimeSpan.Zero, TestContext.Current.CancellationToken);

        var written = await store.WriteAsync(Project, "stats", Names, [Row(1, T, 1)], TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(0, written);
        var entry = (await store.ReadAsync(Project, [Key(1)], ["stats"], TestContext.Current.CancellationToken))[0];
        Assert.Equal(2L, Purchases(entry));
        Assert.Equal(T.AddHours(1), entry!.Time.EventTime);
    }

    [Fact]
    public async Task Created_time_decides_between_equal_event_times()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync(Project, "stats", Names, [new OnlineRow(Key(1), new RowTime(T, T.AddMinutes(2)), [2L, "b"])], TimeSpan.Zero,
            TestContext.Current.CancellationToken);
        await store.WriteAsync(Project, "stats", Names, [new OnlineRow(Key(1), new RowTime(T, T.AddMinutes(1)), [1L, "a"])], TimeSpan.Zero,
            TestContext.Current.CancellationToken);
        Assert.Equal(2L, Purchases((await store.ReadAsync(Project, [Key(1)], ["stats"], TestContext.Current.CancellationToken))[0]));

        await store.WriteAsync(Project, "stats", Names, [new OnlineRow(Key(1), new RowTime(T, T.AddMinutes(3)), [3L, "c"])], TimeSpan.Zero,
            TestContext.Current.CancellationToken);
        Assert.Equal(3L, Purchases((await store.ReadAsync(Project, [Key(1)], ["stats"], TestContext.Current.CancellationToken))[0]));
    }

    [Fact]
    public async Task Null_values_are_stored_as_null()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync(Project, "stats", Names, [new OnlineRow(Key(1), new RowTime(T), [null, "x"])], TimeSpan.Zero,
            TestContext.Current.CancellationToken);
        var entry = (await store.ReadAsync(Project, [Key(1)], ["stats"], TestContext.Current.CancellationToken))[0]!;
        Assert.True(entry.TryGetValue("purchases", out var purchases));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, purchases.ValueKind);
    }

    [Fact]
    public async Task Projects_do_not_see_each_other()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync(Project, "stats", Names, [Row(1, T, 1)], TimeSpan.Zero, TestContext.Current.CancellationToken);
        var elsewhere = await store.ReadAsync(Project + "_other", [Key(1)], ["stats"], TestContext.Current.CancellationToken);
        Assert.Null(elsewhere[0]);
    }

    [Fact]
    public async Task A_key_asked_twice_is_answered_twice()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync(Project, "stats", Names, [Row(7, T, 70)], TimeSpan.Zero, TestContext.Current.CancellationToken);
        var entries = await store.ReadAsync(Project, [Key(7), Key(8), Key(7)], ["stats"], TestContext.Current.CancellationToken);
        Assert.Equal([70L, null, 70L], entries.Select(Purchases));
    }

    [Fact]
    public async Task Many_rows_are_written_in_one_call()
    {
        var store = await CreateStoreAsync();
        var rows = Enumerable.Range(0, 10_000).Select(i => Row(i, T, i)).ToList();
        Assert.Equal(10_000, await store.WriteAsync(Project, "stats", Names, rows, TimeSpan.Zero, TestContext.Current.CancellationToken));
        var entries = await store.ReadAsync(Project, [Key(0), Key(9_999)], ["stats"], TestContext.Current.CancellationToken);
        Assert.Equal([0L, 9_999L], entries.Select(Purchases));
    }
}

public sealed class RedisOnlineStoreTests : OnlineStoreContract
{
    protected override async Task<IOnlineStore> CreateStoreAsync()
    {
        await TestInfrastructure.RequireAsync();
        return new RedisOnlineStore(await SharedRedis.Value);
    }

    private static readonly Lazy<Task<IConnectionMultiplexer>> SharedRedis =
        new(async () => await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis));

    /// <summary>The store's calls are traced by its own spans (Aspire's per-command Redis spans are off): one client span per
    /// call, naming Redis and the command it sent, ended when the call returns.</summary>
    [Fact]
    public async Task Each_call_is_one_client_span_naming_redis_and_its_command()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StorageTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { if ((string?)activity.GetTagItem("featurestore.project") == Project) spans.Enqueue(activity); },
        };
        ActivitySource.AddActivityListener(listener);

        await store.WriteAsync(Project, "stats", ["purchases", "segment"], [new OnlineRow(EntityKey.Single("customer_id", "1"),
            new RowTime(DateTimeOffset.UtcNow), [1L, "s"])], TimeSpan.Zero, ct);
        await store.ReadAsync(Project, [EntityKey.Single("customer_id", "1"), EntityKey.Single("customer_id", "2")], ["stats"], ct);

        Assert.Collection(spans.OrderBy(s => s.StartTimeUtc),
            write => Assert.Equal(("online.write", "EVALSHA", (object?)1L),
                (write.OperationName, Command(write), write.GetTagItem("featurestore.keys_written"))),
            read => Assert.Equal(("online.read", "HMGET", (object?)2),
                (read.OperationName, Command(read), read.GetTagItem("featurestore.entities"))));
        Assert.All(spans, s => Assert.Equal((ActivityKind.Client, "redis"), (s.Kind, (string?)s.GetTagItem("db.system"))));
    }

    private static string? Command(Activity span) => (string?)span.GetTagItem("db.operation.name");
}

public sealed class SqliteOnlineStoreTests : OnlineStoreContract
{
    protected override Task<IOnlineStore> CreateStoreAsync() =>
        Task.FromResult<IOnlineStore>(new SqliteOnlineStore(Path.Combine(Path.GetTempPath(), $"fs-online-{Guid.NewGuid():N}.db")));
}
