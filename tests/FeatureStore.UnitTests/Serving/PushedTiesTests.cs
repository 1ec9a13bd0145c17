using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Push;

namespace FeatureStore.UnitTests.Serving;

/// <summary>What a push says of ties in each view's files (<see cref="PushedRows.EventTies"/>): rows sharing the view's keys and
/// event time as the offline store keeps it, to the microsecond.</summary>
public sealed class PushedTiesTests
{
    private static DataSourceDefinition Source(string? created) =>
        new("p", "clicks", SourceKind.Push, "", "event_timestamp", created, null, null, ObjectMetadata.Empty);

    private static FeatureViewDefinition View(DataSourceDefinition source) => new("p", "clicks_view",
        [new ViewEntity("visit", [new JoinKey("user_id", FeatureValueType.Int64), new JoinKey("page", FeatureValueType.String)])],
        new ViewSource(source.Name, SourceKind.Push, "", source.TimestampField, source.CreatedTimestampField),
        [new FeatureField("clicks", FeatureValueType.Int64)], TimeSpan.Zero, ObjectMetadata.Empty, Version: 1);

    private static bool? Ties(string? created, params (long User, string Page, string At)[] rows)
    {
        var source = Source(created);
        var view = View(source);
        var json = rows.Select(r => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            $$"""{"user_id": {{r.User}}, "page": "{{r.Page}}", "event_timestamp": "{{r.At}}", "clicks": 1}""")!).ToList();
        return PushedRows.Check(source, [view], json).EventTies(view);
    }

    [Fact]
    public void Rows_tie_when_every_key_and_the_microsecond_of_their_event_time_are_equal()
    {
        const string at = "2024-06-01T00:00:00.0000010Z";
        Assert.False(Ties("created_at", (1, "a", at), (1, "b", at), (2, "a", at), (1, "a", "2024-06-01T00:00:00.0000020Z")));
        Assert.True(Ties("created_at", (1, "a", at), (2, "a", at), (1, "a", at)));
        // 100 ns apart is the same microsecond in the offline store: a tie there.
        Assert.True(Ties("created_at", (1, "a", at), (1, "a", "2024-06-01T00:00:00.0000011Z")));
        // The same instant written in another offset is the same event time.
        Assert.True(Ties("created_at", (1, "a", at), (1, "a", "2024-06-01T02:00:00.0000010+02:00")));
    }

    [Fact]
    public void A_source_without_created_times_is_not_checked() =>
        Assert.Null(Ties(null, (1, "a", "2024-06-01T00:00:00Z"), (1, "a", "2024-06-01T00:00:00Z")));
}
